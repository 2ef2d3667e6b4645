"""A real browser (Playwright driving Debian's Chromium) against `streamlit run` on 127.0.0.1: each page opens,
its charts draw, its text is visible; screenshots go to tests/screenshots/ (git-ignored)."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect, sync_playwright

from siharpa_pipeline.access import User, hash_password, save_user
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings

from conftest import AS_OF, PRICE_SAMPLES
from conftest import SAMPLES as SAMPLES_DIR
from helpers import (
    BROWSER_FLAGS,
    CHROMIUM,
    PAGES,
    SIZES,
    open_page,
    page_name,
    start_streamlit,
    whole_page_screenshot,
)
from test_dashboards import SAMPLES

SHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "rahasia-pasar-2026"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    settings = Settings(tmp_path_factory.mktemp("browser") / "data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SIHARPA_PII_KEY", "browser-test-key-0123456789")
        ingest_files(
            [PRICE_SAMPLES / s for s in SAMPLES] + sorted((SAMPLES_DIR / "quick_wins").iterdir()), settings, as_of=AS_OF
        )
    publish(settings)
    save_user(
        settings.data_dir / "users.toml",
        User("siti", "Siti Aminah", "enumerator", ("pasar_waru",), hash_password(PASSWORD, 4)),
    )
    server, url = start_streamlit(settings.data_dir)
    yield url, settings
    server.terminate()
    server.wait(30)


ENGLISH = ("Traceback", "Upload", "per file", "Rerun", "Deploy", "None", "NaN", "observed_on", "invalid_price")


@pytest.mark.parametrize("size", SIZES)
def test_every_page_in_a_real_browser(app_url, tmp_path, size):
    """Every page on a desk and on a phone: drawn, in Indonesian, and photographed whole
    (tests/screenshots/<page>_<size>.png)."""
    app_url, _ = app_url
    SHOTS.mkdir(exist_ok=True)
    width, height = SIZES[size]
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=BROWSER_FLAGS,
            viewport={"width": width, "height": height},
        )
        tab = browser.new_page()
        for path, title, has_chart in PAGES:
            seconds = open_page(tab, app_url, path, title, has_chart)
            text = tab.locator("[data-testid='stMain']").inner_text()
            assert not [word for word in ENGLISH if re.search(rf"\b{word}\b", text)], page_name(path)
            if path == "harga":
                indonesian_axes(tab)
            whole_page_screenshot(tab, SHOTS / f"{page_name(path)}_{size}.png")
            print(f"{page_name(path)} ({size}): {seconds:.2f} s")
        # the last page opened is the Master Plan: charts of waste, tourism and 112 (SIHARPA's yearly trend
        # needs two years of prices)
        expect(tab.locator(".js-plotly-plot")).to_have_count(3, timeout=30_000)
        assert tab.get_by_text("Belum ada data").count() == 0
        assert tab.locator("[data-testid='stMainMenu']").count() == 0  # its items exist only in English
        browser.close()


def indonesian_axes(tab) -> None:
    """The Harga chart as drawn: rupiah ticks with dot thousands, Indonesian month names, the legend below."""
    tab.locator(".ytick text").first.wait_for(timeout=30_000)
    y_ticks = tab.locator(".ytick text").evaluate_all("ticks => ticks.map(t => t.textContent)")
    x_ticks = tab.locator(".xtick text").evaluate_all("ticks => ticks.map(t => t.textContent)")
    assert y_ticks and all(re.fullmatch(r"Rp \d{1,3}(\.\d{3})*", t) for t in y_ticks), y_ticks
    assert x_ticks and all(
        re.fullmatch(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des)", t) for t in x_ticks
    ), x_ticks
    plot, legend = tab.locator(".main-svg .bglayer").first.bounding_box(), tab.locator(".legend").first.bounding_box()
    assert legend["y"] > plot["y"] + plot["height"]  # below the plot: a phone keeps the chart's width


def test_an_enumerator_logs_in_and_sends_a_file_from_the_browser(app_url, tmp_path):
    url, settings = app_url
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=BROWSER_FLAGS,
            viewport={"width": 412, "height": 915},
        )  # a phone
        tab = browser.new_page()
        tab.goto(f"{url}/unggah")  # not a page for the public
        tab.get_by_role("heading", name="Ringkasan Harga Bahan Pokok").wait_for(timeout=60_000)
        assert tab.get_by_role("heading", name="Unggah Data").count() == 0
        tab.goto(f"{url}/masuk")
        tab.get_by_label("Nama pengguna").fill("siti")
        tab.get_by_label("Kata sandi").fill(PASSWORD)
        tab.get_by_role("button", name="Masuk").click()
        tab.get_by_role("heading", name="Unggah Data").wait_for(timeout=60_000)  # a login lands on the upload page
        # a reload starts a new Streamlit session: the signed cookie keeps the login, and nothing else does
        cookie = next(c for c in browser.cookies() if c["name"] == "siharpa_sesi")
        assert cookie["sameSite"] == "Strict" and "siti" not in cookie["value"]  # the name is only base64 in it
        tab.reload()
        tab.get_by_role("heading", name="Unggah Data").wait_for(timeout=60_000)
        expect(tab.get_by_text("Masuk sebagai Siti Aminah")).to_be_visible()
        # our words replace Streamlit's English ones once the uploader is drawn
        expect(tab.get_by_text("Paling besar 10 MB per berkas")).to_be_visible()
        # Streamlit's English words stay in the page but are not shown (its button's "Upload" was, next to our
        # "Pilih berkas", whenever the check came after the uploader was drawn)
        tab.locator("[data-testid='stFileUploaderDropzone'] button").wait_for(timeout=60_000)
        for english in (tab.get_by_text("Upload", exact=True), tab.get_by_text("per file")):
            assert not [e for e in english.all() if e.is_visible()]
        tab.locator("input[type=file]").set_input_files(str(PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"))
        tab.get_by_text("Hasil pemeriksaan harga_pasar_waru_november_2026.csv").wait_for(timeout=60_000)
        expect(tab.locator("[data-testid='stMetric']").first).to_contain_text("140")
        with tab.expect_download(timeout=60_000) as download:  # the marked workbook, built on the click
            tab.get_by_role("button", name="Unduh berkas Anda dengan tanda").click()
        assert download.value.suggested_filename == "harga_pasar_waru_november_2026_diperiksa.xlsx"
        marked = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert (marked.active["B2"].value, marked.active["C2"].value) == ("Pasar Waru", "Beras Premium")
        tab.get_by_role("button", name="Kirim untuk dimuat").click()
        tab.get_by_text("harga_pasar_waru_november_2026.csv: menunggu diproses").wait_for(timeout=60_000)
        tab.screenshot(path=str(SHOTS / "unggah.png"), full_page=True)
        tab.goto(f"{url}/keluar")  # (the menu's Keluar; on a phone the menu is folded) revokes and clears
        tab.get_by_role("heading", name="Ringkasan Harga Bahan Pokok").wait_for(timeout=60_000)
        tab.wait_for_function("!document.cookie.includes('siharpa_sesi=')", timeout=30_000)
        tab.reload()
        tab.get_by_role("heading", name="Ringkasan Harga Bahan Pokok").wait_for(timeout=60_000)
        assert tab.get_by_text("Masuk sebagai").count() == 0
        browser.close()
    assert (settings.inbox("prices") / "harga_pasar_waru_november_2026.csv").exists()
