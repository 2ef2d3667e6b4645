"""Ringkasan: the latest market day at a glance."""

import streamlit as st

from dashboards.utils import (
    NO_DATA,
    alert_episodes,
    change,
    current_region,
    day,
    guarded,
    last_market_day,
    market_days,
    money,
    region_name,
    shown_market_day,
    summary,
)

st.title("Ringkasan Harga Bahan Pokok")
area = current_region()
st.caption(f"{guarded(lambda: region_name(area, full=True))} — SIHARPA")

newest = guarded(lambda: last_market_day(area))
if newest is None:
    st.info(NO_DATA)
    st.stop()
days = guarded(lambda: market_days(area))
# a region average of the one weekly market that reported today is not comparable with a five-market average:
# the summary uses the last day every market expected that weekday reported
shown_day, complete = shown_market_day(days)
latest = shown_day["observed_on"].date()
if latest != newest:
    partial = days.iloc[0]
    st.warning(
        f"Data terbaru ({day(newest)}) baru dari {partial['reporting']} dari {partial['expected']} pasar yang "
        f"biasa buka hari itu; ringkasan memakai {day(latest)}, hari terakhir semua pasar itu melapor."
    )
table = guarded(lambda: summary(area, latest))
episodes = guarded(lambda: alert_episodes(area, latest))

cols = st.columns(4)
cols[0].metric("Hari pasar lengkap terakhir" if complete else "Hari pasar terakhir", day(latest))
cols[1].metric("Pasar melapor", f"{shown_day['reporting']} dari {shown_day['expected']}")
cols[2].metric("Komoditas di atas HET/HAP", int((table["band"] == "above").sum()))
cols[3].metric(
    "Peringatan berlangsung",
    int(episodes["active"].sum()),
    help="Kejadian peringatan yang masih berlangsung (rinciannya di Peringatan Dini)",
)

st.subheader(f"Harga rata-rata {region_name(area)}, {day(latest)}")
shown = table.assign(
    harga=table["price_idr"].map(money),
    perubahan=table["wow_pct"].map(change),
    dibanding=table["wow_base_on"].map(day),
    acuan=[
        f"{k} {money(v)}" if isinstance(k, str) else "-"
        for k, v in zip(table["reference_kind"], table["reference_upper_idr"])
    ],
)[["komoditas", "satuan", "harga", "n_markets", "perubahan", "dibanding", "acuan"]].rename(
    columns={
        "komoditas": "Komoditas",
        "satuan": "Satuan",
        "harga": "Harga rata-rata",
        "n_markets": "Jumlah pasar",
        "perubahan": "Perubahan mingguan",
        "dibanding": "Dibanding tanggal",
        "acuan": "HET/HAP",
    }
)
# rising prices in red, falling in green: what the inflation team watches for
colour = {"▲": "color: #c62828", "▼": "color: #2e7d32"}
st.dataframe(
    shown.style.map(lambda v: colour.get(str(v)[:1], ""), subset=["Perubahan mingguan"]),
    hide_index=True,
    width="stretch",
)
st.caption(
    "▲ naik, ▼ turun dibanding pengamatan terakhir seminggu sebelumnya. Rata-rata dihitung dari pasar "
    "yang melapor pada tanggal itu."
)
