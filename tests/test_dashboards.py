"""Every page with AppTest against a small warehouse the test builds: no exception, the numbers shown equal
the marts."""

import datetime as dt
import os
import re

import pytest
from streamlit.testing.v1 import AppTest

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.messages import BULAN, rupiah
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings

from conftest import AS_OF, PRICE_SAMPLES, query
from conftest import SAMPLES as SAMPLES_DIR

APP = os.path.join(os.path.dirname(__file__), "..", "dashboards", "app.py")
SAMPLES = [
    "rekap_harga_oktober_2026.xlsx",
    "harga_pasar_induk_petung_2026-11-02_sd_2026-11-06.xlsx",
    "harga_pasar_waru_november_2026.csv",
    "rekap_harga_harian_2026-11-09.xlsx",
    "contoh_isian_bermasalah.xlsx",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = Settings(tmp_path_factory.mktemp("dash") / "data")
    ingest_files([PRICE_SAMPLES / s for s in SAMPLES], settings, as_of=AS_OF)
    publish(settings)
    old = os.environ.get("SIHARPA_DATA_DIR")
    os.environ["SIHARPA_DATA_DIR"] = str(settings.data_dir)
    yield settings
    if old is None:
        del os.environ["SIHARPA_DATA_DIR"]
    else:
        os.environ["SIHARPA_DATA_DIR"] = old


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if name != "ringkasan":
        at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def last_complete_day_by_hand(path) -> tuple[dt.date, int, int]:
    """Independently: a market is expected on a weekday it reported on in at least half of the last 8 weeks;
    the last day on which every expected market reported, with (reporting, expected)."""
    rows = query(path, "SELECT DISTINCT observed_on, market_id FROM core.price_observations")
    newest = max(d for d, _ in rows)
    recent = {(d, m) for d, m in rows if d > newest - dt.timedelta(days=56)}
    weeks = len({d - dt.timedelta(days=d.weekday()) for d, _ in recent})
    seen: dict[tuple[str, int], int] = {}
    for d, m in recent:
        seen[(m, d.weekday())] = seen.get((m, d.weekday()), 0) + 1
    for d in sorted({d for d, _ in recent}, reverse=True):
        expected = {m for (m, w), n in seen.items() if w == d.weekday() and n * 2 >= weeks}
        reported = {m for day_, m in recent if day_ == d}
        if expected <= reported:
            return d, len(reported), len(expected)
    raise AssertionError("no complete day")


def test_ringkasan_uses_the_last_complete_market_day(served):
    at = page("ringkasan")
    [(newest,)] = query(served.serving_path, "SELECT max(observed_on) FROM core.price_observations")
    complete, reporting, expected = last_complete_day_by_hand(served.serving_path)
    assert newest == dt.date(2026, 11, 13) and complete < newest  # on 13 Nov only one market has reported
    assert "13 Nov 2026" in at.warning[0].value and "hari terakhir semua pasar itu melapor" in at.warning[0].value
    [(above,)] = query(
        served.serving_path,
        "SELECT count(*) FROM mart.price_reference_status WHERE market_id IS "
        "NULL AND observed_on = ? AND band = 'above'",
        [complete],
    )
    shown = f"{complete.day} {BULAN[complete.month - 1]} {complete.year}"
    assert metrics(at) == {
        "Hari pasar lengkap terakhir": shown,
        "Pasar melapor": f"{reporting} dari {expected}",
        "Komoditas di atas HET/HAP": str(above),
        "Peringatan berlangsung": str(sum(e[3] for e in alert_episodes_by_hand(served.serving_path, complete))),
    }
    table = at.dataframe[0].value
    [(beras,)] = query(
        served.serving_path,
        "SELECT price_idr FROM mart.price_ppu_daily WHERE commodity_id = 'beras_medium' AND observed_on = ?",
        [complete],
    )
    row = table[table["Komoditas"] == "Beras Medium"].iloc[0]
    assert row["Harga rata-rata"] == rupiah(round(beras)) and row["HET/HAP"] == "HET Rp 14.000"
    [(wow,)] = query(
        served.serving_path,
        "SELECT wow_pct FROM mart.price_changes WHERE commodity_id = "
        "'beras_medium' AND market_id IS NULL AND observed_on = ?",
        [complete],
    )
    arrow = "▲" if wow > 0 else "▼"
    assert row["Perubahan mingguan"] == f"{arrow} {abs(wow):.1f}%".replace(".", ",")


def test_harga_filters_and_the_table_behind_the_chart(served):
    at = page("harga")
    table = at.dataframe[0].value
    waru = table[(table["Pasar"] == "Pasar Waru") & (table["Tanggal"] == "2 Nov 2026")]
    assert list(waru["Harga"]) == ["Rp 18.000"]  # beras medium, the default commodity
    [(rows,)] = query(
        served.serving_path,
        "SELECT count(*) FROM core.price_observations WHERE commodity_id = "
        "'beras_medium' AND observed_on BETWEEN DATE '2026-11-13' - 90 AND DATE '2026-11-13'",
    )
    assert len(table) == rows
    assert [b.label for b in at.get("download_button")] == ["Unduh CSV", "Unduh Excel"]
    at.selectbox[0].set_value("gula_pasir").run()
    assert set(at.dataframe[0].value["Satuan"]) == {"kg"} and not at.exception


def test_disparitas_shows_cv_of_the_last_day(served):
    at = page("disparitas")
    [(cv, n)] = query(
        served.serving_path,
        "SELECT cv_markets_pct, n_markets FROM mart.price_ppu_daily WHERE "
        "commodity_id = 'cabai_rawit_merah' ORDER BY observed_on DESC LIMIT 1",
    )
    shown = metrics(at)
    label = next(k for k in shown if k.startswith("KV antar pasar"))
    assert shown[label] == ("-" if cv is None else f"{cv:.1f}%".replace(".", ","))


def alert_episodes_by_hand(path, latest: dt.date) -> list[tuple]:
    """Episodes computed independently: a commodity's alerts of one rule, split where a week (a month for the
    monthly rules) passes without one; (commodity, rule, level now, active)."""
    rows = query(
        path,
        "SELECT commodity_id, rule, observed_on, level FROM mart.price_alerts WHERE market_id IS "
        "NULL AND observed_on > ?::DATE - 30 ORDER BY commodity_id, rule, observed_on",
        [latest],
    )
    episodes: list[list] = []
    for commodity, rule, day_, level in rows:
        monthly = rule in ("wfp_alps", "fao_ifpa")
        last = episodes[-1] if episodes else None
        if last and last[:2] == [commodity, rule] and (day_ - last[2]).days <= (31 if monthly else 7):
            last[2:4] = [day_, level]
        else:
            episodes.append([commodity, rule, day_, level])
    month_start = latest.replace(day=1)
    return sorted(
        (c, r, lvl, last >= (month_start - dt.timedelta(days=1) if r in ("wfp_alps", "fao_ifpa") else latest))
        for c, r, last, lvl in episodes
    )


def test_peringatan_lists_each_alert_episode_once(served):
    at = page("peringatan")
    latest = query(served.serving_path, "SELECT max(observed_on) FROM core.price_observations")[0][0]
    expected = alert_episodes_by_hand(served.serving_path, latest)
    active = [e for e in expected if e[3]]
    # each level's heading carries an icon of Streamlit's own font (emoji render as empty boxes in Chromium)
    assert metrics(at) == {
        ":red[:material/error:] Awas": str(sum(e[2] == "awas" for e in active)),
        ":orange[:material/warning:] Siaga": str(sum(e[2] == "siaga" for e in active)),
        ":violet[:material/info:] Waspada": str(sum(e[2] == "waspada" for e in active)),
    }
    shown = at.dataframe[0].value
    assert len(shown) == len(expected) and set(shown["Status"]) <= {"masih berlangsung", "berakhir"}
    levels = [{"Awas": 0, "Siaga": 1, "Waspada": 2}[t] for t in shown["Tingkat"]]
    assert levels == sorted(levels)  # the most serious first
    alps = at.dataframe[-1].value
    [(priced,)] = query(served.serving_path, "SELECT count(DISTINCT commodity_id) FROM core.price_observations")
    assert len(alps) == priced and all(k.startswith("riwayat belum cukup") for k in alps["Kelas"])  # 1-2 months


def test_kualitas_lists_files_rejections_and_coverage(served):
    at = page("kualitas")
    files, rejected = at.dataframe[0].value, at.dataframe[1].value
    assert len(files) == len(SAMPLES)
    assert set(files["Status"]) == {"dimuat", "dimuat sebagian"}
    assert "Lembar 'Input', baris 8, kolom Harga: harga -65000 harus lebih dari nol." in list(rejected["Pesan"])
    assert len(rejected) == 11


def test_master_plan_has_six_dimensions_and_siharpa_figures(served):
    at = page("masterplan")
    assert len(at.info) == 5  # the other quick wins wait for their datasets
    [(commodities,)] = query(
        served.serving_path,
        "SELECT count(DISTINCT commodity_id) FROM core.price_observations WHERE observed_on > DATE '2026-11-13' - 30",
    )
    assert metrics(at)["Komoditas dipantau (30 hari)"] == str(commodities)


def test_master_plan_shows_all_six_dimensions_from_their_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SIHARPA_PII_KEY", "dashboard-test-key-0123456789")
    settings = Settings(tmp_path / "data")
    ingest_files(
        [PRICE_SAMPLES / s for s in SAMPLES] + sorted((SAMPLES_DIR / "quick_wins").iterdir()), settings, as_of=AS_OF
    )
    publish(settings)
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    at = page("masterplan")
    assert len(at.info) == 0
    shown = metrics(at)
    assert shown["Unit aktif Okt 2026"] == "64 dari 100"
    assert shown["Sampah terkumpul"] == "12.566 kg"
    [(october,)] = query(
        settings.warehouse_path,
        "SELECT sum(domestic_visits + foreign_visits) FROM core.tourism_visits WHERE month = DATE '2026-10-01'",
    )
    assert shown["Kunjungan Okt 2026"] == f"{october:,}".replace(",", ".")
    assert not [m for m in at.metric if m.label == "Kunjungan Okt 2026" and m.delta]  # no 2025 to compare with
    [(fees,)] = query(
        settings.warehouse_path,
        "SELECT sum(fee_revenue_idr)::DOUBLE FROM core.tourism_visits WHERE month = DATE '2026-10-01'",
    )
    assert shown["Retribusi"] == f"Rp {fees / 1e6:.1f} juta".replace(".", ",")
    [(median,)] = query(
        settings.serving_path, "SELECT answer_to_dispatch_median_min FROM mart.calls_112_response_monthly"
    )
    assert shown["Diterima → diteruskan Okt 2026"] == f"{median:.1f} menit".replace(".", ",")
    indicators = [t.value for t in at.dataframe if "Indikator" in t.value.columns]
    assert sorted(len(t) for t in indicators) == [1, 3, 3]  # economy (SIHARPA), governance, living
    spbe = next(t for t in indicators if "Indeks SPBE" in set(t["Indikator"]))
    assert spbe.set_index("Indikator").loc["Indeks SPBE", "Capaian"] == "87,0%"
    every_cell = [str(v) for t in at.dataframe for v in t.value.to_numpy().ravel()]
    assert not [v for v in every_cell if re.fullmatch(r"\d{4,}(\.\d+)?", v)]  # 4775365 or 831.9: not Indonesian
    captions = " ".join(c.value for c in at.caption)
    assert "Data: setoran bank sampah (955 baris), 1 Okt 2026 – 31 Okt 2026" in captions
    assert "Data: kunjungan wisata (90 baris), Jan 2026 – Okt 2026" in captions
    assert "081" not in captions + " ".join(str(t.value.to_dict()) for t in at.dataframe)


def test_empty_states_are_messages_not_tracebacks(tmp_path, monkeypatch):
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(tmp_path / "nothing"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and "Data belum tersedia" in at.warning[0].value
    empty = Settings(tmp_path / "empty")
    publish(empty)
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(empty.data_dir))
    for name in ("ringkasan", "harga", "disparitas", "peringatan", "kualitas"):
        at = page(name)
        assert at.info[0].value == "Belum ada data harga. Unggah lembar harga atau jalankan make run."


def test_price_download_is_exactly_the_filtered_view(served):
    import io

    import openpyxl

    from dashboards.utils import price_export, prices

    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
    table = prices("beras_medium", start, end, ("pasar_waru", "pasar_induk_petung"))
    stem, csv_bytes, xlsx_bytes = price_export(table, "beras_medium", start, end)
    assert stem == "harga_beras_medium_2026-11-02_2026-11-03"
    assert csv_bytes.decode().splitlines() == [
        "tanggal,pasar,harga_rupiah,satuan",
        "2026-11-02,Pasar Induk Petung,15250.0,kg",
        "2026-11-02,Pasar Waru,18000.0,kg",
        "2026-11-03,Pasar Induk Petung,15500.0,kg",
        "2026-11-03,Pasar Waru,18750.0,kg",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active
    assert [c.value for c in sheet[1]] == ["tanggal", "pasar", "harga_rupiah", "satuan"]
    assert [c.value for c in sheet[3]] == ["2026-11-02", "Pasar Waru", 18000, "kg"]


def test_a_weekly_market_is_not_missing_on_other_days_but_a_silent_one_is(tmp_path):
    import duckdb

    from siharpa_pipeline import quality

    settings = Settings(tmp_path / "data")
    start = dt.date(2026, 9, 7)  # a Monday; eight weeks of Pasar Waru daily and Pasar Kamis on Thursdays
    lines = ["Tanggal;Pasar;Komoditas;Satuan;Harga"]
    for d in range(57):
        day_ = start + dt.timedelta(days=d)
        lines.append(f"{day_:%d/%m/%Y};Pasar Waru;Beras Medium;kg;15000")
        if day_.weekday() == 3:
            lines.append(f"{day_:%d/%m/%Y};Pasar Kamis Semoi Dua;Beras Medium;kg;15500")
    path = tmp_path / "harga.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_files([path], settings, as_of=AS_OF)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        cover = quality.coverage(con)  # the last day, 2 Nov 2026, is a Monday: Pasar Kamis is not expected
    finally:
        con.close()
    assert cover.market_day == dt.date(2026, 11, 2) and cover.reporting == ["pasar_waru"]
    assert "pasar_kamis_semoi_dua" not in cover.missing and "pasar_induk_petung" in cover.missing
    assert len(cover.missing) == 7  # the seven markets not heard of in eight weeks
