"""Indicators of the other quick wins (mart.*): Serbu Gass, Puspita, Call Center 112, the master plan's
indicator sheets, and how fresh each dataset is. These tables are small (hundreds to thousands of rows a
month), so each refresh rebuilds them whole, and only when a core table changed since the last one."""

from __future__ import annotations

import duckdb

from .datasets import DATASETS
from .indicators import create_stale_tables, take_refresh_turn
from .quickwins import WASTE_UNIT_TARGET
from .tables import QUICK_WIN_MARTS
from .transactions import transaction

PRANK_OR_GHOST = ("prank", "ghost")


_SELECTS = {
    "mart.waste_monthly": """
        SELECT date_trunc('month', w.deposited_on)::DATE AS month, c.group_name AS waste_group, w.kecamatan_code,
               count(*) AS deposits, sum(w.weight_kg) AS weight_kg, sum(w.value_idr)::DOUBLE AS value_idr,
               coalesce(sum(w.weight_kg) FILTER (w.is_donation), 0) AS donated_weight_kg,
               coalesce(sum(w.value_idr) FILTER (w.is_donation), 0)::DOUBLE AS donated_value_idr
        FROM core.waste_deposits w JOIN ref.waste_categories c ON c.category_id = w.waste_category_id
        GROUP BY ALL""",
    "mart.waste_units_monthly": f"""
        SELECT date_trunc('month', deposited_on)::DATE AS month,
               count(DISTINCT (unit_name, desa, kecamatan_code)) AS active_units, {WASTE_UNIT_TARGET} AS target_units,
               100.0 * count(DISTINCT (unit_name, desa, kecamatan_code)) / {WASTE_UNIT_TARGET} AS achievement_pct,
               sum(weight_kg) AS weight_kg, sum(value_idr)::DOUBLE AS value_idr,
               100.0 * coalesce(sum(weight_kg) FILTER (is_donation), 0) / nullif(sum(weight_kg), 0)
                   AS donated_share_pct
        FROM core.waste_deposits GROUP BY ALL""",
    "mart.tourism_monthly": """
        WITH m AS (SELECT month, destination_id, sum(domestic_visits) AS domestic_visits,
                          sum(foreign_visits) AS foreign_visits, sum(domestic_visits + foreign_visits) AS total_visits,
                          sum(fee_revenue_idr)::DOUBLE AS fee_revenue_idr
                   FROM core.tourism_visits GROUP BY ALL)
        SELECT m.*, y.total_visits AS total_visits_year_ago,
               100.0 * (m.total_visits / nullif(y.total_visits, 0) - 1) AS yoy_pct
        FROM m LEFT JOIN m y ON y.destination_id = m.destination_id AND y.month = m.month - INTERVAL 1 YEAR""",
    "mart.calls_112_daily": f"""
        SELECT k.received_at::DATE AS day, count(*) AS calls,
               count(*) FILTER (k.category_id IN {PRANK_OR_GHOST}) AS prank_or_ghost,
               100.0 * count(*) FILTER (k.category_id IN {PRANK_OR_GHOST}) / count(*) AS prank_or_ghost_pct,
               count(*) FILTER (c.is_emergency) AS emergencies
        FROM core.calls_112 k LEFT JOIN ref.calls_112_categories c USING (category_id) GROUP BY ALL""",
    "mart.calls_112_response_monthly": """
        WITH t AS (SELECT date_trunc('month', received_at)::DATE AS month,
                          epoch(dispatched_at - received_at) / 60 AS to_dispatch,
                          epoch(arrived_at - dispatched_at) / 60 AS to_arrival
                   FROM core.calls_112 WHERE dispatched_at IS NOT NULL)
        SELECT month, count(*) AS dispatched,
               median(to_dispatch) AS answer_to_dispatch_median_min,
               quantile_cont(to_dispatch, 0.9) AS answer_to_dispatch_p90_min,
               median(to_arrival) AS dispatch_to_arrival_median_min,
               quantile_cont(to_arrival, 0.9) AS dispatch_to_arrival_p90_min
        FROM t GROUP BY ALL""",
    "mart.calls_112_kecamatan_monthly": """
        WITH e AS (SELECT date_trunc('month', k.received_at)::DATE AS month, k.kecamatan_code, count(*) AS emergencies
                   FROM core.calls_112 k JOIN ref.calls_112_categories c USING (category_id)
                   WHERE c.is_emergency GROUP BY ALL)
        SELECT e.*, r.population, r.population_year, 1e4 * e.emergencies / r.population AS per_10k_residents
        FROM e JOIN ref.regions r ON r.code = e.kecamatan_code""",
    "mart.indicator_achievement": """
        SELECT dimension, program, indicator, unit, period, period_start, target, actual,
               100.0 * actual / nullif(target, 0) AS achievement_pct, agency,
               row_number() OVER (PARTITION BY dimension, program, indicator
                                  ORDER BY period_start DESC, loaded_at DESC) = 1 AS is_latest
        FROM core.indicator_values""",
    "mart.dataset_freshness": " UNION ALL ".join(
        f"SELECT '{name}' AS dataset, count(*) AS rows, min({day}) AS first_data_on, max({day}) AS last_data_on, "
        f"max(loaded_at) AS last_loaded_at FROM {d.core_table}"
        for name, d in DATASETS.items()
        for day in (d.date_column,)
    ),
}


def _loaded_up_to(con: duckdb.DuckDBPyConnection) -> str:
    """A fingerprint of the core tables: what was loaded last, and how many rows each holds."""
    parts = [f"SELECT '{n}', max(loaded_at)::VARCHAR, count(*) FROM {d.core_table}" for n, d in DATASETS.items()]
    return repr(con.execute(" UNION ALL ".join(parts) + " ORDER BY 1").fetchall())


def refresh_quick_win_marts(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild the quick-win marts when a core table changed since the last rebuild; True when it did."""
    rebuilt = create_stale_tables(con, QUICK_WIN_MARTS)
    source = _loaded_up_to(con)
    last = con.execute("SELECT source FROM audit.quick_win_refreshes ORDER BY refreshed_at DESC LIMIT 1").fetchone()
    if not rebuilt and last is not None and last[0] == source:
        return False
    with transaction(con):
        take_refresh_turn(con)
        for mart in QUICK_WIN_MARTS:
            con.execute(f"DELETE FROM {mart.name}")
            con.execute(f"INSERT INTO {mart.name} BY NAME {_SELECTS[mart.name]}")
        con.execute(
            "INSERT INTO audit.quick_win_refreshes BY NAME SELECT now()::TIMESTAMP AS refreshed_at, ? AS source",
            [source],
        )
    return True
