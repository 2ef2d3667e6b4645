"""Harga: price lines per market with the HET/HAP band, the table behind them, and downloads."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.charts import indonesian, show
from dashboards.utils import (
    NO_DATA,
    commodities,
    current_region,
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
area = current_region()
latest = guarded(lambda: last_market_day(area))
if latest is None:
    st.info(NO_DATA)
    st.stop()
goods, places = guarded(commodities), guarded(lambda: markets(area))
names = dict(zip(goods["commodity_id"], goods["name"]))
left, middle, right = st.columns([2, 3, 2])
market_labels = dict(zip(places["market_id"], places["name"]))
commodity = left.selectbox(
    "Komoditas",
    list(names),
    format_func=lambda c: names[c],
    index=list(names).index("beras_medium") if "beras_medium" in names else 0,
)
chosen = middle.multiselect(
    "Pasar", list(places["market_id"]), default=list(places["market_id"]), format_func=lambda m: market_labels[m]
)
if commodity is None:
    st.stop()
period = right.date_input("Periode", (latest - dt.timedelta(days=90), latest), format="DD/MM/YYYY")
start, end = period if isinstance(period, tuple) and len(period) == 2 else (latest - dt.timedelta(days=90), latest)

table = guarded(lambda: prices(commodity, start, end, tuple(chosen)))
if table.empty:
    st.info("Tidak ada harga untuk pilihan ini. Ubah komoditas, pasar atau periode.")
    st.stop()

figure = go.Figure()
for market, rows in table.groupby("pasar", sort=False):
    figure.add_trace(go.Scatter(x=rows["tanggal"], y=rows["harga_idr"], mode="lines+markers", name=market))
for ref in guarded(lambda: references(commodity, start, end)).itertuples():
    x0, x1 = (
        max(pd.Timestamp(ref.valid_from), pd.Timestamp(start)),
        min(pd.Timestamp(ref.valid_to) if pd.notna(ref.valid_to) else pd.Timestamp(end), pd.Timestamp(end)),
    )
    if pd.notna(ref.lower_idr):
        figure.add_shape(
            type="rect", x0=x0, x1=x1, y0=ref.lower_idr, y1=ref.upper_idr, fillcolor="green", opacity=0.1, line_width=0
        )
    figure.add_shape(
        type="line", x0=x0, x1=x1, y0=ref.upper_idr, y1=ref.upper_idr, line={"dash": "dash", "color": "red"}
    )
    figure.add_annotation(
        x=x0,
        y=ref.upper_idr,
        text=f"{ref.kind} {money(ref.upper_idr)}",
        showarrow=False,
        yshift=10,
        xanchor="left",
        bgcolor="rgba(255,255,255,0.8)",
        font={"color": "#c62828"},
    )
indonesian(figure, height=480)
jumps = table[table["ditandai"]]
if len(jumps):  # drawn after the styling so that its hover names the market, not a trace
    figure.add_trace(
        go.Scatter(
            x=jumps["tanggal"],
            y=jumps["harga_idr"],
            mode="markers",
            name="Lonjakan > 50% (ditinjau)",
            marker={"symbol": "circle-open", "size": 16, "color": "#c62828", "line": {"width": 3}},
            customdata=[f"{day(d)}, {m}" for d, m in zip(jumps["tanggal"], jumps["pasar"])],
            hovertemplate="%{customdata}: Rp %{y:,.0f}, lonjakan > 50% menunggu tinjauan<extra></extra>",
        )
    )
show(figure)
st.caption(
    f"{names[commodity]}, {day(start)} – {day(end)}; garis putus-putus merah: HET/HAP yang berlaku"
    + (
        f"; lingkaran merah: {len(jumps)} lonjakan harian > 50% yang menunggu tinjauan (lihat Kualitas Data)."
        if len(jumps)
        else "."
    )
)

st.dataframe(
    pd.DataFrame(
        {
            "Tanggal": table["tanggal"].map(day),
            "Pasar": table["pasar"],
            "Harga": table["harga_idr"].map(money),
            "Satuan": table["satuan"],
            "Catatan": table["ditandai"].map({True: "lonjakan > 50%, ditinjau", False: ""}),
        }
    ),
    hide_index=True,
    width="stretch",
)

stem, csv_bytes, xlsx_bytes = price_export(table, commodity, start, end)
a, b = st.columns(2)
a.download_button("Unduh CSV", csv_bytes, f"{stem}.csv", "text/csv")
b.download_button(
    "Unduh Excel", xlsx_bytes, f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
