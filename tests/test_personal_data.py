"""No caller's phone number survives a real run: the 112 sample goes through the sensor and its Dagster job on a
persistent instance, with the service log written to a file; then every text value in the warehouse and the
serving file, and the raw bytes of every file the run left behind, are searched for phone numbers."""

import csv
import io
import logging
import re
import unicodedata

import dagster as dg
import duckdb
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assets.definitions import build_definitions
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.privacy import MASK, mask_phone_numbers
from siharpa_pipeline.storage import storage

from conftest import AS_OF, BOTH_STORAGES, EXPECTED, SAMPLES, query
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


def text_values(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table.column, value) for every text value of every table of every attached database (on a lake also its
    catalog in PostgreSQL, which keeps each Parquet column's minimum and maximum)."""
    columns = con.execute(
        "SELECT database_name, schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE data_type = 'VARCHAR' AND NOT internal"
    ).fetchall()
    return [
        (f"{s}.{t}.{c}" if d in ("lake", "warehouse", "serving") else f"{d}.{s}.{t}.{c}", v)
        for d, s, t, c in columns
        for (v,) in con.execute(f'SELECT DISTINCT "{c}" FROM "{d}"."{s}"."{t}" WHERE "{c}" IS NOT NULL').fetchall()
    ]


@BOTH_STORAGES
def test_no_phone_number_in_any_table(settings, loaded):
    store = storage(settings)
    for opened in (store.writer, store.snapshot):
        with opened() as con:
            values = text_values(con)
        assert ("core.calls_112.call_id", "112-20261001-00001") in values  # the data is there
        hashes = [v for col, v in values if col == "core.calls_112.caller_hash"]
        assert len(hashes) > 1000 and all(HASH.match(h) for h in hashes)
        found = [(col, v) for col, v in values if not col.endswith("caller_hash") and PHONE.search(v)]
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


# --- every spelling of a number, in every text column ----------------------------------------------------------

SEPARATORS = [" ", "-", ".", "/", "_", ",", "·", "–", "\u2010", "\u2011", " - ", ") ", "\u3000", "  "]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def spelled_numbers(draw) -> tuple[str, str]:
    """(a phone number as someone typed it, its digits after the leading 0)."""
    mobile = draw(st.booleans())
    rest = draw(st.text("0123456789", min_size=7 if not mobile else 8, max_size=11))
    significant = ("8" if mobile else draw(st.sampled_from(["21", "542", "541", "274"]))) + rest
    prefix = draw(st.sampled_from(["0", "+62", "62", "0062", "+62 (", "(0", "+62-", "+62 "]))
    cuts = sorted(draw(st.sets(st.integers(1, len(significant) - 1), max_size=4)))
    groups = [significant[a:b] for a, b in zip([0, *cuts], [*cuts, len(significant)])]
    typed = prefix + "".join(
        g + (draw(st.sampled_from(SEPARATORS)) if i < len(groups) - 1 else "") for i, g in enumerate(groups)
    )
    if draw(st.booleans()):
        typed = typed.translate(FULL_WIDTH)
    return typed, significant


@hypothesis_settings(max_examples=400, deadline=None)
@given(spelled_numbers(), st.text("abcdefghij KLMN:.", max_size=20), st.text("abcdefghij KLMN.", max_size=20))
def test_no_spelling_of_a_phone_number_survives_masking(number, before, after):
    typed, significant = number
    masked = mask_phone_numbers(f"{before} {typed} {after}")
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", masked) if ch.isdigit())
    assert significant not in digits and MASK in masked


ATTACK_SPELLINGS = [
    "(0812) 3456-7890",
    "+62 (812) 3456 7890",
    "0812/3456/7890",
    "0812_3456_7890",
    "0812,3456,7890",
    "0812·3456·7890",
    "0812–3456–7890",
    "0812\u20103456\u20107890",
    "０８１２３４５６７８９０",
    "0062 812 3456 7890",
    "+628123456789012",
    "(0542) 7201234",
]


def test_the_spellings_found_in_the_attack_are_masked_and_ordinary_numbers_are_not():
    for typed in ATTACK_SPELLINGS:
        assert mask_phone_numbers(f"pelapor {typed}.") == f"pelapor {MASK}."
    ordinary = "ID 112-20261001-00001, tanggal 02/11/2026, Rp 150.000, 3 orang, kode 64.09.01.2001"
    assert mask_phone_numbers(ordinary) == ordinary


def test_phone_numbers_in_any_text_column_of_a_112_log_are_masked(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("SIHARPA_PII_KEY", "personal-data-test-key-0123456789")
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    rows[1][0], rows[1][4] = "081234567890", "hubungi (0812) 3456-7890"
    rows[1][9], rows[1][13] = "Polres 0062 812 3456 7890", "Selesai, telp ０８１２３４５６７８９０"
    path = tmp_path / "log_112.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert result.status in ("loaded", "partially_loaded")
    [row] = query(
        settings.warehouse_path, "SELECT call_id, description, agency, status FROM core.calls_112 WHERE source_row = 2"
    )
    assert row == (MASK, f"hubungi {MASK}", f"Polres {MASK}", f"Selesai, telp {MASK}")
