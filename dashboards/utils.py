"""The one way pages read data: short read-only queries on the serving file, cached for a few minutes; and the
formatting every page shares (Rp 15.000, 2 Des 2026, 5,2%)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from siharpa_pipeline.datasets import DATASETS
from siharpa_pipeline.messages import STATUS_LABELS, angka, persen, rupiah, tanggal
from siharpa_pipeline.quality import expected_markets_cte
from siharpa_pipeline.reference import HOME_REGION
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import NothingPublished, storage

TTL_SECONDS = 300
LEVEL_LABELS = {"awas": "Awas", "siaga": "Siaga", "waspada": "Waspada"}
# coloured by Streamlit's own markdown and icon font: emoji circles show as empty boxes without an emoji font
LEVEL_HEADINGS = {
    "awas": ":red[:material/error:] Awas",
    "siaga": ":orange[:material/warning:] Siaga",
    "waspada": ":violet[:material/info:] Waspada",
}
LEVEL_CELL_STYLES = {
    "Awas": "background-color: #ffcdd2",
    "Siaga": "background-color: #ffe0b2",
    "Waspada": "background-color: #fff9c4",
}
WITA = dt.timedelta(hours=8)
NO_DATA = "Belum ada data harga. Unggah lembar harga atau jalankan make run."
DATASET_LABELS = {**{name: d.title for name, d in DATASETS.items()}, "unknown": "tidak dikenali"}


SQL_DIR = Path(__file__).parent / "sql"


@functools.cache
def sql(name: str) -> str:
    """A query of the pages, kept in dashboards/sql/<name>.sql."""
    return (SQL_DIR / f"{name}.sql").read_text()


class ServingUnavailable(Exception):
    """The serving file is missing or being replaced."""


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """What was last published; its version (the serving file's time, the lake's snapshot) is part of the cache
    key, so a new publication is seen at once."""
    settings = Settings.from_env()
    version = storage(settings).published_version()
    if version is None:
        raise ServingUnavailable(str(settings.data_dir))
    return _query(str(settings.data_dir), version, sql, params)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _query(data_dir: str, version: int, sql: str, params: tuple) -> pd.DataFrame:
    try:
        with storage(Settings.from_env(data_dir)).snapshot() as con:
            return con.execute(sql, list(params)).df()
    except (duckdb.IOException, duckdb.ConnectionException, NothingPublished) as err:
        raise ServingUnavailable(str(err)) from err


def guarded(load):
    """Run a page's loader; a missing serving file or an empty warehouse ends the page with a clear message."""
    try:
        data = load()
    except ServingUnavailable:
        st.warning("Data belum tersedia atau sedang diperbarui. Muat ulang halaman sebentar lagi.")
        st.stop()
    except duckdb.CatalogException:
        st.info(NO_DATA)
        st.stop()
    return data


def missing(value) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def pct(value: float, digits: int = 1) -> str:
    return "-" if missing(value) else persen(value, digits)


def change(value: float) -> str:
    """A week-on-week change with its direction: ▲ 5,2% / ▼ 3,1% / ■ 0,0%."""
    if missing(value):
        return "-"
    arrow = "▲" if value > 0.05 else "▼" if value < -0.05 else "■"
    return f"{arrow} {pct(abs(value))}"


def money(value: float) -> str:
    return "-" if missing(value) else rupiah(round(value))


def millions(value: float) -> str:
    """Rp 336,2 juta: large sums in a metric that fits on a phone."""
    return "-" if missing(value) else f"Rp {angka(value / 1e6, 1)} juta"


def day(value) -> str:
    if missing(value):
        return "-"
    return tanggal(pd.Timestamp(value).date() if not isinstance(value, dt.date) else value)


def commodities() -> pd.DataFrame:
    """What enumerators record, and any national variety a market file of a region pack brought in."""
    return query(sql("commodities"))


REGION_KEY = "wilayah"  # the session's chosen kabupaten/kota, set by the picker on every page


def regions() -> pd.DataFrame:
    """The kabupaten/kota with markets in the warehouse, the home region (PPU) first."""
    return query(sql("regions"), (HOME_REGION,))


def current_region() -> str:
    return st.session_state.get(REGION_KEY) or HOME_REGION


def region_picker() -> None:
    """A picker in the sidebar when the warehouse holds more than one region (a province or national lake)."""
    try:
        found = regions()
    except (ServingUnavailable, duckdb.CatalogException):
        return
    if len(found) > 1:
        names = dict(zip(found["region_code"], found["name"]))
        st.sidebar.selectbox("Wilayah", list(names), format_func=lambda c: names[c], key=REGION_KEY)


def region_name(region: str, full: bool = False) -> str:
    """How pages name a region: PPU for the home region (what its people call it), else its name in ref.regions;
    in full "Kabupaten Penajam Paser Utara", "Kota Balikpapan"."""
    if region == HOME_REGION and not full:
        return "PPU"
    found = query("SELECT level, name FROM ref.regions WHERE code = ?", (region,))
    if found.empty:
        return region
    level, name = found.iloc[0]
    return f"{str(level).capitalize()} {name}" if full else str(name)


def markets(region: str) -> pd.DataFrame:
    return query("SELECT market_id, name FROM ref.markets WHERE region_code = ? ORDER BY rowid", (region,))


def last_market_day(region: str) -> dt.date | None:
    value = query(
        "SELECT max(observed_on) AS d FROM core.price_observations "
        "WHERE market_id IN (SELECT market_id FROM ref.markets WHERE region_code = ?)",
        (region,),
    )["d"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def summary(region: str, day_: dt.date) -> pd.DataFrame:
    """Per commodity on the last market day: the region's price, markets, week-on-week change, reference."""
    return query(sql("summary"), (region, day_))


def prices(commodity_id: str, start: dt.date, end: dt.date, market_ids: tuple[str, ...]) -> pd.DataFrame:
    return query(sql("prices"), (commodity_id, start, end, list(market_ids)))


def ppu_series(region: str, commodity_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return query(sql("ppu_series"), (region, commodity_id, start, end))


def market_deviation(region: str) -> pd.DataFrame:
    """Each market's monthly price against its region's average, in percent, in the last month with prices."""
    return query(sql("market_deviation"), (region,))


def price_export(table: pd.DataFrame, commodity_id: str, start: dt.date, end: dt.date) -> tuple[str, bytes, bytes]:
    """Exactly the filtered view for download: (file stem naming commodity and period, CSV, Excel), ISO dates."""
    export = table.assign(tanggal=pd.to_datetime(table["tanggal"]).dt.strftime("%Y-%m-%d")).rename(
        columns={"harga_idr": "harga_rupiah"}
    )[["tanggal", "pasar", "harga_rupiah", "satuan"]]
    buffer = io.BytesIO()
    export.to_excel(buffer, index=False, sheet_name="Harga")
    return (
        f"harga_{commodity_id}_{start:%Y-%m-%d}_{end:%Y-%m-%d}",
        export.to_csv(index=False).encode("utf-8"),
        buffer.getvalue(),
    )


def references(commodity_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return query(sql("references"), (commodity_id, end, start))


def number(value: float, digits: int = 0) -> str:
    """12.566,3 (Indonesian separators)."""
    return "-" if missing(value) else angka(value, digits)


def wita(stamp) -> str:
    """A UTC timestamp of the warehouse as the district reads it: 30 Nov 2026 10:20 WITA."""
    if missing(stamp):
        return "-"
    local = pd.Timestamp(stamp) + WITA
    return f"{tanggal(local.date())} {local:%H:%M} WITA"


def dataset_freshness() -> pd.DataFrame:
    return query("SELECT * FROM mart.dataset_freshness").set_index("dataset")


def master_plan_facts(day_: dt.date) -> pd.DataFrame:
    """SIHARPA's master-plan indicators: market days reported on time (by 12.00 WITA, since the first file
    arrived; mart.market_timeliness), commodities priced in the last 30 days, and the share of market prices
    above their HET/HAP on `day_`, the last complete market day."""
    return query(sql("master_plan_facts"), (day_, HOME_REGION))


def stability_headline() -> pd.DataFrame:
    """PPU's yearly stability figures (the master plan's)."""
    return query("SELECT * FROM mart.stability_headline WHERE region_code = ? ORDER BY year", (HOME_REGION,))


def waste_units() -> pd.DataFrame:
    return query("SELECT * FROM mart.waste_units_monthly ORDER BY month")


def waste_by_group() -> pd.DataFrame:
    return query(
        "SELECT month, waste_group, sum(weight_kg) AS weight_kg FROM mart.waste_monthly GROUP BY ALL "
        "ORDER BY month, waste_group"
    )


def waste_by_kecamatan(month: dt.date) -> pd.DataFrame:
    return query(sql("waste_by_kecamatan"), (month,))


def tourism_monthly() -> pd.DataFrame:
    return query(sql("tourism_monthly"))


def calls_daily() -> pd.DataFrame:
    return query("SELECT * FROM mart.calls_112_daily ORDER BY day")


def calls_response() -> pd.DataFrame:
    return query("SELECT * FROM mart.calls_112_response_monthly ORDER BY month")


def calls_by_kecamatan(month: dt.date) -> pd.DataFrame:
    return query(sql("calls_by_kecamatan"), (month,))


def latest_indicators(dimension: str) -> pd.DataFrame:
    return query(sql("latest_indicators"), (dimension,))


def file_status(file_id: str) -> pd.Series | None:
    """The latest receipt of these bytes, once a load has published it."""
    rows = query(sql("file_status"), (file_id,))
    return None if rows.empty else rows.iloc[0]


def recent_uploads(username: str | None = None, limit: int = 20) -> pd.DataFrame:
    """Files sent through the upload page (all senders, or one), newest first."""
    return query(sql("recent_uploads"), (username, username, limit))


def uploads_view(history: pd.DataFrame) -> pd.DataFrame:
    """recent_uploads() as people read it."""
    return pd.DataFrame(
        {
            "Berkas": history["berkas"],
            "Status": history["status"].map(STATUS_LABELS),
            "Diterima (baris)": history["diterima"].map(number),
            "Ditolak": history["ditolak"].map(number),
            "Jenis data": history["dataset"].map(DATASET_LABELS),
            "Waktu": history["diterima_utc"].map(wita),
            "Pengirim": history["pengirim"],
        }
    )


def received_files(limit: int = 100) -> pd.DataFrame:
    return query(sql("received_files"), (limit,))


def flagged_waste_deposits(limit: int = 200) -> pd.DataFrame:
    """Deposits whose rupiah value is not weight x price: kept, waiting for review."""
    return query(sql("flagged_waste_deposits"), (limit,))


REGION_LABELS = {"00": "Nasional", "64": "Kalimantan Timur", "Z2": "Zona 2 HET"}


def comparison(commodity: str, monthly: bool) -> pd.DataFrame:
    """PPU and each comparison region, one row per period and region, newest last."""
    if monthly:
        return query(sql("comparison_monthly"), (commodity,))
    return query(sql("comparison_daily"), (commodity,))


def compared_commodities() -> pd.DataFrame:
    return query(sql("compared_commodities"))


def above_national() -> pd.DataFrame:
    """Commodities PPU has priced above the nation for weeks running, as of the latest week with data."""
    return query(sql("above_national"))


def reference_imports() -> pd.DataFrame:
    return query(sql("reference_imports"))


RULE_LABELS = {
    "wow_above_10pct": "naik/turun > 10% seminggu",
    "bapanas_15_days": "di atas 107,5% HET/HAP 15 hari",
    "wfp_alps": "WFP ALPS",
    "fao_ifpa": "FAO IFPA",
}
MONTHLY_RULES = ("wfp_alps", "fao_ifpa")


def alert_episodes(region: str, day_: dt.date, days: int = 30) -> pd.DataFrame:
    """An alert is an episode, not a row per day: the alerts of one commodity and rule with no gap longer than a
    week (a month for monthly rules), with its level now, since when, and whether it is still on at `day_`;
    most serious first."""
    return query(sql("alert_episodes"), (day_, days, list(MONTHLY_RULES), region))


def shown_market_day(days: pd.DataFrame) -> tuple[pd.Series, bool]:
    """The last complete market day of market_days(), or the newest day when none is complete yet."""
    complete = days[days["complete"]]
    return (complete.iloc[0], True) if len(complete) else (days.iloc[0], False)


def coverage_grid(region: str) -> pd.DataFrame:
    """Commodities reported per market of the region on each of its last 60 market days (0 where none)."""
    return query(sql("coverage_grid"), (region,))


def recent_rejections() -> pd.DataFrame:
    return query(sql("recent_rejections"))


def flagged_prices(region: str) -> pd.DataFrame:
    """Day-on-day jumps over 50% in the region's markets: kept, waiting for review."""
    return query(sql("flagged_prices"), (region,))


def alps_latest(region: str) -> pd.DataFrame:
    """Each commodity's latest WFP ALPS month in the region, or why it has none yet."""
    return query(sql("alps_latest"), (region,))


def market_days(region: str) -> pd.DataFrame:
    """The region's newest days with their reporting and expected markets (quality.expected_markets_cte); a
    day is complete when every market expected that weekday reported."""
    return query(f"WITH {expected_markets_cte('$1')},\n" + sql("market_days"), (region,))
