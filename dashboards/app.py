"""SIHARPA dashboards: `streamlit run dashboards/app.py`."""

import streamlit as st

st.set_page_config(page_title="SIHARPA - Harga Pasar PPU", page_icon="🛒", layout="wide")

pages = [st.Page("app_pages/ringkasan.py", title="Ringkasan", icon="📊", default=True)]
st.navigation(pages).run()
