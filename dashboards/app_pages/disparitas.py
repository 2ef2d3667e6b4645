"""Disparitas & Volatilitas: CV across markets and over time against the master plan's targets."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.charts import CONFIG, indonesian, month_label, show
from dashboards.utils import (
    NO_DATA,
    commodities,
    current_region,
    day,
    guarded,
    last_market_day,
    market_deviation,
    number,
    pct,
    ppu_series,
    region_name,
)
from siharpa_pipeline.indicators import CV_MARKETS_TARGET_PCT as CV_MARKETS_TARGET
from siharpa_pipeline.indicators import CV_TIME_TARGET_PCT as CV_TIME_TARGET


def deviation_bars(rows: pd.DataFrame) -> go.Figure:
    """One commodity: a bar per market, labelled, dearer markets red: what a phone shows best."""
    bars = go.Figure(
        go.Bar(
            x=rows["selisih_pct"],
            y=rows["pasar"],
            orientation="h",
            marker_color=["#c62828" if v > 0 else "#1565c0" for v in rows["selisih_pct"]],
            text=[f"{'+' if v > 0 else ''}{number(v, 1)}%" for v in rows["selisih_pct"]],
            textposition="auto",
            hovertemplate="%{y}: %{x:+,.1f}%<extra></extra>",
        )
    )
    bars.update_layout(
        height=60 + 34 * len(rows),
        separators=",.",
        margin={"t": 10, "l": 10, "r": 10, "b": 10},
        xaxis={"ticksuffix": "%", "zeroline": True},
    )
    return bars


def deviation_heatmap(grid: pd.DataFrame) -> go.Figure:
    """Commodities down, markets across with their short names, the value written in each cell and the colour
    scale below: readable on a phone 390 px wide as on a desk."""
    markets = [name.removeprefix("Pasar ").removeprefix("Rakyat ").removeprefix("Induk ") for name in grid.columns]
    text = grid.map(lambda v: "" if pd.isna(v) else f"{'+' if v > 0 else ''}{number(v, 1)}")
    heat = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=markets,
            y=list(grid.index),
            text=text.values,
            texttemplate="%{text}",
            textfont={"size": 10},
            colorscale="RdBu_r",
            zmid=0,
            xgap=1,
            ygap=1,
            colorbar={"orientation": "h", "y": -0.25, "thickness": 10, "title": {"text": "selisih (%)", "side": "top"}},
            hovertemplate="%{y}, %{x}: %{z:+,.1f}%<extra></extra>",
        )
    )
    heat.update_layout(
        height=max(420, 26 * len(grid) + 160),
        separators=",.",
        margin={"t": 10, "l": 10, "r": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"side": "top", "tickangle": -45},
    )
    return heat


st.title("Disparitas & Volatilitas")
area = current_region()
latest = guarded(lambda: last_market_day(area))
if latest is None:
    st.info(NO_DATA)
    st.stop()
goods = guarded(commodities)
names = dict(zip(goods["commodity_id"], goods["name"]))
commodity = st.selectbox(
    "Komoditas",
    list(names),
    format_func=lambda c: names[c],
    index=list(names).index("cabai_rawit_merah") if "cabai_rawit_merah" in names else 0,
)
if commodity is None:
    st.stop()
start = latest - dt.timedelta(days=365)
series = guarded(lambda: ppu_series(area, commodity, start, latest))
if series.empty:
    st.info("Belum ada harga untuk komoditas ini dalam setahun terakhir.")
    st.stop()

now = series.iloc[-1]
cols = st.columns(2)
cols[0].metric(
    f"KV antar pasar, {day(now['observed_on'])}",
    pct(now["cv_markets_pct"]),
    help=f"Target di bawah {pct(CV_MARKETS_TARGET)}; dihitung dari {int(now['n_markets'])} pasar.",
)
cols[1].metric("KV antar waktu, 30 hari", pct(now["cv_time_30d_pct"]), help=f"Target di bawah {pct(CV_TIME_TARGET)}.")

figure = go.Figure()
figure.add_trace(go.Scatter(x=series["observed_on"], y=series["cv_markets_pct"], name="KV antar pasar (%)"))
figure.add_trace(go.Scatter(x=series["observed_on"], y=series["cv_time_30d_pct"], name="KV antar waktu 30 hari (%)"))
figure.add_hline(
    y=CV_MARKETS_TARGET, line_dash="dash", line_color="orange", annotation_text=f"target {pct(CV_MARKETS_TARGET)}"
)
figure.add_hline(
    y=CV_TIME_TARGET, line_dash="dot", line_color="red", annotation_text=f"target {pct(CV_TIME_TARGET, 0)}"
)
show(indonesian(figure, y="persen"))

deviation = guarded(lambda: market_deviation(area))
if not deviation.empty:
    month = deviation["month"].iloc[0]
    st.subheader(f"Selisih harga tiap pasar dari rata-rata {region_name(area)}, {month_label(month)}")
    chosen = deviation[deviation["commodity_id"] == commodity].sort_values("selisih_pct")
    if len(chosen):
        st.plotly_chart(deviation_bars(chosen), width="stretch", config=CONFIG)
    with st.expander("Semua komoditas"):
        grid = deviation.pivot(index="komoditas", columns="pasar", values="selisih_pct")
        grid = grid.reindex([n for n in goods["name"] if n in grid.index])
        st.plotly_chart(deviation_heatmap(grid), width="stretch", config=CONFIG)
    st.caption(
        f"Merah: pasar lebih mahal dari rata-rata {region_name(area)}; biru: lebih murah; selisih dalam persen "
        "dari harga rata-rata bulanan."
    )
