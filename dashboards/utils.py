"""The one way pages read data: short read-only queries on the serving file, cached for a few minutes; and the
formatting every page shares (Rp 15.000, 2 Des 2026, 5,2%)."""

from __future__ import annotations

import datetime as dt
import io
import math

import duckdb
import pandas as pd
import streamlit as st

from siharpa_pipeline.datasets import DATASETS
from siharpa_pipeline.messages import STATUS_LABELS, angka, persen, rupiah, tanggal
from siharpa_pipeline.quality import EXPECTED_MARKETS_CTE
from siharpa_pipeline.settings import Settings

TTL_SECONDS = 300
LEVEL_LABELS = {"awas": "Awas", "siaga": "Siaga", "waspada": "Waspada"}
# coloured by Streamlit's own markdown and icon font: emoji circles show as empty boxes without an emoji font
LEVEL_HEADINGS = {"awas": ":red[:material/error:] Awas", "siaga": ":orange[:material/warning:] Siaga",
                  "waspada": ":violet[:material/info:] Waspada"}
LEVEL_CELL_STYLES = {"Awas": "background-color: #ffcdd2", "Siaga": "background-color: #ffe0b2",
                     "Waspada": "background-color: #fff9c4"}
WITA = dt.timedelta(hours=8)
NO_DATA = "Belum ada data harga. Unggah lembar harga atau jalankan make run."
DATASET_LABELS = {**{name: d.title for name, d in DATASETS.items()}, "unknown": "tidak dikenali"}


class ServingUnavailable(Exception):
    """The serving file is missing or being replaced."""


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """The serving file's modification time is part of the cache key: a new publish is seen at once."""
    path = Settings.from_env().serving_path
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise ServingUnavailable(str(path)) from None
    return _query(str(path), stamp, sql, params)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _query(path: str, stamp: int, sql: str, params: tuple) -> pd.DataFrame:
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as err:
        raise ServingUnavailable(str(err)) from err
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


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
    return query("""
        SELECT commodity_id, name, unit FROM ref.commodities
        WHERE monitored OR commodity_id IN (SELECT DISTINCT commodity_id FROM core.price_observations)
        ORDER BY rowid""")


def markets() -> pd.DataFrame:
    return query("SELECT market_id, name FROM ref.markets ORDER BY rowid")


def last_market_day() -> dt.date | None:
    value = query("SELECT max(observed_on) AS d FROM core.price_observations")["d"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def summary(day_: dt.date) -> pd.DataFrame:
    """Per commodity on the last market day: PPU price, markets, week-on-week change, reference in force."""
    return query("""
        SELECT c.name AS komoditas, c.unit AS satuan, p.price_idr, p.n_markets, ch.wow_pct, ch.wow_base_on,
               r.reference_kind, r.reference_upper_idr, r.band
        FROM ref.commodities c
        JOIN mart.price_ppu_daily p ON p.commodity_id = c.commodity_id AND p.observed_on = ?
        LEFT JOIN mart.price_changes ch ON ch.commodity_id = c.commodity_id AND ch.observed_on = p.observed_on
             AND ch.market_id IS NULL
        LEFT JOIN mart.price_reference_status r ON r.commodity_id = c.commodity_id
             AND r.observed_on = p.observed_on AND r.market_id IS NULL
        ORDER BY c.rowid""", (day_,))


def prices(commodity_id: str, start: dt.date, end: dt.date, market_ids: tuple[str, ...]) -> pd.DataFrame:
    return query("""
        SELECT o.observed_on AS tanggal, m.name AS pasar, o.price_idr::DOUBLE AS harga_idr, o.unit AS satuan,
               o.flags IS NOT NULL AS ditandai
        FROM core.price_observations o JOIN ref.markets m USING (market_id)
        WHERE o.commodity_id = ? AND o.observed_on BETWEEN ? AND ? AND list_contains(?, o.market_id)
        ORDER BY o.observed_on, m.rowid""", (commodity_id, start, end, list(market_ids)))


def ppu_series(commodity_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return query("""
        SELECT p.observed_on, p.price_idr, p.n_markets, p.cv_markets_pct, v.cv_pct AS cv_time_30d_pct
        FROM mart.price_ppu_daily p
        LEFT JOIN mart.price_volatility v ON v.commodity_id = p.commodity_id AND v.period_end = p.observed_on
             AND v.window_days = 30
        WHERE p.commodity_id = ? AND p.observed_on BETWEEN ? AND ? ORDER BY 1""", (commodity_id, start, end))


def market_deviation() -> pd.DataFrame:
    """Each market's monthly price against the PPU average, in percent, in the last month with prices."""
    return query("""
        WITH last_month AS (SELECT max(month) AS m FROM mart.price_monthly)
        SELECT m.month, m.commodity_id, c.name AS komoditas, k.name AS pasar,
               (m.price_idr / p.price_idr - 1) * 100 AS selisih_pct
        FROM mart.price_monthly m JOIN last_month ON m.month = last_month.m
        JOIN mart.price_monthly p ON p.month = m.month AND p.commodity_id = m.commodity_id AND p.market_id IS NULL
        JOIN ref.commodities c ON c.commodity_id = m.commodity_id JOIN ref.markets k ON k.market_id = m.market_id
        WHERE m.market_id IS NOT NULL ORDER BY c.rowid, k.rowid""")


def price_export(table: pd.DataFrame, commodity_id: str, start: dt.date, end: dt.date) -> tuple[str, bytes, bytes]:
    """Exactly the filtered view for download: (file stem naming commodity and period, CSV, Excel), ISO dates."""
    export = table.assign(tanggal=pd.to_datetime(table["tanggal"]).dt.strftime("%Y-%m-%d")).rename(
        columns={"harga_idr": "harga_rupiah"})[["tanggal", "pasar", "harga_rupiah", "satuan"]]
    buffer = io.BytesIO()
    export.to_excel(buffer, index=False, sheet_name="Harga")
    return (f"harga_{commodity_id}_{start:%Y-%m-%d}_{end:%Y-%m-%d}", export.to_csv(index=False).encode("utf-8"),
            buffer.getvalue())


def references(commodity_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return query("""
        SELECT kind, lower_idr::DOUBLE AS lower_idr, upper_idr::DOUBLE AS upper_idr, valid_from, valid_to
        FROM ref.reference_prices WHERE commodity_id = ? AND valid_from <= ?
          AND coalesce(valid_to, DATE '9999-12-31') >= ? AND zone IN ('2', 'national')""", (commodity_id, end, start))


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
    return query("""
        SELECT (SELECT sum(on_time_days) * 100.0 / nullif(sum(market_days), 0) FROM mart.market_timeliness)
                   AS on_time_pct,
               (SELECT sum(market_days) FROM mart.market_timeliness) AS market_days,
               (SELECT count(DISTINCT commodity_id) FROM core.price_observations
                WHERE observed_on > $1::DATE - 30) AS commodities,
               (SELECT sum(n_above) FROM mart.reference_breaches_daily WHERE observed_on = $1) AS n_above,
               (SELECT sum(n_markets) FROM mart.reference_breaches_daily WHERE observed_on = $1) AS n_priced""",
                 (day_,))


def stability_headline() -> pd.DataFrame:
    return query("SELECT * FROM mart.stability_headline ORDER BY year")


def waste_units() -> pd.DataFrame:
    return query("SELECT * FROM mart.waste_units_monthly ORDER BY month")


def waste_by_group() -> pd.DataFrame:
    return query("SELECT month, waste_group, sum(weight_kg) AS weight_kg FROM mart.waste_monthly GROUP BY ALL "
                 "ORDER BY month, waste_group")


def waste_by_kecamatan(month: dt.date) -> pd.DataFrame:
    return query("""
        SELECT r.name AS kecamatan, sum(w.deposits) AS setoran, sum(w.weight_kg) AS berat_kg,
               sum(w.value_idr) AS nilai_idr, sum(w.donated_weight_kg) AS disedekahkan_kg
        FROM mart.waste_monthly w JOIN ref.regions r ON r.code = w.kecamatan_code
        WHERE w.month = ? GROUP BY ALL ORDER BY 1""", (month,))


def tourism_monthly() -> pd.DataFrame:
    return query("""
        SELECT month, sum(domestic_visits) AS domestic, sum(foreign_visits) AS foreign_, sum(total_visits) AS total,
               sum(fee_revenue_idr) AS fee_idr, sum(total_visits_year_ago) AS year_ago,
               count(*) AS destinations
        FROM mart.tourism_monthly GROUP BY ALL ORDER BY month""")


def calls_daily() -> pd.DataFrame:
    return query("SELECT * FROM mart.calls_112_daily ORDER BY day")


def calls_response() -> pd.DataFrame:
    return query("SELECT * FROM mart.calls_112_response_monthly ORDER BY month")


def calls_by_kecamatan(month: dt.date) -> pd.DataFrame:
    return query("""
        SELECT r.name AS kecamatan, k.emergencies, k.per_10k_residents, k.population_year
        FROM mart.calls_112_kecamatan_monthly k JOIN ref.regions r ON r.code = k.kecamatan_code
        WHERE k.month = ? ORDER BY 1""", (month,))


def latest_indicators(dimension: str) -> pd.DataFrame:
    return query("""
        SELECT program, indicator, unit, period, target, actual, achievement_pct, agency
        FROM mart.indicator_achievement WHERE is_latest AND dimension = ? ORDER BY program, indicator""",
                 (dimension,))


def file_status(file_id: str) -> pd.Series | None:
    """The latest receipt of these bytes, once a load has published it."""
    rows = query("""SELECT status, rows_accepted, rows_rejected, rows_missing, error_message FROM audit.files
                    WHERE file_id = ? ORDER BY received_at DESC LIMIT 1""", (file_id,))
    return None if rows.empty else rows.iloc[0]


def recent_uploads(username: str | None = None, limit: int = 20) -> pd.DataFrame:
    """Files sent through the upload page (all senders, or one), newest first."""
    return query("""
        SELECT received_at AS diterima_utc, submitted_by AS pengirim, file_name AS berkas, dataset, status,
               rows_accepted AS diterima, rows_rejected AS ditolak
        FROM audit.files WHERE submitted_by IS NOT NULL AND submitted_by <> 'demo'
          AND (?::VARCHAR IS NULL OR submitted_by = ?)
        ORDER BY received_at DESC LIMIT ?""", (username, username, limit))


def uploads_view(history: pd.DataFrame) -> pd.DataFrame:
    """recent_uploads() as people read it."""
    return pd.DataFrame({
        "Berkas": history["berkas"], "Status": history["status"].map(STATUS_LABELS),
        "Diterima (baris)": history["diterima"].map(number), "Ditolak": history["ditolak"].map(number),
        "Jenis data": history["dataset"].map(DATASET_LABELS), "Waktu": history["diterima_utc"].map(wita),
        "Pengirim": history["pengirim"]})


def received_files(limit: int = 100) -> pd.DataFrame:
    return query("""
        SELECT received_at, file_name, dataset, submitted_by, status, rows_accepted, rows_rejected, rows_missing,
               rows_flagged, coalesce(error_message, '') AS error_message
        FROM audit.files ORDER BY received_at DESC LIMIT ?""", (limit,))


def flagged_waste_deposits(limit: int = 200) -> pd.DataFrame:
    """Deposits whose rupiah value is not weight x price: kept, waiting for review."""
    return query("""
        SELECT w.deposited_on, w.unit_name, w.desa, c.name AS jenis, w.weight_kg, w.price_per_kg_idr::DOUBLE AS harga,
               w.value_idr::DOUBLE AS nilai, w.sheet, w.source_row
        FROM core.waste_deposits w JOIN ref.waste_categories c ON c.category_id = w.waste_category_id
        WHERE w.flags IS NOT NULL ORDER BY w.deposited_on DESC LIMIT ?""", (limit,))


REGION_LABELS = {"00": "Nasional", "64": "Kalimantan Timur", "Z2": "Zona 2 HET"}


def comparison(commodity: str, monthly: bool) -> pd.DataFrame:
    """PPU and each comparison region, one row per period and region, newest last."""
    if monthly:
        return query("""
            SELECT month AS periode, region_code, ppu_price_idr, region_price_idr, gap_idr, gap_pct, source
            FROM mart.region_comparison_monthly WHERE commodity_id = ? ORDER BY month, region_code""", (commodity,))
    return query("""
        SELECT observed_on AS periode, region_code, ppu_price_idr, region_price_idr, gap_idr, gap_pct, source
        FROM mart.region_comparison_daily WHERE commodity_id = ? ORDER BY observed_on, region_code""", (commodity,))


def compared_commodities() -> pd.DataFrame:
    return query("""
        SELECT c.commodity_id, c.name FROM ref.commodities c
        WHERE c.commodity_id IN (SELECT commodity_id FROM mart.region_comparison_monthly) ORDER BY c.rowid""")


def above_national() -> pd.DataFrame:
    """Commodities PPU has priced above the nation for weeks running, as of the latest week with data."""
    return query("""
        SELECT c.name AS komoditas, w.weeks_above, w.ppu_price_idr, w.national_price_idr, w.week
        FROM mart.region_above_national_weekly w JOIN ref.commodities c USING (commodity_id)
        WHERE w.alert AND w.week = (SELECT max(week) FROM mart.region_above_national_weekly)
        ORDER BY w.weeks_above DESC, c.rowid""")


def reference_imports() -> pd.DataFrame:
    return query("""
        SELECT imported_at, file_name, rows, reference_version FROM audit.reference_imports
        ORDER BY imported_at DESC, file_name""")


RULE_LABELS = {"wow_above_10pct": "naik/turun > 10% seminggu", "bapanas_15_days": "di atas 107,5% HET/HAP 15 hari",
               "wfp_alps": "WFP ALPS", "fao_ifpa": "FAO IFPA"}
MONTHLY_RULES = ("wfp_alps", "fao_ifpa")


def alert_episodes(day_: dt.date, days: int = 30) -> pd.DataFrame:
    """An alert is an episode, not a row per day: the alerts of one commodity and rule with no gap longer than a
    week (a month for monthly rules), with its level now, since when, and whether it is still on at `day_`;
    most serious first."""
    return query("""
        WITH recent AS (
            SELECT *, CASE WHEN list_contains($3, rule) THEN 31 ELSE 7 END AS gap FROM mart.price_alerts
            WHERE observed_on > $1::DATE - $2::INTEGER AND market_id IS NULL),
        marked AS (
            SELECT *, CASE WHEN observed_on - lag(observed_on) OVER (PARTITION BY commodity_id, rule
                                                                   ORDER BY observed_on) > gap
                           THEN 1 ELSE 0 END AS starts
            FROM recent),
        numbered AS (
            SELECT *, sum(starts) OVER (PARTITION BY commodity_id, rule ORDER BY observed_on) AS episode FROM marked)
        SELECT * FROM (
        SELECT c.name AS komoditas, c.rowid AS commodity_order, e.rule, min(e.since_on) AS since_on,
               max(e.observed_on) AS last_on,
               arg_max(e.level, e.observed_on) AS level, arg_max(e.message, e.observed_on) AS message,
               max(e.observed_on) >= CASE WHEN list_contains($3, e.rule)
                                          THEN date_trunc('month', $1::DATE) - INTERVAL 1 DAY
                                          ELSE $1::DATE END AS active
        FROM numbered e JOIN ref.commodities c USING (commodity_id)
        GROUP BY c.name, c.rowid, e.commodity_id, e.rule, e.episode)
        ORDER BY list_position(['awas', 'siaga', 'waspada'], level), active DESC, since_on, commodity_order""",
                 (day_, days, list(MONTHLY_RULES)))


def shown_market_day(days: pd.DataFrame) -> tuple[pd.Series, bool]:
    """The last complete market day of market_days(), or the newest day when none is complete yet."""
    complete = days[days["complete"]]
    return (complete.iloc[0], True) if len(complete) else (days.iloc[0], False)


def market_days() -> pd.DataFrame:
    """The newest days with their reporting and expected markets (quality.EXPECTED_MARKETS_CTE); a day is
    complete when every market expected that weekday reported."""
    return query(f"""
        WITH {EXPECTED_MARKETS_CTE},
        days AS (SELECT DISTINCT observed_on FROM recent)
        SELECT d.observed_on,
               (SELECT count(*) FROM recent r WHERE r.observed_on = d.observed_on) AS reporting,
               (SELECT count(*) FROM expected e WHERE e.weekday = dayofweek(d.observed_on)) AS expected,
               NOT EXISTS (SELECT 1 FROM expected e WHERE e.weekday = dayofweek(d.observed_on)
                           AND NOT EXISTS (SELECT 1 FROM recent r WHERE r.observed_on = d.observed_on
                                           AND r.market_id = e.market_id)) AS complete
        FROM days d ORDER BY d.observed_on DESC""")
