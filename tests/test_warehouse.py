"""Storing: revisions, duplicates, flags, archive, comments, and the serving copy."""

import json
import os
import subprocess
import sys
import time

from siharpa_pipeline.ingest import file_id_of, ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.storage import WriterBusy, storage

from conftest import AS_OF, BOTH_STORAGES, PRICE_SAMPLES, committed, published, query
from test_layouts import workbook

WARU = PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"


def long_sheet(path, rows):
    return workbook(path, {"Harga": [["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"], *rows]})


@BOTH_STORAGES
def test_same_bytes_twice_is_a_duplicate_and_changes_nothing(settings):
    ingest_files([WARU], settings, as_of=AS_OF)
    before = committed(settings, "SELECT * FROM core.price_observations ORDER BY ALL")
    [again] = ingest_files([WARU], settings, as_of=AS_OF)
    assert again.status == "duplicate" and again.rows_accepted == 0
    assert committed(settings, "SELECT * FROM core.price_observations ORDER BY ALL") == before
    assert committed(settings, "SELECT status FROM audit.files ORDER BY received_at") == [
        ("loaded",),
        ("duplicate",),
    ]


@BOTH_STORAGES
def test_revision_replaces_value_and_keeps_history(settings, tmp_path):
    first = long_sheet(
        tmp_path / "a.xlsx",
        [
            ["02/11/2026", "Pasar Waru", "Beras Medium", "kg", 18000],
            ["02/11/2026", "Pasar Waru", "Gula Pasir", "kg", 23000],
        ],
    )
    same = long_sheet(
        tmp_path / "b.xlsx",
        [
            ["02/11/2026", "Pasar Waru", "Gula Pasir", "kg", 23000],
            ["02/11/2026", "Pasar Waru", "Gula Pasir", "kg", 23000],
        ],
    )
    revised = long_sheet(tmp_path / "c.xlsx", [["02/11/2026", "Pasar Waru", "Beras Medium", "kg", 18500]])
    r1, r2, r3 = ingest_files([first, same, revised], settings, as_of=AS_OF)
    assert (r2.status, r2.rows_accepted) == ("loaded", 1)  # identical observations count once
    current = committed(
        settings,
        "SELECT commodity_id, price_idr::DOUBLE, file_id FROM core.price_observations ORDER BY 1",
    )
    assert current == [("beras_medium", 18500.0, r3.file_id), ("gula_pasir", 23000.0, r1.file_id)]
    history = committed(
        settings,
        "SELECT commodity_id, price_idr::DOUBLE, file_id, superseded_by_file_id FROM core.price_observation_history",
    )
    assert history == [("beras_medium", 18000.0, r1.file_id, r3.file_id)]


@BOTH_STORAGES
def test_day_on_day_jump_over_half_is_flagged_not_rejected(settings, tmp_path):
    path = long_sheet(
        tmp_path / "jump.xlsx",
        [
            ["02/11/2026", "Pasar Waru", "Cabai Rawit Merah", "kg", 60000],
            ["03/11/2026", "Pasar Waru", "Cabai Rawit Merah", "kg", 95000],
            ["04/11/2026", "Pasar Waru", "Cabai Rawit Merah", "kg", 97000],
        ],
    )
    [r] = ingest_files([path], settings, as_of=AS_OF)
    assert (r.status, r.rows_accepted, r.rows_flagged) == ("loaded", 3, 1)
    later = long_sheet(tmp_path / "drop.xlsx", [["05/11/2026", "Pasar Waru", "Cabai Rawit Merah", "kg", 40000]])
    [r] = ingest_files([later], settings, as_of=AS_OF)
    assert r.rows_flagged == 1  # against the previous observation already in the warehouse
    assert committed(
        settings,
        "SELECT strftime(observed_on, '%d'), flags FROM core.price_observations WHERE flags IS NOT NULL ORDER BY 1",
    ) == [("03", "lonjakan_harian"), ("05", "lonjakan_harian")]


@BOTH_STORAGES
def test_original_archived_by_file_id_and_comments_in_indonesian(settings):
    [r] = ingest_files([WARU], settings, as_of=AS_OF)
    archived = settings.archive_dir / r.file_id[:2] / f"{r.file_id}.csv"
    assert archived.read_bytes() == WARU.read_bytes()
    publish(settings)
    comments = dict(
        published(
            settings,
            "SELECT column_name, comment FROM duckdb_columns() "
            "WHERE schema_name = 'core' AND table_name = 'price_observations'",
        )
    )
    assert comments["price_idr"] == "Harga eceran dalam rupiah per satuan"
    assert all(comments.values())
    [(n,)] = published(settings, "SELECT count(*) FROM ref.markets")
    assert n == 9


def _cli(*args, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "siharpa_pipeline.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_ingest_json_exit_codes_and_publish(settings):
    files = sorted(str(p) for p in PRICE_SAMPLES.iterdir())
    out = _cli("ingest", "--as-of", AS_OF.isoformat(), "--json", *files, data_dir=settings.data_dir)
    assert out.returncode == 2, out.stderr
    summary = json.loads(out.stdout)
    assert [s["file"] for s in summary] == [p.rsplit("/", 1)[1] for p in files]
    assert set(summary[0]) >= {
        "file",
        "file_id",
        "dataset",
        "status",
        "rows_accepted",
        "rows_rejected",
        "rows_missing",
        "rows_flagged",
        "error",
        "notes",
        "rejections",
    }
    by_name = {s["file"]: s for s in summary}
    assert by_name["contoh_rusak.xlsx"]["dataset"] == "unknown"
    assert by_name["contoh_rusak.xlsx"]["error"] == "unreadable_file"
    assert set(by_name["contoh_isian_bermasalah.xlsx"]["rejections"][0]) == {
        "sheet",
        "row",
        "column",
        "reason_code",
        "reasons",
        "raw_value",
        "message",
        "column_index",
    }
    assert "Traceback" not in out.stderr
    # published once, failures included, so they are visible
    [(failed,)] = query(settings.serving_path, "SELECT count(*) FROM audit.files WHERE status = 'failed'")
    assert failed == 3

    rebuilt = _cli("publish", "--full", data_dir=settings.data_dir)
    assert rebuilt.returncode == 0 and "Indikator diperbarui" in rebuilt.stdout
    assert query(settings.serving_path, "SELECT mode FROM audit.mart_refreshes ORDER BY refreshed_at DESC LIMIT 1") == [
        ("full",)
    ]
    again = _cli("ingest", "--as-of", AS_OF.isoformat(), str(WARU), data_dir=settings.data_dir)
    assert again.returncode == 0 and "duplikat" in again.stdout
    partial = _cli(
        "ingest",
        "--as-of",
        AS_OF.isoformat(),
        "--dataset",
        "prices",
        "--no-publish",
        str(PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx"),
        data_dir=settings.data_dir,
    )
    assert partial.returncode == 0  # a duplicate: its rejections were reported the first time


def test_cli_validate_writes_nothing_and_reports_in_indonesian(settings):
    out = _cli(
        "validate",
        "--as-of",
        AS_OF.isoformat(),
        str(PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx"),
        data_dir=settings.data_dir,
    )
    assert out.returncode == 1
    assert "dimuat sebagian" in out.stdout and "baris 8, kolom Harga" in out.stdout
    assert not settings.warehouse_path.exists()
    bad = _cli("validate", str(PRICE_SAMPLES / "contoh_rusak.xlsx"), data_dir=settings.data_dir)
    assert bad.returncode == 2 and "gagal dibaca" in bad.stdout and "Traceback" not in bad.stderr


def test_cli_gives_up_on_a_busy_warehouse_with_a_message(settings):
    with storage(settings).lock():
        out = subprocess.run(
            [sys.executable, "-m", "siharpa_pipeline.cli", "ingest", str(WARU), "--data-dir", str(settings.data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "SIHARPA_LOCK_TIMEOUT": "1"},
        )
    assert out.returncode == 3
    assert "sedang dipakai proses lain" in out.stderr and "Traceback" not in out.stderr


def test_a_file_is_read_and_judged_without_holding_the_writer(settings, tmp_path):
    """Reading a large file takes a while; another writer (a Dagster run, the CLI) is not kept waiting for it,
    only for the store itself."""
    import datetime as dt
    import threading

    from helpers import long_csv

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(300)]
    big = long_csv(tmp_path / "harga_setahun.csv", days)  # 300 days x 9 markets x 24 commodities
    ingest_files([WARU], settings, as_of=AS_OF)  # the warehouse exists: its lock is all there is to wait for
    loading = threading.Thread(target=ingest_files, args=([big], settings), kwargs={"as_of": AS_OF})
    loading.start()
    archived = settings.archive_dir / (file_id := file_id_of(big.read_bytes()))[:2] / f"{file_id}.csv"
    free_while_reading = 0
    while loading.is_alive():
        try:
            with storage(settings).lock(timeout_s=0):  # taken in and kept, not yet stored: being read
                if archived.exists() and not receipts(settings, big.name):
                    free_while_reading += 1
        except WriterBusy:  # the store has it
            pass
        time.sleep(0.05)
    loading.join()
    assert free_while_reading > 0 and receipts(settings, big.name) == [("loaded",)]


def receipts(settings, name):
    """Read while holding the lock (or after): no writer has the file open."""
    return query(settings.warehouse_path, "SELECT status FROM audit.files WHERE file_name = ?", [name])
