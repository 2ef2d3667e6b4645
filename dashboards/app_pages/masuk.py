"""Masuk: the login form for enumerators, analysts and admins. Public pages need no login."""

import streamlit as st

from dashboards.session import login_guard, start, users
from siharpa_pipeline.access import log_in

st.title("Masuk")
st.caption("Untuk petugas pencacah, analis dan admin. Halaman harga dapat dibaca tanpa masuk.")
known = users()
if not known:
    st.info(
        "Belum ada pengguna. Admin menambahkan pengguna dengan perintah: "
        "siharpa user NAMA --role enumerator --market pasar_waru"
    )
with st.form("login"):
    username = st.text_input("Nama pengguna")
    password = st.text_input("Kata sandi", type="password")
    submitted = st.form_submit_button("Masuk", type="primary")
if submitted:
    address = st.context.ip_address  # None on localhost; failures are counted per name and address
    user, problem = log_in(known, login_guard(), username, password, source=address if isinstance(address, str) else "")
    if user is None:
        st.error(problem)
    else:
        start(user)
        st.rerun()
