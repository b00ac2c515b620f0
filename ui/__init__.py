"""Streamlit-side helpers shared by the pages (regviz itself never imports Streamlit)."""
