"""Bappeda's extracts: what the manifest says is what the file holds, the values are the serving file's for the
filter, checksums verify when recomputed, dates filter at their edges, spreadsheets get no live formulas, and
the dictionary describes every published column."""

import datetime as dt
import hashlib
import json
import os
import re

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.session import login_guard
from siharpa_pipeline.access import User, hash_password, save_user
from siharpa_pipeline.cli import main
from siharpa_pipeline.extracts import Scope, build_extract
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings

from conftest import AS_OF, EXPECTED, PRICE_SAMPLES, SAMPLES, query

PHONE = re.compile(r"(?<!\d)(?:\+?62|0)[\s.\-]?8(?:[\s.\-]?\d){7,11}(?!\d)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    settings = Settings(tmp_path_factory.mktemp("extracts") / "data")
    formula = settings.data_dir.parent / "harga_pasar_waru_rumus.csv"
    formula.parent.mkdir(parents=True, exist_ok=True)
    formula.write_text(
        "Tanggal,Pasar,Komoditas,Satuan,Harga\n02/11/2026,Pasar Waru,=1+2,kg,15000\n"
        "02/11/2026,Pasar Waru,@SUM(A1),kg,15000\n"
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SIHARPA_PII_KEY", "extract-test-key-0123456789")
        ingest_files(
            [
                PRICE_SAMPLES / "rekap_harga_oktober_2026.xlsx",
                PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv",
                formula,
                *sorted((SAMPLES / "quick_wins").iterdir()),
            ],
            settings,
            as_of=AS_OF,
        )
    publish(settings)
    return settings


def open_ro(path):
    return duckdb.connect(str(path), read_only=True)


def recomputed_checksum(con, table: str, order_by: str) -> str:
    """The method the manifest states, done independently."""
    path = f"/tmp/recheck_{os.getpid()}.csv"
    con.execute(f"COPY (SELECT * FROM {table} ORDER BY {order_by}) TO '{path}' (FORMAT csv, HEADER true)")
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    os.unlink(path)
    return digest


def test_duckdb_extract_round_trip(served, tmp_path):
    out = tmp_path / "bappeda.duckdb"
    assert (
        main(
            [
                "extract",
                "--data-dir",
                str(served.data_dir),
                "--out",
                str(out),
                "--from",
                "2026-11-03",
                "--to",
                "2026-11-05",
            ]
        )
        == 0
    )
    con = open_ro(out)
    manifest = con.execute("SELECT * FROM main._manifest").df().set_index("table_name")
    tables = {
        f"{s}.{t}"
        for s, t in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name <> 'main'"
        ).fetchall()
    }
    assert tables == set(manifest.index)
    assert {
        "ref.commodities",
        "core.price_observations",
        "core.calls_112",
        "mart.price_ppu_daily",
        "mart.waste_units_monthly",
        "mart.indicator_achievement",
    } <= tables
    assert not any(t.startswith("audit.") for t in tables) and "core.price_observation_history" not in tables
    for table, row in manifest.iterrows():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == row["row_count"]
        assert recomputed_checksum(con, table, row["order_by"]) == row["sha256"], table
    [(version, published)] = query(
        served.serving_path, "SELECT max(pipeline_version), max(published_at)::VARCHAR FROM audit.publications"
    )
    assert set(manifest["pipeline_version"]) == {version} and set(manifest["published_at"]) == {published}
    assert manifest.loc["core.price_observations", ["first_date", "last_date"]].tolist() == ["2026-11-03", "2026-11-05"]
    assert manifest.loc["core.price_observations", "order_by"] == "observed_on, market_id, commodity_id"
    assert manifest.loc["ref.commodities", "order_by"] == "ALL"
    src = open_ro(served.serving_path)
    for table, where in (
        ("core.price_observations", "observed_on BETWEEN '2026-11-03' AND '2026-11-05'"),
        ("mart.price_monthly", "month = DATE '2026-11-01'"),
        ("mart.stability_headline", "year = 2026"),
        ("ref.commodities", "true"),
    ):
        mine = con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
        theirs = src.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY ALL").df()
        pd.testing.assert_frame_equal(mine, theirs)
    assert manifest.loc["core.calls_112", "row_count"] == 0  # October calls are outside the filter
    comment = "SELECT comment FROM duckdb_columns() WHERE table_name = 'price_observations' AND column_name = ?"
    assert (
        con.execute(comment, ["price_idr"]).fetchone()
        == src.execute(comment, ["price_idr"]).fetchone()
        == ("Harga eceran dalam rupiah per satuan",)
    )


def test_date_filters_at_the_edges(served, tmp_path):
    scope = Scope(("calls_112", "waste_deposits", "tourism_visits"), dt.date(2026, 10, 5), dt.date(2026, 10, 7))
    build_extract(served, tmp_path / "e.duckdb", scope)
    con, src = open_ro(tmp_path / "e.duckdb"), open_ro(served.serving_path)
    calls = con.execute("SELECT min(received_at), max(received_at), count(*) FROM core.calls_112").fetchone()
    expected = src.execute(
        "SELECT min(received_at), max(received_at), count(*) FROM core.calls_112 "
        "WHERE received_at >= '2026-10-05' AND received_at < '2026-10-08'"
    ).fetchone()
    assert calls == expected and calls[0].date() == dt.date(2026, 10, 5) and calls[1].date() == dt.date(2026, 10, 7)
    days = {d for (d,) in con.execute("SELECT DISTINCT deposited_on FROM core.waste_deposits").fetchall()}
    assert min(days) == dt.date(2026, 10, 5) and max(days) == dt.date(2026, 10, 7)
    # a month counts when the period touches it
    assert con.execute("SELECT DISTINCT month FROM core.tourism_visits").fetchall() == [(dt.date(2026, 10, 1),)]
    assert "core.price_observations" not in {
        t for (t,) in con.execute("SELECT table_name FROM main._manifest").fetchall()
    }


def test_parquet_and_csv_folders_with_manifest(served, tmp_path):
    for fmt in ("parquet", "csv"):
        out = tmp_path / f"ekstrak_{fmt}"
        entries = build_extract(served, out, Scope(with_audit=True), fmt)
        manifest = json.loads((out / "manifest.json").read_text())
        assert [t["table_name"] for t in manifest["tables"]] == [e.table_name for e in entries]
        for table in manifest["tables"]:
            path = out / table["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == table["file_sha256"]
            reader = "read_parquet" if fmt == "parquet" else "read_csv"
            assert duckdb.sql(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0] == table["row_count"]
    rejections = (tmp_path / "ekstrak_csv" / "audit.rejections.csv").read_text()
    assert "'=1+2" in rejections and "'@SUM(A1)" in rejections and "\n=1+2" not in rejections
    prices = tmp_path / "ekstrak_csv" / "core.price_observations.csv"
    assert str(duckdb.sql(f"SELECT price_idr FROM read_csv('{prices}')").types[0]) != "VARCHAR"  # still numbers


def test_excel_workbook_neutralises_formulas_and_keeps_numbers(served, tmp_path):
    out = tmp_path / "ekstrak.xlsx"
    build_extract(served, out, Scope(datasets=("prices",), with_audit=True), "xlsx")
    manifest = json.loads((tmp_path / "ekstrak_manifest.json").read_text())
    book = openpyxl.load_workbook(out, read_only=True)
    assert set(book.sheetnames) == {t["sheet"] for t in manifest["tables"]}
    rejected = [r for r in book["audit.rejections"].iter_rows(values_only=True)]
    raw = rejected[0].index("raw_value")
    assert {r[raw] for r in rejected[1:]} >= {"'=1+2", "'@SUM(A1)"}
    prices = list(book["core.price_observations"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert isinstance(prices[3], (int, float)) and prices[3] > 0


def test_extracts_hold_no_phone_numbers(served, tmp_path):
    build_extract(served, tmp_path / "all.duckdb", Scope(with_audit=True))
    con = open_ro(tmp_path / "all.duckdb")
    numbers = set(EXPECTED["log_panggilan_112_2026-10.csv"]["phone_numbers"])
    # hex digits, which can look like a number: hashes and random ids (a receipt_id once held "0825343549918")
    hashes = ("caller_hash", "sha256", "file_id", "receipt_id", "import_id")
    for schema, table, column in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE data_type = 'VARCHAR'"
    ).fetchall():
        if column in hashes:
            continue
        for (value,) in con.execute(
            f'SELECT DISTINCT "{column}" FROM {schema}.{table} WHERE "{column}" IS NOT NULL'
        ).fetchall():
            assert not PHONE.search(value) and value not in numbers, (table, column)


def test_dictionary_describes_every_published_column(served, tmp_path):
    assert main(["dictionary", "--data-dir", str(served.data_dir), "--out", str(tmp_path / "kamus.md")]) == 0
    text = (tmp_path / "kamus.md").read_text()
    con = open_ro(served.serving_path)
    for schema, table, column, comment in con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name IN ('ref', 'core', 'mart')"
    ).fetchall():
        assert f"### {schema}.{table}" in text
        assert comment, f"{schema}.{table}.{column} has no description"
    assert "| price_idr | DECIMAL(14,2) | rupiah | Harga eceran dalam rupiah per satuan |" in text
    assert "| per_10k_residents | DOUBLE | per 10.000 penduduk |" in text
    assert main(["dictionary", "--data-dir", str(served.data_dir), "--out", str(tmp_path / "kamus.html")]) == 0
    assert "<h2 id='core.calls_112'>core.calls_112</h2>" in (tmp_path / "kamus.html").read_text()


def test_extract_page_for_analysts_only(served, tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    save_user(users, User("analis", "Analis TPID", "analyst", (), hash_password("rahasia-pasar-2026", 4)))
    save_user(users, User("siti", "Siti", "enumerator", ("pasar_waru",), hash_password("rahasia-pasar-2026", 4)))
    monkeypatch.setenv("SIHARPA_USERS_FILE", str(users))
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(served.data_dir))
    login_guard.clear()

    def logged_in(username):
        at = AppTest.from_file(
            os.path.join(os.path.dirname(__file__), "..", "dashboards", "app.py"), default_timeout=60
        ).run()
        at.switch_page("app_pages/masuk.py").run()
        at.text_input[0].input(username)
        at.text_input[1].input("rahasia-pasar-2026")
        at.button[0].click().run()
        return at

    with pytest.raises(ValueError, match="Could not find a navigation page"):
        logged_in("siti").switch_page("app_pages/ekstrak.py")
    at = logged_in("analis")
    at.switch_page("app_pages/ekstrak.py").run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert shown.set_index("Tabel").loc["core.waste_deposits", "Baris"] == str(
        EXPECTED["setoran_bank_sampah_2026-10.xlsx"]["rows"]
    )
    [download] = [b for b in at.get("download_button") if b.label.startswith("Unduh siharpa_ekstrak_")]
    assert download.label.endswith(".duckdb")
    made = list((served.data_dir / "extracts" / "analis").glob("*.duckdb"))
    assert len(made) == 1 and open_ro(made[0]).execute("SELECT count(*) FROM main._manifest").fetchone()[0] == len(
        shown
    )
