"""Harga: price lines per market with the HET/HAP band, the table behind them, and downloads."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.utils import (
    NO_DATA,
    commodities,
    day,
    guarded,
    last_market_day,
    markets,
    money,
    price_export,
    prices,
    references,
)

st.title("Harga per Pasar")
latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()
goods, places = guarded(commodities), guarded(markets)
names = dict(zip(goods["commodity_id"], goods["name"]))
left, middle, right = st.columns([2, 3, 2])
market_labels = dict(zip(places["market_id"], places["name"]))
commodity = left.selectbox("Komoditas", list(names), format_func=lambda c: names[c],
                           index=list(names).index("beras_medium") if "beras_medium" in names else 0)
chosen = middle.multiselect("Pasar", list(places["market_id"]), default=list(places["market_id"]),
                            format_func=lambda m: market_labels[m])
if commodity is None:
    st.stop()
period = right.date_input("Periode", (latest - dt.timedelta(days=90), latest), format="DD/MM/YYYY")
start, end = (period if isinstance(period, tuple) and len(period) == 2 else (latest - dt.timedelta(days=90), latest))

table = guarded(lambda: prices(commodity, start, end, tuple(chosen)))
if table.empty:
    st.info("Tidak ada harga untuk pilihan ini. Ubah komoditas, pasar atau periode.")
    st.stop()

figure = go.Figure()
for market, rows in table.groupby("pasar", sort=False):
    figure.add_trace(go.Scatter(x=rows["tanggal"], y=rows["harga_idr"], mode="lines+markers", name=market))
for ref in guarded(lambda: references(commodity, start, end)).itertuples():
    x0, x1 = max(pd.Timestamp(ref.valid_from), pd.Timestamp(start)), min(
        pd.Timestamp(ref.valid_to) if pd.notna(ref.valid_to) else pd.Timestamp(end), pd.Timestamp(end))
    if pd.notna(ref.lower_idr):
        figure.add_shape(type="rect", x0=x0, x1=x1, y0=ref.lower_idr, y1=ref.upper_idr, fillcolor="green",
                         opacity=0.1, line_width=0)
    figure.add_shape(type="line", x0=x0, x1=x1, y0=ref.upper_idr, y1=ref.upper_idr, line={"dash": "dash",
                                                                                          "color": "red"})
    figure.add_annotation(x=x1, y=ref.upper_idr, text=f"{ref.kind} {money(ref.upper_idr)}", showarrow=False,
                          yshift=10, xanchor="right")
figure.update_layout(yaxis_title="Rupiah", xaxis_title="Tanggal", legend_title="Pasar", separators=",.",
                     height=460, margin={"t": 30}, xaxis_tickformat="%d/%m/%Y")
st.plotly_chart(figure, width="stretch")
st.caption(f"{names[commodity]}, {day(start)} – {day(end)}; garis putus-putus merah: HET/HAP yang berlaku.")

shown = table.assign(harga=table["harga_idr"].map(money), tanggal_tampil=table["tanggal"].map(day))
st.dataframe(shown[["tanggal_tampil", "pasar", "harga", "satuan"]].rename(columns={
    "tanggal_tampil": "Tanggal", "pasar": "Pasar", "harga": "Harga", "satuan": "Satuan"}),
    hide_index=True, width="stretch")

stem, csv_bytes, xlsx_bytes = price_export(table, commodity, start, end)
a, b = st.columns(2)
a.download_button("Unduh CSV", csv_bytes, f"{stem}.csv", "text/csv")
b.download_button("Unduh Excel", xlsx_bytes, f"{stem}.xlsx",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
