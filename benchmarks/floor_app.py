"""The browser floor: the smallest Streamlit page with one plotly chart.

``benchmarks/load.py`` serves this from its own process and opens it in the
same headless Chromium right after the lesson page, under the same load: the
time this page takes to draw is what the browser, Streamlit's front end and
plotly.js cost on this machine before regviz does anything.  A lesson page
cannot be drawn faster than this.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Browser floor")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))
