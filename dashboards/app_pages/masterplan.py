"""Master Plan: the six smart-city dimensions and their quick wins, each with its indicators."""

import plotly.graph_objects as go
import streamlit as st

from dashboards.utils import day, guarded, last_market_day, pct, query
from siharpa_pipeline.reference import load_reference

# what each card says, in Bahasa Indonesia (the facts file describes them in English for developers)
CARDS = {
    "Puspita": ("Pusat Promosi dan Informasi Pariwisata", "kunjungan wisata per destinasi per bulan",
                "kunjungan domestik dan mancanegara per bulan; pertumbuhan dibanding bulan yang sama tahun lalu; "
                "pendapatan retribusi; destinasi yang melapor"),
    "Serbu Gass": ("Seratus Bank Unit Sampah dan Gerakan Sedekah Sampah", "setoran bank sampah",
                   "unit bank sampah aktif dibanding target 100; kg terkumpul per bulan per kelompok sampah; "
                   "nilai rupiah bagi nasabah; bagian yang disedekahkan"),
    "Go PPU": ("Layanan pemerintahan elektronik", "lembar indikator triwulanan",
               "layanan daring yang tersedia; jumlah transaksi layanan; indeks SPBE"),
    "SIHARPA": ("Sistem Informasi Harga Pasar", "harga pasar",
                "pasar melapor tepat waktu; komoditas dipantau; KV antar waktu (target < 9%); KV antar pasar "
                "(target < 13,8%); bagian pengamatan di atas HET/HAP"),
    "Ruang Terbuka Hijau + internet gratis": ("Ruang terbuka hijau dengan internet gratis",
                                              "lembar indikator triwulanan",
                                              "titik internet gratis aktif; pengguna; ketersediaan layanan"),
    "Call Center 112": ("Layanan darurat 112", "log panggilan 112",
                        "panggilan per hari; bagian panggilan iseng dan kosong; waktu tanggap; kedaruratan per "
                        "10.000 penduduk per kecamatan"),
}
DIMENSIONS = {"smart branding": "Smart Branding", "smart environment": "Smart Environment",
              "smart governance": "Smart Governance", "smart economy": "Smart Economy",
              "smart living": "Smart Living", "smart society": "Smart Society"}

st.title("Master Plan Smart City PPU")
st.caption("Enam dimensi, satu quick win per dimensi. Setiap kartu menyebut data yang mendasarinya dan "
           "kesegarannya.")


def siharpa_card() -> None:
    latest = guarded(last_market_day)
    if latest is None:
        st.info("Belum ada data harga. Unggah lembar harga atau jalankan make run.")
        return
    facts = guarded(lambda: query("""
        SELECT (SELECT avg(on_time_pct) FROM mart.market_timeliness) AS on_time_pct,
               (SELECT count(DISTINCT commodity_id) FROM core.price_observations
                WHERE observed_on > ?::DATE - 30) AS commodities,
               (SELECT sum(n_above) * 100.0 / nullif(sum(n_markets), 0) FROM mart.reference_breaches_daily
                WHERE observed_on = ?) AS above_pct,
               (SELECT max(published_at) FROM audit.publications) AS published_at""", (latest, latest)))
    years = guarded(lambda: query("SELECT * FROM mart.stability_headline ORDER BY year"))
    row = facts.iloc[0]
    cols = st.columns(5)
    cols[0].metric("Laporan pasar tepat waktu", pct(row["on_time_pct"]), help="Berkas diterima sebelum 12.00 WITA")
    cols[1].metric("Komoditas dipantau (30 hari)", int(row["commodities"]))
    if not years.empty:
        last = years.iloc[-1]
        cols[2].metric(f"KV antar waktu {int(last['year'])}", pct(last["cv_time_mean_pct"]),
                       delta=f"target < {pct(last['cv_time_target_pct'])}", delta_color="off")
        cols[3].metric(f"KV antar pasar {int(last['year'])}", pct(last["cv_markets_mean_pct"]),
                       delta=f"target < {pct(last['cv_markets_target_pct'])}", delta_color="off")
    cols[4].metric("Pengamatan di atas HET/HAP", pct(row["above_pct"]), help=f"Hari pasar {day(latest)}")
    if len(years) > 1:
        trend = go.Figure()
        trend.add_trace(go.Scatter(x=years["year"], y=years["cv_time_mean_pct"], name="KV antar waktu (%)"))
        trend.add_trace(go.Scatter(x=years["year"], y=years["cv_markets_mean_pct"], name="KV antar pasar (%)"))
        trend.add_hline(y=9.0, line_dash="dot", line_color="red", annotation_text="target 9%")
        trend.add_hline(y=13.8, line_dash="dash", line_color="orange", annotation_text="target 13,8%")
        trend.update_layout(height=300, separators=",.", margin={"t": 20}, xaxis={"dtick": 1})
        st.plotly_chart(trend, width="stretch")
    st.caption(f"Data: harga pasar (core.price_observations) sampai {day(latest)}; diterbitkan "
               f"{row['published_at']:%d/%m/%Y %H:%M} UTC.")


for wins in load_reference().quick_wins.itertuples():
    expansion, dataset, indicators = CARDS[wins.quick_win]
    with st.container(border=True):
        st.subheader(f"{DIMENSIONS[wins.dimension]} — {wins.quick_win}")
        st.caption(f"{expansion}. Indikator: {indicators}.")
        if wins.quick_win == "SIHARPA":
            siharpa_card()
        else:
            st.info(f"Belum ada data: menunggu dataset {dataset}.")
