"""Perbandingan Wilayah: PPU's price next to Kalimantan Timur's, the nation's and HET zone 2's."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards.charts import indonesian, month_label, show
from dashboards.utils import (
    REGION_LABELS,
    above_national,
    compared_commodities,
    comparison,
    day,
    guarded,
    money,
    pct,
)
from siharpa_pipeline.tables import ABOVE_NATIONAL_WEEKS

SEND_THIS = (
    "Belum ada data pembanding. Kirim ekspor harga wilayah ke folder data/inbox/prices/ atau lewat halaman "
    'Unggah Data: dari PIHPS (Bank Indonesia) "Tabel Harga Berdasarkan Daerah" untuk Provinsi Kalimantan '
    'Timur dan untuk Semua Provinsi (nasional), atau dari Panel Harga (Bapanas) "Harga Rata-rata Tingkat '
    'Konsumen Provinsi". Sebut wilayahnya di nama berkas bila judulnya tidak menyebut, mis. '
    "harga_kalimantan_timur.xlsx atau harga_nasional.xlsx."
)

st.title("Perbandingan Wilayah")
goods = guarded(compared_commodities)
if goods.empty:
    st.info(SEND_THIS)
    st.stop()
names = dict(zip(goods["commodity_id"], goods["name"]))
left, right = st.columns([3, 2])
commodity = left.selectbox(
    "Komoditas",
    list(names),
    format_func=lambda c: names[c],
    index=list(names).index("beras_medium") if "beras_medium" in names else 0,
)
monthly = right.radio("Periode", ["Harian", "Bulanan"], horizontal=True) == "Bulanan"
table = guarded(lambda: comparison(commodity, monthly))
if table.empty:
    st.info("Belum ada harga pembanding untuk pilihan ini; pilih Bulanan, atau komoditas lain.")
    st.stop()

ppu = table.drop_duplicates("periode")
figure = go.Figure(go.Scatter(x=ppu["periode"], y=ppu["ppu_price_idr"], mode="lines", name="PPU", line={"width": 3}))
for region, rows in table.groupby("region_code", sort=False):
    figure.add_trace(
        go.Scatter(
            x=rows["periode"],
            y=rows["region_price_idr"],
            mode="lines",
            name=REGION_LABELS.get(str(region), str(region)),
        )
    )
show(indonesian(figure, monthly=monthly, height=440))

latest = table[table["periode"] == table["periode"].max()]
newest = latest["periode"].iloc[0]
st.subheader(f"Selisih PPU terhadap wilayah lain, {month_label(newest) if monthly else day(newest)}")
st.dataframe(
    pd.DataFrame(
        {
            "Wilayah": latest["region_code"].map(lambda r: REGION_LABELS.get(r, r)),
            "Harga PPU": latest["ppu_price_idr"].map(money),
            "Harga wilayah": latest["region_price_idr"].map(money),
            "Selisih": latest["gap_idr"].map(money),
            "Selisih (%)": latest["gap_pct"].map(pct),
            "Sumber": latest["source"].map({"pihps": "PIHPS", "panel_harga": "Panel Harga", "lainnya": "lainnya"}),
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(f"Di atas harga nasional {ABOVE_NATIONAL_WEEKS} minggu berturut-turut atau lebih")
alerts = guarded(above_national)
if alerts.empty:
    st.success("Tidak ada komoditas yang harganya di PPU bertahan di atas harga nasional.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Komoditas": alerts["komoditas"],
                "Minggu berturut-turut": alerts["weeks_above"].map(str),
                "Harga PPU": alerts["ppu_price_idr"].map(money),
                "Harga nasional": alerts["national_price_idr"].map(money),
            }
        ),
        hide_index=True,
        width="stretch",
    )
