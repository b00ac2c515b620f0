"""λ in a shared link: a value a teacher can type (``?lam=0.5``), not a grid index.

The paths page draws one frame per grid λ (plus λ = 0, OLS, when it exists).
A link's ``lam`` is snapped to the nearest frame on the log scale (``0`` opens
OLS, or the smallest λ when there is none) and the page says where it landed.
A requested λ belongs to the view it was asked for: changing the data or the
penalty returns to the default, λ_1se, since λ scales differ between views.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import streamlit as st

from ui import state

_REQUEST = "_lam_request"  # (λ value, view id) the student or a link asked for
_DEFAULT = -1  # picker option: the page's default frame (λ_1se)
_EPOCH = "_lam_epoch"  # counts the picker's choices (ui/scrub.py's kept λ gives way)


def parse_lam(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError("expected a λ value ≥ 0 (0 opens ordinary least squares)")
    return value


def nearest_frame(frame_lams: Sequence[float], lam: float) -> int:
    """Index of the frame nearest to ``lam`` on the log scale; λ = 0 is its own frame."""
    if lam == 0:
        zero = [i for i, v in enumerate(frame_lams) if v == 0]
        return zero[0] if zero else min(range(len(frame_lams)), key=lambda i: frame_lams[i])
    positive = [i for i, v in enumerate(frame_lams) if v > 0]
    return min(positive, key=lambda i: abs(math.log(frame_lams[i]) - math.log(lam)))


def _fmt(lam: float) -> str:
    return "0" if lam == 0 else f"{lam:.6g}"


def lambda_frame(frame_lams: Sequence[float], view_id: Hashable) -> int | None:
    """The frame a link or the picker asked for in this view, or None for the default."""
    published = st.session_state.setdefault(state._PUBLISHED, {})
    text = st.query_params.get("lam")
    if text is not None and text != published.get("lam"):
        try:
            st.session_state[_REQUEST] = (parse_lam(text), view_id)
        except (TypeError, ValueError) as err:
            st.session_state.pop(_REQUEST, None)
            state._notice(f"Link parameter lam={text[:40]!r} ignored ({err}); using λ_1se.")
        else:
            asked = st.session_state[_REQUEST][0]
            got = frame_lams[nearest_frame(frame_lams, asked)]
            if not math.isclose(asked, got, rel_tol=1e-5):
                state._notice(f"The link asked for λ = {_fmt(asked)}; the nearest λ on this "
                              f"chart's grid is {_fmt(got)}, opened instead.")
    request = st.session_state.get(_REQUEST)
    if request is None or request[1] != view_id:
        st.session_state.pop(_REQUEST, None)
        state.withdraw("lam")
        return None
    index = nearest_frame(frame_lams, request[0])
    state.publish("lam", _fmt(frame_lams[index]))
    return index


def pick_epoch() -> int:
    """How many times the student has chosen a λ in the picker this session."""
    return int(st.session_state.get(_EPOCH, 0))


def _pick(widget_key: str, frame_lams: Sequence[float], view_id: Hashable) -> None:
    choice = st.session_state[widget_key]
    st.session_state[_EPOCH] = pick_epoch() + 1
    if choice == _DEFAULT:
        st.session_state.pop(_REQUEST, None)
    else:
        st.session_state[_REQUEST] = (float(frame_lams[choice]), view_id)


def lambda_picker(frame_lams: Sequence[float], cv, active: int | None,
                  view_id: Hashable) -> None:
    """Where a shared link opens: λ_1se (default), λ_min, λ_max, the smallest λ or OLS."""
    st.caption("Share this view")
    last = len(frame_lams) - 1
    marks = {_DEFAULT: "λ_1se (default)" if cv is not None else "default",
             0: f"λ_max = {_fmt(frame_lams[0])}"}
    if cv is not None:
        marks[int(cv.idx_min)] = f"λ_min = {_fmt(frame_lams[int(cv.idx_min)])}"
    marks[last] = ("λ = 0 (ordinary least squares)" if frame_lams[last] == 0
                   else f"smallest λ = {_fmt(frame_lams[last])}")
    if active is not None and active not in marks:
        marks[active] = f"λ = {_fmt(frame_lams[active])}"
    # The options' words depend on the view: a key per view keeps the labels current.
    widget_key = f"lam_pick_{abs(hash(view_id)) % 10**10}"
    st.session_state[widget_key] = _DEFAULT if active is None else active
    st.selectbox("Open the link at", list(marks), format_func=marks.get, key=widget_key,
                 on_change=_pick, args=(widget_key, list(frame_lams), view_id))
    st.caption("Copy the address bar: it holds the dataset, penalty, a (elastic net only), λ, "
               "standardization and seed. Type any λ into a link (lam=0.5); it opens at the "
               "nearest point of the chart's grid.")
