"""A CSV with a yes/no target, uploaded in the browser, goes through every page.

The upload page must say it is a classification target; the paths page must fit logistic
regression (log-loss on the error panel); every other lesson must run on it without an
exception, each in its own way (as classification or, where a lesson is regression-only,
saying so).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.e2e.steps import go, open_app, upload, use_upload
from tests.e2e.test_browser_smoke import _menu

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


def _says_classification(page) -> None:
    assert "classification" in page.get_by_test_id("stMain").inner_text().lower()


def test_a_yes_no_target_is_classification_on_every_page(server, browser, tmp_path):
    csv = tmp_path / "relapse.csv"
    csv.write_bytes(_binary_csv())
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_app(page, server)
    upload(page, csv, target="relapsed", before_use=_says_classification)
    for title in [t for t in _menu(page) if t not in ("Home", "Your data")]:
        go(page, title)
        use_upload(page)
        assert not page.query_selector("[data-testid=stException]"), f"exception on {title}"
        if title == "Coefficient paths":
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            text = page.evaluate("() => Array.from(document.querySelectorAll("
                                 "'.js-plotly-plot svg text')).map(t => t.textContent)"
                                 ".join(' ')")
            assert "log-loss" in text, "the paths page did not fit logistic regression"
    assert not errors, errors
    ctx.close()
