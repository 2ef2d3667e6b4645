"""A real browser (Playwright driving Debian's Chromium) against `streamlit run` on 127.0.0.1: each page opens,
its charts draw, its text is visible; screenshots go to tests/screenshots/ (git-ignored)."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.warehouse import publish

from conftest import AS_OF, PRICE_SAMPLES
from test_dashboards import SAMPLES
from test_deployment import free_port, http_ok, wait_for

ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run"]
PAGES = [("", "Ringkasan Harga Bahan Pokok", False), ("harga", "Harga per Pasar", True),
         ("disparitas", "Disparitas & Volatilitas", True), ("peringatan", "Peringatan Dini", False),
         ("kualitas", "Kualitas Data", True), ("masterplan", "Master Plan Smart City PPU", False)]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    settings = Settings(tmp_path_factory.mktemp("browser") / "data")
    ingest_files([PRICE_SAMPLES / s for s in SAMPLES], settings, as_of=AS_OF)
    publish(settings)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboards/app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "SIHARPA_DATA_DIR": str(settings.data_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: http_ok(f"{url}/_stcore/health"), 60, "streamlit")
    yield url
    server.terminate()
    server.wait(30)


def test_every_page_in_a_real_browser(app_url, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                       headless=True, args=FLAGS, viewport={"width": 1400,
                                                                                           "height": 1000})
        tab = browser.new_page()
        for path, title, has_chart in PAGES:
            started = time.perf_counter()
            tab.goto(f"{app_url}/{path}")
            tab.get_by_role("heading", name=title).wait_for(timeout=60_000)
            if has_chart:
                tab.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            tab.locator("[data-testid='stDataFrame'], [data-testid='stMetric']").first.wait_for(timeout=60_000)
            assert tab.get_by_text("Traceback").count() == 0
            tab.screenshot(path=str(SHOTS / f"{path or 'ringkasan'}.png"), full_page=True)
            print(f"{path or 'ringkasan'}: {time.perf_counter() - started:.2f} s")
        assert tab.get_by_text("Belum ada data: menunggu dataset").count() == 5
        browser.close()
