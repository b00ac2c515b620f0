"""The multipage floor: the floor page's one tiny chart as one page of eight in st.navigation.

``benchmarks/page_load.py`` opens it at ``/paths``, as a student opens the lesson, so it pays
what any multipage Streamlit app pays before its page draws: the navigation menu and its
icons, and the front end's probe of ``/paths/_stcore/health`` (a 404, then 100 ms of back-off)
before it finds the server at ``/``.  Between ``floor_app.py`` and this page lies Streamlit's
own cost of a multipage app; between this page and the lesson lies regviz's.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Multipage floor", layout="wide")


def floor() -> None:
    st.title("Browser floor")
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))


def other() -> None:
    st.write("Another page.")


st.navigation([st.Page(floor, title="Floor", url_path="paths", default=True)]
              + [st.Page(other, title=f"Page {i}", url_path=f"page{i}") for i in range(2, 9)]
              ).run()
