"""Peringatan Dini: alerts by level with their reason and since when; ALPS class per commodity."""

import streamlit as st

from dashboards.utils import LEVEL_LABELS, NO_DATA, active_alerts, day, guarded, last_market_day, query

st.title("Peringatan Dini")
latest = guarded(last_market_day)
if latest is None:
    st.info(NO_DATA)
    st.stop()
alerts = guarded(lambda: active_alerts(latest, days=30))
cols = st.columns(3)
for col, level in zip(cols, ("awas", "siaga", "waspada")):
    col.metric(LEVEL_LABELS[level], int((alerts["level"] == level).sum()))
st.caption(f"Peringatan 30 hari terakhir sampai {day(latest)}.")
if alerts.empty:
    st.success("Tidak ada peringatan dalam 30 hari terakhir.")
else:
    st.dataframe(alerts.assign(tanggal=alerts["observed_on"].map(day), tingkat=alerts["level"].map(LEVEL_LABELS),
                               sejak=alerts["since_on"].map(day))[
        ["tanggal", "komoditas", "tingkat", "sejak", "message"]].rename(columns={
            "tanggal": "Tanggal", "komoditas": "Komoditas", "tingkat": "Tingkat", "sejak": "Sejak",
            "message": "Alasan"}), hide_index=True, width="stretch")

st.subheader("WFP ALPS per komoditas (bulan terakhir)")
alps = guarded(lambda: query("""
    SELECT c.name AS komoditas, w.month, w.value, w.class, w.status
    FROM ref.commodities c JOIN mart.price_early_warning w USING (commodity_id)
    WHERE w.method = 'alps' QUALIFY row_number() OVER (PARTITION BY w.commodity_id ORDER BY w.month DESC NULLS LAST) = 1
    ORDER BY c.rowid"""))
classes = {"normal": "normal", "stress": "tekanan", "alert": "waspada", "crisis": "krisis"}
st.dataframe(alps.assign(bulan=alps["month"].map(lambda m: day(m)[2:].strip() if m is not None else "-"),
                         nilai=alps["value"].map(
                             lambda v: "-" if v != v or v is None else f"{v:.2f}".replace(".", ",")),
                         kelas=[classes.get(c, s) for c, s in zip(alps["class"], alps["status"])])[
    ["komoditas", "bulan", "nilai", "kelas"]].rename(columns={"komoditas": "Komoditas", "bulan": "Bulan",
                                                             "nilai": "ALPS", "kelas": "Kelas"}),
    hide_index=True, width="stretch")
