"""Pengguna (admin only): who may log in, with which role and markets, and what they sent lately."""

import pandas as pd
import streamlit as st

from dashboards.session import require, users
from dashboards.utils import guarded, number, recent_uploads, reference_imports, uploads_view, wita
from siharpa_pipeline.access import ROLE_LABELS, users_file

require("admin")
st.title("Pengguna")
st.caption(
    f"Daftar pengguna dibaca dari {users_file()} (di luar git). Tambah atau ganti pengguna dengan: "
    "siharpa user NAMA --role enumerator|analyst|admin [--market KODE_PASAR] (kata sandi dari stdin)."
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Pengguna": u.username,
                "Nama": u.name,
                "Peran": ROLE_LABELS[u.role],
                "Pasar": ", ".join(u.markets) or "semua",
            }
            for u in users().values()
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.subheader("Unggahan terakhir")
uploads = guarded(recent_uploads)
st.dataframe(uploads_view(uploads), hide_index=True, width="stretch")
st.subheader("Paket wilayah yang diimpor")
st.caption("Pasar, nama komoditas setempat dan harga acuan daerah lain: siharpa reference import FOLDER.")
imports = guarded(reference_imports)
if imports.empty:
    st.info("Belum ada paket wilayah; data acuan yang dipakai adalah bawaan (pasar-pasar PPU).")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Waktu": imports["imported_at"].map(wita),
                "Berkas": imports["file_name"],
                "Baris": imports["rows"].map(number),
                "Versi data acuan": imports["reference_version"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
