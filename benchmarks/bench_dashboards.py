"""Dashboard benchmark (issue: dashboards): time to first full render of each page on the 10-year demo history,
in AppTest and in a real browser (Chromium via Playwright, until the page's heading, charts and tables are
drawn). Indicative target: <= 1.5 s per page in AppTest.

Usage: python benchmarks/bench_dashboards.py [--years 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings

from bench_indicators import demo_warehouse  # also puts tests/ on the path
from helpers import BROWSER_FLAGS, CHROMIUM, PAGES, ROOT, open_page, page_name, start_streamlit


def apptest_times() -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    times = {}
    for path, *_ in PAGES:
        name = page_name(path)
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

    server, url = start_streamlit(data_dir)
    try:
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=BROWSER_FLAGS
            )
            tab = browser.new_page()
            times = {
                page_name(path): open_page(tab, url, path, title, chart, timeout_ms=120_000)
                for path, title, chart in PAGES
            }
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
    for name in map(page_name, (path for path, *_ in PAGES)):
        verdict = "ok" if in_apptest[name] <= 1.5 else "OVER"
        print(f"  {name:<12} AppTest {in_apptest[name]:6.2f} s ({verdict})   browser {in_browser[name]:6.2f} s")


if __name__ == "__main__":
    main()
