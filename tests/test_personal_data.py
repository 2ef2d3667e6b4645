"""No caller's phone number survives a real run: the 112 sample goes through the sensor and its Dagster job on a
persistent instance, with the service log written to a file; then every text value in the warehouse and the
serving file, and the raw bytes of every file the run left behind, are searched for phone numbers."""

import logging
import re

import dagster as dg
import duckdb
import pytest

from assets.definitions import build_definitions

from conftest import EXPECTED, SAMPLES
from helpers import drop, load_from_inbox

SAMPLE = SAMPLES / "quick_wins" / "log_panggilan_112_2026-10.csv"
NUMBERS = EXPECTED[SAMPLE.name]["phone_numbers"]
PHONE = re.compile(r"(?<!\d)(?:\+?62|0)[\s.\-]?8(?:[\s.\-]?\d){7,11}(?!\d)")
HASH = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture
def loaded(settings, tmp_path, monkeypatch):
    """The 112 sample loaded as production loads it; yields the folders the run wrote."""
    monkeypatch.setenv("SIHARPA_PII_KEY", "personal-data-test-key-0123456789")
    log_file = tmp_path / "logs" / "siharpa.log"
    log_file.parent.mkdir()
    handler = logging.FileHandler(log_file)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)
    (tmp_path / "dagster").mkdir()
    instance = dg.DagsterInstance.local_temp(tempdir=str(tmp_path / "dagster"))
    try:
        drop(SAMPLE, settings.inbox("calls_112"))
        _, result = load_from_inbox(build_definitions(settings), instance, "calls_112", "calls_112_file_job")
        assert result.success
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        instance.dispose()
    yield [settings.data_dir, tmp_path / "dagster", log_file.parent]


def text_values(path) -> list[tuple[str, str]]:
    """(table.column, value) for every text value of every table."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns = con.execute("SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
                              "WHERE data_type = 'VARCHAR' AND NOT internal").fetchall()
        return [(f"{t}.{c}", v) for t, c in columns
                for (v,) in con.execute(f'SELECT DISTINCT "{c}" FROM {t} WHERE "{c}" IS NOT NULL').fetchall()]
    finally:
        con.close()


def test_no_phone_number_in_any_table(settings, loaded):
    for path in (settings.warehouse_path, settings.serving_path):
        values = text_values(path)
        assert ("core.calls_112.call_id", "112-20261001-00001") in values  # the data is there
        hashes = [v for col, v in values if col == "core.calls_112.caller_hash"]
        assert len(hashes) > 1000 and all(HASH.match(h) for h in hashes)
        found = [(col, v) for col, v in values if col != "core.calls_112.caller_hash" and PHONE.search(v)]
        assert found == []
        numbers = set(NUMBERS)
        assert not [(col, v) for col, v in values if any(n in v for n in numbers if n[:4] in v)]


def test_no_phone_number_in_any_file_the_run_wrote(settings, loaded):
    archive = settings.archive_dir
    files = [p for root in loaded for p in root.rglob("*") if p.is_file() and archive not in p.parents]
    assert any(p.name == "serving.duckdb" for p in files)
    assert any(p.suffix == ".db" for p in files)  # Dagster's run and event storage
    assert (loaded[2] / "siharpa.log").exists()
    needles = [n.encode() for n in NUMBERS] + [n.encode("utf-16-le") for n in NUMBERS]
    leaks = [(p.name, n) for p in files for data in [p.read_bytes()] for n in needles if n in data]
    assert leaks == []
    # the original is kept, but readable by the service account only
    [original] = [p for p in archive.rglob("*") if p.is_file()]
    assert original.stat().st_mode & 0o777 == 0o600
