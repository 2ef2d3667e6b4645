"""The attack findings: what an attacker or a careless user did that lost data, stored wrong data or took the
process down. Each test reproduces one finding on real files and real commands."""

import datetime as dt
import io
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import dagster as dg
import openpyxl
import pytest

from assets.definitions import build_definitions
from siharpa_pipeline import access, warehouse
from siharpa_pipeline.cli import main
from siharpa_pipeline.ingest import file_id_of, ingest_files, judge_file
from siharpa_pipeline.readers import read_sheets
from siharpa_pipeline.uploads import preview

from conftest import AS_OF, PRICE_SAMPLES, SAMPLES, query
from helpers import drop

WARU = PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"
NAMELESS = "Komoditas;Satuan;Harga\nBeras Medium;kg;13.000\nGula Pasir;kg;18.000\n"  # market and date from the name


@pytest.fixture
def published(settings):
    assert main(["ingest", "--data-dir", str(settings.data_dir), "--as-of", AS_OF.isoformat(), str(WARU)]) == 0
    return settings


def cli(settings, *args: str) -> int:
    return main([args[0], "--data-dir", str(settings.data_dir), *args[1:]])


# --- 1. extract --out never deletes what the command did not create -------------------------------------------


def test_extract_refuses_the_data_folder_itself(published, capsys):
    data = published.data_dir
    assert cli(published, "extract", "--out", str(data), "--format", "parquet") == 2
    assert "data SIHARPA sendiri" in capsys.readouterr().err
    assert published.warehouse_path.exists() and any(published.archive_dir.rglob("*.csv"))
    assert cli(published, "extract", "--out", str(published.serving_path), "--force") == 2
    assert query(published.serving_path, "SELECT count(*) FROM core.price_observations") == [(140,)]


def test_extract_never_replaces_a_folder_or_file_it_did_not_make(published, tmp_path, capsys):
    folder = tmp_path / "laporan"
    folder.mkdir()
    (folder / "catatan.docx").write_bytes(b"dokumen pengguna")
    assert cli(published, "extract", "--out", str(folder)) == 2
    assert cli(published, "extract", "--out", str(folder), "--format", "csv") == 2
    assert (folder / "catatan.docx").read_bytes() == b"dokumen pengguna"
    assert "tidak ada yang dihapus" in capsys.readouterr().err

    existing = tmp_path / "bappeda.duckdb"
    existing.write_bytes(b"milik pengguna")
    assert cli(published, "extract", "--out", str(existing)) == 2
    assert existing.read_bytes() == b"milik pengguna"
    assert "--force" in capsys.readouterr().err
    assert cli(published, "extract", "--out", str(existing), "--force") == 0
    assert query(
        existing,
        "SELECT price_idr FROM core.price_observations WHERE observed_on = '2026-11-02' "
        "AND market_id = 'pasar_waru' AND commodity_id = 'beras_medium'",
    ) == [(18000,)]

    empty = tmp_path / "kosong"
    empty.mkdir()
    assert cli(published, "extract", "--out", str(empty), "--format", "parquet") == 0
    assert (empty / "core.price_observations.parquet").exists()


# --- 2. the same bytes under a name that says another market or day are another submission --------------------


def test_byte_identical_files_named_for_other_days_and_markets_all_load(settings, tmp_path):
    names = ["harga_pasar_waru_02112026.csv", "harga_pasar_waru_03112026.csv", "harga_pasar_rakyat_sepan_02112026.csv"]
    files = []
    for name in names:
        (tmp_path / name).write_text(NAMELESS, encoding="utf-8")
        files.append(tmp_path / name)
    again = tmp_path / "lagi" / names[0]
    again.parent.mkdir()
    again.write_text(NAMELESS, encoding="utf-8")
    results = ingest_files([*files, again], settings, as_of=AS_OF)
    assert [r.status for r in results] == ["loaded", "loaded", "loaded", "duplicate"]
    assert query(
        settings.warehouse_path,
        "SELECT observed_on::VARCHAR, market_id, price_idr FROM "
        "core.price_observations WHERE commodity_id = 'beras_medium' ORDER BY ALL",
    ) == [
        ("2026-11-02", "pasar_sepan", 13000),
        ("2026-11-02", "pasar_waru", 13000),
        ("2026-11-03", "pasar_waru", 13000),
    ]


def test_the_sensor_runs_byte_identical_files_under_different_names(settings, tmp_path):
    for name in ("harga_pasar_waru_02112026.csv", "harga_pasar_waru_03112026.csv"):
        (tmp_path / name).write_text(NAMELESS, encoding="utf-8")
        drop(tmp_path / name, settings.inbox("prices"))
    defs = build_definitions(settings)
    with dg.instance_for_test() as instance:
        tick = defs.resolve_sensor_def("prices_inbox_sensor")(
            dg.build_sensor_context(instance=instance, resources=defs.resources)
        )
    keys = [r.run_key for r in tick.run_requests]
    assert len(keys) == len(set(keys)) == 2
    assert {r.partition_key for r in tick.run_requests} == {file_id_of(NAMELESS.encode())}


# --- 3. a crash in one file: that file gets a receipt, the batch goes on -----------------------------------------


def test_a_file_that_crashes_gets_a_receipt_and_the_batch_goes_on(settings, tmp_path, monkeypatch):
    crashing = tmp_path / "harga_pasar_waru_03112026.csv"
    crashing.write_text(NAMELESS, encoding="utf-8")
    later = tmp_path / "harga_pasar_waru_04112026.csv"
    later.write_text(NAMELESS.replace("13.000", "13.500"), encoding="utf-8")
    store = warehouse.store_prices

    def store_or_crash(con, receipt, accepted):  # a bug we do not know yet, in the middle of a batch
        if receipt.file_name == crashing.name:
            raise RuntimeError("an unforeseen bug, holding 081234567890")
        return store(con, receipt, accepted)

    monkeypatch.setattr(warehouse, "store_prices", store_or_crash)
    results = ingest_files([WARU, crashing, later], settings, as_of=AS_OF)
    assert [(r.status, r.error) for r in results] == [("loaded", None), ("failed", "internal_error"), ("loaded", None)]
    assert "kesalahan internal" in results[1].error_message
    assert query(settings.warehouse_path, "SELECT file_name, status, error FROM audit.files ORDER BY received_at") == [
        (WARU.name, "loaded", None),
        (crashing.name, "failed", "internal_error"),
        (later.name, "loaded", None),
    ]
    assert (settings.archive_dir / file_id_of(crashing.read_bytes())[:2]).is_dir()
    assert query(
        settings.warehouse_path,
        "SELECT count(*) FROM core.price_observations WHERE "
        "observed_on = '2026-11-03' AND market_id = 'pasar_waru' AND file_id = ?",
        [file_id_of(crashing.read_bytes())],
    ) == [(0,)]
    assert query(
        settings.warehouse_path,
        "SELECT price_idr FROM core.price_observations WHERE "
        "observed_on = '2026-11-04' AND commodity_id = 'beras_medium'",
    ) == [(13500,)]


# --- 4. no year outside 2000-2100 reaches storage ------------------------------------------------------------------

FAR_DATES = ["9999-12-31", "2300-01-01", "0001-01-01", "0026-11-02", "02/11/1999", "31/12/0026"]


def test_far_dates_in_a_long_csv_are_rejected_not_wrapped(settings, tmp_path):
    rows = [f"{d};Pasar Waru;Beras Medium;kg;13.000" for d in FAR_DATES]
    rows.append("02/11/2026;Pasar Waru;Gula Pasir;kg;18.000")
    path = tmp_path / "tanggal_jauh.csv"
    path.write_text("Tanggal;Pasar;Komoditas;Satuan;Harga\n" + "\n".join(rows) + "\n", encoding="utf-8")
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert (result.rows_accepted, result.rows_rejected) == (1, len(FAR_DATES))
    assert {r["reason_code"] for r in result.rejections} == {"invalid_date"}
    assert query(settings.warehouse_path, "SELECT observed_on::VARCHAR FROM core.price_observations") == [
        ("2026-11-02",)
    ]


def test_far_dates_as_excel_dates_headers_and_record_dates_are_rejected(settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pasar Waru"
    sheet.append(["Komoditas", "Satuan", dt.date(9999, 12, 31), dt.date(1900, 1, 1), dt.date(2026, 11, 2)])
    sheet.append(["Beras Medium", "kg", 13000, 13100, 13200])
    path = tmp_path / "harga_pasar_waru.xlsx"
    book.save(path)
    waste = openpyxl.load_workbook(SAMPLES / "quick_wins" / "setoran_bank_sampah_2026-10.xlsx")
    ws = waste.active
    header_row = next(r for r in ws.iter_rows() if any(str(c.value).strip().lower() == "tanggal" for c in r))
    date_col = next(c.column for c in header_row if str(c.value).strip().lower() == "tanggal")
    ws.cell(header_row[0].row + 1, date_col).value = dt.datetime(9999, 12, 31)
    waste_path = tmp_path / "setoran_bank_sampah.xlsx"
    waste.save(waste_path)
    results = ingest_files([path, waste_path], settings, as_of=AS_OF)
    assert query(settings.warehouse_path, "SELECT observed_on::VARCHAR, price_idr FROM core.price_observations") == [
        ("2026-11-02", 13200)
    ]
    assert results[1].rows_rejected >= 1 and results[1].rejections[0]["reason_code"] == "invalid_date"
    for table, column in (("core.price_observations", "observed_on"), ("core.waste_deposits", "deposited_on")):
        [(low, high)] = query(settings.warehouse_path, f"SELECT min(year({column})), max(year({column})) FROM {table}")
        assert 2000 <= low <= high <= AS_OF.year


# --- 6. out-of-range numbers are rejected cells, their messages masked -----------------------------------------


def test_out_of_range_numbers_are_rejected_with_a_masked_message(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SIHARPA_PII_KEY", "attack-test-key-0123456789")
    lines = (SAMPLES / "quick_wins" / "log_panggilan_112_2026-10.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].rsplit(",", 1)[0] + ",081233332222"
    calls = tmp_path / "log_panggilan_112.csv"
    calls.write_text("\n".join([header, first, *lines[2:]]) + "\n", encoding="utf-8")
    waste = openpyxl.load_workbook(SAMPLES / "quick_wins" / "setoran_bank_sampah_2026-10.xlsx")
    ws = waste.active
    header_row = next(
        r
        for r in ws.iter_rows()
        if any(str(c.value).strip().lower() == "jumlah (rp)" or str(c.value).strip().lower() == "jumlah" for c in r)
    )
    value_col = next(c.column for c in header_row if str(c.value).strip().lower().startswith("jumlah"))
    ws.cell(header_row[0].row + 1, value_col).value = 999999999999999999
    waste_path = tmp_path / "setoran.xlsx"
    waste.save(waste_path)
    calls_result, waste_result = ingest_files([calls, waste_path], settings, as_of=AS_OF)
    [duration] = [r for r in calls_result.rejections if r["row"] == 2]
    assert duration["reason_code"] == "invalid_count"
    assert "0812" not in duration["message"] and "[nomor disamarkan]" in duration["message"]
    assert [r["reason_code"] for r in waste_result.rejections if r["row"] == header_row[0].row + 1] == [
        "invalid_number"
    ]
    assert calls_result.status == waste_result.status == "partially_loaded"


# --- 7. files holding personal data are the service account's only -----------------------------------------------


def test_warehouse_serving_and_folders_are_private(published):
    for path in (published.warehouse_path, published.serving_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (published.data_dir, published.warehouse_dir, published.archive_dir, published.inbox_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --- 8 and 9. workbooks that would take the process down, or minutes, are refused with a message -----------------


def far_cell_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Komoditas"
    book.active["XFD1048576"] = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wide_workbook(columns: int = 16_384) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Pasar Waru")
    sheet.append(["Komoditas", "Satuan", *[dt.date(2026, 1, 1)] * (columns - 2)])
    for _ in range(3):
        sheet.append(["Beras Medium", "kg", *[13000] * (columns - 2)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ODS_CELLS = (
    '<table:table-cell office:value-type="string"><text:p>Beras Medium</text:p></table:table-cell>',
    '<table:table-cell office:value-type="string"><text:p>kg</text:p></table:table-cell>',
    '<table:table-cell office:value-type="float" office:value="13000"/>',
)


def repeated_rows_ods(rows: int = 1_048_576, columns: int = 3) -> bytes:
    """An .ods of a few hundred bytes whose one row repeats a million times."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Harga"><table:table-row table:number-rows-repeated="'
        f'{rows}">{"".join(ODS_CELLS[:columns])}</table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def wide_csv(columns: int = 240_000) -> bytes:
    return (
        "Komoditas," + ",".join(["02/11/2026"] * columns) + "\nBeras Medium," + ",".join(["1"] * columns) + "\n"
    ).encode()


ATTACKS = {
    "far_cell.xlsx": far_cell_workbook,
    "lebar.xlsx": wide_workbook,
    "ulang.ods": repeated_rows_ods,
    "ulang_2_kolom.ods": lambda: repeated_rows_ods(columns=2),
    "lebar.csv": wide_csv,
}


@pytest.mark.parametrize("name", ATTACKS)
def test_files_that_would_exhaust_memory_or_time_are_refused(name, settings):
    data = ATTACKS[name]()
    dataset, verdict = judge_file(settings.data_dir / name, None, AS_OF, None, data)
    assert (verdict.status, verdict.error) == ("failed", "file_too_large")
    assert any(word in verdict.error_message for word in ("paling banyak", "memori", "detik"))
    user = access.User("siti", "Siti", "enumerator", ("pasar_waru",), "$2b$")
    assert preview(name, data, None, user, AS_OF)[1].error == "file_too_large"  # the upload page survives it


def test_the_cli_refuses_the_far_cell_workbook_and_records_it(settings, tmp_path, capsys):
    path = tmp_path / "harga_pasar_waru.xlsx"
    path.write_bytes(far_cell_workbook())
    assert cli(settings, "ingest", str(path)) == 2
    assert "memori" in capsys.readouterr().out
    assert query(settings.warehouse_path, "SELECT status, error FROM audit.files") == [("failed", "file_too_large")]


# --- 11. the users file survives any name -------------------------------------------------------------------------


def test_user_names_cannot_corrupt_the_users_file(settings, monkeypatch, capsys):
    monkeypatch.setenv("SIHARPA_USERS_FILE", str(settings.data_dir / "users.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-panjang\n"))
    assert cli(settings, "user", "siti", "--role", "analyst", "--name", 'Siti "Nur" \\ Haliza') == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-panjang\n"))
    assert cli(settings, "user", "budi", "--role", "analyst", "--name", "a\nb") == 2
    assert "karakter kendali" in capsys.readouterr().err
    users = access.load_users(settings.data_dir / "users.toml")
    assert users["siti"].name == 'Siti "Nur" \\ Haliza' and "budi" not in users

    (settings.data_dir / "users.toml").write_text('[users.siti]\nname = "a\nb"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-panjang\n"))
    assert cli(settings, "user", "budi", "--role", "analyst") == 2
    assert capsys.readouterr().err.startswith("Gagal: Berkas pengguna")
    (settings.data_dir / "users.toml").write_text('users = "rusak"\n', encoding="utf-8")
    with pytest.raises(access.UsersFileError):
        access.load_users(settings.data_dir / "users.toml")


# --- 12. a message instead of a traceback ----------------------------------------------------------------------------


def test_bad_settings_and_arguments_get_a_message(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SIHARPA_LOCK_TIMEOUT", "abc")
    assert cli(settings, "publish") == 2
    assert "SIHARPA_LOCK_TIMEOUT='abc' tidak sah" in capsys.readouterr().err
    monkeypatch.delenv("SIHARPA_LOCK_TIMEOUT")
    assert (
        cli(settings, "template", "--market", "pasar_waru", "--start", "9999-12-30", "--out", str(tmp_path / "t.xlsx"))
        == 2
    )
    assert cli(settings, "template", "--market", "pasar_waru", "--out", str(tmp_path / "tidak_ada" / "t.xlsx")) == 2
    err = capsys.readouterr().err
    assert "antara tahun 2000 dan 2100" in err and "tidak ada" in err and "Traceback" not in err


def test_quotes_in_paths_are_not_sql(tmp_path):
    data = tmp_path / "data pak'udin"
    assert main(["ingest", "--data-dir", str(data), "--as-of", AS_OF.isoformat(), str(WARU)]) == 0
    for fmt, out in (("duckdb", "o'ut.duckdb"), ("parquet", "o'ut_parquet"), ("csv", "o'ut_csv")):
        assert main(["extract", "--data-dir", str(data), "--out", str(tmp_path / out), "--format", fmt]) == 0
    assert query(tmp_path / "o'ut.duckdb", "SELECT count(*) FROM core.price_observations") == [(140,)]


def test_a_damaged_serving_file_gets_a_message(published, tmp_path, capsys):
    published.serving_path.write_bytes(b"bukan basis data")
    assert cli(published, "extract", "--out", str(tmp_path / "a.duckdb")) == 2
    assert cli(published, "dictionary", "--out", str(tmp_path / "kamus.md")) == 2
    published.serving_path.unlink()
    published.serving_path.mkdir()
    assert cli(published, "extract", "--out", str(tmp_path / "b.duckdb")) == 2
    err = capsys.readouterr().err
    assert err.count("Gagal:") == 3 and "Traceback" not in err
    assert not (tmp_path / "a.duckdb").exists() and not (tmp_path / "b.duckdb").exists()


EXTRACT_WITH_A_SMALL_EXCEL = """
import sys
from siharpa_pipeline import extracts
from siharpa_pipeline.cli import main
extracts.EXCEL_MAX_ROWS = 100  # the real limit, a million rows, scaled to the sample
sys.exit(main(sys.argv[1:]))
"""


def test_excel_row_limit_refusal_leaves_no_noise(published, tmp_path):
    out = tmp_path / "e.xlsx"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            EXTRACT_WITH_A_SMALL_EXCEL,
            "extract",
            "--data-dir",
            str(published.data_dir),
            "--out",
            str(out),
            "--format",
            "xlsx",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "melebihi batas Excel" in done.stderr and "Exception ignored" not in done.stderr
    assert not out.exists()


# --- 13. small ones ---------------------------------------------------------------------------------------------


def test_one_bad_byte_spoils_only_its_own_line(tmp_path):
    data = (
        "Tanggal;Pasar;Komoditas;Satuan;Harga\n02/11/2026;Pasar Waru;Cabai Rawit Merah;kg;55.000\n"
        "02/11/2026;Pasar Waru;Gula Pasir;kg;18.000 caf\xe9\n"
    ).encode("utf-8")
    data = data.replace("caf\xe9".encode("utf-8"), b"caf\xe9")
    [sheet] = read_sheets(tmp_path / "a.csv", data)
    assert sheet.rows_from(2).iloc[1, 4] == "18.000 caf\xe9"  # the cp1252 line read as cp1252
    rows = read_sheets(tmp_path / "b.csv", "Komoditas;Catatan\nBeras;Rp ‘murah’ — pasar\n".encode() + b"x\xff;y\n")
    assert rows[0].rows_from(2).iloc[0, 1] == "Rp ‘murah’ — pasar"


def test_a_huge_field_is_a_rejected_cell(settings, tmp_path):
    path = tmp_path / "harga_pasar_waru_02112026.csv"
    path.write_text(
        "Komoditas;Satuan;Harga\nBeras Medium;kg;" + "9" * 200_000 + "\nGula Pasir;kg;18.000\n", encoding="utf-8"
    )
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert (result.status, result.rows_accepted) == ("partially_loaded", 1)
    assert result.rejections[0]["reason_code"] in ("invalid_price", "price_out_of_range")
    assert len(result.rejections[0]["message"]) < 400


def test_error_cells_and_nan_are_invalid_prices(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pasar Waru"
    sheet.append(["Komoditas", "Satuan", dt.date(2026, 11, 2)])
    sheet.append(["Beras Medium", "kg", "#DIV/0!"])  # openpyxl stores it as an error value
    sheet.append(["Gula Pasir", "kg", float("nan")])  # written as an empty <v/>: made a NaN below
    sheet.append(["Cabai Rawit Merah", "kg", 55000])
    saved = io.BytesIO()
    book.save(saved)
    path = tmp_path / "harga.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            target.writestr(item, part.replace(b"<v />", b"<v>NaN</v>") if "worksheets" in item.filename else part)
    _, verdict = judge_file(path, None, AS_OF, None)
    assert len(verdict.accepted) == 1 and verdict.rows_missing == 0
    assert list(verdict.rejections["reason_code"]) == ["invalid_price", "invalid_price"]
    assert "galat" in verdict.rejections["message"].iloc[0]


def test_failed_logins_lock_a_name_only_from_where_they_came(settings):
    users = {"siti": access.User("siti", "Siti", "analyst", (), access.hash_password("kata-sandi-panjang", 4))}
    guard = access.LoginGuard()
    for i in range(access.MAX_FAILURES):
        access.log_in(users, guard, "siti", "salah-salah", now=1000.0 + i, source="10.0.0.66")
    assert access.log_in(users, guard, "siti", "kata-sandi-panjang", now=1010.0, source="10.0.0.66")[0] is None
    user, problem = access.log_in(users, guard, "siti", "kata-sandi-panjang", now=1010.0, source="10.0.0.7")
    assert user is not None and problem is None


def test_read_only_warehouse_gets_a_message(published, tmp_path, capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a read-only file system")
    mount = tmp_path / "ro"
    mount.mkdir()
    if os.system(f"mount -t tmpfs -o size=64m tmpfs '{mount}'") != 0:
        pytest.skip("mount is not permitted here")
    try:
        shutil.copytree(published.data_dir, mount / "data")
        assert os.system(f"mount -o remount,ro '{mount}'") == 0
        assert main(["ingest", "--data-dir", str(mount / "data"), str(WARU)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("Gagal:") and "Traceback" not in err
        assert query(mount / "data" / "warehouse" / "warehouse.duckdb", "SELECT count(*) FROM audit.files") == [(1,)]
    finally:
        os.system(f"umount '{mount}'")
