"""SIHARPA dashboards: `streamlit run dashboards/app.py`."""

import streamlit as st

st.set_page_config(page_title="SIHARPA - Harga Pasar PPU", page_icon=":material/storefront:", layout="wide")

pages = [
    st.Page("app_pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=True),
    st.Page("app_pages/harga.py", title="Harga", icon=":material/show_chart:"),
    st.Page("app_pages/disparitas.py", title="Disparitas & Volatilitas", icon=":material/stacked_line_chart:"),
    st.Page("app_pages/peringatan.py", title="Peringatan Dini", icon=":material/warning:"),
    st.Page("app_pages/kualitas.py", title="Kualitas Data", icon=":material/fact_check:"),
    st.Page("app_pages/masterplan.py", title="Master Plan", icon=":material/location_city:"),
]
st.navigation(pages).run()
