"""SIHARPA dashboards: `streamlit run dashboards/app.py`. Public pages for everyone; the pages that need a role
are registered only for users who hold it."""

import streamlit as st

from dashboards.session import current_user, end, write_cookie
from dashboards.utils import region_picker
from siharpa_pipeline.access import ROLE_LABELS

st.set_page_config(page_title="SIHARPA - Harga Pasar PPU", page_icon=":material/storefront:", layout="wide")


def log_out() -> None:
    end()
    st.rerun()


user = current_user()
write_cookie()
public = [
    st.Page("app_pages/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", default=user is None),
    st.Page("app_pages/harga.py", title="Harga", icon=":material/show_chart:"),
    st.Page("app_pages/disparitas.py", title="Disparitas & Volatilitas", icon=":material/stacked_line_chart:"),
    st.Page("app_pages/peringatan.py", title="Peringatan Dini", icon=":material/warning:"),
    st.Page("app_pages/perbandingan.py", title="Perbandingan Wilayah", icon=":material/compare_arrows:"),
    st.Page("app_pages/kualitas.py", title="Kualitas Data", icon=":material/fact_check:"),
    st.Page("app_pages/masterplan.py", title="Master Plan", icon=":material/location_city:"),
]
if user is None:
    account = [st.Page("app_pages/masuk.py", title="Masuk", icon=":material/login:")]
else:  # a login lands on the upload page, what most users log in for
    account = [st.Page("app_pages/unggah.py", title="Unggah Data", icon=":material/upload_file:", default=True)]
    if user.may("analyst", "admin"):
        account.append(st.Page("app_pages/ekstrak.py", title="Ekstrak Data", icon=":material/database:"))
    if user.may("admin"):
        account.append(st.Page("app_pages/pengguna.py", title="Pengguna", icon=":material/group:"))
    account.append(st.Page(log_out, title="Keluar", icon=":material/logout:", url_path="keluar"))
    st.sidebar.caption(f"Masuk sebagai {user.name} ({ROLE_LABELS[user.role]})")
region_picker()
st.navigation({"Harga dan indikator": public, "Akun": account}).run()
