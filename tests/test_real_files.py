"""The reader against real files from Indonesian offices and national exports (../shared/real, README there).

Each test loads one file into a real warehouse, with the region pack of its markets (deploy/packs/) for
market files and none for national or provincial ones, and checks what a correct reading is: where it went,
how many price cells were stored, and values read by hand from the file, traps included. Skipped where the
folder is absent: the files carry no licence to be copied here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from siharpa_pipeline.ingest import import_pack, ingest_files
from siharpa_pipeline.settings import Settings

from conftest import query

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
PACKS = Path(__file__).resolve().parents[1] / "deploy" / "packs"
AS_OF = dt.date(2026, 11, 29)

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not on this machine")


def load(settings: Settings, name: str, pack: str | None = None, region: str | None = None):
    if pack:
        import_pack(settings, PACKS / pack)
    [result] = ingest_files([REAL / name], settings, as_of=AS_OF, region=region)
    return result


def market_price(settings: Settings, market: str, commodity: str, day: str) -> float | None:
    rows = query(
        settings.warehouse_path,
        "SELECT price_idr FROM core.price_observations WHERE market_id = ? AND commodity_id = ? AND observed_on = ?",
        [market, commodity, day],
    )
    return float(rows[0][0]) if rows else None


def region_price(settings: Settings, region: str, commodity: str, start: str, period: str = "hari"):
    rows = query(
        settings.warehouse_path,
        "SELECT price_idr, source FROM core.region_prices WHERE region_code = ? "
        "AND commodity_id = ? AND period_start = ? AND period = ?",
        [region, commodity, start, period],
    )
    return (float(rows[0][0]), rows[0][1]) if rows else None


def count(settings: Settings, table: str) -> int:
    return query(settings.warehouse_path, f"SELECT count(*) FROM {table}")[0][0]


def test_pihps_daily_report_national_xls(settings):
    result = load(settings, "AxlAdilla__siharpa/contoh.xls")
    assert (result.status, result.content) == ("loaded", "wilayah (harian, pihps, konsumen)")
    assert count(settings, "core.region_prices") == 21 and count(settings, "core.price_observations") == 0
    # "I Daging Ayam" is a group with no varieties under it: the series itself, for the nation ("Semua Provinsi")
    expected = {
        "2019-12-09": 34100,
        "2019-12-10": 34200,
        "2019-12-11": 34050,
        "2019-12-12": 34200,
        "2019-12-13": 34250,
        "2019-12-16": 34300,
        "2019-12-17": 34550,
        "2019-12-18": 34600,
    }
    for day, price in expected.items():
        assert region_price(settings, "00", "daging_ayam_ras", day) == (price, "pihps")


def test_pihps_table_by_region_needs_its_region(settings):
    name = "omros__test/Tabel Harga Berdasarkan Daerah.xlsx"
    refused = load(settings, name)
    assert (refused.status, refused.error) == ("failed", "region_not_identified")
    assert "--region" in refused.error_message and count(settings, "core.region_prices") == 0

    result = load(settings, name, region="64")
    # 4,160 non-empty variety cells ("14,300" as text, "01/ 01/ 2024" headers); group rows are averages
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("loaded", 4160, 0)
    assert result.rows_missing > 0
    expected = {
        ("beras_bawah_1", "2024-01-01"): 13700,
        ("beras_bawah_2", "2024-01-01"): 13000,
        ("beras_medium_1", "2024-01-01"): 14850,
        ("beras_super_1", "2024-01-05"): 15600,
        ("daging_ayam_ras", "2024-01-01"): 37500,
        ("cabai_merah_besar", "2024-01-02"): 100000,
        ("cabai_rawit_merah", "2024-01-15"): 87500,
        ("cabai_rawit_merah", "2024-01-16"): 85000,
        ("minyak_goreng_bermerk_1", "2024-01-01"): 20250,
    }
    for (commodity, day), price in expected.items():
        assert region_price(settings, "64", commodity, day) == (price, "pihps")
    # the group "Cabai Merah" (85,000 on 1 Jan) is not stored under any of its varieties
    assert region_price(settings, "64", "cabai_merah_keriting", "2024-01-01") == (77500, "pihps")
    assert (
        query(
            settings.warehouse_path,
            "SELECT count(*) FROM core.region_prices WHERE price_idr = 85000 AND period_start = '2024-01-01'",
        )[0][0]
        == 0
    )


def test_banjarbaru_four_market_blocks_per_month_sheet(settings):
    result = load(settings, "nikmatRMT__proyek-hargapangan/Harian Rekap'25.xlsx", pack="banjarbaru")
    assert (result.status, result.content) == ("partially_loaded", "pasar (produsen)")
    assert any("tingkat produsen" in n for n in result.notes)
    assert result.rows_accepted == 11167 == count(settings, "core.price_observations")
    markets = query(
        settings.warehouse_path,
        "SELECT market_id, min(observed_on), max(observed_on) FROM core.price_observations GROUP BY ALL ORDER BY 1",
    )
    assert markets == [
        (m, dt.date(2025, 3, 1 if m != "pasar_bauntung" else 3), dt.date(2025, 8, 31))
        for m in ("pasar_bauntung", "pasar_jati", "pasar_pagi_loktabat_utara", "pasar_ulin_raya")
    ]
    # the sheet "Mar'25" is titled "Tahun 2024": read as March 2025, and the note names both
    assert market_price(settings, "pasar_bauntung", "beras_medium", "2025-03-03") == 16000
    assert market_price(settings, "pasar_bauntung", "beras_medium", "2024-03-03") is None
    assert any("Mar'25" in n and "tahun 2024" in n and "Maret 2025" in n for n in result.notes)
    assert market_price(settings, "pasar_bauntung", "beras_medium", "2025-03-04") == 16100
    assert market_price(settings, "pasar_bauntung", "bawang_merah", "2025-03-03") == 37000
    assert market_price(settings, "pasar_bauntung", "daging_sapi", "2025-03-29") == 175000
    assert market_price(settings, "pasar_bauntung", "daging_sapi", "2025-04-02") == 170000
    assert market_price(settings, "pasar_ulin_raya", "tepung_terigu_curah", "2025-03-01") == 11500
    assert market_price(settings, "pasar_ulin_raya", "tepung_terigu_kemasan", "2025-03-01") == 13000
    # "Agust'25" whose first block's header still says "Juli": August, with a note
    assert market_price(settings, "pasar_bauntung", "beras_medium", "2025-08-01") == 16400
    assert market_price(settings, "pasar_pagi_loktabat_utara", "beras_medium", "2025-08-01") == 13000
    assert any("Agust'25" in n and "bulan Juli" in n for n in result.notes)
    # 0 is "not observed"; the day numbers and week numerals are not prices; "16.00" is not Rp 16.000
    assert market_price(settings, "pasar_pagi_loktabat_utara", "minyak_goreng_curah", "2025-08-01") is None
    assert {r["raw_value"] for r in result.rejections if r["reason_code"] == "price_out_of_range"} >= {"16.00"}
    # fish the pack does not name (Haruan, Patin) are unknown, with a suggestion where one is close
    assert {r["raw_value"].strip() for r in result.rejections if r["reason_code"] == "unknown_commodity"} >= {
        "Ikan Haruan/ Gabus",
        "Ikan Patin",
    }


def test_bangkalan_database_dump_with_yesterdays_price(settings):
    result = load(settings, "IndraznoS__timeseries/harga_komoditas.csv", pack="bangkalan")
    assert (result.status, result.rows_accepted) == ("partially_loaded", 1908)
    day = "2012-03-05"
    for commodity, price in {
        "gula_pasir": 9000,
        "daging_sapi": 66000,
        "daging_ayam_ras": 25000,
        "telur_ayam_ras": 16000,
        "jagung_pipilan_kering": 6000,
        "garam_beryodium": 3500,
        "tepung_terigu_kemasan": 7500,
    }.items():
        assert market_price(settings, "pasar_senenan", commodity, day) == price
    # hrg_current, never hrg_last (65,000 was the day before)
    assert market_price(settings, "pasar_senenan", "daging_sapi", "2012-01-04") == 68000
    assert market_price(settings, "pasar_senenan", "daging_sapi", "2012-01-23") == 70000
    # "-" is not observed; a bottle of 620 ml is not a price per liter; 2012's shallots and garlic at
    # Rp 8.000 and Rp 6.000 are below today's plausible bounds: rejected, not stored
    assert market_price(settings, "pasar_senenan", "kedelai_impor", day) is None
    assert market_price(settings, "pasar_senenan", "bawang_merah", day) is None
    assert market_price(settings, "pasar_senenan", "bawang_putih_bonggol", day) is None
    assert any(r["reason_code"] == "unit_mismatch" and r["raw_value"] == "kg" for r in result.rejections)


def test_tangerang_upper_case_names_bare_markets_and_a_typo(settings):
    result = load(settings, "galihf91__dashboard-pasar-disperindag/harga_pasar_2024.csv", pack="tangerang")
    assert (result.status, result.rows_accepted) == ("partially_loaded", 8304)
    expected = {
        ("pasar_cisoka", "bawang_merah"): 35000,
        ("pasar_sepatan", "bawang_merah"): 35000,
        ("pasar_cisoka", "bawang_putih_bonggol"): 38000,
        ("pasar_sepatan", "bawang_putih_bonggol"): 35000,
        ("pasar_cisoka", "beras_premium"): 13000,
        ("pasar_sepatan", "beras_sphp"): 10750,
        ("pasar_cisoka", "daging_sapi"): 125000,
        ("pasar_sepatan", "cabai_rawit_merah"): 80000,
        ("pasar_cisoka", "minyak_goreng_kemasan_sederhana"): 14500,
    }
    for (market, commodity), price in expected.items():
        assert market_price(settings, market, commodity, "2024-01-01") == price
    # the typo 170009 for minyak goreng curah is rejected, not stored
    assert market_price(settings, "pasar_sepatan", "minyak_goreng_curah", "2024-04-06") is None
    typo = [r for r in result.rejections if r["raw_value"] == "170009"]
    assert [r["reason_code"] for r in typo] == ["price_out_of_range"] and typo[0]["row"] == 2559
    # a fillet is not "daging ayam ras": brackets are not stripped from a name
    assert any(
        r["raw_value"] == "DAGING AYAM RAS (FILLET)" and r["reason_code"] == "unknown_commodity"
        for r in result.rejections
    )


def test_bandung_daily_city_series_dated_by_timestamp(settings):
    result = load(settings, "digitalpunchid__harga_komoditas_pangan/harga_komoditas_konsumen_kota_bandung.csv")
    assert (result.status, result.content) == ("loaded", "wilayah (harian, panel_harga, konsumen)")
    assert (result.rows_accepted, result.rows_missing) == (1326, 299)
    day = "2025-09-13"
    for commodity, price in {
        "beras_premium": 16000,
        "beras_medium": 13250,
        "beras_sphp": 12500,
        "bawang_merah": 40000,
        "bawang_putih_bonggol": 38333,
        "cabai_merah_keriting": 37333,
        "daging_sapi": 140000,
        "tepung_terigu_curah": 10000,
        "minyak_goreng_kemasan_sederhana": 18000,
    }.items():
        assert region_price(settings, "32.73", commodity, day) == (price, "panel_harga")
    # "Tanggal Kemarin" (12-9-2025) is yesterday's date, never the observation's
    assert query(settings.warehouse_path, "SELECT min(period_start) FROM core.region_prices")[0][0] == dt.date(
        2025, 9, 13
    )
    # Tepung Terigu Curah and Kemasan are two commodities; 0 is "no data"
    assert region_price(settings, "32.73", "tepung_terigu_kemasan", day) not in (None, (10000, "panel_harga"))
    assert region_price(settings, "32.73", "jagung_pipilan_kering", day) is None


def test_panel_harga_provincial_monthly_export(settings):
    result = load(settings, "achmadichzan__Prediksi_Harga_Pangan_Nasional/harga_pangan.csv")
    assert (result.content, result.rows_accepted, result.rows_rejected) == (
        "wilayah (bulanan, panel_harga, konsumen)",
        32478,
        2,
    )
    expected = {
        ("11", "beras_premium", "2021-01-01"): 12072,
        ("12", "beras_premium", "2021-01-01"): 12523,
        ("64", "beras_premium", "2021-01-01"): 13305,
        ("31", "beras_premium", "2021-01-01"): 12575,
        ("94", "beras_medium", "2024-12-01"): 16184,
        ("32", "minyak_goreng_kemasan_sederhana", "2025-02-01"): 17521,
    }
    for (region, commodity, month), price in expected.items():
        assert region_price(settings, region, commodity, month, "bulan") == (price, "panel_harga")
    # "-" is missing; "Rp521,800" for cabai merah keriting is out of range, not stored
    assert region_price(settings, "75", "kedelai_impor", "2021-01-01", "bulan") is None
    assert [r["raw_value"] for r in result.rejections][:1] == ["Rp521,800"]


def test_provincial_monthly_wide_by_month(settings):
    result = load(settings, "Kingki19__DSI-Playground---Harga-Pangan/data_harga.csv")
    assert (result.status, result.rows_accepted, result.rows_missing) == ("loaded", 6379, 287)
    assert result.content == "wilayah (bulanan, lainnya, konsumen)"
    expected = {
        ("11", "bawang_merah", "2018-01-01"): 30152.17,
        ("11", "bawang_merah", "2018-02-01"): 27000,
        ("11", "bawang_merah", "2018-04-01"): 33583.33,
        ("12", "bawang_merah", "2018-01-01"): 25234.78,
        ("12", "bawang_merah", "2018-02-01"): 22675,
        ("19", "bawang_merah", "2018-01-01"): 26695.65,
        ("34", "bawang_merah", "2018-01-01"): 18706.52,
        ("34", "beras_premium", "2018-04-01"): 11911.9,
    }
    for (region, commodity, month), price in expected.items():
        assert region_price(settings, region, commodity, month, "bulan") == (price, "lainnya")
    assert region_price(settings, "11", "bawang_merah", "2018-03-01", "bulan") is None  # blank = missing
