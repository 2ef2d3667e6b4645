"""A real browser (Playwright driving Debian's Chromium) against `streamlit run` on 127.0.0.1: each page opens,
its charts draw, its text is visible; screenshots go to tests/screenshots/ (git-ignored)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.warehouse import publish

from conftest import AS_OF, PRICE_SAMPLES
from conftest import SAMPLES as SAMPLES_DIR  # noqa: I001 (test_dashboards' SAMPLES lists price files)
from helpers import BROWSER_FLAGS, CHROMIUM, PAGES, open_page, page_name, start_streamlit
from test_dashboards import SAMPLES

SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    settings = Settings(tmp_path_factory.mktemp("browser") / "data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SIHARPA_PII_KEY", "browser-test-key-0123456789")
        ingest_files([PRICE_SAMPLES / s for s in SAMPLES] + sorted((SAMPLES_DIR / "quick_wins").iterdir()),
                     settings, as_of=AS_OF)
    publish(settings)
    server, url = start_streamlit(settings.data_dir)
    yield url
    server.terminate()
    server.wait(30)


def test_every_page_in_a_real_browser(app_url, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                       headless=True, args=BROWSER_FLAGS,
                                                       viewport={"width": 1400, "height": 1000})
        tab = browser.new_page()
        for path, title, has_chart in PAGES:
            seconds = open_page(tab, app_url, path, title, has_chart)
            assert tab.get_by_text("Traceback").count() == 0
            tab.screenshot(path=str(SHOTS / f"{page_name(path)}.png"), full_page=True)
            print(f"{page_name(path)}: {seconds:.2f} s")
        # the last page opened is the Master Plan: charts of waste, tourism and 112 (SIHARPA's yearly trend
        # needs two years of prices)
        expect(tab.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
        assert tab.get_by_text("Belum ada data").count() == 0
        browser.close()
