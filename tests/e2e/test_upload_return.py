"""A student uploads a file, works in the lessons, and comes back to Your data.

Streamlit forgets a page's widgets when another page is opened, so without the page's own
copies the uploader came back empty, with no preview and the choices at their defaults:
changing the target meant uploading the file again.  Here the file, the chosen target and
the missing-value rule are all still there on return, and *Remove my data* forgets them.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.e2e.steps import go, open_app, upload, use_upload
from tests.e2e.test_browser_smoke import _idle

pytestmark = pytest.mark.e2e

IMPUTE = "Impute (numbers: column mean; text: most common value)"


def _csv() -> bytes:
    rng = np.random.default_rng(3)
    rows = ["price,area,rooms,age,garden"]
    for i in range(80):
        area, rooms, age = rng.normal(100, 20), rng.integers(1, 6), rng.integers(0, 60)
        garden = "" if i % 9 == 0 else ("yes" if rng.random() < 0.5 else "no")
        price = 2000 * area + 5000 * rooms - 300 * age + rng.normal(0, 9000)
        rows.append(f"{price:.0f},{area:.1f},{rooms},{age},{garden}")
    return ("\n".join(rows) + "\n").encode()


def _main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def _choose_impute(page) -> None:
    page.get_by_test_id("stMain").get_by_text(IMPUTE).click()
    _idle(page)


def _checked_rule(page) -> str:
    return page.get_by_test_id("stMain").locator("[data-testid=stRadio] input:checked").evaluate(
        "el => el.closest('label').innerText")


def test_the_file_and_the_choices_are_there_on_return_until_removed(server, browser, tmp_path):
    csv = tmp_path / "homes.csv"
    csv.write_bytes(_csv())
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_app(page, server)
    # "age" is not the column the page suggests: the choice is the student's, not a default.
    upload(page, csv, target="age", before_use=_choose_impute)
    target_box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.locator("input")
    go(page, "Coefficient paths")
    use_upload(page)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)

    go(page, "Your data")
    text = _main_text(page)
    assert "the file you uploaded earlier in this session" in text
    assert "Preview: homes.csv" in text and "What regviz did with your data" in text
    assert target_box.input_value() == "age"
    assert _checked_rule(page) == IMPUTE
    # The page's choices are the ones in use, so it does not ask to load the table again.
    assert "still use the table you loaded before" not in text
    assert "predicting age" in text

    page.get_by_role("button", name="Remove my data").click()
    _idle(page)
    text = _main_text(page)
    assert "No data of yours is loaded in the lessons yet." in text
    assert "Preview:" not in text and "uploaded earlier" not in text
    assert not page.query_selector("[data-testid=stException]")
    assert not errors, errors
    page.context.close()
