"""Kualitas Data: coverage (market x day), files received of every dataset, rejected cells, flagged price jumps
and waste deposits whose value is not weight x price."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.charts import CONFIG, date_ticks
from dashboards.utils import (
    DATASET_LABELS,
    NO_DATA,
    STATUS_LABELS,
    coverage_grid,
    current_region,
    day,
    flagged_prices,
    flagged_waste_deposits,
    guarded,
    last_market_day,
    money,
    number,
    received_files,
    recent_rejections,
    wita,
)
from siharpa_pipeline.messages import REASON_LABELS, tanggal

st.title("Kualitas Data")
area = current_region()
latest = guarded(lambda: last_market_day(area))


def coverage_heatmap() -> None:
    st.subheader("Cakupan: jumlah komoditas yang dilaporkan (60 hari pasar terakhir)")
    coverage = guarded(lambda: coverage_grid(area))
    grid = coverage.pivot(index="pasar", columns="observed_on", values="n")
    days = [d.date() for d in pd.to_datetime(grid.columns)]
    ticks, labels = date_ticks(min(days), max(days))
    heat = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=days,
            y=[name.removeprefix("Pasar ") for name in grid.index],
            colorscale="Greens",
            xgap=1,
            ygap=1,
            customdata=[[tanggal(d) for d in days]] * len(grid),
            colorbar={"orientation": "h", "y": -0.3, "thickness": 10, "title": {"text": "komoditas", "side": "top"}},
            hovertemplate="%{y}, %{customdata}: %{z} komoditas<extra></extra>",
        )
    )
    heat.update_layout(
        height=400,
        margin={"t": 10, "l": 10, "r": 10},
        separators=",.",
        xaxis={"tickmode": "array", "tickvals": ticks, "ticktext": labels},
    )
    st.plotly_chart(heat, width="stretch", config=CONFIG)


if latest is None:
    st.info(NO_DATA)  # the files of the other datasets are still listed below
else:
    coverage_heatmap()

st.subheader("Berkas diterima")
files = guarded(received_files)
st.dataframe(
    pd.DataFrame(
        {
            "Diterima": files["received_at"].map(wita),
            "Berkas": files["file_name"],
            "Jenis data": files["dataset"].map(DATASET_LABELS),
            "Pengirim": files["submitted_by"].fillna("-"),
            "Status": files["status"].map(STATUS_LABELS),
            "Diterima (baris)": files["rows_accepted"].map(number),
            "Ditolak": files["rows_rejected"].map(number),
            "Kosong": files["rows_missing"].map(number),
            "Ditandai": files["rows_flagged"].map(number),
            "Kesalahan": files["error_message"],
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Sel yang ditolak")
rejections = guarded(recent_rejections)
st.dataframe(
    pd.DataFrame(
        {
            "Pesan": rejections["message"],
            "Alasan": rejections["reason_code"].map(lambda c: REASON_LABELS.get(c, c)),
            "Berkas": rejections["file_name"],
            "Lembar": rejections["sheet"],
            "Baris": rejections["source_row"].map(str),
            "Kolom": rejections["source_column"].fillna("-"),
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Lonjakan harian > 50% menunggu tinjauan")
flagged = guarded(lambda: flagged_prices(area))
st.dataframe(
    pd.DataFrame(
        {
            "Tanggal": flagged["observed_on"].map(day),
            "Pasar": flagged["pasar"],
            "Komoditas": flagged["komoditas"],
            "Harga": flagged["harga"].map(money),
            "Lembar": flagged["sheet"],
            "Baris": flagged["source_row"].map(str),
        }
    ),
    hide_index=True,
    width="stretch",
)

waste = guarded(flagged_waste_deposits)
if not waste.empty:
    st.subheader("Setoran bank sampah yang jumlah rupiahnya bukan berat x harga, menunggu tinjauan")
    st.dataframe(
        pd.DataFrame(
            {
                "Tanggal": waste["deposited_on"].map(day),
                "Unit": waste["unit_name"],
                "Desa": waste["desa"],
                "Jenis": waste["jenis"],
                "Berat (kg)": waste["weight_kg"].map(lambda v: number(v, 1)),
                "Harga per kg": waste["harga"].map(money),
                "Jumlah": waste["nilai"].map(money),
                "Lembar": waste["sheet"],
                "Baris": waste["source_row"].map(str),
            }
        ),
        hide_index=True,
        width="stretch",
    )
