"""Ekstrak Data (analysts and admins): the same extracts as `siharpa extract`, built from the serving file and
downloaded with their manifest."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.session import require
from dashboards.utils import DATASET_LABELS, day, number, wita
from siharpa_pipeline.datasets import DATASET_NAMES
from siharpa_pipeline.extracts import FORMATS, ExtractError, Scope, as_download, build_extract
from siharpa_pipeline.settings import Settings, today_wita

FORMAT_LABELS = {
    "duckdb": "DuckDB (satu berkas, dengan keterangan dan _manifest)",
    "parquet": "Parquet (zip)",
    "csv": "CSV (zip)",
    "xlsx": "Excel (satu workbook, zip dengan manifest)",
}
RESULT_KEY = "siharpa_extract"

user = require("analyst", "admin")
settings = Settings.from_env()
st.title("Ekstrak Data")
st.caption(
    "Berkas untuk Bappeda dan analisis sendiri: angka yang sama dengan dasbor, dengan manifest berisi "
    "jumlah baris, rentang tanggal dan sidik SHA-256 tiap tabel. Data pribadi tidak pernah ikut."
)
with st.form("extract"):
    datasets = st.multiselect(
        "Jenis data", list(DATASET_NAMES), default=list(DATASET_NAMES), format_func=lambda d: DATASET_LABELS[d]
    )
    every_date = st.checkbox("Semua tanggal", value=True)
    period = st.date_input(
        "Periode (bila tidak semua tanggal)", (today_wita() - dt.timedelta(days=365), today_wita()), format="DD/MM/YYYY"
    )
    fmt = st.selectbox("Format", FORMATS, format_func=lambda f: FORMAT_LABELS[f]) or FORMATS[0]
    with_audit = st.checkbox("Sertakan jejak berkas (audit) dan riwayat harga")
    build = st.form_submit_button("Buat ekstrak", type="primary")

if build:
    start, end = (None, None) if every_date or len(period) != 2 else period
    stamp = dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    name = f"siharpa_ekstrak_{stamp}" + (f".{fmt}" if fmt in ("duckdb", "xlsx") else f"_{fmt}")
    out = settings.data_dir / "extracts" / user.username / name
    try:
        entries = build_extract(settings, out, Scope(tuple(datasets), start, end, with_audit), fmt)
    except ExtractError as err:
        st.error(str(err))
    else:
        st.session_state[RESULT_KEY] = {"entries": entries, "download": as_download(out, fmt)}

result = st.session_state.get(RESULT_KEY)
if result:
    file_name, data = result["download"]
    st.download_button(f"Unduh {file_name}", data, file_name=file_name, icon=":material/download:")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Tabel": e.table_name,
                    "Baris": number(e.row_count),
                    "Dari": day(e.first_date),
                    "Sampai": day(e.last_date),
                    "SHA-256": e.sha256,
                }
                for e in result["entries"]
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"Filter: {result['entries'][0].filter}; data terbit {wita(result['entries'][0].published_at)}.")
