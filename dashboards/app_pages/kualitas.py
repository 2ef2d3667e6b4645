"""Kualitas Data: coverage (market x day), files received of every dataset, rejected cells, flagged price jumps
and waste deposits whose value is not weight x price."""

import plotly.express as px
import streamlit as st

from dashboards.utils import (
    DATASET_LABELS,
    NO_DATA,
    STATUS_LABELS,
    day,
    flagged_waste_deposits,
    guarded,
    last_market_day,
    money,
    query,
    received_files,
)

st.title("Kualitas Data")
latest = guarded(last_market_day)


def coverage_heatmap() -> None:
    st.subheader("Cakupan: jumlah komoditas yang dilaporkan (60 hari pasar terakhir)")
    coverage = guarded(lambda: query("""
        WITH days AS (SELECT DISTINCT observed_on FROM mart.coverage ORDER BY 1 DESC LIMIT 60)
        SELECT d.observed_on, m.name AS pasar, coalesce(c.n_commodities, 0) AS n
        FROM days d CROSS JOIN ref.markets m
        LEFT JOIN mart.coverage c ON c.observed_on = d.observed_on AND c.market_id = m.market_id
        ORDER BY m.rowid, d.observed_on"""))
    grid = coverage.pivot(index="pasar", columns="observed_on", values="n")
    heat = px.imshow(grid, color_continuous_scale="Greens", aspect="auto", labels={"color": "komoditas"})
    heat.update_layout(height=360, margin={"t": 30}, xaxis_tickformat="%d/%m/%Y")
    st.plotly_chart(heat, width="stretch")


if latest is None:
    st.info(NO_DATA)  # the files of the other datasets are still listed below
else:
    coverage_heatmap()

st.subheader("Berkas diterima")
files = guarded(received_files)
st.dataframe(files.assign(diterima=files["received_at"].dt.strftime("%d/%m/%Y %H:%M UTC"),
                          status=files["status"].map(STATUS_LABELS), dataset=files["dataset"].map(DATASET_LABELS))[
    ["diterima", "file_name", "dataset", "submitted_by", "status", "rows_accepted", "rows_rejected", "rows_missing",
     "rows_flagged", "error_message"]].rename(columns={
        "diterima": "Diterima", "file_name": "Berkas", "dataset": "Jenis data", "submitted_by": "Pengirim",
        "status": "Status", "rows_accepted": "Diterima (baris)", "rows_rejected": "Ditolak", "rows_missing": "Kosong",
        "rows_flagged": "Ditandai", "error_message": "Kesalahan"}), hide_index=True, width="stretch")

st.subheader("Sel yang ditolak")
rejections = guarded(lambda: query("""
    SELECT f.file_name, r.sheet, r.source_row, r.source_column, r.reason_code, r.message
    FROM audit.rejections r JOIN audit.files f USING (receipt_id)
    ORDER BY f.received_at DESC, r.source_row LIMIT 200"""))
st.dataframe(rejections.rename(columns={"file_name": "Berkas", "sheet": "Lembar", "source_row": "Baris",
                                        "source_column": "Kolom", "reason_code": "Kode", "message": "Pesan"}),
             hide_index=True, width="stretch")

st.subheader("Lonjakan harian > 50% menunggu tinjauan")
flagged = guarded(lambda: query("""
    SELECT o.observed_on, m.name AS pasar, c.name AS komoditas, o.price_idr::DOUBLE AS harga, o.sheet, o.source_row
    FROM core.price_observations o JOIN ref.markets m USING (market_id) JOIN ref.commodities c USING (commodity_id)
    WHERE o.flags IS NOT NULL ORDER BY o.observed_on DESC LIMIT 200"""))
st.dataframe(flagged.assign(tanggal=flagged["observed_on"].map(day), harga=flagged["harga"].map(money))[
    ["tanggal", "pasar", "komoditas", "harga", "sheet", "source_row"]].rename(columns={
        "tanggal": "Tanggal", "pasar": "Pasar", "komoditas": "Komoditas", "harga": "Harga", "sheet": "Lembar",
        "source_row": "Baris"}), hide_index=True, width="stretch")

waste = guarded(flagged_waste_deposits)
if not waste.empty:
    st.subheader("Setoran bank sampah yang jumlah rupiahnya bukan berat x harga, menunggu tinjauan")
    st.dataframe(waste.assign(tanggal=waste["deposited_on"].map(day), harga=waste["harga"].map(money),
                              nilai=waste["nilai"].map(money))[
        ["tanggal", "unit_name", "desa", "jenis", "weight_kg", "harga", "nilai", "sheet", "source_row"]].rename(
        columns={"tanggal": "Tanggal", "unit_name": "Unit", "desa": "Desa", "jenis": "Jenis",
                 "weight_kg": "Berat (kg)", "harga": "Harga per kg", "nilai": "Jumlah", "sheet": "Lembar",
                 "source_row": "Baris"}),
        hide_index=True, width="stretch")
