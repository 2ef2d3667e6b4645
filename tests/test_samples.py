"""Every sample of the field gives exactly its expected outcome (shared/samples/expected.json)."""

import pytest

from siharpa_pipeline.ingest import ingest_files

from conftest import AS_OF, BOTH_STORAGES, EXPECTED, PRICE_SAMPLES, committed

PRICE_FILES = sorted(name for name, e in EXPECTED.items() if e["dataset"] == "prices")


@BOTH_STORAGES
@pytest.mark.parametrize("name", PRICE_FILES)
def test_sample_outcome(settings, name):
    expected = EXPECTED[name]
    [result] = ingest_files([PRICE_SAMPLES / name], settings, dataset="prices", as_of=AS_OF)

    assert result.error == expected["file_error"]
    assert result.rows_missing == expected["missing_cells"]
    assert result.rows_accepted == len(expected["accepted"])
    got = {(r["sheet"], r["row"], r["reason_code"]) for r in result.rejections}
    want = {(r["where"]["sheet"], r["where"]["row"], r["reason_code"]) for r in expected["rejected"]}
    assert got == want
    assert len(result.rejections) == len(expected["rejected"])

    stored = committed(
        settings,
        "SELECT market_id, commodity_id, strftime(observed_on, '%Y-%m-%d'), "
        "price_idr::DOUBLE FROM core.price_observations",
    )
    assert sorted(stored) == sorted((m, c, d, float(p)) for m, c, d, p in expected["accepted"])
    status, rejected = committed(settings, "SELECT status, rows_rejected FROM audit.files")[0]
    assert rejected == len(expected["rejected"])
    if expected["file_error"]:
        assert status == "failed"


@BOTH_STORAGES
def test_price_of_beras_medium_at_pasar_waru_on_2_november(settings):
    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"], settings, as_of=AS_OF)
    [(price, unit, sheet, row)] = committed(
        settings,
        "SELECT price_idr, unit, sheet, source_row FROM core.price_observations "
        "WHERE market_id = 'pasar_waru' AND commodity_id = 'beras_medium' AND observed_on = DATE '2026-11-02'",
    )
    assert (float(price), unit, sheet, row) == (18000.0, "kg", "harga_pasar_waru_november_2026", 3)


@BOTH_STORAGES
def test_problem_sheet_messages_name_sheet_row_and_column(settings):
    [result] = ingest_files([PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx"], settings, as_of=AS_OF)
    by_row = {r["row"]: r for r in result.rejections}
    assert by_row[8]["message"] == "Lembar 'Input', baris 8, kolom Harga: harga -65000 harus lebih dari nol."
    assert by_row[10]["column"] == "Komoditas" and by_row[10]["raw_value"] == "Kangkung Organik"
    assert by_row[11]["column"] == "Nama Pasar" and "Pasar Antah Berantah" in by_row[11]["message"]
    assert by_row[12]["column"] == "Tanggal" and "12/06/2031" in by_row[12]["message"]
    assert by_row[16]["column"] == "Satuan" and "liter" in by_row[16]["message"]
    assert "Rp 7.500 - Rp 300.000" in by_row[14]["message"]
    assert result.status == "partially_loaded"


@BOTH_STORAGES
def test_skipped_instruction_sheet_is_named_in_notes(settings):
    [result] = ingest_files([PRICE_SAMPLES / "rekap_harga_oktober_2026.xlsx"], settings, as_of=AS_OF)
    assert result.notes == ["Lembar 'Petunjuk' dilewati: tidak berisi tabel harga."]
    # the sheet "Pasar Kamis" names its market by alias
    [(n,)] = committed(
        settings,
        "SELECT count(*) FROM core.price_observations WHERE market_id = 'pasar_kamis_semoi_dua'",
    )
    assert n == 372


@BOTH_STORAGES
def test_text_prices_in_wide_sheet_are_read_and_dash_is_missing(settings):
    ingest_files([PRICE_SAMPLES / "harga_pasar_induk_petung_2026-11-02_sd_2026-11-06.xlsx"], settings, as_of=AS_OF)
    rows = dict(
        committed(
            settings,
            "SELECT commodity_id, price_idr::DOUBLE FROM core.price_observations WHERE observed_on = DATE '2026-11-05'",
        )
    )
    assert rows["daging_sapi"] == 150000.0  # typed "Rp 150.000"
    assert rows["minyak_goreng_curah"] == 18250.0  # typed "18.250"
    assert "ikan_bandeng" in rows
    [(bandeng_4th,)] = committed(
        settings,
        "SELECT count(*) FROM core.price_observations "
        "WHERE commodity_id = 'ikan_bandeng' AND observed_on = DATE '2026-11-04'",
    )
    assert bandeng_4th == 0  # "-" is not observed
