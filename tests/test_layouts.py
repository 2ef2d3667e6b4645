"""General rules on spreadsheets the tests write themselves: layouts, context, formats, encodings."""

import datetime as dt

import openpyxl
import pandas as pd
import xlwt

from siharpa_pipeline.ingest import ingest_files, judge_file

from conftest import AS_OF, PRICE_SAMPLES, query


def judge_price(path, as_of, assigned=None):
    return judge_file(path, "prices", as_of, assigned)[1]


def workbook(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def codes(verdict):
    return sorted((r.sheet, r.source_row, r.source_column, r.reason_code) for r in verdict.rejections.itertuples())


def accepted(verdict):
    return sorted(
        (r.market_id, r.commodity_id, r.observed_on.date().isoformat(), r.price_idr)
        for r in verdict.accepted.itertuples()
    )


def test_wide_by_market_unknown_column_and_date_from_compact_file_name(tmp_path):
    path = workbook(
        tmp_path / "rekap_harian_01112026.xlsx",
        {
            "Rekap": [
                ["REKAP HARGA KABUPATEN PENAJAM PASER UTARA"],
                ["No", "Komoditas", "Satuan", "Sepan", "Ps. Waru", "Pasar Baru", "Rata-rata", "Keterangan"],
                ["", "BERAS"],
                [1, "Beras Medium", "kg", 15000, 16000, 15500, 15500, "naik"],
                [2, "Gula Pasir (kg)", "", 18000, None, None, 18000],
            ]
        },
    )
    v = judge_price(path, AS_OF)
    assert accepted(v) == [
        ("pasar_sepan", "beras_medium", "2026-11-01", 15000.0),
        ("pasar_sepan", "gula_pasir", "2026-11-01", 18000.0),
        ("pasar_waru", "beras_medium", "2026-11-01", 16000.0),
    ]
    assert codes(v) == [("Rekap", 4, "Pasar Baru", "unknown_market")]
    assert v.rows_missing == 1  # Gula Pasir at Pasar Waru; the empty unknown column counts as nothing


def test_formula_without_cached_value_is_invalid_price(tmp_path):
    path = workbook(
        tmp_path / "harga_pasar_sepan.xlsx",
        {
            "Harga": [
                ["Tanggal", "Komoditas", "Satuan", "Harga"],
                ["02/11/2026", "Beras Medium", "kg", "=15000+500"],  # openpyxl saves no cached value
                ["02/11/2026", "Gula Pasir", "kg", 18000],
            ]
        },
    )
    v = judge_price(path, AS_OF)
    assert codes(v) == [("Harga", 2, "Harga", "invalid_price")]
    assert "rumus tanpa nilai" in v.rejections.iloc[0]["message"]
    assert accepted(v) == [("pasar_sepan", "gula_pasir", "2026-11-02", 18000.0)]


def test_market_and_date_identification(tmp_path):
    path = workbook(
        tmp_path / "harga.xlsx",
        {
            "Dua Pasar": [
                ["HARGA PASAR WARU DAN PASAR SEPAN"],
                ["Tanggal: 2 November 2026"],
                [],
                ["Komoditas", "Satuan", "Harga"],
                ["Beras Medium", "kg", 15000],
            ],
            "Sepan": [["Tanggal", "Komoditas", "Harga"], ["03/11/2026", "Beras Medium", 15250]],
            "Tanpa Tanggal": [["Pasar Induk Babulu"], ["Komoditas", "Satuan", "Harga"], ["Beras Medium", "kg", 15000]],
        },
    )
    v = judge_price(path, AS_OF)
    assert codes(v) == [
        ("Dua Pasar", 5, "Harga", "market_not_identified"),
        ("Tanpa Tanggal", 3, "Harga", "date_not_identified"),
    ]
    assert accepted(v) == [("pasar_sepan", "beras_medium", "2026-11-03", 15250.0)]


def test_enumerator_may_submit_only_assigned_markets(tmp_path):
    v = judge_price(PRICE_SAMPLES / "rekap_harga_harian_2026-11-09.xlsx", AS_OF, assigned={"pasar_waru"})
    assert {r.reason_code for r in v.rejections.itertuples()} == {"market_not_assigned"}
    assert len(v.rejections) == 23 * 4
    assert set(v.accepted["market_id"]) == {"pasar_waru"}


def test_order_of_checks_first_code_wins(tmp_path):
    path = workbook(
        tmp_path / "x.xlsx",
        {
            "Input": [
                ["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"],
                ["01/01/2031", "Pasar Entah", "Kangkung", "ikat", "naik"],  # unknown_market first
                ["01/01/2031", "Pasar Waru", "Kangkung", "ikat", "naik"],  # unknown_commodity before the date
                ["01/01/2031", "Pasar Waru", "Beras Medium", "ikat", "naik"],  # future_date before unit and price
                ["02/11/2026", "Pasar Waru", "Beras Medium", "ikat", "naik"],  # unit before price
                ["02/11/2026", "Pasar Waru", "Beras Medium", "kg", "-500"],
                ["03/11/2026", "Pasar Waru", "Beras Medium", "kg", "0"],  # 0: not observed, as offices write it
            ]
        },
    )
    v = judge_price(path, AS_OF)
    assert [r.reason_code for r in v.rejections.itertuples()] == [
        "unknown_market",
        "unknown_commodity",
        "future_date",
        "unit_mismatch",
        "non_positive_price",
    ]
    assert v.rows_missing == 1
    # every reason of a cell at once, so one round of fixing is enough
    assert [r.reasons for r in v.rejections.itertuples()] == [
        "unknown_market,unknown_commodity,future_date,invalid_price",
        "unknown_commodity,future_date,invalid_price",
        "future_date,unit_mismatch,invalid_price",
        "unit_mismatch,invalid_price",
        "non_positive_price",
    ]
    first = v.rejections["message"].iloc[0]
    assert "pasar 'Pasar Entah' tidak dikenal" in first and "komoditas 'Kangkung' tidak dikenal" in first
    assert "tanggal '01/01/2031' belum terjadi" in first and "harga 'naik' bukan angka" in first


def test_csv_encodings_delimiters_and_title_rows(tmp_path):
    lines = [
        "Daftar Harga Pasar Waru – Kecamatan Waru",
        "",
        "Tanggal\tKomoditas\tSatuan\tHarga (Rp)",
        "02/11/2026\tBeras Medium\tKg\tRp 18.000,-",
        "02/11/2026\tCabe Rawit Merah\tkg\tsembilan",
    ]
    text = "\r\n".join(lines) + "\r\n"
    for encoding, bom in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")):
        path = tmp_path / f"harga_{encoding}{len(bom)}.csv"
        path.write_bytes(bom + text.encode(encoding))
        v = judge_price(path, AS_OF)
        assert accepted(v) == [("pasar_waru", "beras_medium", "2026-11-02", 18000.0)], encoding
        assert codes(v) == [(path.stem, 5, "Harga (Rp)", "invalid_price")], encoding


def test_ods_and_xls(tmp_path):
    rows = [
        ["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"],
        ["02/11/2026", "Pasar Waru", "Telur Ayam Ras", "kg", 37500],
    ]
    ods = tmp_path / "harga.ods"
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(ods, index=False, engine="odf")
    xls = tmp_path / "harga.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("Harga")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(xls))
    for path in (ods, xls):
        assert accepted(judge_price(path, AS_OF)) == [("pasar_waru", "telur_ayam_ras", "2026-11-02", 37500.0)]


def test_bad_files_fail_with_one_clear_line_and_change_no_core_table(settings, tmp_path):
    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"], settings, as_of=AS_OF)
    before = query(settings.warehouse_path, "SELECT * FROM core.price_observations ORDER BY ALL")
    good = (PRICE_SAMPLES / "rekap_harga_harian_2026-11-09.xlsx").read_bytes()
    bad = {
        "terpotong.xlsx": good[: len(good) // 2],
        "kosong.xlsx": b"",
        "sebenarnya_xlsx.csv": good,
        "laporan.pdf": b"%PDF-1.4",
        "tanpa_tabel.xlsx": None,
    }
    paths = []
    for name, data in bad.items():
        path = tmp_path / name
        if data is None:
            workbook(path, {"Catatan": [["Harga naik minggu ini"], ["Tidak ada tabel"]]})
        else:
            path.write_bytes(data)
        paths.append(path)
    results = ingest_files(paths, settings, as_of=AS_OF)
    assert [r.error for r in results] == ["unreadable_file"] * 4 + ["no_table_found"]
    assert all(r.status == "failed" and r.error_message and "\n" not in r.error_message for r in results)
    assert query(settings.warehouse_path, "SELECT * FROM core.price_observations ORDER BY ALL") == before
    failed = query(settings.warehouse_path, "SELECT file_name, archive_path FROM audit.files WHERE status = 'failed'")
    assert len(failed) == 5
    assert all((settings.data_dir / archive).exists() for _, archive in failed)


def test_group_rows_footers_and_row_numbers(tmp_path):
    path = workbook(
        tmp_path / "Harga Pasar Induk Babulu.xlsx",
        {
            "Harga": [
                ["DAFTAR HARGA"],
                ["Pasar Induk Babulu"],
                [],
                ["No", "Jenis Bahan Pokok", "Satuan", dt.datetime(2026, 11, 2), "03/11/2026", "Rata-rata"],
                [None, "IKAN"],
                [1, "Ikan Kembung", "kg", 45000, "tidak ada", 45000],
                [2, "Ikan Tongkol", "kg", 37000, 37500, 37250],
                [],
                [None, "Babulu, 3 November 2026"],
                [None, "Petugas Pencacah"],
            ]
        },
    )
    v = judge_price(path, AS_OF)
    assert v.rejections.empty and v.rows_missing == 1
    assert [(r.commodity_id, r.source_row) for r in v.accepted.itertuples()] == [
        ("ikan_kembung", 6),
        ("ikan_tongkol", 7),
        ("ikan_tongkol", 7),
    ]
