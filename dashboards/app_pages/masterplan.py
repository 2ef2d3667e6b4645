"""Master Plan: the six smart-city dimensions and their quick wins, each card with its indicators, the data it
rests on and how fresh that data is."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboards.charts import indonesian, month_label, show
from dashboards.utils import (
    calls_by_kecamatan,
    calls_daily,
    calls_response,
    dataset_freshness,
    day,
    guarded,
    latest_indicators,
    market_days,
    master_plan_facts,
    millions,
    missing,
    money,
    number,
    pct,
    shown_market_day,
    stability_headline,
    tourism_monthly,
    waste_by_group,
    waste_by_kecamatan,
    waste_units,
    wita,
)
from siharpa_pipeline.indicators import CV_MARKETS_TARGET_PCT, CV_TIME_TARGET_PCT
from siharpa_pipeline.messages import persen
from siharpa_pipeline.reference import HOME_REGION, load_reference

# (expansion, dataset, its name for readers, indicators), in Bahasa Indonesia
CARDS = {
    "Puspita": (
        "Pusat Promosi dan Informasi Pariwisata",
        "tourism_visits",
        "kunjungan wisata",
        "kunjungan nusantara dan mancanegara per bulan; pertumbuhan dibanding bulan yang sama tahun lalu; "
        "pendapatan retribusi; destinasi yang melapor",
    ),
    "Serbu Gass": (
        "Seratus Bank Unit Sampah dan Gerakan Sedekah Sampah",
        "waste_deposits",
        "setoran bank sampah",
        "unit bank sampah aktif dibanding target 100; kg terkumpul per bulan per kelompok sampah; "
        "nilai rupiah bagi nasabah; bagian yang disedekahkan",
    ),
    "Go PPU": (
        "Layanan pemerintahan elektronik",
        "indicator_values",
        "lembar indikator masterplan",
        "layanan daring yang tersedia; jumlah transaksi layanan; indeks SPBE",
    ),
    "SIHARPA": (
        "Sistem Informasi Harga Pasar",
        "prices",
        "harga pasar",
        f"pasar melapor tepat waktu; komoditas dipantau; KV antar waktu (target < "
        f"{persen(CV_TIME_TARGET_PCT, 0)}); KV antar pasar (target < {persen(CV_MARKETS_TARGET_PCT)}); "
        "bagian pengamatan di atas HET/HAP",
    ),
    "Ruang Terbuka Hijau + internet gratis": (
        "Ruang terbuka hijau dengan internet gratis",
        "indicator_values",
        "lembar indikator masterplan",
        "titik internet gratis aktif; pengguna; ketersediaan layanan",
    ),
    "Call Center 112": (
        "Layanan darurat 112",
        "calls_112",
        "log panggilan 112",
        "panggilan per hari; bagian panggilan iseng dan kosong; waktu tanggap; kedaruratan per "
        "10.000 penduduk per kecamatan",
    ),
}
DIMENSIONS = {
    "smart branding": "Smart Branding",
    "smart environment": "Smart Environment",
    "smart governance": "Smart Governance",
    "smart economy": "Smart Economy",
    "smart living": "Smart Living",
    "smart society": "Smart Society",
}
MONTHLY = ("tourism_visits", "indicator_values")  # one figure per month or quarter: dated by month


def figure(value: float) -> str:
    """A sheet's target or realisation: 4.775.365, 831,9, 99,95."""
    if missing(value):
        return "-"
    return number(value) if float(value).is_integer() else number(value, 2).rstrip("0")


def chart(fig: go.Figure, y: str = "angka") -> None:
    show(indonesian(fig, y=y, monthly=True, height=300))


def siharpa_card() -> None:
    market_day, complete = shown_market_day(guarded(lambda: market_days(HOME_REGION)))
    facts = guarded(lambda: master_plan_facts(market_day["observed_on"].date())).iloc[0]
    years = guarded(stability_headline)
    cols = st.columns(5)
    cols[0].metric(
        "Laporan pasar tepat waktu",
        pct(facts["on_time_pct"]),
        help=f"Hari pasar yang harganya diterima paling lambat 12.00 WITA hari itu: "
        f"{number(facts['market_days'])} hari pasar, dihitung sejak SIHARPA menerima berkas harga "
        "pertama (riwayat yang dimuat belakangan tidak dihitung terlambat); pasar mingguan hanya "
        "pada hari pasarnya.",
    )
    cols[1].metric("Komoditas dipantau (30 hari)", int(facts["commodities"]))
    if not years.empty:
        last = years.iloc[-1]
        cols[2].metric(
            f"KV antar waktu {int(last['year'])}",
            pct(last["cv_time_mean_pct"]),
            delta=f"target < {pct(last['cv_time_target_pct'])}",
            delta_color="off",
        )
        cols[3].metric(
            f"KV antar pasar {int(last['year'])}",
            pct(last["cv_markets_mean_pct"]),
            delta=f"target < {pct(last['cv_markets_target_pct'])}",
            delta_color="off",
        )
    above = 100 * facts["n_above"] / facts["n_priced"] if facts["n_priced"] else float("nan")
    cols[4].metric(
        "Pengamatan di atas HET/HAP",
        pct(above),
        help=f"{number(facts['n_above'])} dari {number(facts['n_priced'])} harga pasar untuk komoditas "
        f"ber-HET/HAP pada {day(market_day['observed_on'])}, hari pasar "
        f"{'lengkap ' if complete else ''}terakhir.",
    )
    if len(years) > 1:
        trend = go.Figure()
        trend.add_trace(go.Scatter(x=years["year"], y=years["cv_time_mean_pct"], name="KV antar waktu (%)"))
        trend.add_trace(go.Scatter(x=years["year"], y=years["cv_markets_mean_pct"], name="KV antar pasar (%)"))
        trend.add_hline(
            y=CV_TIME_TARGET_PCT,
            line_dash="dot",
            line_color="red",
            annotation_text=f"target {pct(CV_TIME_TARGET_PCT, 0)}",
        )
        trend.add_hline(
            y=CV_MARKETS_TARGET_PCT,
            line_dash="dash",
            line_color="orange",
            annotation_text=f"target {pct(CV_MARKETS_TARGET_PCT)}",
        )
        trend.update_xaxes(dtick=1, tickformat="d")
        chart(trend, y="persen")


def waste_card() -> None:
    units = guarded(waste_units)
    last = units.iloc[-1]
    cols = st.columns(4)
    cols[0].metric(
        f"Unit aktif {month_label(last['month'])}",
        f"{int(last['active_units'])} dari {int(last['target_units'])}",
        delta=f"capaian {pct(last['achievement_pct'], 0)}",
        delta_color="off",
    )
    cols[1].metric("Sampah terkumpul", f"{number(last['weight_kg'])} kg")
    cols[2].metric("Nilai bagi nasabah", millions(last["value_idr"]))
    cols[3].metric("Disedekahkan", pct(last["donated_share_pct"]), help="Bagian berat yang disedekahkan")
    groups = guarded(waste_by_group)
    chart(
        px.bar(
            groups,
            x="month",
            y="weight_kg",
            color="waste_group",
            labels={"month": "Bulan", "weight_kg": "Berat (kg)", "waste_group": "Kelompok"},
        )
    )
    kecamatan = guarded(lambda: waste_by_kecamatan(last["month"]))
    st.dataframe(
        pd.DataFrame(
            {
                "Kecamatan": kecamatan["kecamatan"],
                "Setoran": kecamatan["setoran"].map(number),
                "Berat (kg)": kecamatan["berat_kg"].map(lambda v: number(v, 1)),
                "Nilai": kecamatan["nilai_idr"].map(money),
                "Disedekahkan (kg)": kecamatan["disedekahkan_kg"].map(lambda v: number(v, 1)),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def tourism_card() -> None:
    months = guarded(tourism_monthly)
    last = months.iloc[-1]
    year_ago = last["year_ago"]
    growth = None if pd.isna(year_ago) or not year_ago else (last["total"] / year_ago - 1) * 100
    cols = st.columns(4)
    cols[0].metric(
        f"Kunjungan {month_label(last['month'])}",
        number(last["total"]),
        delta=None if growth is None else f"{pct(growth)} dibanding tahun lalu",
    )
    cols[1].metric("Nusantara / mancanegara", f"{number(last['domestic'])} / {number(last['foreign_'])}")
    cols[2].metric("Retribusi", millions(last["fee_idr"]))
    cols[3].metric("Destinasi melapor", int(last["destinations"]))
    recent = months.tail(24).melt(
        id_vars="month", value_vars=["domestic", "foreign_"], var_name="asal", value_name="kunjungan"
    )
    recent["asal"] = recent["asal"].map({"domestic": "Nusantara", "foreign_": "Mancanegara"})
    chart(px.bar(recent, x="month", y="kunjungan", color="asal", labels={"month": "Bulan"}))


def calls_card() -> None:
    daily = guarded(calls_daily)
    response = guarded(calls_response)
    month = response.iloc[-1]
    recent = daily.tail(30)
    cols = st.columns(4)
    cols[0].metric("Panggilan per hari (30 hari)", number(recent["calls"].mean(), 1))
    cols[1].metric(
        "Iseng atau kosong (30 hari)", pct(100 * recent["prank_or_ghost"].sum() / max(recent["calls"].sum(), 1))
    )
    cols[2].metric(
        f"Diterima → diteruskan {month_label(month['month'])}",
        f"{number(month['answer_to_dispatch_median_min'], 1)} menit",
        delta=f"p90 {number(month['answer_to_dispatch_p90_min'], 1)} menit",
        delta_color="off",
    )
    cols[3].metric(
        "Diteruskan → tiba",
        f"{number(month['dispatch_to_arrival_median_min'], 1)} menit",
        delta=f"p90 {number(month['dispatch_to_arrival_p90_min'], 1)} menit",
        delta_color="off",
    )
    by_kecamatan = guarded(lambda: calls_by_kecamatan(month["month"]))
    bars = go.Figure(
        go.Bar(
            x=by_kecamatan["kecamatan"],
            y=by_kecamatan["per_10k_residents"],
            name="per 10.000 penduduk",
            customdata=by_kecamatan["emergencies"].map(number),
            hovertemplate="%{x}: %{y:,.1f} per 10.000 penduduk (%{customdata} kedaruratan)<extra></extra>",
        )
    )
    bars.update_yaxes(title_text="Kedaruratan per 10.000 penduduk")
    chart(bars)
    st.caption(
        "Hanya angka agregat: nomor penelepon tidak disimpan (hanya sebagai hash berkunci) dan nomor di "
        "deskripsi disamarkan."
    )


def indicator_table(dimension: str) -> None:
    rows = guarded(lambda: latest_indicators(dimension))
    if rows.empty:
        return
    st.markdown("**Indikator dari lembar masterplan**")
    st.dataframe(
        pd.DataFrame(
            {
                "Program": rows["program"],
                "Indikator": rows["indicator"],
                "Satuan": rows["unit"],
                "Periode": rows["period"],
                "Target": rows["target"].map(figure),
                "Realisasi": rows["actual"].map(figure),
                "Capaian": rows["achievement_pct"].map(pct),
                "Perangkat daerah": rows["agency"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def freshness_note(dataset: str, title: str) -> None:
    row = freshness.loc[dataset]
    if not row["rows"]:
        return
    shown = month_label if dataset in MONTHLY else day
    st.caption(
        f"Data: {title} ({number(row['rows'])} baris), {shown(row['first_data_on'])} – "
        f"{shown(row['last_data_on'])}; terakhir dimuat {wita(row['last_loaded_at'])}."
    )


CARD_BODIES = {
    "SIHARPA": siharpa_card,
    "Serbu Gass": waste_card,
    "Puspita": tourism_card,
    "Call Center 112": calls_card,
}

st.title("Master Plan Smart City PPU")
st.caption("Enam dimensi, satu quick win per dimensi. Setiap kartu menyebut data yang mendasarinya dan kesegarannya.")
freshness = guarded(dataset_freshness)

for wins in load_reference().quick_wins.itertuples():
    expansion, dataset, title, indicators = CARDS[wins.quick_win]
    with st.container(border=True):
        st.subheader(f"{DIMENSIONS[wins.dimension]} — {wins.quick_win}")
        st.caption(f"{expansion}. Indikator: {indicators}.")
        has_data = bool(freshness.loc[dataset, "rows"])
        body = CARD_BODIES.get(wins.quick_win)
        if body and has_data:
            body()
        indicator_table(wins.dimension)
        if has_data:
            freshness_note(dataset, title)
        else:
            st.info(f"Belum ada data {title}. Unggah berkasnya atau jalankan make run.")
