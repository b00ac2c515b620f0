"""The objective's SVGs: made from the TeX the code holds, inert, shown by the pages."""

from __future__ import annotations

import base64
import html
import re

import pytest

from tests.apptest import run_page
from ui.formulas import FOLDER, TEX, formula_html


@pytest.mark.parametrize("name", sorted(TEX))
def test_each_svg_was_made_from_the_tex_the_code_holds(name):
    svg = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", svg, re.S)
    assert title, "no <title>: a screen reader would read nothing"
    # Edit a formula in ui/formulas.py without running `python -m ui.formulas` and this fails.
    assert html.unescape(title.group(1)) == TEX[name]


@pytest.mark.parametrize("name", sorted(TEX))
def test_each_svg_is_inert_themed_and_fits_its_column(name):
    svg = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg style="max-width: 100%; height: auto;"')
    assert svg.count("<svg") == 1 and svg.rstrip().endswith("</svg>")
    lowered = svg.lower()
    for risky in ("<script", "<foreignobject", "javascript:", "http://", "https://", "<style"):
        assert risky not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
            'xmlns:xlink="http://www.w3.org/1999/xlink"', ""), risky
    assert not re.search(r"\son[a-z]+\s*=", lowered), "an event handler attribute"
    colours = re.findall(r'(?:fill|stroke)="([^"]+)"', svg)
    assert colours and set(colours) == {"currentColor"}, \
        "a fixed colour would vanish on one of the two themes"
    refs = set(re.findall(r'xlink:href="#([^"]+)"', svg))
    assert refs and refs <= set(re.findall(r'id="([^"]+)"', svg)), "a glyph it does not hold"


@pytest.mark.parametrize("name", sorted(TEX))
def test_the_page_html_masks_the_svg_with_the_text_colour_and_names_it(name):
    out = formula_html(name)
    svg = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
    masks = re.findall(r"url\('data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)'\)", out)
    # Both the prefixed and the standard mask carry the file itself, byte for byte.
    assert len(masks) == 2 and {base64.b64decode(m).decode() for m in masks} == {svg}
    assert "background-color: currentColor" in out  # the theme's text colour shows through
    label = re.search(r'aria-label="([^"]*)"', out)
    assert 'role="img"' in out and label and html.unescape(label.group(1)) == TEX[name]
    width = re.search(r' width="([0-9.]+)ex"', svg).group(1)
    assert f"width: {width}ex; max-width: 100%" in out
    assert "<svg" not in out and "<script" not in out.lower()


@pytest.mark.parametrize(("page", "query", "name"), [
    ("paths", {"dataset": "diabetes"}, "objective_squared"),
    ("paths", {"dataset": "breast_cancer"}, "objective_logistic"),
    ("geometry", {}, "objective_squared"),
    ("diagnosis", {}, "objective_logistic"),
])
def test_pages_show_the_objective_and_need_no_katex_nor_html_markdown(page, query, name):
    at = run_page(page, query=query)
    assert formula_html(name) in [h.value for h in at.html]
    # Markdown with unsafe_allow_html makes the browser load a 188 kB HTML parser first.
    assert not [m for m in at.markdown if m.proto.allow_html]
    if page == "paths":
        assert not at.latex  # KaTeX would load before the chart: the note's formula waits
        at.session_state["why_zeros"] = True
        at.run()
        assert [t.value for t in at.latex if "lambda_{\\max}" in t.value]
