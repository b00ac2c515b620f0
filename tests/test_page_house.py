"""The house-price page runs (AppTest), states its numbers, and its controls work."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apptest import captions, charts, navigation_app, run_page, shown
from ui import memo


def _run(**state) -> AppTest:
    return run_page("house-prices", timeout=120, **state)


@pytest.fixture(scope="module")
def page() -> AppTest:
    return _run()


def test_page_runs_and_states_the_lessons_numbers(page):
    text = captions(page)
    assert "0 of 16 junk columns survive" in text
    assert "keeps all 16 junk columns" in text
    assert "minimum-norm least squares" in text
    assert "in 20 of 20" in text or "of 20" in text
    markdown = "\n".join(m.value for m in page.markdown)
    assert "750 training rows" in markdown and "250 test rows" in markdown
    assert "**black**" in markdown  # the reference level of mailbox_colour


def test_every_chart_has_its_caption_as_alt_text(page):
    elements = page.get("plotly_chart")
    assert len(elements) == 5
    texts = {shown(c.value) for c in page.caption}
    for el in elements:
        assert el.proto.alt and el.proto.alt in texts


def test_page_shows_the_table_the_units_and_the_one_hot_columns(page):
    frames = [df.value for df in page.dataframe]
    assert frames[0].columns[0] == "price" and len(frames[0]) == 8
    assert "meaning" in frames[1].columns and len(frames[1]) == 12
    assert list(frames[2].columns)[1:] == [f"mailbox_colour={c}"
                                           for c in ("blue", "green", "red", "white")]


def test_moving_the_l1_lambda_to_the_smallest_lets_junk_survive():
    at = _run()
    slider = next(s for s in at.select_slider if s.label == "λ for L1 (lasso)")
    slider.set_value(len(slider.options) - 1).run()
    assert not at.exception, [e.value for e in at.exception]
    sentence = next(c.value for c in at.caption if c.value.startswith("L1 at λ"))
    l1_part = sentence.split(";")[0]
    assert "0 of 16 junk columns survive" not in l1_part
    assert "junk columns survive (" in l1_part or "keeps all 16 junk columns" in l1_part
    spec = charts(at)["house_coefs"]
    zeros = [t for t in spec["data"] if t.get("name") == "exactly 0 (removed)"]
    assert len(zeros[0]["y"]) < 16


def test_seed_input_redraws_the_data_and_log_toggle_and_rows_slider_work():
    at = run_page("house-prices", timeout=120, query={"seed": "5"})
    markdown = "\n".join(m.value for m in at.markdown)
    assert "(seed 5)" in markdown
    at.toggle(key="house_log").set_value(True).run()
    assert not at.exception
    at.slider(key="house_ntrain").set_value(150).run()
    assert not at.exception
    assert not at.info, "150 rows > 135 features: plain least squares, no minimum-norm note"
    assert "No penalty (least squares)" in captions(at)
    assert "seeds 5–24" in captions(at)


def test_resample_button_draws_a_new_seed():
    at = _run()
    at.button(key="house_resample").click().run()
    assert not at.exception
    seed = at.session_state["seed"]
    assert isinstance(seed, int) and 0 <= seed <= 10_000
    assert at.query_params["seed"] == str(seed)


def test_path_button_opens_the_path_page_on_the_house_data(tmp_path):
    at = navigation_app(tmp_path, {"house-prices": "house-prices", "paths": "paths"},
                        timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="house_to_paths").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["dataset"] == "house_prices"
    assert at.title[0].value == "Coefficient paths"
    assert at.selectbox(key="dataset").value == "house_prices"


def test_overlapping_seed_windows_fit_each_sample_once(monkeypatch):
    from regviz import house

    fitted: list[int] = []
    real = house.seed_outcomes

    def counting(seeds, n):
        fitted.extend(seeds)
        return real(seeds, n)

    monkeypatch.setenv("REGVIZ_WORKERS", "0")  # fit in this process, where the count is
    monkeypatch.setattr(house, "seed_outcomes", counting)
    # Other tests in this process may have visited seed 40 already: start from empty caches
    # (st.cache_data for the page's calls, ui.memo's per-sample store).
    st.cache_data.clear()
    memo._store.clear()
    run_page("house-prices", timeout=120, query={"seed": "40"})
    # Seed 40 is the lesson's own sample: its comparison is reused, not refitted.
    assert sorted(fitted) == list(range(41, 60))
    fitted.clear()
    at = run_page("house-prices", timeout=120, query={"seed": "41"})
    assert fitted == [60], "seed 41's window refitted samples it shares with seed 40's"
    assert "seeds 41–60" in captions(at)
