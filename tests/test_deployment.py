"""The real deployment, as `make run` starts it: Dagster (webserver, daemon, sensor, pool) and Streamlit.

Files dropped while it is down are loaded after it starts; 20 files dropped at once queue on the writer pool
while a reader process reads the serving file in a tight loop without a single error or a half publish; Ctrl-C
stops everything it started."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from siharpa_pipeline.settings import Settings, today_wita

from conftest import PRICE_SAMPLES, query
from helpers import ROOT, drop, free_port, http_ok, long_csv, wait_for

READER = """
import json, sys, time, pathlib
import duckdb
serving, stop, out = sys.argv[1:4]
reads = errors = torn = 0
messages = []
while not pathlib.Path(stop).exists():
    if not pathlib.Path(serving).exists():
        time.sleep(0.01)
        continue
    try:
        con = duckdb.connect(serving, read_only=True)
        rows, published = con.execute(
            "SELECT (SELECT count(*) FROM core.price_observations), "
            "(SELECT price_observations FROM audit.publications ORDER BY published_at DESC LIMIT 1)").fetchone()
        con.close()
        reads += 1
        torn += rows != published  # a publish seen half-way would disagree with its own record
    except Exception as err:
        errors += 1
        messages.append(repr(err))
json.dump({"reads": reads, "errors": errors, "torn": torn, "messages": messages[:5]}, open(out, "w"))
"""


def loaded_files(settings: Settings) -> int:
    if not settings.serving_path.exists():
        return 0
    try:
        return query(settings.serving_path, "SELECT count(*) FROM audit.files WHERE status <> 'duplicate'")[0][0]
    except Exception:
        return 0


def live_members(pgid: int) -> list[str]:
    """Processes of a process group that still run (a zombie waiting to be reaped does not count)."""
    out = subprocess.run(["ps", "-eo", "pgid=,stat=,args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.split()[0] == str(pgid) and not line.split()[1].startswith("Z")]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    data = tmp_path_factory.mktemp("deployment") / "data"
    settings = Settings(data)
    settings.ensure_dirs()
    # dropped while Dagster is down
    drop(PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv", settings.inbox("prices"))
    drop(PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx", settings.inbox("prices"))
    ports = {"SIHARPA_DAGSTER_PORT": str(free_port()), "SIHARPA_STREAMLIT_PORT": str(free_port())}
    env = {**os.environ, "SIHARPA_DATA_DIR": str(data), **ports}
    log = data.parent / "serve.log"
    with open(log, "w") as out:
        serve = subprocess.Popen(
            [sys.executable, "scripts/serve.py"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    yield settings, serve, log
    if serve.poll() is None:  # a failed test: stop it the way Ctrl-C would
        serve.send_signal(signal.SIGINT)
        serve.wait(60)


def test_dropped_while_down_then_twenty_at_once_with_a_reader(deployment, tmp_path):
    settings, serve, log = deployment
    urls = wait_for(
        lambda: [line.split()[-1] for line in log.read_text().splitlines() if "http://127.0.0.1:" in line],
        30,
        "the URLs printed",
    )
    dagster_url, streamlit_url = urls[:2]
    wait_for(lambda: http_ok(f"{dagster_url}/server_info"), 180, "Dagster UI")
    wait_for(lambda: http_ok(f"{streamlit_url}/_stcore/health"), 60, "Streamlit")
    wait_for(lambda: loaded_files(settings) >= 2, 240, "the files dropped while Dagster was down")

    stop, out = tmp_path / "stop", tmp_path / "reads.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(settings.serving_path), str(stop), str(out)])
    start = today_wita() - dt.timedelta(days=400)
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(20):
        day = start + dt.timedelta(days=i)
        drop(long_csv(batch / f"harga_{day:%Y-%m-%d}.csv", [day], seed=i), settings.inbox("prices"))
    wait_for(lambda: loaded_files(settings) >= 22, 600, "20 files dropped at once")
    stop.touch()
    reader.wait(60)
    reads = json.loads(out.read_text())
    assert reads["errors"] == 0, reads["messages"]
    assert reads["torn"] == 0 and reads["reads"] > 20
    [(days,)] = query(
        settings.serving_path,
        "SELECT count(DISTINCT observed_on) FROM core.price_observations WHERE observed_on BETWEEN ? AND ?",
        [start, start + dt.timedelta(days=19)],
    )
    assert days == 20
    assert [p for p in settings.inbox("prices").iterdir() if p.is_file()] == []


def test_ctrl_c_stops_everything(deployment):
    settings, serve, log = deployment
    services = [p for p in psutil_children(serve.pid)]
    assert len(services) >= 2  # dagster dev and streamlit, each leading its own process group
    groups = {os.getpgid(pid) for pid in services}
    serve.send_signal(signal.SIGINT)
    assert serve.wait(60) == 0
    time.sleep(1)
    assert [line for g in groups for line in live_members(g)] == []
    assert "Menghentikan Dagster dan dasbor" in log.read_text()


def psutil_children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]
