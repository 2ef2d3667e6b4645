"""The warehouse as a DuckLake (PostgreSQL catalog, Parquet data), issue 17 — work in progress on this branch:
the same files give the same tables as the one-file default."""

import itertools
import os
import subprocess
import sys

import pytest
from postgres_server import create_database, postgres

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.lake import setup
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import LAKE_DATA_ENV, LAKE_ENV, storage

from conftest import AS_OF, PRICE_SAMPLES

_names = itertools.count()


@pytest.fixture(scope="module")
def pg_port():
    with postgres() as port:
        yield port


@pytest.fixture
def lake(pg_port, tmp_path, monkeypatch):
    """A fresh lake: its own catalog database and Parquet folder."""
    dsn = create_database(pg_port, f"lake_{os.getpid()}_{next(_names)}")
    monkeypatch.setenv(LAKE_ENV, f"ducklake:postgres:{dsn}")
    monkeypatch.setenv(LAKE_DATA_ENV, str(tmp_path / "parquet") + "/")
    settings = Settings(tmp_path / "lake_data")
    setup(settings)
    return settings


TABLES = {
    "core.price_observations": "SELECT observed_on, market_id, commodity_id, price_idr, unit, sheet, source_row, "
    "flags FROM core.price_observations ORDER BY ALL",
    "audit.rejections": "SELECT sheet, source_row, source_column, reason_code, message FROM audit.rejections "
    "ORDER BY ALL",
    "mart.price_ppu_daily": "SELECT * FROM mart.price_ppu_daily ORDER BY ALL",
    "mart.price_changes": "SELECT * FROM mart.price_changes ORDER BY ALL",
}


def tables(settings: Settings) -> dict[str, list[tuple]]:
    """Doubles to 9 significant digits: sums over rows in another order differ in the last bits."""
    with storage(settings).snapshot() as con:
        return {
            name: [
                tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)
                for row in con.execute(sql).fetchall()
            ]
            for name, sql in TABLES.items()
        }


def test_the_samples_give_the_same_tables_on_a_lake(lake, tmp_path, monkeypatch):
    files = sorted(PRICE_SAMPLES.iterdir())
    ingest_files(files, lake, as_of=AS_OF)
    publish(lake)
    on_lake = tables(lake)
    monkeypatch.delenv(LAKE_ENV)
    default = Settings(tmp_path / "file_data")
    ingest_files(files, default, as_of=AS_OF)
    publish(default)
    assert on_lake == tables(default)
    assert len(on_lake["core.price_observations"]) > 1000 and on_lake["mart.price_changes"]


def test_readers_see_the_published_snapshot_not_a_load_after_it(lake):
    files = sorted(PRICE_SAMPLES.iterdir())
    first, later = [f for f in files if "oktober" in f.name], [f for f in files if "waru" in f.name]
    ingest_files(first, lake, as_of=AS_OF)
    publish(lake)
    count = "SELECT count(*) FROM core.price_observations"
    with storage(lake).snapshot() as con:
        published = con.execute(count).fetchone()[0]
    assert published == 1116  # the October recap
    ingest_files(later, lake, as_of=AS_OF)  # loaded, not yet published
    with storage(lake).writer() as con:
        assert con.execute(count).fetchone()[0] == 1116 + 140
    with storage(lake).snapshot() as con:
        assert con.execute(count).fetchone()[0] == published  # a reader never sees an unpublished load
    publish(lake)
    with storage(lake).snapshot() as con:
        assert con.execute(count).fetchone()[0] == 1116 + 140
        assert con.execute("SELECT count(*) FROM audit.publications WHERE snapshot_id IS NOT NULL").fetchone()[0] >= 1


def test_a_lake_not_set_up_refuses_writers_with_a_message(pg_port, tmp_path, monkeypatch):
    monkeypatch.setenv(LAKE_ENV, "ducklake:postgres:" + create_database(pg_port, f"bare_{os.getpid()}"))
    monkeypatch.setenv(LAKE_DATA_ENV, str(tmp_path / "parquet") + "/")
    out = cli("ingest", str(PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"), data_dir=tmp_path / "data")
    assert out.returncode == 2 and "jalankan siharpa lake setup" in out.stderr and "Traceback" not in out.stderr
    assert cli("lake", "setup", data_dir=tmp_path / "data").returncode == 0
    assert (
        cli("ingest", str(PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"), data_dir=tmp_path / "data").returncode
        == 0
    )


def cli(*args, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "siharpa_pipeline.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
