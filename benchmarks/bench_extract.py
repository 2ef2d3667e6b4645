"""Extract benchmark (issue: Bappeda extracts). On the 10-year demo history: `siharpa extract` to a DuckDB file
with every table (audit included, so the same tables as the floor) against DuckDB's own
`COPY FROM DATABASE` of the serving file into a new file (the floor); target <= 2x. Best of 3, same process,
same input. The Parquet and CSV extracts are timed for orientation.

Usage: SIHARPA_PII_KEY=... python benchmarks/bench_extract.py [--years 10]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siharpa_pipeline.extracts import Scope, build_extract
from siharpa_pipeline.transactions import one

from bench_indicators import demo_warehouse


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    years = parser.parse_args().years
    settings = demo_warehouse(years)
    rows = one(
        duckdb.connect(str(settings.serving_path), read_only=True).execute(
            "SELECT count(*) FROM core.price_observations"
        )
    )[0]
    size = settings.serving_path.stat().st_size / 2**20
    print(f"{years}-year demo history: {rows} price observations, serving file {size:.0f} MiB")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)

        def floor() -> None:
            target = work / "floor.duckdb"
            target.unlink(missing_ok=True)
            con = duckdb.connect()
            con.execute(f"ATTACH '{settings.serving_path}' AS src (READ_ONLY)")
            con.execute(f"ATTACH '{target}' AS dst")
            con.execute("COPY FROM DATABASE src TO dst")
            con.close()

        def ours(fmt: str = "duckdb") -> None:
            out = work / ("ours.duckdb" if fmt == "duckdb" else f"ours_{fmt}")
            if out.is_dir():
                shutil.rmtree(out)
            out.unlink(missing_ok=True)  # an extract never overwrites without being told to
            build_extract(settings, out, Scope(with_audit=True), fmt)

        floor_s, ours_s = best_of(floor), best_of(ours)
        print(
            f"extract (duckdb, all tables)  floor COPY FROM DATABASE {floor_s:.2f} s   ours {ours_s:.2f} s   "
            f"ratio {ours_s / floor_s:.2f}x (target <= 2x)"
        )
        for fmt in ("parquet", "csv"):
            print(f"extract ({fmt}, all tables)   ours {best_of(lambda: ours(fmt), 1):.2f} s (orientation)")


if __name__ == "__main__":
    main()
