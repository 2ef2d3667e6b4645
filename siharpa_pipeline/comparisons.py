"""PPU's prices next to the province's, the nation's and the HET zone's (mart.region_comparison_*), as PIHPS,
Panel Harga and SP2KP show a kabupaten. The series are small (three regions), so each publish rebuilds them
whole from mart.price_ppu_daily, mart.price_monthly and core.region_prices."""

from __future__ import annotations

import duckdb

from .indicators import create_stale_tables, take_refresh_turn
from .reference import HOME_REGION, NATIONAL
from .tables import ABOVE_NATIONAL_WEEKS, COMPARISON_MARTS
from .transactions import one, transaction

HOME_PROVINCE = HOME_REGION.split(".")[0]
HOME_ZONE = "Z2"  # Panel Harga's HET zone of Kalimantan
COMPARED_REGIONS = (HOME_PROVINCE, NATIONAL, HOME_ZONE)
# when sources publish the same region and commodity, the first one here is taken
SOURCE_ORDER = ("panel_harga", "pihps", "lainnya")


# a region's series per PPU commodity: national varieties folded into the commodity they are compared with,
# averaged per source, then the first source in SOURCE_ORDER
_REGION_SERIES = """
    CREATE OR REPLACE TEMP TABLE region_series AS
    WITH by_source AS (
        SELECT r.period, r.period_start, r.region_code, coalesce(c.comparable_to, r.commodity_id) AS commodity_id,
               r.source, avg(r.price_idr::DOUBLE) AS price_idr
        FROM core.region_prices r JOIN ref.commodities c USING (commodity_id)
        WHERE r.price_level = 'konsumen' AND list_contains($regions, r.region_code)
        GROUP BY ALL)
    SELECT period, period_start, region_code, commodity_id,
           arg_min(price_idr, list_position($sources, source)) AS price_idr,
           arg_min(source, list_position($sources, source)) AS source
    FROM by_source GROUP BY ALL"""

_DAILY = """
    SELECT p.observed_on, p.commodity_id, r.region_code, p.price_idr AS ppu_price_idr,
           r.price_idr AS region_price_idr, p.price_idr - r.price_idr AS gap_idr,
           100 * (p.price_idr - r.price_idr) / r.price_idr AS gap_pct, r.source
    FROM mart.price_ppu_daily p
    JOIN region_series r ON r.period = 'hari' AND r.period_start = p.observed_on AND r.commodity_id = p.commodity_id
    WHERE p.region_code = $home"""

# a month's regional price: the published monthly figure, else the mean of that month's daily ones
_MONTHLY = """
    WITH months AS (
        SELECT period_start AS month, region_code, commodity_id, price_idr, source, 0 AS rank
        FROM region_series WHERE period = 'bulan'
        UNION ALL
        SELECT date_trunc('month', period_start)::DATE, region_code, commodity_id, avg(price_idr), any_value(source),
               1 FROM region_series WHERE period = 'hari' GROUP BY ALL),
    best AS (
        SELECT month, region_code, commodity_id, arg_min(price_idr, rank) AS price_idr,
               arg_min(source, rank) AS source FROM months GROUP BY ALL)
    SELECT p.month, p.commodity_id, b.region_code, p.price_idr AS ppu_price_idr, b.price_idr AS region_price_idr,
           p.price_idr - b.price_idr AS gap_idr, 100 * (p.price_idr - b.price_idr) / b.price_idr AS gap_pct,
           b.source
    FROM mart.price_monthly p JOIN best b USING (month, commodity_id)
    WHERE p.market_id IS NULL AND p.region_code = $home"""

# runs of weeks above: a new run starts at every week not above
_WEEKLY = """
    WITH weeks AS (
        SELECT date_trunc('week', observed_on)::DATE AS week, commodity_id, avg(ppu_price_idr) AS ppu_price_idr,
               avg(region_price_idr) AS national_price_idr
        FROM mart.region_comparison_daily WHERE region_code = $national GROUP BY ALL),
    marked AS (
        SELECT *, ppu_price_idr > national_price_idr AS above,
               sum(CASE WHEN ppu_price_idr > national_price_idr THEN 0 ELSE 1 END)
                   OVER (PARTITION BY commodity_id ORDER BY week) AS run
        FROM weeks)
    SELECT *, weeks_above >= $alert_weeks AS alert FROM (
        SELECT week, commodity_id, ppu_price_idr, national_price_idr, above,
               CASE WHEN above THEN count(*) FILTER (WHERE above) OVER (PARTITION BY commodity_id, run ORDER BY week)
                    ELSE 0 END AS weeks_above
        FROM marked)"""


def refresh_comparisons(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the comparison marts (after the price marts they read). Runs inside the writer lock."""
    create_stale_tables(con, COMPARISON_MARTS)
    with transaction(con):
        take_refresh_turn(con)
        con.execute(_REGION_SERIES, {"regions": list(COMPARED_REGIONS), "sources": list(SOURCE_ORDER)})
        for table in COMPARISON_MARTS:
            con.execute(f"DELETE FROM {table.name}")
        con.execute(f"INSERT INTO mart.region_comparison_daily BY NAME {_DAILY}", {"home": HOME_REGION})
        con.execute(f"INSERT INTO mart.region_comparison_monthly BY NAME {_MONTHLY}", {"home": HOME_REGION})
        con.execute(
            f"INSERT INTO mart.region_above_national_weekly BY NAME {_WEEKLY}",
            {"national": NATIONAL, "alert_weeks": ABOVE_NATIONAL_WEEKS},
        )
        con.execute("DROP TABLE region_series")


def comparison_summary(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(daily comparison rows, commodities above the nation long enough to alert in the latest week)."""
    rows, alerts = one(
        con.execute("""
        SELECT (SELECT count(*) FROM mart.region_comparison_daily),
               (SELECT count(DISTINCT commodity_id) FROM mart.region_above_national_weekly
                WHERE alert AND week = (SELECT max(week) FROM mart.region_above_national_weekly))""")
    )
    return rows, alerts
