"""Kualitas Data: coverage (market x day), files received, rejected cells, flagged jumps."""

import plotly.express as px
import streamlit as st

from dashboards.utils import NO_DATA, STATUS_LABELS, day, guarded, last_market_day, money, query

st.title("Kualitas Data")
latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()

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

st.subheader("Berkas diterima")
files = guarded(lambda: query("""
    SELECT received_at, file_name, submitted_by, status, rows_accepted, rows_rejected, rows_missing, rows_flagged,
           coalesce(error_message, '') AS error_message
    FROM audit.files ORDER BY received_at DESC LIMIT 100"""))
st.dataframe(files.assign(diterima=files["received_at"].dt.strftime("%d/%m/%Y %H:%M UTC"),
                          status=files["status"].map(STATUS_LABELS))[
    ["diterima", "file_name", "submitted_by", "status", "rows_accepted", "rows_rejected", "rows_missing",
     "rows_flagged", "error_message"]].rename(columns={
        "diterima": "Diterima", "file_name": "Berkas", "submitted_by": "Pengirim", "status": "Status",
        "rows_accepted": "Diterima (baris)", "rows_rejected": "Ditolak", "rows_missing": "Kosong",
        "rows_flagged": "Ditandai", "error_message": "Kesalahan"}), hide_index=True, width="stretch")

st.subheader("Sel yang ditolak")
rejections = guarded(lambda: query("""
    SELECT f.file_name, r.sheet, r.source_row, r.source_column, r.reason_code, r.message
    FROM audit.rejections r JOIN audit.files f USING (receipt_id) ORDER BY f.received_at DESC, r.source_row LIMIT 200"""))
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
