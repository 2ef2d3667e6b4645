"""Price indicators (mart.*), computed the way PIHPS, SP2KP, Panel Harga, WFP and FAO compute them
(reference_data/indicators.md). One function refreshes them: for the commodities whose prices changed since the
last refresh, every output row dated on or after the earliest change is deleted and computed again (inputs
reach back far enough for year-on-year and 365-day windows), so the work grows with the new data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from .messages import EARLY_WARNING_CLASSES, angka, persen, rupiah, tanggal
from .reference import HOME_REGION, load_reference
from .storage import keys_enforced
from .tables import MARTS, Table
from .transactions import one, transaction

# inputs reach back over the changed month and the week before it; older facts (monthly means, the PPU series
# for 365-day windows, the last observation before) come from the marts already stored
LOOKBACK_DAYS = 40
WOW_ALERT_PCT = 10.0
CRISIS_FACTOR = 1.075  # Bapanas draft: price >= (1 + c) x HET/HAP, c = 7.5%
CRISIS_RUN_DAYS = 15
CV_TIME_TARGET_PCT = 9.0
CV_MARKETS_TARGET_PCT = 13.8
ALPS_CLASSES = ((2.0, "crisis"), (1.0, "alert"), (0.25, "stress"), (-np.inf, "normal"))
ALPS_LEVEL = {"stress": "waspada", "alert": "siaga", "crisis": "awas"}
IFPA_CLASSES = ((1.0, "abnormally_high"), (0.5, "moderately_high"), (-0.5, "normal"), (-np.inf, "low"))
IFPA_LEVEL = {"moderately_high": "waspada", "abnormally_high": "siaga"}
NOT_ENOUGH_HISTORY = "riwayat belum cukup"
REFERENCE_ZONE = "2"  # Kalimantan is zone 2 of the rice HET
# every indicator is per region (kabupaten/kota) and commodity: an observation's region is its market's (a
# market since dropped from the reference counts as the home region's)
LOCATED = f"""(SELECT o.*, coalesce(m.region_code, '{HOME_REGION}') AS region_code
    FROM core.price_observations o LEFT JOIN ref.markets m USING (market_id))"""


def ensure_marts(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the marts with their comments, once. A mart whose columns differ from this version's is
    derived data: it is dropped and made again, and True says a full rebuild is due."""
    return create_stale_tables(con, MARTS)


def create_stale_tables(con: duckdb.DuckDBPyConnection, tables: tuple[Table, ...]) -> bool:
    """(Re)create, with their comments, the derived tables that are missing or whose columns differ."""
    found: dict[str, list[str]] = {}
    for schema, table, column in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() ORDER BY column_index"
    ).fetchall():
        found.setdefault(f"{schema}.{table}", []).append(column)
    stale = [t for t in tables if found.get(t.name) != [c for c, _, _ in t.columns]]
    if not stale:
        return False
    constraints = keys_enforced(con)
    with transaction(con):  # one commit: on a lake each statement alone is a catalog commit
        con.execute("CREATE SCHEMA IF NOT EXISTS mart")
        for table in stale:
            con.execute(f"DROP TABLE IF EXISTS {table.name}")
            con.execute(table.ddl(constraints=constraints))
            for statement in table.comments():
                con.execute(statement)
    return True


@dataclass
class Refresh:
    mode: str  # full, incremental or none
    commodities: int
    start_on: dt.date | None
    seconds: float


def refresh_marts(con: duckdb.DuckDBPyConnection, full: bool = False) -> Refresh:
    """Bring mart.* up to date with core.price_observations. Runs inside the caller's writer lock.

    Each region keeps its own mark of the last load counted: writers of different regions commit in any order
    on a lake, and one mark for all would skip a region's load committed after another region's later one."""
    started = dt.datetime.now()
    rebuilt = ensure_marts(con)
    with transaction(con):
        oldest, unmarked = one(con.execute(_MARKS, [HOME_REGION]))
        mode = "full" if full or rebuilt or oldest is None else "incremental"
        # loads after the oldest mark, as a constant the scan can skip files and row groups by; a region never
        # refreshed yet (a new region pack) is looked for in all rows
        newer = f"o.loaded_at > TIMESTAMP '{oldest.isoformat()}'" if mode == "incremental" and not unmarked else "true"
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE scope AS
            WITH marks AS (SELECT region_code, max(loaded_up_to) AS up_to FROM audit.mart_refreshes GROUP BY ALL)
            SELECT o.region_code, o.commodity_id, min(o.observed_on) AS start_on, max(o.loaded_at) AS up_to
            FROM {LOCATED} o LEFT JOIN marks k USING (region_code)
            WHERE {newer} AND ($full OR k.up_to IS NULL OR o.loaded_at > k.up_to) GROUP BY ALL""",
            {"full": mode == "full"},
        )
        count, start_on = one(con.execute("SELECT count(DISTINCT commodity_id), min(start_on) FROM scope"))
        if count:
            take_refresh_turn(con)
            if mode == "full":
                for mart in MARTS:
                    con.execute(f"DELETE FROM {mart.name}")
            _refresh(con, start_on)
            seconds = (dt.datetime.now() - started).total_seconds()
            con.execute(
                """
                INSERT INTO audit.mart_refreshes BY NAME
                SELECT now()::TIMESTAMP AS refreshed_at, region_code, max(up_to) AS loaded_up_to, $mode AS mode,
                       $count AS commodities, $seconds AS seconds
                FROM scope GROUP BY ALL""",
                {"mode": mode, "count": count, "seconds": seconds},
            )
    if not count:
        return Refresh("none", 0, None, (dt.datetime.now() - started).total_seconds())
    return Refresh(mode, count, start_on, seconds)


# the oldest region mark, and how many regions with markets (and the home region) have none
_MARKS = """
    WITH marks AS (SELECT region_code, max(loaded_up_to) AS up_to FROM audit.mart_refreshes
                   WHERE region_code IS NOT NULL GROUP BY ALL)
    SELECT (SELECT min(up_to) FROM marks),
           (SELECT count(*) FROM (SELECT region_code FROM ref.markets UNION SELECT ?) r
            WHERE r.region_code NOT IN (SELECT region_code FROM marks))"""


def take_refresh_turn(con: duckdb.DuckDBPyConnection) -> None:
    """In a refresh's transaction. On a lake two refreshes at once each see a snapshot without the other's rows
    and would both add the same region's; both update this one row, so the second to commit conflicts and is
    retried, and then sees the first's work. (The one-file warehouse has one writer; it costs nothing there.)"""
    con.execute("UPDATE audit.mart_refresh_turns SET turns = turns + 1")


def _replace(
    con: duckdb.DuckDBPyConnection,
    mart: str,
    date_column: str | None,
    select_sql: str,
    per_commodity: bool = True,
    monthly: bool = False,
) -> None:
    """Idempotent delete-then-insert of the rows a refresh recomputes: those of the changed regions' commodities
    dated on or after their first change (its month, for monthly marts)."""
    where = []
    if per_commodity:
        where.append("(region_code, commodity_id) IN (SELECT (region_code, commodity_id) FROM scope)")
    if date_column:
        bound = "date_trunc('month', min(s.start_on))" if monthly else "min(s.start_on)"
        where.append(
            f"{date_column} >= (SELECT {bound} FROM scope s"
            + (
                f" WHERE s.region_code = {mart}.region_code AND s.commodity_id = {mart}.commodity_id)"
                if per_commodity
                else ")"
            )
        )
    con.execute(f"DELETE FROM {mart}" + (" WHERE " + " AND ".join(where) if where else ""))
    con.execute(f"INSERT INTO {mart} BY NAME {select_sql}")


def _refresh(con: duckdb.DuckDBPyConnection, start_on: dt.date) -> None:
    # inputs: the changed commodities, from a year and a month before their first change
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE obs AS
        SELECT o.observed_on, o.region_code, o.market_id, o.commodity_id, o.price_idr::DOUBLE AS price_idr, s.start_on
        FROM {LOCATED} o JOIN scope s USING (region_code, commodity_id)
        WHERE o.observed_on >= s.start_on - INTERVAL {LOOKBACK_DAYS} DAY
          AND o.observed_on >= DATE '{start_on - dt.timedelta(days=LOOKBACK_DAYS)}'""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ppu AS
        SELECT region_code, observed_on, commodity_id, any_value(start_on) AS start_on, avg(price_idr) AS price_idr,
               count(*)::INTEGER AS n_markets, min(price_idr) AS min_idr, max(price_idr) AS max_idr,
               first(market_id ORDER BY price_idr, market_id) AS min_market_id,
               first(market_id ORDER BY price_idr DESC, market_id) AS max_market_id,
               max(price_idr) - min(price_idr) AS spread_idr,
               stddev_samp(price_idr) / avg(price_idr) * 100 AS cv_markets_pct
        FROM obs GROUP BY region_code, observed_on, commodity_id""")
    _replace(
        con, "mart.price_ppu_daily", "observed_on", "SELECT * EXCLUDE (start_on) FROM ppu WHERE observed_on >= start_on"
    )
    _changes(con)
    _reference_status(con)
    _volatility(con)
    _disparity(con)
    _early_warning(con)
    _alerts(con)
    _coverage(con, start_on)
    _headline(con, start_on)


def _changes(con: duckdb.DuckDBPyConnection) -> None:
    # each series' last observation before the input window stands in for all older ones as a comparison base
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE series AS
        WITH anchors AS (
            SELECT max(o.observed_on) AS observed_on, o.region_code, o.market_id, o.commodity_id,
                   arg_max(o.price_idr::DOUBLE, o.observed_on) AS price_idr, any_value(s.start_on) AS start_on
            FROM {LOCATED} o JOIN scope s USING (region_code, commodity_id)
            WHERE o.observed_on < s.start_on - INTERVAL {LOOKBACK_DAYS} DAY
            GROUP BY o.region_code, o.market_id, o.commodity_id
            UNION ALL
            SELECT max(p.observed_on), p.region_code, NULL, p.commodity_id, arg_max(p.price_idr, p.observed_on),
                   any_value(s.start_on)
            FROM mart.price_ppu_daily p JOIN scope s USING (region_code, commodity_id)
            WHERE p.observed_on < s.start_on - INTERVAL {LOOKBACK_DAYS} DAY GROUP BY p.region_code, p.commodity_id
        )
        SELECT observed_on, region_code, market_id, coalesce(market_id, region_code) AS series, commodity_id,
               price_idr, start_on, year(observed_on) * 12 + month(observed_on) - 1 AS month
        FROM (SELECT observed_on, region_code, market_id, commodity_id, price_idr, start_on FROM obs
              UNION ALL SELECT observed_on, region_code, NULL, commodity_id, price_idr, start_on FROM ppu
              UNION ALL SELECT * FROM anchors)""")
    _replace(
        con,
        "mart.price_monthly",
        "month",
        """
        SELECT date_trunc('month', observed_on)::DATE AS month, region_code, market_id, commodity_id,
               avg(price_idr) AS price_idr, count(*)::INTEGER AS n_days
        FROM series WHERE observed_on >= date_trunc('month', start_on) GROUP BY ALL""",
        monthly=True,
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE monthly AS
        SELECT coalesce(market_id, region_code) AS series, commodity_id,
               year(month) * 12 + month(month) - 1 AS month, price_idr AS mean_idr
        FROM mart.price_monthly WHERE (region_code, commodity_id) IN (SELECT (region_code, commodity_id) FROM scope)""")
    # "last observation on or before" t-1 and t-7: frames that end that many days before the row
    _replace(
        con,
        "mart.price_changes",
        "observed_on",
        """
        WITH todate AS (
            SELECT *,
                   avg(price_idr) OVER (PARTITION BY series, commodity_id, month ORDER BY observed_on) AS mtd,
                   last_value(observed_on) OVER day_frame AS dod_base_on,
                   last_value(price_idr) OVER day_frame AS dod_base_idr,
                   last_value(observed_on) OVER week_frame AS wow_base_on,
                   last_value(price_idr) OVER week_frame AS wow_base_idr
            FROM series
            WINDOW day_frame AS (PARTITION BY series, commodity_id ORDER BY observed_on
                                 RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 1 DAY PRECEDING),
                   week_frame AS (PARTITION BY series, commodity_id ORDER BY observed_on
                                  RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 7 DAY PRECEDING)
        )
        SELECT t.region_code, t.observed_on, t.market_id, t.commodity_id, t.price_idr,
               t.dod_base_on, (t.price_idr / t.dod_base_idr - 1) * 100 AS dod_pct,
               t.wow_base_on, (t.price_idr / t.wow_base_idr - 1) * 100 AS wow_pct,
               (t.mtd / prev.mean_idr - 1) * 100 AS mtm_pct,
               (t.mtd / year_ago.mean_idr - 1) * 100 AS yoy_pct,
               (t.mtd / december.mean_idr - 1) * 100 AS ytd_pct
        FROM todate t
        LEFT JOIN monthly prev ON prev.series = t.series AND prev.commodity_id = t.commodity_id
             AND prev.month = t.month - 1
        LEFT JOIN monthly year_ago ON year_ago.series = t.series AND year_ago.commodity_id = t.commodity_id
             AND year_ago.month = t.month - 12
        LEFT JOIN monthly december ON december.series = t.series AND december.commodity_id = t.commodity_id
             AND december.month = t.month // 12 * 12 - 1
        WHERE t.observed_on >= t.start_on""",
    )


def _reference_status(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE status AS
        SELECT s.region_code, s.observed_on, s.market_id, s.commodity_id, s.price_idr, s.start_on,
               r.kind AS reference_kind,
               r.lower_idr::DOUBLE AS reference_lower_idr, r.upper_idr::DOUBLE AS reference_upper_idr,
               (s.price_idr / r.upper_idr::DOUBLE - 1) * 100 AS vs_reference_pct,
               CASE WHEN s.price_idr > r.upper_idr THEN 'above'
                    WHEN r.lower_idr IS NOT NULL AND s.price_idr < r.lower_idr THEN 'below'
                    ELSE 'within' END AS band
        FROM series s JOIN ref.reference_prices r ON r.commodity_id = s.commodity_id AND r.zone IN ($zone, 'national')
             AND s.observed_on BETWEEN r.valid_from AND coalesce(r.valid_to, DATE '9999-12-31')""",
        {"zone": REFERENCE_ZONE},
    )
    _replace(
        con,
        "mart.price_reference_status",
        "observed_on",
        "SELECT * EXCLUDE (start_on) FROM status WHERE observed_on >= start_on",
    )
    _replace(
        con,
        "mart.reference_breaches_daily",
        "observed_on",
        """
        SELECT region_code, observed_on, commodity_id, count(*)::INTEGER AS n_markets,
               count(*) FILTER (WHERE band = 'above')::INTEGER AS n_above,
               count(*) FILTER (WHERE band = 'above') * 100.0 / count(*) AS share_above_pct
        FROM status WHERE market_id IS NOT NULL AND observed_on >= start_on GROUP BY ALL""",
    )


def _volatility(con: duckdb.DuckDBPyConnection) -> None:
    windows = " UNION ALL ".join(
        f"""
        SELECT region_code, commodity_id, {days} AS window_days, observed_on AS period_end, start_on,
               count(*) OVER w{days}::INTEGER AS n_days,
               stddev_samp(price_idr) OVER w{days} / avg(price_idr) OVER w{days} * 100 AS cv_pct
        FROM ppu_year WINDOW w{days} AS (PARTITION BY region_code, commodity_id ORDER BY observed_on
                              RANGE BETWEEN INTERVAL {days - 1} DAY PRECEDING AND CURRENT ROW)"""
        for days in (30, 90, 365)
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE ppu_year AS
        SELECT p.region_code, p.observed_on, p.commodity_id, p.price_idr, s.start_on
        FROM mart.price_ppu_daily p JOIN scope s USING (region_code, commodity_id)
        WHERE p.observed_on >= s.start_on - INTERVAL 365 DAY""")
    # rolling windows from the first changed day; calendar years from the first changed year
    con.execute("""
        DELETE FROM mart.price_volatility v USING scope s
        WHERE v.region_code = s.region_code AND v.commodity_id = s.commodity_id
          AND (v.period_end >= s.start_on OR (v.window_days IS NULL AND year(v.period_end) >= year(s.start_on)))""")
    con.execute(f"""
        INSERT INTO mart.price_volatility BY NAME
        SELECT region_code, commodity_id, window_days, period_end, n_days, cv_pct
        FROM ({windows}) WHERE period_end >= start_on
        UNION ALL
        SELECT p.region_code, p.commodity_id, NULL, max(p.observed_on), count(*)::INTEGER,
               stddev_samp(p.price_idr) / avg(p.price_idr) * 100
        FROM mart.price_ppu_daily p JOIN scope s USING (region_code, commodity_id)
        WHERE year(p.observed_on) >= year(s.start_on)
        GROUP BY p.region_code, p.commodity_id, year(p.observed_on)""")


def _disparity(con: duckdb.DuckDBPyConnection) -> None:
    _replace(
        con,
        "mart.price_disparity_monthly",
        "month",
        """
        WITH market_month AS (
            SELECT date_trunc('month', observed_on) AS month, region_code, commodity_id, market_id,
                   any_value(start_on) AS start_on, avg(price_idr) AS mean_idr
            FROM obs GROUP BY ALL
        )
        SELECT month, region_code, commodity_id, count(*)::INTEGER AS n_markets,
               stddev_samp(mean_idr) / avg(mean_idr) * 100 AS cv_markets_pct,
               first(market_id ORDER BY mean_idr DESC, market_id) AS highest_market_id, max(mean_idr) AS highest_idr,
               first(market_id ORDER BY mean_idr, market_id) AS lowest_market_id, min(mean_idr) AS lowest_idr,
               max(mean_idr) - min(mean_idr) AS spread_idr
        FROM market_month WHERE month >= date_trunc('month', start_on) GROUP BY ALL""",
        monthly=True,
    )


def _monthly_ppu(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        SELECT region_code, commodity_id, date_trunc('month', observed_on)::DATE AS month,
               year(observed_on) * 12 + month(observed_on) - 1 AS month_index, avg(price_idr) AS price_idr
        FROM mart.price_ppu_daily
        WHERE (region_code, commodity_id) IN (SELECT (region_code, commodity_id) FROM scope)
        GROUP BY ALL ORDER BY region_code, commodity_id, month""").df()


def month_index(day: dt.date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def alps(index: np.ndarray, prices: np.ndarray, latest: int) -> tuple[np.ndarray | None, str]:
    """WFP ALPS on monthly prices (index: month_index of each): OLS of price on a linear trend and 11 month
    dummies; ALPS is the residual over the residuals' standard deviation. Needs 3 years, 70% of the months and
    an observation in the last 6."""
    span = index.max() - index.min() + 1
    if span < 36:
        return None, f"{NOT_ENOUGH_HISTORY}: {span} bulan, perlu 36"
    if len(index) < 0.7 * span:
        return None, f"{NOT_ENOUGH_HISTORY}: hanya {len(index)} dari {span} bulan berdata (perlu 70%)"
    if latest - index.max() >= 6:
        return None, f"{NOT_ENOUGH_HISTORY}: tidak ada data dalam 6 bulan terakhir"
    calendar = index % 12
    design = np.column_stack(
        [np.ones(len(index)), index - index.min()] + [(calendar == m).astype(float) for m in range(1, 12)]
    )
    coef, *_ = np.linalg.lstsq(design, prices, rcond=None)
    residuals = prices - design @ coef
    sd = residuals.std(ddof=design.shape[1]) if len(index) > design.shape[1] else 0.0
    if not sd:
        return None, f"{NOT_ENOUGH_HISTORY}: harga tidak bervariasi"
    return residuals / sd, "ok"


def ifpa(index: np.ndarray, prices: np.ndarray) -> tuple[np.ndarray | None, str]:
    """FAO IFPA = 0.4 z(CQGR) + 0.6 z(CAGR), each z over the same calendar month across years. Needs 4 years."""
    span = index.max() - index.min() + 1
    if span < 48:
        return None, f"{NOT_ENOUGH_HISTORY}: {span} bulan, perlu 48"
    by_month = dict(zip(index, prices))
    lagged = lambda k: np.array([by_month.get(i - k, np.nan) for i in index])  # noqa: E731
    cqgr = (prices / lagged(3)) ** (1 / 3) - 1
    cagr = (prices / lagged(12)) ** (1 / 12) - 1
    calendar = index % 12
    return 0.4 * _z_by_calendar_month(cqgr, calendar) + 0.6 * _z_by_calendar_month(cagr, calendar), "ok"


def _z_by_calendar_month(values: np.ndarray, calendar: np.ndarray) -> np.ndarray:
    """Standard score of each value among the values of the same calendar month in other years."""
    out = np.full(len(values), np.nan)
    for month in range(12):
        chosen = (calendar == month) & ~np.isnan(values)
        if chosen.sum() >= 2 and values[chosen].std() > 0:
            out[chosen] = (values[chosen] - values[chosen].mean()) / values[chosen].std()
    return out


def _classify(values: np.ndarray, classes) -> np.ndarray:
    """Class names by lower bounds (highest first); None where there is no value."""
    names = np.full(len(values), None, dtype=object)
    for bound, name in reversed(classes):
        names[values >= bound] = name
    return names


def _early_warning(con: duckdb.DuckDBPyConnection) -> None:
    monthly = _monthly_ppu(con)
    latest = month_index(one(con.execute("SELECT max(observed_on) FROM core.price_observations"))[0])
    columns: dict[str, list] = {
        k: [] for k in ("region_code", "commodity_id", "method", "month", "price_idr", "value", "class", "status")
    }
    for (region_code, commodity_id), series in monthly.groupby(["region_code", "commodity_id"], sort=False):
        prices = series["price_idr"].to_numpy(float)
        index = series["month_index"].to_numpy()
        for method, (values, status), classes in (
            ("alps", alps(index, prices, latest), ALPS_CLASSES),
            ("ifpa", ifpa(index, prices), IFPA_CLASSES),
        ):
            months: Sequence | np.ndarray
            prices_out: Sequence | np.ndarray
            classes_out: Sequence | np.ndarray
            if values is None:  # one row saying why there is no number
                months, values, prices_out, classes_out = [None], np.array([np.nan]), [None], [None]
            else:
                months, prices_out, classes_out = series["month"].to_numpy(), prices, _classify(values, classes)
            n = len(values)
            columns["region_code"].append([region_code] * n)
            columns["commodity_id"].append([commodity_id] * n)
            columns["method"].append([method] * n)
            columns["month"].append(months)
            columns["price_idr"].append(prices_out)
            columns["value"].append(values)
            columns["class"].append(classes_out)
            columns["status"].append([status] * n)
    frame = pd.DataFrame({k: np.concatenate(v) if v else [] for k, v in columns.items()})
    con.register("early_frame", frame)
    _replace(
        con,
        "mart.price_early_warning",
        None,
        """
        SELECT region_code, commodity_id, method, month::DATE AS month, price_idr::DOUBLE AS price_idr,
               CASE WHEN isnan(value::DOUBLE) THEN NULL ELSE value::DOUBLE END AS value, class, status
        FROM early_frame""",
    )
    con.unregister("early_frame")


def _alerts(con: duckdb.DuckDBPyConnection) -> None:
    names = dict(zip(load_reference().commodities["commodity_id"], load_reference().commodities["name"]))
    # a run of days at or above 1.075 x the reference may have begun long before the change: it starts after
    # the last PPU day below the threshold, which the stored (unchanged) rows tell
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE crisis_runs AS
        WITH flagged AS (
            SELECT r.region_code, r.observed_on, r.commodity_id, s.start_on, r.price_idr, r.reference_kind,
                   r.reference_upper_idr, r.price_idr >= $factor * r.reference_upper_idr AS high
            FROM mart.price_reference_status r JOIN scope s USING (region_code, commodity_id)
            WHERE r.market_id IS NULL AND r.observed_on > coalesce((
                SELECT max(b.observed_on) FROM mart.price_reference_status b
                WHERE b.region_code = r.region_code AND b.commodity_id = r.commodity_id AND b.market_id IS NULL
                  AND b.observed_on < s.start_on AND b.price_idr < $factor * b.reference_upper_idr),
                DATE '0001-01-01')
        ),
        runs AS (
            SELECT *, sum(CASE WHEN high THEN 0 ELSE 1 END)
                          OVER (PARTITION BY region_code, commodity_id ORDER BY observed_on) AS run
            FROM flagged
        )
        SELECT *, min(observed_on) OVER (PARTITION BY region_code, commodity_id, run) AS since_on,
               count(*) OVER (PARTITION BY region_code, commodity_id, run ORDER BY observed_on) AS days
        FROM runs WHERE high""",
        {"factor": CRISIS_FACTOR},
    )
    wow = con.execute(
        """
        SELECT c.region_code, c.observed_on, c.commodity_id, c.wow_pct, c.wow_base_on, c.price_idr
        FROM mart.price_changes c JOIN scope s USING (region_code, commodity_id)
        WHERE c.market_id IS NULL AND abs(c.wow_pct) > $limit AND c.observed_on >= s.start_on""",
        {"limit": WOW_ALERT_PCT},
    ).df()
    crisis = con.execute(
        "SELECT * FROM crisis_runs WHERE days >= $days AND observed_on >= start_on", {"days": CRISIS_RUN_DAYS}
    ).df()
    monthly = con.execute("""
        SELECT * FROM mart.price_early_warning
        WHERE (region_code, commodity_id) IN (SELECT (region_code, commodity_id) FROM scope)
          AND class IN ('stress', 'alert', 'crisis', 'moderately_high', 'abnormally_high')""").df()
    rows: list[tuple] = []
    for r in wow.itertuples():
        way = "naik" if r.wow_pct > 0 else "turun"
        rows.append(
            (
                r.region_code,
                r.observed_on,
                r.commodity_id,
                "waspada",
                "wow_above_10pct",
                r.wow_base_on,
                f"Harga rata-rata {names[r.commodity_id]} {way} {persen(abs(r.wow_pct))} dalam seminggu "
                f"(dibanding {tanggal(r.wow_base_on)}), kini {rupiah(r.price_idr)}.",
            )
        )
    for r in crisis.itertuples():
        rows.append(
            (
                r.region_code,
                r.observed_on,
                r.commodity_id,
                "awas",
                "bapanas_15_days",
                r.since_on,
                f"Harga rata-rata {names[r.commodity_id]} {rupiah(r.price_idr)} berada di atas 107,5% "
                f"{r.reference_kind} ({rupiah(r.reference_upper_idr)}) selama {r.days} hari berturut-turut "
                f"sejak {tanggal(r.since_on)}.",
            )
        )
    for r in monthly.itertuples():
        level = ALPS_LEVEL.get(r._7) or IFPA_LEVEL.get(r._7)  # the "class" column
        method = "WFP ALPS" if r.method == "alps" else "FAO IFPA"
        month_end = (pd.Timestamp(r.month) + pd.offsets.MonthEnd(0)).date()
        rows.append(
            (
                r.region_code,
                month_end,
                r.commodity_id,
                level,
                f"{'wfp' if r.method == 'alps' else 'fao'}_{r.method}",
                r.month,
                f"{method} {names[r.commodity_id]} bulan {tanggal(r.month)[2:].strip()}: "
                f"{angka(r.value, 2)} ({EARLY_WARNING_CLASSES[r._7]}); rata-rata bulanan {rupiah(r.price_idr)}.",
            )
        )
    frame = pd.DataFrame(
        rows, columns=["region_code", "observed_on", "commodity_id", "level", "rule", "since_on", "message"]
    )
    frame.insert(3, "market_id", None)
    con.register("alert_frame", frame.astype({"market_id": object}))
    con.execute("""
        DELETE FROM mart.price_alerts a USING scope s
        WHERE a.region_code = s.region_code AND a.commodity_id = s.commodity_id
          AND (a.rule IN ('wfp_alps', 'fao_ifpa') OR a.observed_on >= s.start_on)""")
    con.execute("""INSERT INTO mart.price_alerts BY NAME
                   SELECT region_code, observed_on::DATE AS observed_on, commodity_id, market_id::VARCHAR AS market_id,
                          level,
                          rule, since_on::DATE AS since_on, message FROM alert_frame""")
    con.unregister("alert_frame")


# Timeliness is measured from the day SIHARPA received its first price file: a history loaded later is a
# backfill, not late reporting. A market's market days are the weekdays it reports in at least half of the
# measured weeks (weekly markets are not late on other days); a market never heard from is expected every day.
TIMELINESS_CTE = """
    since AS (SELECT (min(received_at) + INTERVAL 8 HOUR)::DATE AS first_day FROM audit.files
              WHERE dataset = 'prices'),
    measured AS (SELECT c.* FROM mart.coverage c, since WHERE c.observed_on >= since.first_day),
    weeks AS (SELECT count(DISTINCT date_trunc('week', observed_on)) AS n FROM measured),
    schedule AS (
        SELECT market_id, dayofweek(observed_on) AS weekday FROM measured, weeks
        GROUP BY ALL HAVING count(*) * 2 >= any_value(weeks.n)),
    days AS (SELECT DISTINCT observed_on FROM measured),
    market_days AS (
        SELECT s.market_id, d.observed_on FROM days d JOIN schedule s ON s.weekday = dayofweek(d.observed_on)
        UNION ALL
        SELECT m.market_id, d.observed_on FROM days d, ref.markets m
        WHERE m.market_id NOT IN (SELECT market_id FROM measured))"""


def _coverage(con: duckdb.DuckDBPyConnection, start_on: dt.date) -> None:
    # on time = the market's prices for that day arrived in a file received by 12:00 WITA (04:00 UTC) that day
    con.execute("DELETE FROM mart.coverage WHERE observed_on >= ?", [start_on])
    con.execute(
        """
        INSERT INTO mart.coverage
        SELECT o.observed_on, o.market_id, count(*)::INTEGER, min(f.received_at),
               min(f.received_at) <= o.observed_on + INTERVAL 4 HOUR
        FROM core.price_observations o
        LEFT JOIN (SELECT file_id, min(received_at) AS received_at FROM audit.files GROUP BY ALL) f USING (file_id)
        WHERE o.observed_on >= ? GROUP BY o.observed_on, o.market_id""",
        [start_on],
    )
    con.execute("DELETE FROM mart.market_timeliness")
    con.execute(f"""
        INSERT INTO mart.market_timeliness
        WITH {TIMELINESS_CTE}
        SELECT m.market_id, count(d.observed_on)::INTEGER, count(c.observed_on)::INTEGER,
               count(*) FILTER (WHERE c.on_time)::INTEGER,
               count(*) FILTER (WHERE c.on_time) * 100.0 / nullif(count(d.observed_on), 0)
        FROM ref.markets m LEFT JOIN market_days d USING (market_id)
        LEFT JOIN measured c ON c.market_id = d.market_id AND c.observed_on = d.observed_on
        GROUP BY m.market_id""")


def _headline(con: duckdb.DuckDBPyConnection, start_on: dt.date) -> None:
    con.execute(
        "DELETE FROM mart.stability_headline WHERE year >= year(?::DATE) "
        "AND region_code IN (SELECT region_code FROM scope)",
        [start_on],
    )
    con.execute(
        f"""
        INSERT INTO mart.stability_headline
        WITH time_cv AS (
            SELECT region_code, year(period_end) AS year, commodity_id, cv_pct FROM mart.price_volatility
            WHERE window_days IS NULL AND region_code IN (SELECT region_code FROM scope)
        ),
        market_year AS (
            SELECT region_code, year(observed_on) AS year, commodity_id, market_id,
                   avg(price_idr::DOUBLE) AS mean_idr
            FROM {LOCATED}
            WHERE observed_on >= DATE '{start_on.year}-01-01' AND region_code IN (SELECT region_code FROM scope)
            GROUP BY ALL
        ),
        markets_cv AS (
            SELECT region_code, year, commodity_id, stddev_samp(mean_idr) / avg(mean_idr) * 100 AS cv_pct
            FROM market_year GROUP BY ALL
        )
        SELECT t.region_code, t.year, count(*)::INTEGER, avg(t.cv_pct), $time_target, avg(m.cv_pct),
               $markets_target
        FROM time_cv t LEFT JOIN markets_cv m USING (region_code, year, commodity_id)
        WHERE t.year >= year($start::DATE) GROUP BY t.region_code, t.year""",
        {"start": start_on, "time_target": CV_TIME_TARGET_PCT, "markets_target": CV_MARKETS_TARGET_PCT},
    )


def recent_alerts(con: duckdb.DuckDBPyConnection, days: int = 7) -> int:
    """Alerts raised in the last `days` days (any level, PPU or market)."""
    return one(
        con.execute("SELECT count(*) FROM mart.price_alerts WHERE observed_on >= current_date - ?::INTEGER", [days])
    )[0]
