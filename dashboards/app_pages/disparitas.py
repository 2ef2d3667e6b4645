"""Disparitas & Volatilitas: CV across markets and over time against the 13.8% and 9% targets."""

import datetime as dt

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.utils import NO_DATA, commodities, day, guarded, last_market_day, pct, ppu_series, query

CV_MARKETS_TARGET, CV_TIME_TARGET = 13.8, 9.0

st.title("Disparitas & Volatilitas")
latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()
goods = guarded(commodities)
names = dict(zip(goods["commodity_id"], goods["name"]))
commodity = st.selectbox("Komoditas", list(names), format_func=lambda c: names[c],
                         index=list(names).index("cabai_rawit_merah") if "cabai_rawit_merah" in names else 0)
if commodity is None:
    st.stop()
start = latest - dt.timedelta(days=365)
series = guarded(lambda: ppu_series(commodity, start, latest))
if series.empty:
    st.info("Belum ada harga untuk komoditas ini dalam setahun terakhir.")
    st.stop()

now = series.iloc[-1]
cols = st.columns(2)
cols[0].metric(f"KV antar pasar, {day(now['observed_on'])}", pct(now["cv_markets_pct"]),
               help=f"Target di bawah {pct(CV_MARKETS_TARGET)}; dihitung dari {int(now['n_markets'])} pasar.")
cols[1].metric("KV antar waktu, 30 hari", pct(now["cv_time_30d_pct"]), help=f"Target di bawah {pct(CV_TIME_TARGET)}.")

figure = go.Figure()
figure.add_trace(go.Scatter(x=series["observed_on"], y=series["cv_markets_pct"], name="KV antar pasar (%)"))
figure.add_trace(go.Scatter(x=series["observed_on"], y=series["cv_time_30d_pct"], name="KV antar waktu 30 hari (%)"))
figure.add_hline(y=CV_MARKETS_TARGET, line_dash="dash", line_color="orange", annotation_text="target 13,8%")
figure.add_hline(y=CV_TIME_TARGET, line_dash="dot", line_color="red", annotation_text="target 9%")
figure.update_layout(yaxis_title="persen", height=420, separators=",.", margin={"t": 30}, xaxis_tickformat="%d/%m/%Y")
st.plotly_chart(figure, width="stretch")

st.subheader("Selisih harga tiap pasar dari rata-rata PPU (bulan terakhir)")
deviation = guarded(lambda: query("""
    WITH last_month AS (SELECT max(month) AS m FROM mart.price_monthly)
    SELECT c.name AS komoditas, k.name AS pasar, (m.price_idr / p.price_idr - 1) * 100 AS selisih_pct
    FROM mart.price_monthly m JOIN last_month ON m.month = last_month.m
    JOIN mart.price_monthly p ON p.month = m.month AND p.commodity_id = m.commodity_id AND p.market_id IS NULL
    JOIN ref.commodities c ON c.commodity_id = m.commodity_id JOIN ref.markets k ON k.market_id = m.market_id
    WHERE m.market_id IS NOT NULL ORDER BY c.rowid, k.rowid"""))
if not deviation.empty:
    grid = deviation.pivot(index="komoditas", columns="pasar", values="selisih_pct")
    grid = grid.reindex([n for n in goods["name"] if n in grid.index])
    heat = px.imshow(grid, color_continuous_scale="RdBu_r", color_continuous_midpoint=0, aspect="auto",
                     labels={"color": "selisih (%)"})
    heat.update_layout(height=620, margin={"t": 30})
    st.plotly_chart(heat, width="stretch")
