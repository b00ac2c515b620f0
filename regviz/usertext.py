"""User text (file names, column names, levels, the target) as display text, never markup.

Two renderers interpret what they are given: Streamlit's ``st.markdown``,
``st.caption``, widget labels and metric labels read Markdown (an image
``![x](url)`` is fetched, ``$x$`` becomes math, ``:red[x]`` colours), and
plotly's text (trace names, tick labels, annotations, hover text) reads a
subset of HTML (``<a href>`` becomes a link, ``<b>`` bold).  Every string a
user supplied goes through one of the two functions below before it reaches
either; everything else on screen is the app's own words.
"""

from __future__ import annotations

import html
import re

# Characters that format mid-line in Streamlit's Markdown (CommonMark + GFM, $...$ math,
# :emoji: and :colour[...] directives, HTML tags and entities).  A backslash escapes each.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|#:!&])")
# What formats only at the start of a line: headings, quotes, lists, rules, setext lines.
_MD_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")
_ZERO_WIDTH = "\u200b"


def _flat(text: object) -> str:
    """One line: a line break in a name must not start a Markdown block or a plotly line."""
    return re.sub(r"\s+", " ", str(text)).strip()


def md(text: object) -> str:
    """``text`` for Markdown (st.markdown, st.caption, labels): shown literally, one line.

    GFM turns bare addresses (``http://…``, ``www.…``, ``a@b.org``) into links whatever
    backslashes precede them, so a zero-width space breaks each pattern (measured in
    Chromium: only that stops the link).
    """
    flat = _flat(text).replace("://", ":" + _ZERO_WIDTH + "//").replace("@", _ZERO_WIDTH + "@")
    flat = re.sub(r"(?i)\bwww\.", lambda m: m.group(0)[:-1] + _ZERO_WIDTH + ".", flat)
    out = _MD_SPECIAL.sub(r"\\\1", flat)
    return _MD_LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], out)


def plotly_text(text: object) -> str:
    """``text`` for plotly (names, ticks, annotations, hover): no tags, no math, no templates.

    ``&``, ``<`` and ``>`` become entities (plotly shows them as the characters; it
    has no entity for quotes, which cannot open a tag on their own),
    ``%{`` cannot start a hover-template field, and a string that plotly would hand
    to MathJax (``$...$``) is kept from starting with ``$``.
    """
    out = html.escape(_flat(text), quote=False).replace("%{", "%" + _ZERO_WIDTH + "{")
    if out.startswith("$"):
        out = _ZERO_WIDTH + out
    return out


def plotly_names(names) -> list[str]:
    """:func:`plotly_text` over a list of names (feature names for legends and ticks)."""
    return [plotly_text(name) for name in names]
