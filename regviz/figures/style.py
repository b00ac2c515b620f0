"""Shared look: one colour-blind-safe palette, one feature one colour, presentation scale.

Okabe and Ito's eight colours come first (safe for the common colour-vision
deficiencies); past eight features the colours repeat with a different dash,
so lines stay distinguishable without relying on hue alone.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from regviz.penalties import PENALTY_CLASSES
from regviz.usertext import plotly_text

OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#999999",  # grey
    "#000000",  # black (swapped for light grey in dark theme)
]
DASHES = ["solid", "dash", "dot", "dashdot"]
L1_COLOUR, L2_COLOUR, ENET_COLOUR = "#D55E00", "#0072B2", "#009E73"
TRAIN_COLOUR, TEST_COLOUR, CV_COLOUR = "#0072B2", "#D55E00", "#009E73"
PENALTY_COLOURS = {"l1": L1_COLOUR, "l2": L2_COLOUR, "elasticnet": ENET_COLOUR}
PENALTY_LABELS = {name: cls.label for name, cls in PENALTY_CLASSES.items()}
"""Each penalty's name in legends and titles, as its class spells it (regviz.penalties)."""


@dataclass(frozen=True)
class Style:
    """Sizes for a laptop (scale 1) or a projector (scale ~1.6, presentation mode)."""

    scale: float = 1.0
    dark: bool = False

    @property
    def presenting(self) -> bool:
        """Presentation mode: layouts that change shape for a projector (fewer, wrapped labels,
        stacked panels) ask this, not a threshold on ``scale`` each (the app's two scales
        are 1 and 1.6)."""
        return self.scale > 1.0

    @property
    def font(self) -> int:
        return round(13 * self.scale)

    @property
    def line(self) -> float:
        return 2.0 * self.scale

    @property
    def marker(self) -> float:
        return 8 * self.scale

    @property
    def ink(self) -> str:
        """Lines and markers that must read on light and dark backgrounds alike."""
        return "#888888"

    @property
    def text(self) -> str:
        """Body text colour of Streamlit's light or dark theme (for text plotly must colour)."""
        return "#FAFAFA" if self.dark else "#31333F"

    @property
    def backdrop(self) -> str:
        """A label's background: the page colour, nearly opaque, so lines under it stay quiet."""
        return "rgba(14,17,23,0.85)" if self.dark else "rgba(255,255,255,0.85)"

    def text_px(self, text: str, size: float | None = None) -> float:
        """Upper estimate of a one-line label's width in pixels (Source Sans averages ~0.5 em)."""
        return 0.56 * (size or self.font) * len(shown_text(text))

    def y_margin(self, tick_chars: int) -> int:
        """A left margin for a titled y axis whose tick labels have ``tick_chars`` characters.

        48 px and half a font are the title's line and plotly's pads (measured): a margin
        plotly's automargin must widen costs a second draw of the whole figure.
        """
        return round(max(60, self.text_px("0" * tick_chars) + self.font * 0.5 + 48))

    def labels_margin(self, labels: list[str]) -> int:
        """A left margin holding every category tick label (bold ones a tenth wider) and
        plotly's pad, for an axis without a title; same reason as ``y_margin``.

        Half an em per character, not ``text_px``'s upper 0.56: a margin wider than the
        labels need narrows the panels, and the house chart's two panel titles then touch
        in presentation mode (plotly asks 143 px at font 13 and 218 px at 21 there).
        """
        widest = max((0.5 * self.font * len(shown_text(t))
                      * (1.1 if "<b>" in t else 1.0) for t in labels), default=0.0)
        return round(max(60, widest + self.font * 0.6 + 6))

    @property
    def x_margin(self) -> int:
        """A bottom margin for a titled x axis with one line of tick labels (plotly asks 67 px
        at font 13, 84 at 21)."""
        return round(max(50, self.font * 2.1 + 43))

    def feature_colour(self, j: int) -> str:
        colour = OKABE_ITO[j % len(OKABE_ITO)]
        return "#BBBBBB" if self.dark and colour == "#000000" else colour

    def feature_dash(self, j: int) -> str:
        return DASHES[(j // len(OKABE_ITO)) % len(DASHES)]

    @property
    def legend_font(self) -> int:
        """A legend's type: a little under the text's, so entries fit a row beside a chart."""
        return round(self.font * 0.85)

    def layout(self, **extra) -> dict:
        """Base layout: transparent background so both Streamlit themes show through."""
        base = dict(
            # No text colour: Streamlit's chart theme picks it for the light or dark theme.
            font=dict(size=self.font),
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            # At least what plotly's automargin asks for titled axes with short ticks: a
            # margin it must widen costs a second draw of the whole figure.
            margin=dict(l=self.y_margin(3), r=20, t=round(max(60, self.font * 3 + 28)),
                        b=self.x_margin),
            hoverlabel=dict(font_size=self.font),
        )
        base.update(extra)
        return base

    def finish(self, fig):
        """Apply the font size to every axis and legend: Streamlit's theme would otherwise keep
        them small."""
        fig.update_xaxes(tickfont=dict(size=self.font), title_font=dict(size=self.font))
        fig.update_yaxes(tickfont=dict(size=self.font), title_font=dict(size=self.font))
        fig.update_annotations(font_size=self.font)
        # Legends too: Streamlit's theme draws them at about 12 px whatever the mode, too
        # small on a projector.  A figure that sized its legend itself keeps that size.
        if fig.layout.legend.font.size is None:
            fig.update_layout(legend_font_size=self.legend_font)
        return fig


DEFAULT = Style()


def tick_label_chars(lo: float, hi: float) -> int:
    """An upper estimate of the characters in plotly's automatic tick labels over [lo, hi].

    Why: a figure whose margins already fit its tick labels is drawn once; when plotly's
    automargin has to widen a margin it draws the whole figure again (the paths chart in a
    one-chart page: 234-272 ms against 294-420 ms).  The estimate takes a step ten times finer than
    plotly's (so at least as many decimals), and SI-suffixed labels (``12k``, ``3M``)
    from 10⁴ up, as plotly writes them.
    """
    values = [v for v in (lo, hi) if math.isfinite(v)]
    if not values:
        return 1
    big = max(abs(v) for v in values)
    span = abs(hi - lo) if len(values) == 2 and hi != lo else big or 1.0
    unit, suffix = 1.0, 0
    if big >= 1e4:
        unit, suffix = 10.0 ** (3 * math.floor(math.log10(big) / 3)), 1
    step = 10.0 ** math.floor(math.log10(span / 10))
    decimals = max(0, -math.floor(math.log10(step / unit)))
    return max(len(f"{v / unit:.{decimals}f}") for v in values) + suffix


def shown_text(text: str) -> str:
    """What plotly draws of ``text``: no tags, entities as their characters, no zero-width
    spaces.  Measuring the escaped form counted ``&lt;`` as four characters, and a
    column named with HTML widened the paths chart's margin by a third."""
    return html.unescape(re.sub("<[^>]+>", "", text)).replace("\u200b", "")


def wrap_words(text: str, width: int) -> str:
    """``text`` broken between words into lines of at most ``width`` characters (a longer
    word keeps its own line), joined by ``<br>`` for plotly: presenting, four panel titles
    or six dataset names side by side ran into one another on one line each."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def short_name(name: object, limit: int = 28) -> str:
    """A feature name for a tick label: at most ``limit`` characters, the middle elided.

    Both ends survive (``long_prefix…_047``), so truncated names stay distinguishable;
    the full name is in the hover text.  The result is raw text: escape it afterwards.
    """
    text = " ".join(str(name).split())
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[-(limit - 1 - head):]


def unique_labels(names, order, limit: int = 28) -> list[str]:
    """Category labels for ``names[j]``, j in ``order``: short (``limit`` characters),
    escaped and unique (a category label is its row, so two names shortened alike get
    their column number)."""
    labels, seen = [], set()
    for j in order:
        label = plotly_text(short_name(names[j], limit))
        if label in seen:
            label = f"{label} [{j + 1}]"
        seen.add(label)
        labels.append(label)
    return labels


# --------------------------------------------------------------------------- the λ axis
LAMBDA_DIRECTION = "log scale, decreasing →"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def lambda_title(name: str = "λ") -> str:
    """The one title convention for a λ axis, e.g. ``λ (log scale, decreasing →)``."""
    return f"{name} ({LAMBDA_DIRECTION})"


def lambda_label(value: float) -> str:
    """A λ tick as a plain number (0.01, 20, 5000), or 10⁻⁵ / 10⁶ past what reads plainly."""
    if value <= 0 or not math.isfinite(value):
        return f"{value:g}"
    power = math.log10(value)
    if 1e-3 <= value < 1e5 or abs(power - round(power)) > 1e-9:
        return f"{value:.6g}"
    return "10" + str(round(power)).translate(_SUPERSCRIPT)


def lambda_ticks(lo: float, hi: float) -> list[float]:
    """Tick values between lo and hi (λ units): 1-2-5 steps over few decades, else powers of ten.

    At least two ticks whenever lo < hi, at most about eight: plotly's own log ticks
    label minor ticks "2 3 4 5", which read as the wrong numbers.
    """
    if not (0 < lo <= hi and math.isfinite(hi)):
        return []
    a, b = math.log10(lo), math.log10(hi)
    eps = 1e-9
    decades = range(math.floor(a), math.ceil(b) + 1)
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        vals = [m * 10.0**k for k in decades for m in mantissas]
        vals = [v for v in vals if a - eps <= math.log10(v) <= b + eps]
        if len(vals) <= 8 and (len(vals) >= 2 or mantissas == (1, 2, 5)):
            break
    if len(vals) > 8:  # many decades: every k-th power of ten
        step = math.ceil(len(vals) / 8)
        vals = vals[::step]
    if len(vals) < 2:  # a narrow range: its ends
        vals = sorted({lo, hi})
    return vals


def lambda_axis(lo: float | None = None, hi: float | None = None, *, name: str = "λ",
                log10_coords: bool = False, pad: float = 0.03, **extra) -> dict:
    """Settings for every λ axis: log10 scale, λ decreasing to the right, one title.

    Strong penalty on the left, ordinary least squares on the right (the direction a
    student reads as "less and less regularization").  Use as
    ``fig.update_xaxes(**lambda_axis(lams.min(), lams.max()), row=.., col=..)``.
    ``lo``/``hi`` (λ units) fix the range and give ticks at real λ values; without
    them the axis autoranges, reversed.  ``log10_coords=True`` is for a linear axis
    whose data are already log10(λ) (the path explorer, which also places λ = 0).
    ``extra`` overrides or adds any axis property.
    """
    axis: dict = dict(title_text=lambda_title(name))
    if not log10_coords:
        axis["type"] = "log"
    if lo is None or hi is None:
        axis["autorange"] = "reversed"
    else:
        a, b = math.log10(lo), math.log10(hi)
        margin = pad * max(b - a, 1e-9)
        vals = lambda_ticks(lo, hi)
        axis.update(
            autorange=False, range=[b + margin, a - margin], tickmode="array",
            tickvals=[math.log10(v) for v in vals] if log10_coords else vals,
            ticktext=[lambda_label(v) for v in vals],
        )
    axis.update(extra)
    return axis
