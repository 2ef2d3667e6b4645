"""The other quick wins: each sample loads with its counts and totals, bad rows get reason codes as prices do,
and the Master Plan's indicators hold what a reader would compute by hand."""

import datetime as dt
import json

import openpyxl
import pytest

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.privacy import caller_hash
from siharpa_pipeline.publishing import publish

from conftest import AS_OF, BOTH_STORAGES, EXPECTED, SAMPLES, committed, published, query

QUICK_WINS = SAMPLES / "quick_wins"
QUICK_WIN_FILES = sorted(
    name for name, e in EXPECTED.items() if e["dataset"] != "prices" and (QUICK_WINS / name).exists()
)
PII_KEY = "test-key-for-112-callers-0123456789"


@pytest.fixture(autouse=True)
def pii_key(monkeypatch):
    monkeypatch.setenv("SIHARPA_PII_KEY", PII_KEY)


def sheet(path, rows, title="Data"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_every_quick_win_sample_is_recognised_and_loaded_whole():
    assert len(QUICK_WIN_FILES) == 4


@pytest.mark.parametrize("name", QUICK_WIN_FILES)
@BOTH_STORAGES
def test_quick_win_sample_outcome(settings, name):
    expected = EXPECTED[name]
    [result] = ingest_files([QUICK_WINS / name], settings, as_of=AS_OF)  # dataset recognised from the headers
    assert result.dataset == expected["dataset"]
    assert (result.status, result.error, result.rows_rejected) == ("loaded", None, len(expected["rejected"]))
    assert result.rows_accepted == expected["rows"]
    table = {
        "waste_deposits": "core.waste_deposits",
        "tourism_visits": "core.tourism_visits",
        "calls_112": "core.calls_112",
        "indicator_values": "core.indicator_values",
    }[result.dataset]
    [(rows,)] = committed(settings, f"SELECT count(*) FROM {table}")
    assert rows == expected["rows"]


def test_waste_totals_and_one_deposit(settings):
    ingest_files([QUICK_WINS / "setoran_bank_sampah_2026-10.xlsx"], settings, as_of=AS_OF)
    expected = EXPECTED["setoran_bank_sampah_2026-10.xlsx"]
    [(kg, units)] = query(
        settings.warehouse_path,
        "SELECT round(sum(weight_kg), 1), count(DISTINCT (unit_name, desa, kecamatan_code)) FROM core.waste_deposits",
    )
    assert (kg, units) == (expected["total_kg"], expected["active_units"])
    # the last row of the sheet: Bank Sampah Buluminung 2, 31 Oct, 23 kg of copper at Rp 65.450, donated
    [row] = query(
        settings.warehouse_path,
        "SELECT unit_name, desa, kecamatan_code, waste_category_id, weight_kg, "
        "price_per_kg_idr::DOUBLE, value_idr::DOUBLE, is_donation, flags FROM core.waste_deposits "
        "WHERE source_row = 956",
    )
    assert row == (
        "Bank Sampah Buluminung 2",
        "Buluminung",
        "64.09.01",
        "tembaga",
        23.0,
        65450.0,
        1505350.0,
        True,
        None,
    )


def test_tourism_totals_and_month_names(settings):
    ingest_files([QUICK_WINS / "kunjungan_wisata_2026.xlsx"], settings, as_of=AS_OF)
    [(total,)] = query(settings.warehouse_path, "SELECT sum(domestic_visits + foreign_visits) FROM core.tourism_visits")
    assert total == EXPECTED["kunjungan_wisata_2026.xlsx"]["total_visits"]
    [(visits, fee)] = query(
        settings.warehouse_path,
        "SELECT domestic_visits, fee_revenue_idr::DOUBLE FROM "
        "core.tourism_visits WHERE month = DATE '2026-01-01' AND destination_id = "
        "'pantai_nipah_nipah'",
    )
    assert (visits, fee) == (5817, 29155000.0)


@BOTH_STORAGES
def test_calls_prank_share_hashes_and_masked_descriptions(settings):
    ingest_files([QUICK_WINS / "log_panggilan_112_2026-10.csv"], settings, as_of=AS_OF)
    [(pranks, callers)] = committed(
        settings,
        "SELECT count(*) FILTER (category_id IN ('prank', 'ghost')), count(DISTINCT caller_hash) FROM core.calls_112",
    )
    assert pranks == EXPECTED["log_panggilan_112_2026-10.csv"]["prank_or_ghost"]
    [(hashed, description)] = committed(
        settings,
        "SELECT caller_hash, description FROM core.calls_112 WHERE call_id = '112-20261001-00001'",
    )
    assert hashed == caller_hash("085310617492")
    assert description == "Laporan kegawatdaruratan medis / ambulans di Pejala, pelapor [nomor disamarkan]"


def test_one_caller_written_three_ways_is_one_hash():
    assert caller_hash("0812-3456-7890") == caller_hash("+62 812 3456 7890") == caller_hash("6281234567890")
    assert caller_hash("081234567890") != caller_hash("081234567891")


def test_112_log_is_refused_without_the_key(settings, monkeypatch):
    monkeypatch.delenv("SIHARPA_PII_KEY")
    [result] = ingest_files([QUICK_WINS / "log_panggilan_112_2026-10.csv"], settings, as_of=AS_OF)
    assert (result.status, result.error) == ("failed", "pii_key_missing")
    assert "SIHARPA_PII_KEY" in result.error_message
    assert query(settings.warehouse_path, "SELECT count(*) FROM core.calls_112") == [(0,)]
    archived = next(settings.archive_dir.rglob("*.csv"))
    assert archived.stat().st_mode & 0o777 == 0o600


HEADER = [
    "Tanggal",
    "Nama Unit Bank Sampah",
    "Desa/Kelurahan",
    "Kecamatan",
    "Jenis Sampah",
    "Berat (kg)",
    "Harga per kg (Rp)",
    "Jumlah (Rp)",
    "Sedekah Sampah (Y/T)",
]


def test_bad_waste_rows_get_reason_codes_and_messages(settings, tmp_path, capsys):
    path = sheet(
        tmp_path / "setoran_unit_maju.xlsx",
        [
            ["REKAP SETORAN BANK SAMPAH"],
            [],
            HEADER,
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 10, 900, 9000, "T"],
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Plutonium", 1, 900, 900, "T"],
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", -3, 900, -2700, "T"],
            ["31/02/2026", "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 1, 900, 900, "T"],
            [dt.date(2031, 1, 2), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 1, 900, 900, "T"],
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Sepaku", "Babulu", "Kardus", 1, 900, 900, "T"],
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Koran", "12,5", 1000, 15000, "Y"],
            [dt.date(2026, 11, 2), "", "Petung", "Penajam", "Koran", 1, 1000, 1000, "T"],
            ["Jumlah", "", "", "", "", 31.5, "", 34900, ""],
        ],
    )
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert result.dataset == "waste_deposits"
    got = {(r["row"], r["column"], r["reason_code"]) for r in result.rejections}
    assert got == {
        (5, "Jenis Sampah", "unknown_category"),
        (6, "Berat (kg)", "negative_number"),
        (7, "Tanggal", "invalid_date"),
        (8, "Tanggal", "future_date"),
        (9, "Desa/Kelurahan", "unknown_desa"),
        (11, "Nama Unit Bank Sampah", "missing_value"),
    }
    messages = {r["row"]: r["message"] for r in result.rejections}
    assert messages[5] == (
        "Lembar 'Data', baris 5, kolom Jenis Sampah: jenis sampah 'Plutonium' tidak dikenal; lihat daftar jenis sampah."
    )
    assert (result.status, result.rows_accepted, result.rows_flagged) == ("partially_loaded", 2, 1)
    from siharpa_pipeline.cli import main

    assert main(["validate", "--as-of", "2026-11-28", "--json", str(path)]) == 1
    [checked] = json.loads(capsys.readouterr().out)
    assert (checked["rows_accepted"], checked["rows_rejected"], checked["rows_flagged"]) == (2, 6, 1)
    stored = query(
        settings.warehouse_path,
        "SELECT source_row, weight_kg, value_idr::DOUBLE, flags FROM core.waste_deposits ORDER BY source_row",
    )
    # 12,5 kg x Rp 1.000 is Rp 12.500, not the Rp 15.000 written: kept, flagged for review
    assert stored == [(4, 10.0, 9000.0, None), (10, 12.5, 15000.0, "nilai_tidak_sesuai")]


@BOTH_STORAGES
def test_a_corrected_waste_file_replaces_the_days_it_covers(settings, tmp_path):
    first = sheet(
        tmp_path / "setoran_a.xlsx",
        [
            HEADER,
            [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 10, 900, 9000, "T"],
            [dt.date(2026, 11, 3), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 5, 900, 4500, "T"],
        ],
    )
    fixed = sheet(
        tmp_path / "setoran_b.xlsx",
        [HEADER, [dt.date(2026, 11, 3), "Bank Sampah Maju", "Petung", "Penajam", "Kardus", 6, 900, 5400, "T"]],
    )
    ingest_files([first, fixed], settings, as_of=AS_OF)
    assert committed(settings, "SELECT deposited_on::VARCHAR, weight_kg FROM core.waste_deposits ORDER BY 1") == [
        ("2026-11-02", 10.0),
        ("2026-11-03", 6.0),
    ]


def test_tourism_conflicts_and_period_formats(settings, tmp_path):
    path = sheet(
        tmp_path / "wisata.xlsx",
        [
            ["Bulan", "Destinasi Wisata", "Wisatawan Nusantara", "Wisatawan Mancanegara", "Retribusi (Rp)"],
            ["Januari 2026", "Pantai Corong", 100, 1, 500000],
            ["Jan 2026", "pantai corong", 120, 1, 600000],  # the same destination and month, other numbers
            ["02/2026", "Pantai Nipah-Nipah", "1.250", 0, "Rp 6.250.000"],
            ["Februari 2026", "Pantai Nipah Nipah", 1250, 0, 6250000],  # the same row again: counted once
            ["Desember 2026", "Goa Tapak Raja", 10, 0, 0],
            ["Maret 2026", "Pantai Kuta", 10, 0, 0],
            ["April 2026", "Goa Tapak Raja", 10.5, 0, 0],
        ],
    )
    [result] = ingest_files([path], settings, as_of=AS_OF)
    got = {(r["row"], r["reason_code"]) for r in result.rejections}
    assert got == {
        (2, "conflicting_duplicate"),
        (3, "conflicting_duplicate"),
        (6, "future_date"),
        (7, "unknown_destination"),
        (8, "invalid_count"),
    }
    assert query(
        settings.warehouse_path,
        "SELECT month::VARCHAR, destination_id, domestic_visits, fee_revenue_idr::DOUBLE FROM core.tourism_visits",
    ) == [("2026-02-01", "pantai_nipah_nipah", 1250, 6250000.0)]


def test_bad_112_rows_never_show_the_number(settings, tmp_path):
    path = tmp_path / "log_112.csv"
    path.write_text(
        "ID Laporan,Waktu Lapor,Nomor Pelapor,Kategori,Deskripsi,Kecamatan,Kelurahan/Desa,Waktu Diteruskan\n"
        'A1,2026-11-01 08:00:00,0812-9999-0000,Kebakaran,"rumah terbakar, hubungi +62 812 9999 0001",'
        "Penajam,Petung,2026-11-01 08:05:00\n"
        "A2,kemarin,081299990002,Kebakaran,,Penajam,Petung,\n"
        "A3,2026-11-01 09:00:00,081299990003,Kebakaran,,Penajam,Petung,2026-11-01 08:00:00\n"
        "A4,2026-11-01 09:00:00,081299990004,Santet,telp 0812 9999 0004,Penajam,Petung,\n"
    )
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert {(r["row"], r["reason_code"]) for r in result.rejections} == {
        (3, "invalid_datetime"),
        (4, "times_out_of_order"),
        (5, "unknown_category"),
    }
    text = repr(result.rejections) + repr(query(settings.warehouse_path, "SELECT * FROM audit.rejections"))
    assert "9999" not in text
    [(description,)] = query(settings.warehouse_path, "SELECT description FROM core.calls_112")
    assert description == "rumah terbakar, hubungi [nomor disamarkan]"


def test_indicator_sheet_periods_and_achievement(settings, tmp_path):
    ingest_files([QUICK_WINS / "indikator_masterplan_2026_tw3.xlsx"], settings, as_of=AS_OF)
    later = sheet(
        tmp_path / "indikator_tw4.xlsx",
        [
            ["Dimensi", "Program Quick Win", "Indikator", "Satuan", "Periode", "Target", "Realisasi"],
            ["Smart Governance", "Go PPU", "Indeks SPBE", "indeks", "Triwulan IV 2026", 3, 2.7],
            ["smart mobility", "Go PPU", "Indeks SPBE", "indeks", "TW 4 2026", 3, 2.7],
            ["smart governance", "Go PPU", "Indeks SPBE", "indeks", "TW 5 2026", 3, 2.7],
        ],
    )
    [result] = ingest_files([later], settings, as_of=AS_OF)
    assert {(r["row"], r["reason_code"]) for r in result.rejections} == {
        (3, "unknown_dimension"),
        (4, "invalid_period"),
    }
    publish(settings)
    rows = query(
        settings.serving_path,
        "SELECT period, actual, round(achievement_pct, 1), is_latest FROM "
        "mart.indicator_achievement WHERE indicator = 'Indeks SPBE' ORDER BY period_start",
    )
    assert rows == [("TW 3 2026", 2.61, 87.0, False), ("TW 4 2026", 2.7, 90.0, True)]


@BOTH_STORAGES
def test_quick_win_marts(settings):
    ingest_files(sorted(QUICK_WINS.iterdir()), settings, as_of=AS_OF)
    publish(settings)
    assert published(settings, "SELECT active_units, target_units, achievement_pct FROM mart.waste_units_monthly") == [
        (64, 100, 64.0)
    ]
    [(kg,)] = published(settings, "SELECT round(sum(weight_kg), 1) FROM mart.waste_monthly")
    assert kg == 12566.3
    [(calls, pranks)] = published(settings, "SELECT sum(calls), sum(prank_or_ghost) FROM mart.calls_112_daily")
    assert (calls, pranks) == (1287, 632)
    [(emergencies,)] = committed(
        settings,
        """
        SELECT count(*) FROM core.calls_112 JOIN ref.calls_112_categories USING (category_id)
        WHERE is_emergency AND kecamatan_code = '64.09.01'""",
    )
    [(per_10k,)] = published(
        settings, "SELECT per_10k_residents FROM mart.calls_112_kecamatan_monthly WHERE kecamatan_code = '64.09.01'"
    )
    assert per_10k == pytest.approx(emergencies / 95358 * 10000)
    [(median, dispatched)] = committed(
        settings,
        """
        SELECT median(epoch(dispatched_at - received_at) / 60), count(dispatched_at) FROM core.calls_112""",
    )
    assert published(
        settings, "SELECT answer_to_dispatch_median_min, dispatched FROM mart.calls_112_response_monthly"
    ) == [(pytest.approx(median), dispatched)]
    freshness = dict(published(settings, "SELECT dataset, last_data_on::VARCHAR FROM mart.dataset_freshness"))
    assert freshness == {
        "prices": None,
        "waste_deposits": "2026-10-31",
        "tourism_visits": "2026-10-01",
        "calls_112": "2026-10-31",
        "indicator_values": "2026-07-01",
    }


def test_tourism_growth_against_the_same_month_a_year_earlier(settings, tmp_path):
    header = ["Bulan", "Destinasi Wisata", "Wisatawan Nusantara", "Wisatawan Mancanegara", "Retribusi (Rp)"]
    path = sheet(
        tmp_path / "wisata_2y.xlsx",
        [header, ["Maret 2025", "Waduk Babulu", 800, 0, 0], ["Maret 2026", "Waduk Babulu", 1000, 0, 0]],
    )
    ingest_files([path], settings, as_of=AS_OF)
    publish(settings)
    assert query(
        settings.serving_path,
        "SELECT total_visits_year_ago, yoy_pct FROM mart.tourism_monthly WHERE month = DATE '2026-03-01'",
    ) == [(800, 25.0)]


def test_flagged_deposits_wait_for_review_on_the_quality_page(settings, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from helpers import ROOT

    path = sheet(
        tmp_path / "setoran.xlsx",
        [HEADER, [dt.date(2026, 11, 2), "Bank Sampah Maju", "Petung", "Penajam", "Koran", "12,5", 1000, 15000, "Y"]],
    )
    ingest_files([QUICK_WINS / "kunjungan_wisata_2026.xlsx", path], settings, as_of=AS_OF)
    publish(settings)
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/kualitas.py").run()
    assert not at.exception
    assert at.info[0].value.startswith("Belum ada data harga")  # a warehouse without prices says so...
    files = at.dataframe[0].value  # ...and still lists the other datasets' files
    assert sorted(zip(files["Berkas"], files["Jenis data"])) == [
        ("kunjungan_wisata_2026.xlsx", "kunjungan wisata (Puspita)"),
        ("setoran.xlsx", "setoran bank sampah (Serbu Gass)"),
    ]
    waste = at.dataframe[-1].value
    assert waste[["Unit", "Berat (kg)", "Harga per kg", "Jumlah"]].values.tolist() == [
        ["Bank Sampah Maju", "12,5", "Rp 1.000", "Rp 15.000"]
    ]
