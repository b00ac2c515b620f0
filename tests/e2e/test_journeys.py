"""Journeys a teacher takes: settings stay put across pages, links say what they mean.

A shared setting (dataset, penalty, a, standardize, seed) is changed with its
control on one page; every other page is visited; back on the first page,
every value and the address bar are as they were left.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.test_browser_smoke import _idle, _menu

pytestmark = pytest.mark.e2e

SHARED = ("dataset", "penalty", "a", "std", "seed")


def _params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    _idle(page)


def _sidebar(page):
    return page.get_by_test_id("stSidebar")


def _controls(page) -> dict[str, object]:
    """What the paths page's sidebar shows for each shared setting."""
    bar = _sidebar(page)
    return {
        "dataset": bar.get_by_test_id("stSelectbox").first.inner_text(),
        "penalty": bar.locator("[data-testid=stRadio] input:checked").first.evaluate(
            "el => el.closest('label').innerText"),
        "a": bar.get_by_role("slider").first.input_value(),
        "std": bar.get_by_role("checkbox", name="Standardize features").is_checked(),
        "seed": bar.locator("[data-testid=stNumberInput] input").first.input_value(),
    }


@pytest.fixture()
def paths_page(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server}/paths")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    yield page
    assert not problems, problems
    ctx.close()


def test_shared_settings_survive_a_visit_to_every_other_page(paths_page):
    page = paths_page
    bar = _sidebar(page)
    bar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="House prices (synthetic, with junk features)").click()
    _idle(page)
    bar.get_by_text("Elastic net", exact=True).click()
    _idle(page)
    slider = bar.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("ArrowLeft")  # one step: each key press reruns the page
    _idle(page)
    bar.get_by_text("Standardize features").click()
    _idle(page)
    seed = bar.locator("[data-testid=stNumberInput] input").first
    seed.fill("7")
    seed.press("Enter")
    _idle(page)
    left = _params(page)
    assert left["dataset"] == "house_prices" and left["penalty"] == "elasticnet"
    assert left["a"] == "0.45" and left["std"] == "0" and left["seed"] == "7"
    shown = _controls(page)

    for title in [t for t in _menu(page) if t != "Coefficient paths"]:
        _go(page, title)
        assert not page.query_selector("[data-testid=stException]"), f"exception on {title}"
        here = _params(page)
        # A page that shows a shared setting shows the value left on the paths page.
        for name in SHARED:
            if name in here:
                assert here[name] == left[name], (title, name, here[name], left[name])
    _go(page, "Coefficient paths")
    back = _params(page)
    for name in SHARED:
        assert back.get(name) == left[name], (name, back.get(name), left[name])
    assert _controls(page) == shown


def test_switching_to_l1_drops_the_mixing_parameter_from_the_link(paths_page):
    page = paths_page
    bar = _sidebar(page)
    bar.get_by_text("Elastic net", exact=True).click()
    _idle(page)
    assert "a" in _params(page)
    bar.get_by_text("L1 (lasso)", exact=True).click()
    _idle(page)
    assert "a" not in _params(page) and _params(page)["penalty"] == "l1"


def _active_step_label(page) -> str:
    return page.evaluate("""() => {
        const gd = document.querySelector('.js-plotly-plot');
        const input = gd.querySelector('input.regviz-lam');
        return gd.layout.meta.scrub.labels[Number(input.value)];
    }""")


def test_lam_in_a_link_is_a_lambda_value_and_zero_opens_least_squares(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    page.goto(f"{server}/paths?dataset=diabetes&penalty=l1&lam=0")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    assert _active_step_label(page) == "0 (OLS)"
    assert _params(page)["lam"] == "0"
    page.goto(f"{server}/paths?dataset=diabetes&penalty=l1&lam=1")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    label = float(_active_step_label(page))
    assert 0.8 < label < 1.25  # the nearest point of a 60-step log grid to λ = 1
    assert "nearest λ" in _sidebar(page).inner_text()
    ctx.close()


def _download_choice_and_caption(page) -> tuple[str, str]:
    main = page.get_by_test_id("stMain")
    if not page.query_selector("[data-testid=stDownloadButton]"):  # opened once, stays open
        main.get_by_text("Take the results away").click()
        page.get_by_test_id("stDownloadButton").first.wait_for(timeout=60_000)
        _idle(page)
    box = main.get_by_test_id("stSelectbox").filter(has_text="Model to download").first
    shown = box.locator("input[role=combobox]").input_value()  # the option on screen
    caption = main.get_by_text("The coefficients and the script are the model at").inner_text()
    return shown, caption


def test_the_download_label_follows_the_penalty_and_the_dataset(paths_page):
    page = paths_page
    bar = _sidebar(page)
    for step in ("L2 (ridge)", "Elastic net", "dataset"):
        if step == "dataset":
            bar.get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name="Sparse truth (5 of 30 features matter)").click()
        else:
            bar.get_by_text(step, exact=True).click()
        _idle(page)
        shown, caption = _download_choice_and_caption(page)
        lam = shown.split("=")[1].split("(")[0].strip()
        assert f"λ = {lam} " in caption, (step, shown, caption)


def _checked(where) -> list[str]:
    return where.locator("[data-testid=stRadio] input:checked").evaluate_all(
        "els => els.map(el => el.closest('label').innerText)")


def test_a_pages_own_settings_are_kept_while_the_student_visits_another_page(paths_page):
    """Not only the shared settings: a lesson's own controls (here the diagnosis page's λ
    rule and cohorts, the geometry page's data source and its sidebar features, the sparsity
    lab's open tab and a choice in it) are as the student left them after a visit to another
    page.  Streamlit drops a page's widgets when another page runs; before persist_state
    (and ``state.remember`` for tabs) they came back at their defaults."""
    page = paths_page
    bar = _sidebar(page)
    _go(page, "Diagnosis: 1,000 markers")
    bar.get_by_text("λ_1se (one-standard-error rule)").click()
    _idle(page)
    cohorts = bar.get_by_role("slider", name="Cohorts (repeated studies)")
    cohorts.focus()
    page.keyboard.press("ArrowLeft")  # 4 -> 3
    _idle(page)
    assert cohorts.input_value() == "3"
    _go(page, "Constraint geometry")
    bar.get_by_text("Sidebar dataset").click()
    _idle(page)
    geometry = _checked(bar)
    features = bar.get_by_test_id("stSelectbox").evaluate_all(
        "els => els.map(el => el.innerText)")
    assert "Sidebar dataset" in geometry
    _go(page, "Sparsity lab")
    page.get_by_role("tab", name="4 · Correlated twins").click()
    _idle(page)
    main = page.get_by_test_id("stMain")
    main.get_by_text("Sidebar data:").click()  # the twins tab's own data source
    _idle(page)

    _go(page, "Home")
    _go(page, "Diagnosis: 1,000 markers")
    assert "λ_1se (one-standard-error rule)" in _checked(bar)
    assert bar.get_by_role("slider", name="Cohorts (repeated studies)").input_value() == "3"
    _go(page, "Constraint geometry")
    assert _checked(bar) == geometry
    assert bar.get_by_test_id("stSelectbox").evaluate_all(
        "els => els.map(el => el.innerText)") == features
    assert "gdata=table" in page.url
    _go(page, "Sparsity lab")  # the tab left open, and the choice made in it
    assert page.get_by_role("tab", name="4 · Correlated twins").get_attribute(
        "aria-selected") == "true"
    assert any(c.startswith("Sidebar data:") for c in _checked(page.get_by_test_id("stMain")))
    assert "lab=twins" in page.url
