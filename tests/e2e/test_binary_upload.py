"""A CSV with a yes/no target, uploaded in the browser, goes through every page.

The upload page must say it is a classification target; the paths page must fit logistic
regression (log-loss on the error panel); every other lesson must run on it without an
exception, each in its own way (as classification or, where a lesson is regression-only,
saying so).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.e2e.test_browser_smoke import _idle, _menu

pytestmark = pytest.mark.e2e


def _binary_csv() -> bytes:
    rng = np.random.default_rng(5)
    n = 300
    X = rng.standard_normal((n, 6))
    logit = 2.0 * X[:, 0] - 1.5 * X[:, 1] + 0.3 * rng.standard_normal(n)
    outcome = np.where(rng.random(n) < 1 / (1 + np.exp(-logit)), "yes", "no")
    rows = ["age,dose,weight,height,score,visits,relapsed"]
    rows += [",".join([*(f"{v:.4f}" for v in X[i]), outcome[i]]) for i in range(n)]
    return ("\n".join(rows) + "\n").encode()


def test_a_yes_no_target_is_classification_on_every_page(server, browser, tmp_path):
    csv = tmp_path / "relapse.csv"
    csv.write_bytes(_binary_csv())
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server)
    nav = page.get_by_test_id("stSidebarNavItems")
    nav.get_by_role("link", name="Your data").wait_for(timeout=90_000)
    _idle(page)
    nav.get_by_role("link", name="Your data").click()
    page.wait_for_selector("[data-testid=stFileUploaderDropzoneInput]", state="attached",
                           timeout=90_000)
    _idle(page)
    page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", str(csv))
    _idle(page)
    main = page.get_by_test_id("stMain")
    target = main.get_by_test_id("stSelectbox").first.locator("input")
    if target.input_value() != "relapsed":
        target.click()
        target.fill("relapsed")
        page.keyboard.press("Enter")
        _idle(page)
    assert target.input_value() == "relapsed"
    assert "classification" in main.inner_text().lower()
    page.get_by_role("button", name="Use this dataset in the lessons").click()
    _idle(page)
    for title in [t for t in _menu(page) if t not in ("Home", "Your data")]:
        nav.get_by_role("link", name=title).click()
        _idle(page)
        box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
        if box.count() and "Your uploaded data" not in box.locator("input").input_value():
            box.click()
            option = page.get_by_role("option", name="Your uploaded data")
            if option.count():
                option.click()
            else:
                page.keyboard.press("Escape")
            _idle(page)
        assert not page.query_selector("[data-testid=stException]"), f"exception on {title}"
        if title == "Coefficient paths":
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            text = page.evaluate("() => Array.from(document.querySelectorAll("
                                 "'.js-plotly-plot svg text')).map(t => t.textContent)"
                                 ".join(' ')")
            assert "log-loss" in text, "the paths page did not fit logistic regression"
    assert not errors, errors
    ctx.close()
