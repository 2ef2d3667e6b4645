"""Ringkasan: the latest market day at a glance."""

import streamlit as st

from dashboards.utils import (
    NO_DATA,
    active_alerts,
    change,
    day,
    guarded,
    last_market_day,
    markets,
    money,
    reporting,
    summary,
)

st.title("Ringkasan Harga Bahan Pokok")
st.caption("Kabupaten Penajam Paser Utara — SIHARPA")

latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()
table = guarded(lambda: summary(latest))
alerts = guarded(lambda: active_alerts(latest))
n_markets = len(guarded(markets))

cols = st.columns(4)
cols[0].metric("Hari pasar terakhir", day(latest))
cols[1].metric("Pasar melapor", f"{guarded(lambda: reporting(latest))} dari {n_markets}")
cols[2].metric("Komoditas di atas HET/HAP", int((table["band"] == "above").sum()))
cols[3].metric("Peringatan aktif (7 hari)", len(alerts))

st.subheader(f"Harga rata-rata PPU, {day(latest)}")
shown = (
    table.assign(
        harga=table["price_idr"].map(money),
        perubahan=table["wow_pct"].map(change),
        dibanding=table["wow_base_on"].map(day),
        acuan=[f"{k} {money(v)}" if isinstance(k, str) else "-"
               for k, v in zip(table["reference_kind"], table["reference_upper_idr"])],
    )[["komoditas", "satuan", "harga", "n_markets", "perubahan", "dibanding", "acuan"]].rename(columns={
        "komoditas": "Komoditas", "satuan": "Satuan", "harga": "Harga rata-rata", "n_markets": "Jumlah pasar",
        "perubahan": "Perubahan mingguan", "dibanding": "Dibanding tanggal", "acuan": "HET/HAP"})
)
# rising prices in red, falling in green: what the inflation team watches for
colour = {"▲": "color: #c62828", "▼": "color: #2e7d32"}
st.dataframe(shown.style.map(lambda v: colour.get(str(v)[:1], ""), subset=["Perubahan mingguan"]),
             hide_index=True, width="stretch")
st.caption("▲ naik, ▼ turun dibanding pengamatan terakhir seminggu sebelumnya. Rata-rata dihitung dari pasar "
           "yang melapor pada tanggal itu.")
