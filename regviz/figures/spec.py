"""A figure as the two things a chart element needs: its dict and that dict's JSON.

Building a plotly figure is pure Python (tens of thousands of property sets for a
figure with frames: 0.1-0.5 s for the paths and geometry charts), and in the app's
server every one of those runs under one GIL that all sessions share.  A worker
process can build the figure instead and send back only plain data: the dict and the
JSON text ``plotly.io.to_json`` makes of it (what ``st.plotly_chart`` sends).

A figure takes the default template of the process that builds it, and the app's
server has its own (Streamlit's, whose colours the browser swaps for the theme's):
the caller passes that template, and the worker builds under it.
"""

from __future__ import annotations

from collections.abc import Callable

_TEMPLATE_NAME = "regviz_caller"
_registered: list[dict] = []  # the template last registered under that name, as given


def _use_template(template: dict | None) -> None:
    import plotly.io as pio

    if template is None:
        return
    if not _registered or _registered[0] != template:  # registering validates it: once
        pio.templates[_TEMPLATE_NAME] = template
        _registered[:] = [template]
    pio.templates.default = _TEMPLATE_NAME


def spec_and_json(build: Callable[[], object],
                  template: dict | None = None) -> tuple[dict, str, str]:
    """(``build().to_dict()``, its JSON as ``plotly.io.to_json(spec, validate=False)`` writes
    it, the JSON engine that wrote it), built under ``template`` as plotly's default
    (``None``: this process's own): plain data, cheap to send between processes."""
    import plotly.io as pio

    _use_template(template)
    spec = build().to_dict()
    return spec, pio.to_json(spec, validate=False), str(pio.json.config.default_engine)
