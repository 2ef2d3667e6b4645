"""The warehouse as a DuckLake (PostgreSQL catalog, Parquet data) on a real PostgreSQL: the same files give the
same tables as the one-file default; writers of two regions at once, a killed writer, readers during loads,
extracts, dashboards, moving a warehouse in, upkeep, and Dagster's own state in PostgreSQL across a restart.
(The behaviour tests marked BOTH_STORAGES in other modules run on a lake too.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from postgres_server import create_database

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.lake import setup
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import LAKE_DATA_ENV, LAKE_ENV, detach_lakes, storage

from conftest import AS_OF, PRICE_SAMPLES, make_lake


@pytest.fixture
def pg_port(pg_server):
    return pg_server


@pytest.fixture
def lake(pg_server, tmp_path, monkeypatch):
    """A fresh lake: its own catalog database and Parquet folder."""
    settings = Settings(tmp_path / "lake_data")
    make_lake(settings, pg_server, monkeypatch)
    yield settings
    detach_lakes()


TABLES = {
    "core.price_observations": "SELECT observed_on, market_id, commodity_id, price_idr, unit, sheet, source_row, "
    "flags FROM core.price_observations ORDER BY ALL",
    "audit.rejections": "SELECT sheet, source_row, source_column, reason_code, message FROM audit.rejections "
    "ORDER BY ALL",
    "mart.price_ppu_daily": "SELECT * FROM mart.price_ppu_daily",
    "mart.price_changes": "SELECT * FROM mart.price_changes",
}


def tables(settings: Settings) -> dict[str, list[tuple]]:
    """Doubles to 9 significant digits (sums over rows in another order differ in the last bits), and rows
    sorted after rounding, since two rows equal but for those bits may come in either order."""
    with storage(settings).snapshot() as con:
        return {
            name: sorted(
                (
                    tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)
                    for row in con.execute(sql).fetchall()
                ),
                key=repr,
            )
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


def test_two_regions_load_at_once_as_one_after_the_other(pg_port, tmp_path, monkeypatch):
    """PPU's and Balikpapan's week, each loaded and published by its own writer process at the same time (as
    their Dagster runs do), give the tables and indicators of loading them one after the other."""
    import datetime as dt

    from siharpa_pipeline.ingest import import_pack
    from siharpa_pipeline.packs import active_reference

    from helpers import BALIKPAPAN, balikpapan_pack, long_csv

    pack = balikpapan_pack(tmp_path / "pack")
    week = [dt.date(2026, 11, 2) + dt.timedelta(days=i) for i in range(5)]
    results = {}
    for mode in ("concurrent", "sequential"):
        monkeypatch.setenv(LAKE_ENV, "ducklake:postgres:" + create_database(pg_port, f"{mode}_{os.getpid()}"))
        monkeypatch.setenv(LAKE_DATA_ENV, str(tmp_path / mode / "parquet") + "/")
        settings = Settings(tmp_path / mode / "data")
        setup(settings)
        import_pack(settings, pack)
        ref = active_reference(settings)
        ppu = long_csv(tmp_path / "harga_ppu.csv", week, ["pasar_induk_petung", "pasar_penajam", "pasar_waru"], 1)
        bpn = long_csv(tmp_path / "harga_bpn.csv", week, ["pasar_klandasan", "pasar_kebun_sayur"], 2, ref)
        if mode == "concurrent":  # two writer processes, one per region, each refreshing the indicators
            writers = [cli_process("ingest", str(f), data_dir=settings.data_dir) for f in (ppu, bpn)]
            assert [w.wait(300) for w in writers] == [0, 0], [w.stderr.read() for w in writers if w.stderr]
        else:
            ingest_files([ppu, bpn], settings, as_of=AS_OF)
        publish(settings)
        results[mode] = tables(settings)
        detach_lakes()
    assert results["concurrent"] == results["sequential"]
    assert len(results["concurrent"]["core.price_observations"]) == 5 * 5 * 24
    regions = {row[0] for row in results["concurrent"]["mart.price_ppu_daily"]}
    assert regions == {"64.09", BALIKPAPAN}


def cli_process(*args, data_dir):
    return subprocess.Popen(
        [sys.executable, "-m", "siharpa_pipeline.cli", *args, "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )


def test_a_killed_writer_leaves_the_lake_as_it_was_and_the_file_loads_on_retry(lake, tmp_path):
    import datetime as dt
    import signal
    import time

    from helpers import long_csv

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(300)]
    big = long_csv(tmp_path / "harga_setahun.csv", days)
    count = "SELECT (SELECT count(*) FROM core.price_observations), (SELECT count(*) FROM audit.files)"
    before = lake_state(lake, count)
    parquet = Path(os.environ[LAKE_DATA_ENV])
    written = set(parquet.rglob("*.parquet"))
    writer = cli_process("ingest", "--no-publish", str(big), data_dir=lake.data_dir)
    # the store has begun when its rows are written as Parquet: killed then, before its commit
    while writer.poll() is None and not set(parquet.rglob("*.parquet")) - written:
        time.sleep(0.005)
    writer.send_signal(signal.SIGKILL)
    writer.wait(60)
    after_kill = lake_state(lake, count)
    left_behind = set(parquet.rglob("*.parquet")) - written
    assert after_kill in (before, (before[0] + 64_800, before[1] + 1))  # all of the file or none of it
    assert cli("ingest", "--no-publish", str(big), data_dir=lake.data_dir).returncode == 0
    assert lake_state(lake, count)[0] == before[0] + 64_800

    # the killed writer's Parquet, which no commit took, goes with the lake's maintenance
    orphans = left_behind if after_kill == before else set()
    assert orphans or after_kill != before
    publish(lake)
    maintained = cli("lake", "maintain", "--days", "0", data_dir=lake.data_dir)
    assert maintained.returncode == 0 and "Danau data dirawat" in maintained.stdout
    assert not [p for p in orphans if p.exists()]
    with storage(lake).snapshot() as con:  # the published snapshot is still whole
        assert con.execute(count).fetchone()[0] == before[0] + 64_800


def lake_state(settings, sql):
    with storage(settings).writer() as con:  # what is committed, published or not
        return con.execute(sql).fetchone()


def test_readers_during_twenty_loads_see_no_error_and_no_half_load(lake, tmp_path):
    import datetime as dt
    import threading

    from helpers import long_csv

    days = [dt.date(2026, 10, 1) + dt.timedelta(days=i) for i in range(20)]
    files = [long_csv(tmp_path / f"harga_{d:%Y-%m-%d}.csv", [d], seed=i) for i, d in enumerate(days)]
    publish(lake)
    seen, errors, done = [], [], threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                with storage(lake).snapshot() as con:
                    seen.append(
                        con.execute(
                            "SELECT count(*), count(DISTINCT observed_on) FROM core.price_observations"
                        ).fetchone()
                    )
            except Exception as err:
                errors.append(repr(err))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i, f in enumerate(files, start=1):
            ingest_files([f], lake, as_of=AS_OF)
            if i % 5 == 0:  # a publication every fifth load: readers meet loads both published and not
                publish(lake)
    finally:
        done.set()
        reader.join(60)
    published = {(216 * n, n) for n in (0, 5, 10, 15, 20)}  # 9 markets x 24 commodities a day
    assert not errors and len(seen) > 20 and set(seen) <= published
    with storage(lake).snapshot() as con:
        assert con.execute("SELECT count(*), count(DISTINCT observed_on) FROM core.price_observations").fetchone() == (
            216 * 20,
            20,
        )


def test_a_one_file_warehouse_moves_into_a_lake_with_equal_counts_and_checksums(pg_port, tmp_path, monkeypatch):
    import duckdb

    from test_extracts import recomputed_checksum

    default = Settings(tmp_path / "file_data")
    ingest_files(sorted(PRICE_SAMPLES.iterdir()), default, as_of=AS_OF)
    publish(default)
    monkeypatch.setenv(LAKE_ENV, "ducklake:postgres:" + create_database(pg_port, f"moved_{os.getpid()}"))
    monkeypatch.setenv(LAKE_DATA_ENV, str(tmp_path / "parquet") + "/")
    out = cli("lake", "migrate", "--from", str(default.warehouse_path), data_dir=tmp_path / "lake_data")
    assert out.returncode == 0, out.stderr
    moved = dict((line.split(":")[0], line) for line in out.stdout.splitlines() if "sha256" in line)
    source = duckdb.connect(str(default.warehouse_path), read_only=True)
    for table in ("core.price_observations", "audit.files", "audit.rejections", "mart.price_ppu_daily"):
        rows = source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        order = "observed_on, market_id, commodity_id" if table == "core.price_observations" else "ALL"
        assert moved[table] == f"{table}: {rows} baris, sha256 {recomputed_checksum(source, table, order)}"
    assert "core.price_observations: 1475 baris" in out.stdout
    source.close()

    import shutil

    older = tmp_path / "lama.duckdb"  # a warehouse of an earlier version is upgraded first, not copied half
    shutil.copyfile(default.warehouse_path, older)
    with duckdb.connect(str(older)) as con:
        con.execute("UPDATE audit.schema_version SET version = '0.4.0'")
    refused = cli("lake", "migrate", "--from", str(older), data_dir=tmp_path / "lake_data")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "berversi 0.4.0" in refused.stderr + refused.stdout and "siharpa publish --full" in refused.stderr


def test_an_extract_of_the_lake_records_its_snapshot(lake, tmp_path):
    import duckdb

    from siharpa_pipeline.extracts import Scope, build_extract

    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"], lake, as_of=AS_OF)
    publish(lake)
    with storage(lake).snapshot() as con:
        [(snapshot,)] = con.execute("SELECT * FROM ducklake_current_snapshot('lake')").fetchall()
    ingest_files([PRICE_SAMPLES / "rekap_harga_oktober_2026.xlsx"], lake, as_of=AS_OF)  # not published
    entries = build_extract(lake, tmp_path / "bappeda.duckdb", Scope(datasets=("prices",)))
    assert {e.snapshot_id for e in entries} == {snapshot}
    extract = duckdb.connect(str(tmp_path / "bappeda.duckdb"), read_only=True)
    assert extract.execute("SELECT count(*) FROM core.price_observations").fetchone()[0] == 140
    assert extract.execute("SELECT DISTINCT snapshot_id FROM main._manifest").fetchall() == [(snapshot,)]


def test_the_dashboards_read_the_lake_as_they_read_the_file(lake, tmp_path, monkeypatch):
    from test_dashboards import SAMPLES, metrics, page

    files = [PRICE_SAMPLES / s for s in SAMPLES]
    shown = {}
    for name, settings in (("lake", lake), ("file", Settings(tmp_path / "file_data"))):
        if name == "file":
            monkeypatch.delenv(LAKE_ENV)
        ingest_files(files, settings, as_of=AS_OF)
        publish(settings)
        monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
        shown[name] = (metrics(page("ringkasan")), page("harga").dataframe[0].value.to_dict("records"))
    assert shown["lake"] == shown["file"] and shown["lake"][1]


def dagster_services(port: int) -> list[subprocess.Popen]:
    """The deployment's two long-lived processes: the daemon (sensors, run queue) and the webserver."""
    from helpers import ROOT

    bin_dir = Path(sys.executable).parent
    commands = (
        [str(bin_dir / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        [str(bin_dir / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
    )
    return [
        subprocess.Popen(c, cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c in commands
    ]


def stop(services: list[subprocess.Popen]) -> None:
    for service in services:
        service.terminate()
    for service in services:
        service.wait(60)


def failures(records) -> list[str]:
    """What went wrong in failed runs, for the assertion message."""
    import dagster as dg

    instance = dg.DagsterInstance.get()
    return [
        str(e.dagster_event.event_specific_data if e.dagster_event else e.user_message)[:2000]
        for r in records
        for e in instance.all_logs(r.dagster_run.run_id)
        if e.dagster_event and e.dagster_event.is_failure
    ] + [
        e.user_message[:2000]
        for r in records
        for e in instance.all_logs(r.dagster_run.run_id)
        if e.dagster_event and e.dagster_event.event_type_value in ("ENGINE_EVENT", "RUN_FAILURE")
    ]


def sensor_record(instance) -> tuple[str, list]:
    """The price inbox sensor's stored cursor and its ticks, newest first."""
    [state] = [s for s in instance.all_instigator_state() if s.name == "prices_inbox_sensor"]
    return state.instigator_data.cursor, instance.get_ticks(state.instigator_origin_id, state.selector_id)


def runs_shown(port: int) -> set[tuple[str, str]]:
    """(run id, status) of every run, as the webserver's GraphQL API gives them."""
    import urllib.request

    body = json.dumps({"query": "{ runsOrError { ... on Runs { results { runId status } } } }"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        results = json.load(response)["data"]["runsOrError"]["results"]
    return {(r["runId"], r["status"]) for r in results}


def test_dagster_on_postgresql_keeps_runs_and_sensor_cursor_across_a_restart(lake, pg_port, tmp_path, monkeypatch):
    """The deployment's dagster.yaml on a real PostgreSQL, with a real daemon and webserver loading a lake: runs
    of one region one after the other, and after both services restart the runs and the sensor's cursor are
    there (no file loaded twice), and a file dropped while they were down is loaded once."""
    import shutil
    import time

    import dagster as dg

    from helpers import ROOT, drop, free_port, http_ok, wait_for

    create_database(pg_port, "dagster")
    for name, value in (
        ("HOST", "127.0.0.1"),
        ("PORT", str(pg_port)),
        ("USER", "postgres"),
        ("PASSWORD", ""),
        ("DB", "dagster"),
    ):
        monkeypatch.setenv(f"DAGSTER_PG_{name}", value)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(ROOT / "deploy" / "dagster-postgres.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(lake.data_dir))
    inbox = lake.inbox("prices")
    for name in ("harga_pasar_waru_november_2026.csv", "rekap_harga_oktober_2026.xlsx"):
        drop(PRICE_SAMPLES / name, inbox)

    def finished(count: int):
        records = dg.DagsterInstance.get().get_run_records()
        done = [
            r for r in records if r.dagster_run.status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE)
        ]
        return records if len(done) >= count and len(records) == len(done) else None

    port = free_port()
    services = dagster_services(port)
    try:
        first = wait_for(lambda: finished(2), 300, "the two PPU files' runs")
        wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/server_info"), 60, "the webserver")
        before = runs_shown(port)
    finally:
        stop(services)
    assert {r.dagster_run.status for r in first} == {dg.DagsterRunStatus.SUCCESS}, failures(first)
    assert {r.dagster_run.tags["siharpa/region"] for r in first} == {"64.09"}
    # one region, one writer: the second run started after the first ended
    spans = sorted((r.start_time, r.end_time) for r in first)
    assert spans[0][1] <= spans[1][0]
    # what the daemon wrote, read back by a new instance with both services down: the sensor's cursor is the
    # one its last tick computed, and its ticks are kept
    cursor, ticks = sensor_record(dg.DagsterInstance.get())
    assert ticks and cursor == ticks[0].cursor and json.loads(cursor) is not None

    drop(PRICE_SAMPLES / "rekap_harga_harian_2026-11-09.xlsx", inbox)  # arrives while Dagster is down
    port = free_port()
    services = dagster_services(port)
    try:
        wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/server_info"), 60, "the webserver")
        assert before <= runs_shown(port)  # the runs before the restart, as they were
        _, ticks_now = sensor_record(dg.DagsterInstance.get())
        assert {t.tick_id for t in ticks} <= {t.tick_id for t in ticks_now}  # the ticks before, still there
        after = wait_for(lambda: finished(3), 300, "the run of the file dropped during the restart")
        time.sleep(15)  # more sensor ticks: nothing loaded before is requested again
        assert len(dg.DagsterInstance.get().get_run_records()) == 3
    finally:
        stop(services)
    assert {r.dagster_run.status for r in after} == {dg.DagsterRunStatus.SUCCESS}, failures(after)
    assert not [p for p in inbox.iterdir() if p.is_file()]
    with storage(lake).snapshot() as con:
        assert con.execute("SELECT count(DISTINCT file_id) FROM audit.files").fetchone()[0] == 3


def test_the_nightly_maintenance_merges_files_and_keeps_what_readers_see(lake, monkeypatch):
    import dagster as dg

    from assets.definitions import build_definitions

    files = sorted(PRICE_SAMPLES.iterdir())
    ingest_files(files, lake, as_of=AS_OF)  # one load each: small Parquet files
    publish(lake)
    before = tables(lake)
    defs = build_definitions(lake)
    assert defs.resolve_schedule_def("nightly_lake_maintenance").execution_timezone == "Asia/Makassar"
    result = defs.resolve_job_def("maintenance_job").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert tables(lake) == before
    publish(lake)  # a publication after the merge reads the merged files
    assert tables(lake) == before
    monkeypatch.delenv(LAKE_ENV)
    assert "maintenance_job" not in {job.name for job in build_definitions(lake).jobs}


def test_the_multi_machine_files_fit_together():
    """deploy/: what the compose file's services run exists in the image, and the Dagster settings it gives
    are the ones dagster-postgres.yaml reads."""
    import re

    import yaml

    from helpers import ROOT

    deploy = ROOT / "deploy"
    compose = yaml.safe_load((deploy / "docker-compose.yml").read_text())
    copied = re.findall(r"^COPY (?:--\S+ )?(.+) \S+$", (deploy / "Dockerfile").read_text(), re.M)
    sources = {s for line in copied for s in line.split()}
    assert all((ROOT / s).exists() for s in sources), sources
    environment = compose["x-siharpa"]["environment"]
    assert set(re.findall(r"env: (\w+)", (deploy / "dagster-postgres.yaml").read_text())) <= set(environment)
    assert {"SIHARPA_LAKE", "SIHARPA_LAKE_DATA"} <= set(environment)
    workspace = yaml.safe_load((deploy / "workspace.yaml").read_text())
    [location] = workspace["load_from"]
    assert location["grpc_server"]["host"] == "code" and "code" in compose["services"]
    for service in ("webserver", "daemon"):
        assert "deploy/workspace.yaml" in compose["services"][service]["command"]
        assert "deploy/workspace.yaml" in sources
