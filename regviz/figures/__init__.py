"""Plotly figure builders: pure functions from results to ``go.Figure``.

No Streamlit here.  One module per lesson; ``style`` holds what they share.
"""
