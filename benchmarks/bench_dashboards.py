"""Dashboard benchmark (issue: dashboards): time to first full render of each page on the 10-year demo history,
in AppTest and in a real browser (Chromium via Playwright, until the page's heading, charts and tables are
drawn). Indicative target: <= 1.5 s per page in AppTest.

Usage: python benchmarks/bench_dashboards.py [--years 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_indicators import demo_warehouse

from siharpa_pipeline.settings import Settings
from siharpa_pipeline.warehouse import publish

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("ringkasan", "", "Ringkasan Harga Bahan Pokok", False), ("harga", "harga", "Harga per Pasar", True),
         ("disparitas", "disparitas", "Disparitas & Volatilitas", True),
         ("peringatan", "peringatan", "Peringatan Dini", False), ("kualitas", "kualitas", "Kualitas Data", True),
         ("masterplan", "masterplan", "Master Plan Smart City PPU", False)]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]


def apptest_times() -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    times = {}
    for name, *_ in PAGES:
        st.cache_data.clear()  # a first render: nothing cached from the page before
        at = AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=120)
        started = time.perf_counter()
        at.run()
        if name != "ringkasan":
            at.switch_page(f"app_pages/{name}.py").run()
        times[name] = time.perf_counter() - started
        assert not at.exception, at.exception
    return times


def browser_times(data_dir: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--server.address",
                               "127.0.0.1", "--server.port", str(port), "--server.headless", "true"], cwd=ROOT,
                              env={**os.environ, "SIHARPA_DATA_DIR": str(data_dir)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(1)
        times = {}
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium",
                                                           headless=True, args=FLAGS)
            tab = browser.new_page()
            for name, path, title, chart in PAGES:
                started = time.perf_counter()
                tab.goto(f"{url}/{path}")
                tab.get_by_role("heading", name=title).wait_for(timeout=120_000)
                if chart:
                    tab.locator(".js-plotly-plot").first.wait_for(timeout=120_000)
                tab.locator("[data-testid='stDataFrame'], [data-testid='stMetric']").first.wait_for(timeout=120_000)
                times[name] = time.perf_counter() - started
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    years = parser.parse_args().years
    source = demo_warehouse(years)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "data")
        shutil.copytree(source.data_dir, settings.data_dir, ignore=shutil.ignore_patterns("demo", "archive"))
        publish(settings, full=True)
        os.environ["SIHARPA_DATA_DIR"] = str(settings.data_dir)
        in_apptest = apptest_times()
        in_browser = browser_times(settings.data_dir)
    print(f"First full render per page, {years}-year demo history (AppTest target <= 1.5 s)")
    for name, *_ in PAGES:
        verdict = "ok" if in_apptest[name] <= 1.5 else "OVER"
        print(f"  {name:<12} AppTest {in_apptest[name]:6.2f} s ({verdict})   browser {in_browser[name]:6.2f} s")


if __name__ == "__main__":
    main()
