"""Peringatan Dini: alerts by level with their reason and since when; ALPS class per commodity."""

import pandas as pd
import streamlit as st

from dashboards.utils import (
    LEVEL_LABELS,
    NO_DATA,
    RULE_LABELS,
    alert_episodes,
    day,
    guarded,
    last_market_day,
    query,
)

st.title("Peringatan Dini")
latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()
episodes = guarded(lambda: alert_episodes(latest, days=30))
active = episodes[episodes["active"]]
cols = st.columns(3)
for col, level in zip(cols, ("awas", "siaga", "waspada")):
    col.metric(LEVEL_LABELS[level], int((active["level"] == level).sum()))
st.caption(f"Peringatan yang masih berlangsung pada {day(latest)}; satu baris per kejadian (komoditas, aturan, "
           "sejak kapan), bukan per hari. Di bawah: semua kejadian 30 hari terakhir.")
if episodes.empty:
    st.success("Tidak ada peringatan dalam 30 hari terakhir.")
else:
    st.dataframe(pd.DataFrame({
        "Tingkat": episodes["level"].map(LEVEL_LABELS), "Komoditas": episodes["komoditas"],
        "Aturan": episodes["rule"].map(RULE_LABELS), "Sejak": episodes["since_on"].map(day),
        "Terakhir": episodes["last_on"].map(day),
        "Status": episodes["active"].map({True: "masih berlangsung", False: "berakhir"}),
        "Alasan": episodes["message"]}), hide_index=True, width="stretch")

st.subheader("WFP ALPS per komoditas (bulan terakhir)")
alps = guarded(lambda: query("""
    SELECT c.name AS komoditas, w.month, w.value, w.class, w.status
    FROM ref.commodities c JOIN mart.price_early_warning w USING (commodity_id)
    WHERE w.method = 'alps' QUALIFY row_number() OVER (PARTITION BY w.commodity_id ORDER BY w.month DESC NULLS LAST) = 1
    ORDER BY c.rowid"""))
classes = {"normal": "normal", "stress": "waspada", "alert": "siaga", "crisis": "krisis"}  # as the alert levels
st.dataframe(alps.assign(bulan=alps["month"].map(lambda m: day(m)[2:].strip() if m is not None else "-"),
                         nilai=alps["value"].map(
                             lambda v: "-" if v != v or v is None else f"{v:.2f}".replace(".", ",")),
                         kelas=[classes.get(c, s) for c, s in zip(alps["class"], alps["status"])])[
    ["komoditas", "bulan", "nilai", "kelas"]].rename(columns={"komoditas": "Komoditas", "bulan": "Bulan",
                                                             "nilai": "ALPS", "kelas": "Kelas"}),
    hide_index=True, width="stretch")
