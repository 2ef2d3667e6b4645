"""Ringkasan: the latest market day at a glance."""

import streamlit as st

from dashboards.utils import ServingUnavailable, latest_market_day, latest_ppu_prices
from siharpa_pipeline.messages import rupiah, tanggal

st.title("Ringkasan Harga Bahan Pokok")
st.caption("Kabupaten Penajam Paser Utara — SIHARPA")

try:
    day = latest_market_day()
    prices = latest_ppu_prices()
except ServingUnavailable:
    st.warning("Data belum tersedia atau sedang diperbarui. Coba muat ulang halaman sebentar lagi.")
    st.stop()

if prices.empty:
    st.info("Belum ada data harga. Unggah lembar harga atau jalankan make run.")
    st.stop()

row = day.iloc[0]
cols = st.columns(2)
cols[0].metric("Hari pasar terakhir", tanggal(row["tanggal"]))
cols[1].metric("Pasar melapor", f"{int(row['pasar_melapor'])} dari {int(row['pasar_total'])}")

table = prices.assign(
    harga=prices["harga"].map(rupiah),
    tanggal=prices["tanggal"].map(tanggal),
).rename(columns={"komoditas": "Komoditas", "satuan": "Satuan", "harga": "Harga rata-rata PPU",
                  "jumlah_pasar": "Jumlah pasar", "tanggal": "Tanggal data"})
st.dataframe(table, hide_index=True, width="stretch")
