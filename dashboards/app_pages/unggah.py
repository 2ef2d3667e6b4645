"""Unggah Data: send a sheet from a phone or an office PC, see at once what was wrong on your own file, fix it,
confirm; then follow it until it is loaded. Enumerators send prices for their assigned markets only."""

import pandas as pd
import streamlit as st

from dashboards.session import require
from dashboards.utils import DATASET_LABELS, STATUS_LABELS, file_status, guarded, number, recent_uploads, uploads_view
from siharpa_pipeline.annotate import annotated_name, annotated_workbook
from siharpa_pipeline.datasets import DATASET_NAMES
from siharpa_pipeline.ingest import content_of, file_id_of, rejection_dicts
from siharpa_pipeline.messages import grouped_problems
from siharpa_pipeline.packs import active_reference
from siharpa_pipeline.reference import load_reference
from siharpa_pipeline.settings import Settings, today_wita
from siharpa_pipeline.templates import price_template
from siharpa_pipeline.uploads import UploadRefused, check_upload, max_upload_bytes, preview, submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENT_KEY = "siharpa_sent"

user = require("enumerator", "analyst", "admin")
settings = Settings.from_env()
market_names = dict(zip(load_reference().markets["market_id"], load_reference().markets["name"]))
st.title("Unggah Data")
if user.assigned_markets is not None:
    st.caption("Anda mengirim harga untuk: " + ", ".join(market_names[m] for m in user.markets) + ".")

with st.expander("Unduh lembar isian harga (template)", icon=":material/download:"):
    market = st.selectbox("Pasar", list(user.markets or market_names), format_func=lambda m: market_names[m])
    if market is None:
        st.stop()
    first = st.date_input("Tanggal pertama", value=today_wita(), format="DD/MM/YYYY")
    days = st.number_input("Jumlah hari", min_value=1, max_value=62, value=7)
    st.download_button(
        "Unduh lembar isian",
        price_template(market, first, int(days)),
        mime=XLSX,
        file_name=f"lembar_harga_{market}_{first:%Y-%m-%d}.xlsx",
        icon=":material/download:",
    )

dataset: str | None
if user.may("enumerator"):
    dataset = "prices"
else:
    dataset = st.selectbox(
        "Jenis data",
        [None, *DATASET_NAMES],
        format_func=lambda d: "dikenali otomatis dari judul kolom" if d is None else DATASET_LABELS[d],
    )
# Streamlit's own box says "Upload" and "50MB per file" (its ceiling, above ours so that a large file gets our
# message): its words are replaced by ours
st.html("""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
[data-testid="stFileUploaderDropzone"] button {font-size: 0;}
[data-testid="stFileUploaderDropzone"] button p {display: none;}
[data-testid="stFileUploaderDropzone"] button::after {content: "Pilih berkas"; font-size: 1rem;}
</style>""")
upload = st.file_uploader("Berkas (.xlsx, .xls, .ods atau .csv)", type=["xlsx", "xls", "ods", "csv"])
st.caption(
    f"Ketuk Pilih berkas, atau seret berkas ke kotak di atas. Paling besar "
    f"{number(max_upload_bytes() / 2**20, 0)} MB per berkas."
)


def show_verdict(name: str, data: bytes, found: str, verdict) -> None:
    st.subheader(f"Hasil pemeriksaan {name}")
    if verdict.error:
        st.error(verdict.error_message)
        return
    cols = st.columns(3)
    cols[0].metric("Diterima", number(len(verdict.accepted)))
    cols[1].metric("Kosong (tidak diamati)", number(verdict.rows_missing))
    cols[2].metric("Ditolak", number(len(verdict.rejections)))
    if verdict.level == "region":
        st.info(
            f"Berkas ini berisi harga rata-rata wilayah ({content_of(found, verdict)}): dimuat sebagai "
            "pembanding, bukan harga pasar."
        )
    for note in verdict.notes:
        st.caption(note)
    rejections = rejection_dicts(verdict)
    if rejections:
        # what is wrong first (a phone shows the first columns), identical problems once
        st.dataframe(
            pd.DataFrame(grouped_problems(rejections))
            .rename(
                columns={
                    "problem": "Masalah",
                    "cells": "Jumlah sel",
                    "sheet": "Lembar",
                    "rows": "Baris",
                    "columns": "Kolom",
                }
            )
            .assign(**{"Jumlah sel": lambda t: t["Jumlah sel"].map(number)}),
            hide_index=True,
            width="stretch",
        )
        with st.expander(f"Rincian per sel ({len(rejections)})"):
            st.dataframe(
                pd.DataFrame(rejections)[["message", "raw_value", "sheet", "row", "column"]].rename(
                    columns={
                        "message": "Pesan",
                        "raw_value": "Isi",
                        "sheet": "Lembar",
                        "row": "Baris",
                        "column": "Kolom",
                    }
                ),
                hide_index=True,
                width="stretch",
            )
    else:
        st.success(f"Semua isi dapat diterima sebagai {DATASET_LABELS[found]}.")
    # built when asked for: for a large file it takes a while, and most senders only read the list above
    st.download_button(
        "Unduh berkas Anda dengan tanda (sel ditolak berwarna merah)",
        lambda: annotated_workbook(name, data, rejections),
        file_name=annotated_name(name),
        mime=XLSX,
        icon=":material/download:",
    )


if upload is not None:
    data = upload.getvalue()
    try:
        name = check_upload(upload.name, data, upload.type)
    except UploadRefused as refused:
        st.error(str(refused))
        st.stop()
    found, verdict = preview(name, data, dataset, user, today_wita(), active_reference(settings))
    show_verdict(name, data, found, verdict)
    if not verdict.error and st.button(
        "Kirim untuk dimuat",
        type="primary",
        disabled=verdict.accepted.empty,
        help="Hanya baris yang diterima yang masuk ke data; yang ditolak tercatat.",
    ):
        file_id = file_id_of(data)
        try:
            submit(settings, found, name, data, user, file_id)
        except UploadRefused as refused:
            st.error(str(refused))
        else:
            st.session_state.setdefault(SENT_KEY, []).append({"file_id": file_id, "name": name, "dataset": found})
            st.success(f"{name} dikirim. Statusnya tampil di bawah.")


@st.fragment(run_every=5)
def sent_files() -> None:
    """What happened to the files sent from this session, then everything this user sent."""
    for item in reversed(st.session_state.get(SENT_KEY, [])):
        if (settings.inbox(item["dataset"]) / item["name"]).exists():
            st.info(f"{item['name']}: menunggu diproses")
            continue
        status = guarded(lambda: file_status(item["file_id"]))
        if status is None:
            st.info(f"{item['name']}: sedang diproses")
        else:
            st.success(
                f"{item['name']}: {STATUS_LABELS[status['status']]} — diterima "
                f"{number(status['rows_accepted'])}, ditolak {number(status['rows_rejected'])}, kosong "
                f"{number(status['rows_missing'])}"
            )
    history = guarded(lambda: recent_uploads(user.username))
    if not history.empty:
        st.caption("Riwayat unggahan Anda")
        st.dataframe(uploads_view(history), hide_index=True, width="stretch")


st.divider()
sent_files()
