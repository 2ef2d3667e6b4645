"""Lake benchmark (issue "Beyond one machine"): the warehouse as a DuckLake on a real PostgreSQL against the
one-file default (the floor), on the same input in the same process.

1. A day of files, one per market: a province (10 regions x 9 markets) or the nation (514 regions x 2 markets,
   Panel Harga's 960 enumerators), 24 prices each, loaded by 1, 2 and 4 concurrent writer processes (each
   writer takes whole regions, as Dagster's one-run-per-region limit does).
2. The catalog commit: one file's 24 rows inserted and committed, lake against file, per commit.
3. Dashboard queries at national scale: a year of 514 regions x 9 markets x 24 commodities (~40M
   observations, generated in SQL) with its daily regional averages; the Harga and Disparitas queries for
   one region and commodity over 90 days, lake against file (the target is 100 ms on the lake).

Usage: python benchmarks/bench_lake.py [--national] [--skip-loads] [--skip-queries]
(PostgreSQL from Debian's package, as the tests use.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from postgres_server import create_database, postgres

from siharpa_pipeline.indicators import LOCATED, ensure_marts, refresh_marts
from siharpa_pipeline.ingest import import_pack, ingest_files
from siharpa_pipeline.lake import setup
from siharpa_pipeline.reference import load_reference
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import LAKE_DATA_ENV, LAKE_ENV, storage

DAY = dt.date(2026, 11, 2)
PAGE_SQL = Path(__file__).resolve().parents[1] / "dashboards" / "sql"  # the pages' own queries
SUFFIXES = "ABCDEFGHI"


def regions(count: int) -> list[tuple[str, str]]:
    """(code, "Kabupaten X" / "Kota Y") of the first `count` kabupaten/kota of Kemendagri's list."""
    found = load_reference().regions
    found = found[found["level"].isin(["kabupaten", "kota"])]
    return [(r.code, f"{r.level.capitalize()} {r.name}") for r in found.itertuples()][:count]


def write_pack(folder: Path, places: list[tuple[str, str]], markets: int) -> Path:
    """A region pack with `markets` markets per region: Pasar <region> A, B, ..."""
    folder.mkdir(parents=True)
    lines = ["market_id,name,region_code"]
    for code, name in places:
        for i in range(markets):
            lines.append(f"pasar_{code.replace('.', '_')}_{i},Pasar {name} {SUFFIXES[i]},{code}")
    (folder / "markets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def market_files(
    folder: Path, places: list[tuple[str, str]], markets: int, day: dt.date = DAY
) -> dict[str, list[Path]]:
    """Each region's files of `day`, one per market, 24 prices each (the monitored commodities)."""
    goods = load_reference().monitored
    rng = np.random.default_rng(0)
    files: dict[str, list[Path]] = {}
    for code, name in places:
        for i in range(markets):
            market = f"Pasar {name} {SUFFIXES[i]}"
            rows = ["Tanggal;Pasar;Komoditas;Satuan;Harga"] + [
                f"{day:%d/%m/%Y};{market};{c.name};{c.unit};"
                + f"{int(rng.uniform(c.typical_low_idr, c.typical_high_idr) / 250) * 250:,}".replace(",", ".")
                for c in goods.itertuples()
            ]
            path = folder / f"harga_{code}_{SUFFIXES[i]}_{day}.csv"
            path.write_text("\n".join(rows) + "\n", encoding="utf-8")
            files.setdefault(code, []).append(path)
    return files


def use_lake(port: int, name: str, work: Path) -> None:
    os.environ[LAKE_ENV] = "ducklake:postgres:" + create_database(port, name)
    os.environ[LAKE_DATA_ENV] = str(work / f"parquet_{name}") + "/"


def use_file() -> None:
    os.environ.pop(LAKE_ENV, None)
    os.environ.pop(LAKE_DATA_ENV, None)


def load_with_writers(files: dict[str, list[Path]], writers: int, data_dir: Path) -> float:
    """`writers` processes (siharpa ingest --no-publish), each loading whole regions one file at a time."""
    codes = sorted(files)
    shares = [[f for code in codes[i::writers] for f in files[code]] for i in range(writers)]
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


def bench_loads(port: int, work: Path, national: bool) -> None:
    places = regions(514 if national else 10)
    markets = 2 if national else 9
    pack = write_pack(work / "pack", places, markets)
    (work / "files").mkdir()
    files = market_files(work / "files", places, markets)
    n = sum(len(f) for f in files.values())
    use_file()
    floor_settings = Settings(work / "file_data")
    import_pack(floor_settings, pack)
    started = time.perf_counter()
    ingest_files([f for code in sorted(files) for f in files[code]], floor_settings)
    floor = time.perf_counter() - started
    print(f"\n1. A {'national' if national else 'province'} day: {len(places)} regions x {markets} markets = {n} files")
    print(f"   floor (one-file default, one process): {floor:7.1f} s  {floor / n * 1000:5.0f} ms per file")
    for writers in (1, 2, 4):
        use_lake(port, f"load_{writers}", work)
        data_dir = work / f"lake_{writers}"
        setup(Settings(data_dir))
        import_pack(Settings(data_dir), pack)
        ours = load_with_writers(files, writers, data_dir)
        print(
            f"   lake, {writers} writer(s):               {ours:7.1f} s  {ours / n * 1000:5.0f} ms per file"
            f"   ratio {ours / floor:5.2f}x   {n / ours * 3600:7.0f} files per hour"
        )


def bench_commit(port: int, work: Path, repeats: int = 40) -> None:
    """One file's worth (24 rows) inserted and committed, `repeats` times: the cost of a commit itself."""
    use_file()
    floor = _commits(Settings(work / "commit_file"), repeats)
    use_lake(port, "commit", work)
    lake_settings = Settings(work / "commit_lake")
    setup(lake_settings)
    ours = _commits(lake_settings, repeats)
    print(f"\n2. The commit of one file's 24 rows (median of {repeats})")
    print(
        f"   floor (one-file default): {floor * 1000:6.1f} ms   lake: {ours * 1000:6.1f} ms   "
        f"ratio {ours / floor:5.1f}x"
    )


def _commits(settings: Settings, repeats: int) -> float:
    times = []
    with storage(settings).writer() as con:
        for i in range(repeats):
            day = DAY + dt.timedelta(days=i + 1)
            started = time.perf_counter()
            con.execute("BEGIN")
            con.execute(
                "INSERT INTO core.price_observations (observed_on, market_id, commodity_id, price_idr, unit, "
                "file_id, sheet, source_row, loaded_at) "
                "SELECT ?, 'pasar_waru', commodity_id, 10000, unit, 'bench', 'bench', 2, now()::TIMESTAMP "
                "FROM ref.commodities WHERE monitored",
                [day],
            )
            con.execute("COMMIT")
            times.append(time.perf_counter() - started)
    return statistics.median(times)


GENERATE = """
INSERT INTO core.price_observations (observed_on, market_id, commodity_id, price_idr, unit, file_id, sheet,
                                     source_row, loaded_at)
SELECT d::DATE, m.market_id, c.commodity_id,
       round(c.typical_low_idr + (c.typical_high_idr - c.typical_low_idr) * hash(d, m.market_id, c.commodity_id)
             / 18446744073709551615.0, -2),
       c.unit, 'bench', 'bench', 2, now()::TIMESTAMP
FROM range(?::DATE, ?::DATE, INTERVAL 1 DAY) t(d), ref.markets m, ref.commodities c
WHERE c.monitored
"""
REGION_DAILY = """
INSERT INTO mart.price_ppu_daily BY NAME
SELECT m.region_code, o.observed_on, o.commodity_id, avg(o.price_idr::DOUBLE) AS price_idr,
       count(*)::INTEGER AS n_markets, min(o.price_idr) AS min_idr, max(o.price_idr) AS max_idr,
       stddev_samp(o.price_idr::DOUBLE) / avg(o.price_idr::DOUBLE) * 100 AS cv_markets_pct
FROM core.price_observations o JOIN ref.markets m USING (market_id)
WHERE o.observed_on >= ? AND o.observed_on < ? GROUP BY ALL
"""


def national_year(settings: Settings, pack: Path) -> int:
    """A year of 514 regions x 9 markets x 24 commodities, loaded a month at a time (as days arrive), and the
    daily regional averages the Disparitas page reads."""
    import_pack(settings, pack)
    start, end = DAY - dt.timedelta(days=364), DAY + dt.timedelta(days=1)
    with storage(settings).writer() as con:
        ensure_marts(con)
        for first in range(0, 365, 31):
            bounds = [start + dt.timedelta(days=first), min(start + dt.timedelta(days=first + 31), end)]
            con.execute(GENERATE, bounds)
            con.execute(REGION_DAILY, bounds)
        [(count,)] = con.execute("SELECT count(*) FROM core.price_observations").fetchall()
        storage(settings).publish(con, count)
    return count


def bench_queries(port: int, work: Path, repeats: int = 20) -> None:
    places = regions(514)
    pack = write_pack(work / "pack_year", places, 9)
    region = places[len(places) // 2][0]
    markets = [f"pasar_{region.replace('.', '_')}_{i}" for i in range(9)]
    start = DAY - dt.timedelta(days=90)
    queries = {
        "Harga: prices of one commodity in a region's markets, 90 days": (
            (PAGE_SQL / "prices.sql").read_text(),
            ["beras_medium", start, DAY, markets],
        ),
        "Disparitas: a region's daily average and volatility, 90 days": (
            (PAGE_SQL / "ppu_series.sql").read_text(),
            [region, "beras_medium", start, DAY],
        ),
    }
    timings: dict[str, dict[str, float]] = {}
    runs: dict[str, float] = {}
    print(f"\n3. A year of the nation, and what readers and one region's run cost on it (region {region})")
    for name in ("file", "lake"):
        if name == "file":
            use_file()
        else:
            use_lake(port, "year", work)
        settings = Settings(work / f"year_{name}")
        settings.ensure_dirs()
        if name == "lake":
            setup(settings)
        started = time.perf_counter()
        count = national_year(settings, pack)
        print(f"   {name}: {count:,} observations generated in {time.perf_counter() - started:.0f} s")
        with storage(settings).snapshot() as con:
            for label, (text, params) in queries.items():
                con.execute(text, params).fetchall()  # first read: metadata and Parquet footers cached
                times = []
                for _ in range(repeats):
                    began = time.perf_counter()
                    rows = con.execute(text, params).fetchall()
                    times.append(time.perf_counter() - began)
                assert rows, label
                timings.setdefault(label, {})[name] = statistics.median(times)
        runs[name] = region_run(settings, places[len(places) // 2], work / f"run_{name}")
    print(f"   dashboard queries for one region and commodity, median of {repeats} (target: 100 ms on the lake)")
    for label, t in timings.items():
        print(
            f"   {label}: floor (file) {t['file'] * 1000:6.1f} ms   lake {t['lake'] * 1000:6.1f} ms"
            f"   ratio {t['lake'] / t['file']:5.1f}x   {'ok' if t['lake'] <= 0.1 else 'OVER 100 ms'}"
        )
    print(
        f"   one region's run (a market's file of the next day loaded, the region's indicators refreshed):\n"
        f"     floor (file) {runs['file']:6.2f} s   lake {runs['lake']:6.2f} s   "
        f"ratio {runs['lake'] / runs['file']:5.2f}x"
    )


def region_run(settings: Settings, place: tuple[str, str], folder: Path) -> float:
    """What one Dagster run of a region does at national scale, in process: one market's file of the next day
    loaded, then the indicators refreshed (incrementally: every region's mark is set as after a refresh)."""
    with storage(settings).writer() as con:
        con.execute(f"""
            INSERT INTO audit.mart_refreshes BY NAME
            SELECT now()::TIMESTAMP AS refreshed_at, region_code, max(loaded_at) AS loaded_up_to, 'bench' AS mode
            FROM {LOCATED} GROUP BY ALL""")
    folder.mkdir()
    [[path]] = market_files(folder, [place], 1, DAY + dt.timedelta(days=1)).values()
    started = time.perf_counter()
    ingest_files([path], settings)
    with storage(settings).writer() as con:
        refresh_marts(con)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national", action="store_true", help="514 regions x 2 markets instead of a province")
    parser.add_argument("--skip-loads", action="store_true")
    parser.add_argument("--skip-queries", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, postgres() as port:
        work = Path(tmp)
        if not args.skip_loads:
            bench_loads(port, work, args.national)
        bench_commit(port, work)
        if not args.skip_queries:
            bench_queries(port, work)


if __name__ == "__main__":
    main()
