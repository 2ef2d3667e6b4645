"""Lake benchmark (issue "Beyond one machine"), work in progress: a simulated province day (10 regions x 9
markets x 24 commodities, one file per market) loaded into a DuckLake on a real PostgreSQL with 1, 2 and 4
concurrent writer processes, against the one-file default loading the same files (the floor); and the cost per
file of a lake load, most of which is the catalog commit.

Usage: python benchmarks/bench_lake.py [--regions 10]  (PostgreSQL from Debian's package, as the tests use)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from postgres_server import create_database, postgres

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.lake import setup
from siharpa_pipeline.reference import load_reference
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import LAKE_DATA_ENV, LAKE_ENV

from helpers import long_csv

DAY = dt.date(2026, 11, 2)


def market_files(folder: Path, regions: int) -> list[Path]:
    """One file per market and region: PPU's nine markets stand in for each region's."""
    markets = list(load_reference().markets["market_id"])
    return [
        long_csv(folder / f"wilayah{r:03d}_{m}.csv", [DAY - dt.timedelta(days=r)], [m], seed=r * 10 + i)
        for r in range(regions)
        for i, m in enumerate(markets)
    ]


def load_with_writers(files: list[Path], writers: int, data_dir: Path) -> float:
    """`writers` processes, each loading its share of the files one by one (siharpa ingest --no-publish)."""
    shares = [files[i::writers] for i in range(writers)]
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "siharpa_pipeline.cli", "ingest", "--no-publish", "--data-dir", str(data_dir)]
            + [str(f) for f in share],
            stdout=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        for share in shares
    ]
    assert all(p.wait() == 0 for p in procs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=10)
    regions = parser.parse_args().regions
    with tempfile.TemporaryDirectory() as tmp, postgres() as port:
        work = Path(tmp)
        (work / "files").mkdir()
        files = market_files(work / "files", regions)
        started = time.perf_counter()
        ingest_files(files, Settings(work / "file_data"))
        floor = time.perf_counter() - started
        print(
            f"{regions} regions x 9 markets = {len(files)} files of 24 prices; floor = one-file default, "
            f"one process: {floor:.2f} s ({floor / len(files) * 1000:.0f} ms per file)"
        )
        for writers in (1, 2, 4):
            os.environ[LAKE_ENV] = "ducklake:postgres:" + create_database(port, f"bench_{writers}")
            os.environ[LAKE_DATA_ENV] = str(work / f"parquet_{writers}") + "/"
            data_dir = work / f"lake_{writers}"
            setup(Settings(data_dir))
            ours = load_with_writers(files, writers, data_dir)
            print(
                f"  lake, {writers} writer(s): {ours:.2f} s   ratio {ours / floor:.2f}x   "
                f"{ours / len(files) * 1000:.0f} ms per file"
            )


if __name__ == "__main__":
    main()
