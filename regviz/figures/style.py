"""Shared look: one colour-blind-safe palette, one feature one colour, presentation scale.

Okabe and Ito's eight colours come first (safe for the common colour-vision
deficiencies); past eight features the colours repeat with a different dash,
so lines stay distinguishable without relying on hue alone.
"""

from __future__ import annotations

from dataclasses import dataclass

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
PENALTY_LABELS = {"l1": "L1 (lasso)", "l2": "L2 (ridge)", "elasticnet": "Elastic net"}


@dataclass(frozen=True)
class Style:
    """Sizes for a laptop (scale 1) or a projector (scale ~1.6, presentation mode)."""

    scale: float = 1.0
    dark: bool = False

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

    def feature_colour(self, j: int) -> str:
        colour = OKABE_ITO[j % len(OKABE_ITO)]
        return "#BBBBBB" if self.dark and colour == "#000000" else colour

    def feature_dash(self, j: int) -> str:
        return DASHES[(j // len(OKABE_ITO)) % len(DASHES)]

    def layout(self, **extra) -> dict:
        """Base layout: transparent background so both Streamlit themes show through."""
        base = dict(
            # No text colour: Streamlit's chart theme picks it for the light or dark theme.
            font=dict(size=self.font),
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            margin=dict(l=60, r=20, t=60, b=50),
            hoverlabel=dict(font_size=self.font),
        )
        base.update(extra)
        return base


    def finish(self, fig):
        """Apply the font size to every axis: Streamlit's theme would otherwise keep ticks small."""
        fig.update_xaxes(tickfont=dict(size=self.font), title_font=dict(size=self.font))
        fig.update_yaxes(tickfont=dict(size=self.font), title_font=dict(size=self.font))
        fig.update_annotations(font_size=self.font)
        return fig


DEFAULT = Style()
