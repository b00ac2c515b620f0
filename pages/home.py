"""Home: the idea in a few lines, a live preview of each lesson, and a plan for a class."""

from __future__ import annotations

import numpy as np
import streamlit as st

from regviz import datasets, fit, path
from regviz.data import design_matrix
from regviz.figures import previews
from regviz.figures.style import Style
from regviz.selection import cross_validate
from ui import common
from ui.entry import through_app
from ui.pages import LESSONS

through_app()


@st.cache_data(show_spinner=False)
def _previews(style: Style):
    diabetes = datasets.diabetes()
    d = design_matrix(diabetes.frame, diabetes.target)
    house = datasets.house_prices(seed=0)
    h = design_matrix(house.frame, house.target)
    junk = np.array([src in house.junk for src in h.source_columns])
    lams = {}
    for penalty in ("l1", "l2"):
        grid = path(h.X, h.y, penalty=penalty, n_lams=40).lams
        lams[penalty] = cross_validate(h.X, h.y, penalty=penalty, lams=grid).lambda_1se
    sparse = datasets.sparse_truth(seed=0)
    s = design_matrix(sparse.frame, sparse.target)
    kept = {pen: int(np.count_nonzero(fit(h.X, h.y, penalty=pen, lam=lams[pen]).coef[junk]))
            for pen in ("l1", "l2")}
    most_zeros = {pen: int(np.max(np.count_nonzero(
        path(s.X, s.y, penalty=pen, n_lams=40).coefs == 0, axis=1))) for pen in ("l1", "l2")}
    # What each static preview shows, in a line; the counts are the ones the previews draw.
    captions = {
        "paths": "Diabetes data: each line is one coefficient; λ shrinks from left to right and "
                 "the features enter one at a time.",
        "geometry": "The diamond (L1) and the circle (L2) of the same reach, each marked where "
                    "one loss first touches it.",
        "house-prices": f"Junk columns kept at each penalty's cross-validated λ_1se: L1 "
                        f"{kept['l1']} of {int(junk.sum())}, L2 {kept['l2']} of {int(junk.sum())}.",
        "sparsity": f"Exact zeros along λ on the sparse-truth data: L1 up to {most_zeros['l1']}, "
                    "L2 " + ("none at any λ." if most_zeros["l2"] == 0
                             else f"up to {most_zeros['l2']}."),
    }
    return captions, {
        "paths": previews.path_preview(d.X, d.y, style),
        "geometry": previews.geometry_preview(style),
        "house-prices": previews.junk_preview(h.X, h.y, junk, lams["l1"], lams["l2"], style),
        "sparsity": previews.sparsity_preview(s.X, s.y, style),
    }


st.title("regviz: how L1, L2 and elastic net regularize")
st.markdown(
    "Regularization adds a penalty on the size of a model's coefficients to its error on the "
    "training data, trading a little bias for much less variance. **L1 (lasso)** sets some "
    "coefficients to exactly zero; **L2 (ridge)** shrinks all of them and keeps every one; "
    "**elastic net** mixes the two. Every number here comes from an exact solver, so you can "
    "test each claim yourself, on the built-in data or on your own CSV."
)
common.objective_latex()
st.info(
    "**How to read every λ axis in this app:** log scale, **strong penalty on the left** "
    "(large λ: small or zero coefficients), **weak penalty on the right** (λ → 0: ordinary "
    "least squares). Moving right means a more complex model.", icon=":material/swap_horiz:")

captions, figures = _previews(common.style())
st.subheader("The lessons")
columns = st.columns(2)
for i, lesson in enumerate(LESSONS):
    with columns[i % 2].container(border=True):
        if lesson.url_path in figures:
            st.plotly_chart(figures[lesson.url_path], config={"displayModeBar": False,
                                                              "staticPlot": True},
                            key=f"preview_{lesson.url_path}", alt=lesson.blurb)
            st.caption(captions[lesson.url_path])
        st.markdown(f"**{lesson.title}**: {lesson.blurb}")
        st.page_link(lesson.file, label=f"Open {lesson.title.lower()}")

st.subheader("A 50-minute class")
total = 0
plan = []
for lesson in LESSONS:
    plan.append(f"{total}–{total + lesson.minutes} min: **{lesson.title}**")
    total += lesson.minutes
plan.append(f"{total}–50 min: questions; students repeat a lesson on their own CSV, "
            "chosen in each page's dataset menu.")
st.markdown("\n".join(f"{i + 1}. {line}" for i, line in enumerate(plan)))
st.caption("Presentation mode (sidebar) enlarges text and figures for a projector. Every view "
           "is mirrored in the address bar: copy it to share exactly what is on the screen.")
