"""A load killed mid-way (SIGKILL of the run's process) changes nothing, and the file is loaded again."""

import datetime as dt
import fcntl
import json
import os
import signal
import subprocess
import sys
import time

import dagster as dg

from assets.definitions import build_definitions
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.settings import Settings, today_wita

from conftest import PRICE_SAMPLES, query
from helpers import drop, long_csv
from test_dagster import execute, tick

RUN_IN_CHILD = """
import json, os, sys
import dagster as dg
from assets.definitions import build_definitions
request = json.loads(sys.argv[1])
job = build_definitions().resolve_job_def("price_file_job")
job.execute_in_process(partition_key=request["partition_key"], run_config=request["run_config"],
                       instance=dg.DagsterInstance.get(), tags={"dagster/run_key": request["run_key"]})
"""
CORE = (
    "SELECT observed_on, market_id, commodity_id, price_idr, unit, file_id, sheet, source_row, flags "
    "FROM core.price_observations ORDER BY ALL"
)


def writer_lock_held(settings: Settings) -> bool:
    with open(settings.writer_lock_path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def test_killed_load_changes_nothing_and_is_loaded_again(settings, tmp_path, monkeypatch):
    yesterday = today_wita() - dt.timedelta(days=1)
    days = [yesterday - dt.timedelta(days=i) for i in range(2500)]
    big = long_csv(tmp_path / "harga_semua_pasar.csv", days)  # 2500 days x 9 markets x 24 = 540k rows
    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"], settings)
    before = query(settings.warehouse_path, CORE)
    receipts_before = query(settings.warehouse_path, "SELECT count(*) FROM audit.files")

    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("SIHARPA_DEAD_RUN_GRACE_S", "0")
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.local_temp(tempdir=str(home))
    drop(big, settings.inbox("prices"))
    first = tick(defs, instance)
    [request] = first.run_requests

    env = {**os.environ, "DAGSTER_HOME": str(home), "SIHARPA_DATA_DIR": str(settings.data_dir)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUN_IN_CHILD,
            json.dumps(
                {"partition_key": request.partition_key, "run_config": request.run_config, "run_key": request.run_key}
            ),
        ],
        env=env,
    )
    deadline = time.monotonic() + 240
    while not writer_lock_held(settings):
        assert child.poll() is None and time.monotonic() < deadline, "the run never reached the warehouse"
        time.sleep(0.005)
    time.sleep(0.15)  # inside the load's transaction
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    assert query(settings.warehouse_path, CORE) == before
    assert query(settings.warehouse_path, "SELECT count(*) FROM audit.files") == receipts_before
    assert (settings.inbox("prices") / big.name).exists()  # no committed load: it stays in the inbox

    # the sensor sees the file still waiting and no live process holding it: the run died, request it again
    retry = tick(defs, instance, first.cursor)
    [again] = retry.run_requests
    assert again.run_key == request.run_key.replace(":1", ":2")
    [record] = instance.get_run_records(filters=dg.RunsFilter(tags={"dagster/run_key": request.run_key}))
    assert record.dagster_run.status == dg.DagsterRunStatus.FAILURE
    assert execute(defs, instance, again).success
    assert not (settings.inbox("prices") / big.name).exists()

    uninterrupted = Settings(tmp_path / "uninterrupted")
    ingest_files([PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv", big], uninterrupted)
    assert query(settings.warehouse_path, CORE) == query(uninterrupted.warehouse_path, CORE)
