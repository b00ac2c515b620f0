"""The app's one objective, drawn from SVG files made once from its TeX, not by KaTeX.

Why not ``st.latex``: KaTeX is a 258 kB script plus fonts that the browser loads and runs
before it evaluates plotly.js, so a formula at the top of a page delayed the page's chart
(the paths page: 1.23x the one-chart floor with it, 1.17x without; docs/performance.md).
The SVGs are MathJax's output (glyphs as paths), each with its TeX as ``<title>``, and
``tests/test_formulas.py`` fails when a TeX below changes without its file being made again::

    npm install --prefix /tmp/mj mathjax-full@3
    NODE_PATH=/tmp/mj/node_modules python -m ui.formulas

A page shows the SVG as the mask of a box painted in the text colour (``formula_html``), so
the formula follows the theme.  Not inline SVG: in ``st.markdown`` that needs
``unsafe_allow_html``, whose 188 kB HTML parser the browser loads before the chart (60 ms of
the paths page's first paint), and ``st.html``'s sanitizer removes inline SVG.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).with_name("formula_svg")

TEX = {
    "objective_squared": (
        r"L(w,b)=\frac{1}{n}\sum_{i=1}^{n}\bigl(y_i-b-x_i^\top w\bigr)^2+\lambda\,P(w),\qquad "
        r"P(w)=a\sum_j|w_j|+(1-a)\sum_j w_j^2"
    ),
    "objective_logistic": (
        r"L(w,b)=-\frac{1}{n}\sum_{i=1}^{n}\bigl[y_i\log p_i+(1-y_i)\log(1-p_i)\bigr]"
        r"+\lambda\,P(w),\qquad p_i=\frac{1}{1+e^{-(b+x_i^\top w)}}"
    ),
}
"""The formulas, by file name (``formula_svg/<name>.svg``)."""


@cache
def formula_html(name: str) -> str:
    """The formula as centred HTML for ``st.html``: its SVG masks a box of the text colour.

    The box has the SVG's size in ``ex`` (scaled down to the column's width) and its TeX as
    the accessible name.  The file is the app's own, never user text.
    """
    svg = (FOLDER / f"{name}.svg").read_text(encoding="utf-8")
    width = re.search(r'<svg[^>]* width="([0-9.]+)ex"', svg).group(1)
    _, _, box_w, box_h = re.search(r'<svg[^>]* viewBox="([^"]+)"', svg).group(1).split()
    mask = ("url('data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            + "') center / contain no-repeat")
    return (f'<div role="img" aria-label="{html.escape(TEX[name])}" style="font-size: 1.21em; '
            f"width: {width}ex; max-width: 100%; aspect-ratio: {box_w} / {box_h}; "
            "margin: 0.6em auto 0.2em; background-color: currentColor; "
            "forced-color-adjust: none; print-color-adjust: exact; "
            f'-webkit-print-color-adjust: exact; -webkit-mask: {mask}; mask: {mask}"></div>')


def _render(tex: str) -> str:
    """MathJax's SVG of ``tex``, titled with the TeX and sized to fit its column."""
    svg = subprocess.run(["node", str(FOLDER / "tex2svg.js"), tex], check=True,
                         capture_output=True, text=True).stdout
    svg = re.sub(r'^<svg style="[^"]*"', '<svg style="max-width: 100%; height: auto;"', svg)
    head, _, rest = svg.partition(">")
    return f"{head}><title>{html.escape(tex, quote=False)}</title>{rest}\n"


def main() -> None:
    for name, tex in TEX.items():
        (FOLDER / f"{name}.svg").write_text(_render(tex), encoding="utf-8")
        print(f"wrote {FOLDER / name}.svg")


if __name__ == "__main__":
    main()
