"""Test helpers shared by modules: writing price files and dropping them in an inbox."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

from siharpa_pipeline.reference import Reference, load_reference


def long_csv(
    path: Path, days: list[dt.date], markets: list[str] | None = None, seed: int = 0, ref: Reference | None = None
) -> Path:
    """An enumerator's long CSV: one row per (date, market, commodity), semicolons, dotted thousands."""
    ref = ref or load_reference()
    names = dict(zip(ref.markets["market_id"], ref.markets["name"]))
    markets = markets or list(names)
    rng = np.random.default_rng(seed)
    lines = ["Tanggal;Pasar;Komoditas;Satuan;Harga"]
    for day in days:
        for market in markets:
            for c in ref.monitored.itertuples():
                price = int(round(rng.uniform(c.typical_low_idr, c.typical_high_idr) / 250) * 250)
                lines.append(f"{day:%d/%m/%Y};{names[market]};{c.name};{c.unit};{price:,}".replace(",", "."))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BALIKPAPAN = "64.71"
BALIKPAPAN_MARKETS = (
    "market_id,name,region_code\n"
    "pasar_klandasan,Pasar Klandasan,64.71\n"
    "pasar_pandansari,Pasar Pandansari,64.71\n"
    "pasar_kebun_sayur,Pasar Kebun Sayur,64.71\n"
)


def balikpapan_pack(folder: Path) -> Path:
    """A region pack adding three of Kota Balikpapan's markets: a second kabupaten/kota beside PPU."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "markets.csv").write_text(BALIKPAPAN_MARKETS, encoding="utf-8")
    return folder


def drop(src: Path, inbox: Path, name: str | None = None, age_s: float = 60) -> Path:
    """Put a file in an inbox as a finished copy (modified a while ago, so the sensor takes it)."""
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / (name or src.name)
    shutil.copyfile(src, target)
    past = time.time() - age_s
    os.utime(target, (past, past))
    return target


ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# (url path, heading, whether the page draws a chart)
PAGES = [
    ("", "Ringkasan Harga Bahan Pokok", False),
    ("harga", "Harga per Pasar", True),
    ("disparitas", "Disparitas & Volatilitas", True),
    ("peringatan", "Peringatan Dini", False),
    ("perbandingan", "Perbandingan Wilayah", False),
    ("kualitas", "Kualitas Data", True),
    ("masterplan", "Master Plan Smart City PPU", True),
]
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def page_name(path: str) -> str:
    return path or "ringkasan"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_for(predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def start_streamlit(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run` of the dashboards on a free port of 127.0.0.1, reading data_dir; returns (process, URL)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboards/app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, "SIHARPA_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http_ok(f"{url}/_stcore/health"), 60, "streamlit")
    return server, url


def open_page(tab, url: str, path: str, title: str, has_chart: bool, timeout_ms: int = 60_000) -> float:
    """Open a page and wait until its heading, its charts and its first table or metric are drawn; seconds."""
    started = time.perf_counter()
    tab.goto(f"{url}/{path}")
    tab.get_by_role("heading", name=title).wait_for(timeout=timeout_ms)
    if has_chart:
        tab.locator(".js-plotly-plot").first.wait_for(timeout=timeout_ms)
    tab.locator("[data-testid='stDataFrame'], [data-testid='stMetric'], [data-testid='stAlert']").first.wait_for(
        timeout=timeout_ms
    )
    return time.perf_counter() - started


def whole_page_screenshot(tab, path: Path) -> None:
    """Streamlit scrolls inside its main block, so a "full page" shot shows one screen: the window is made as
    tall as the page for the shot."""
    size = tab.viewport_size
    height = tab.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0")
    tab.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12_000))})
    tab.wait_for_timeout(1_500)  # charts redraw at the new size
    tab.screenshot(path=str(path))
    tab.set_viewport_size(size)


def load_from_inbox(defs, instance, dataset: str, job: str):
    """What the daemon does for one file waiting in a dataset's inbox: a sensor tick (its partition registered),
    then the requested run in process. Returns (request, result)."""
    import dagster as dg

    tick = defs.resolve_sensor_def(f"{dataset}_inbox_sensor")(
        dg.build_sensor_context(instance=instance, resources=defs.resources)
    )
    for request in tick.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    [request] = tick.run_requests
    result = defs.resolve_job_def(job).execute_in_process(
        partition_key=request.partition_key, run_config=request.run_config, instance=instance
    )
    return request, result
