"""Peringatan Dini: alerts by level with their reason and since when; ALPS class per commodity."""

import pandas as pd
import streamlit as st

from dashboards.charts import month_label
from dashboards.utils import (
    LEVEL_CELL_STYLES,
    LEVEL_HEADINGS,
    LEVEL_LABELS,
    NO_DATA,
    RULE_LABELS,
    alert_episodes,
    alps_latest,
    current_region,
    day,
    guarded,
    last_market_day,
    missing,
    number,
    region_name,
)
from siharpa_pipeline.messages import EARLY_WARNING_CLASSES

st.title("Peringatan Dini")
area = current_region()
latest = guarded(lambda: last_market_day(area))
if latest is None:
    st.info(NO_DATA)
    st.stop()
episodes = guarded(lambda: alert_episodes(area, latest, days=30))
active = episodes[episodes["active"]]
cols = st.columns(3)
for col, level in zip(cols, ("awas", "siaga", "waspada")):
    col.metric(LEVEL_HEADINGS[level], int((active["level"] == level).sum()))
st.caption(
    f"Peringatan yang masih berlangsung pada {day(latest)}; satu baris per kejadian (komoditas, aturan, "
    "sejak kapan), bukan per hari. Di bawah: semua kejadian 30 hari terakhir."
)
if episodes.empty:
    st.success("Tidak ada peringatan dalam 30 hari terakhir.")
else:
    listed = pd.DataFrame(
        {
            "Tingkat": episodes["level"].map(LEVEL_LABELS),
            "Komoditas": episodes["komoditas"],
            "Aturan": episodes["rule"].map(RULE_LABELS),
            "Sejak": episodes["since_on"].map(day),
            "Terakhir": episodes["last_on"].map(day),
            "Status": episodes["active"].map({True: "masih berlangsung", False: "berakhir"}),
            "Alasan": episodes["message"],
        }
    )
    st.dataframe(
        listed.style.map(lambda v: LEVEL_CELL_STYLES.get(v, ""), subset=["Tingkat"]), hide_index=True, width="stretch"
    )

st.subheader("WFP ALPS per komoditas (bulan terakhir)")
alps = guarded(lambda: alps_latest(area))
st.dataframe(
    pd.DataFrame(
        {
            "Komoditas": alps["komoditas"],
            "Bulan": alps["month"].map(lambda m: "-" if missing(m) else month_label(m)),
            "ALPS": alps["value"].map(lambda v: number(v, 2)),
            "Kelas": [
                EARLY_WARNING_CLASSES.get(c, s) if isinstance(c, str) else s
                for c, s in zip(alps["class"], alps["status"])
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Kelas ALPS (WFP): normal di bawah 0,25; waspada 0,25 sampai 1; siaga 1 sampai 2; krisis 2 ke atas. "
    f"Dihitung dari harga bulanan {region_name(area)}, perlu riwayat tiga tahun."
)
