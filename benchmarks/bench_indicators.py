"""Indicator benchmarks (issue: price indicators). On the demo history (5 and 10 years, 9 markets x 24
commodities): the marts' full rebuild and their incremental refresh after one new weekly file (target:
incremental <= 10% of full), the publish copy on its own, and each dashboard query's median time against a plain
filtered scan of core.price_observations for the same commodity (the floor; indicative target <= 100 ms).

Usage: python benchmarks/bench_indicators.py [--years 5 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from siharpa_pipeline.demo import load_demo
from siharpa_pipeline.indicators import refresh_marts
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import storage
from siharpa_pipeline.transactions import one

from helpers import long_csv

END = dt.date(2026, 11, 27)
CACHE = Path(__file__).resolve().parent / "out"
COMMODITY = "cabai_rawit_merah"
QUERIES = {
    "PPU price series": "SELECT observed_on, price_idr, n_markets FROM mart.price_ppu_daily WHERE commodity_id = ?",
    "changes, PPU level": "SELECT * FROM mart.price_changes WHERE commodity_id = ? AND market_id IS NULL",
    "HET/HAP status": "SELECT * FROM mart.price_reference_status WHERE commodity_id = ? AND market_id IS NOT NULL",
    "volatility 30d": "SELECT * FROM mart.price_volatility WHERE commodity_id = ? AND window_days = 30",
    "monthly disparity": "SELECT * FROM mart.price_disparity_monthly WHERE commodity_id = ?",
    "alerts": "SELECT * FROM mart.price_alerts WHERE commodity_id = ? ORDER BY observed_on DESC LIMIT 50",
    "early warning": "SELECT * FROM mart.price_early_warning WHERE commodity_id = ?",
}
FLOOR = "SELECT observed_on, market_id, price_idr FROM core.price_observations WHERE commodity_id = ?"


def demo_warehouse(years: int) -> Settings:
    settings = Settings(CACHE / f"demo_{years}y")
    if not settings.serving_path.exists():
        print(f"  building the {years}-year demo history (once, cached in {settings.data_dir}) ...", flush=True)
        load_demo(settings, years=years, end=END)
    return settings


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(con, sql: str, runs: int = 15) -> float:
    return statistics.median(timed(lambda: con.execute(sql, [COMMODITY]).fetchall()) for _ in range(runs)) * 1000


def bench(years: int) -> None:
    source = demo_warehouse(years)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "data")
        shutil.copytree(source.data_dir, settings.data_dir, ignore=shutil.ignore_patterns("demo", "archive"))
        con = duckdb.connect(str(settings.warehouse_path))
        rows = one(con.execute("SELECT count(*) FROM core.price_observations"))[0]
        full = timed(lambda: refresh_marts(con, full=True))
        con.close()
        last = END
        week = long_csv(Path(tmp) / "minggu_baru.csv", [last + dt.timedelta(days=i) for i in range(1, 8)], seed=1)
        ingest_files([week], settings, as_of=last + dt.timedelta(days=8))
        with storage(settings).writer() as con:
            incremental = timed(lambda: refresh_marts(con))
        copy = timed(lambda: publish(settings, refresh=False))
        size_mb = settings.serving_path.stat().st_size / 2**20
        print(f"{years} years, {rows:,} observations")
        print(f"  marts full rebuild        {full:7.3f} s")
        print(
            f"  incremental (1 new week)  {incremental:7.3f} s   ratio to full {incremental / full:6.1%} "
            f"(target <= 10%)"
        )
        print(f"  publish copy alone        {copy:7.3f} s   ({size_mb:.0f} MiB serving file)")
        con = duckdb.connect(str(settings.serving_path), read_only=True)
        floor = median_ms(con, FLOOR)
        print(f"  dashboard queries for {COMMODITY}, median of 15; floor = filtered scan of core: {floor:.1f} ms")
        for name, sql in QUERIES.items():
            ours = median_ms(con, sql)
            print(
                f"    {name:<22} {ours:7.1f} ms   ratio {ours / floor:5.2f}x   (<= 100 ms: "
                f"{'ok' if ours <= 100 else 'OVER'})"
            )
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, nargs="+", default=[5, 10])
    for years in parser.parse_args().years:
        bench(years)


if __name__ == "__main__":
    main()
