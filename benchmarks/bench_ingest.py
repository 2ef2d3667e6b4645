"""Ingestion benchmarks (issue: price ingestion). Each prints the floor, our figure and their ratio, measured in
one process on the same file. Absolute times are for orientation: the ratio is the figure that counts.

  (a) CSV, long layout: one year x 9 markets x 23 commodities (~75k rows) and 1M rows;
      floor = DuckDB read_csv into a table; target <= 5x; peak memory at 1M rows <= 1.5 GiB (own process).
  (b) xlsx, 200k rows; floor = python_calamine ... get_sheet_by_index(0).to_python(); target <= 1.3x.
  (c) re-ingest of an already-loaded file, in-process: target <= 0.1 s.

Usage: python benchmarks/bench_ingest.py [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import python_calamine

from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.reference import load_reference
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import storage

AS_OF = dt.date(2030, 12, 31)


def long_rows(n: int) -> list[tuple]:
    """n distinct observations, market-major, as an enumerator's long sheet holds them."""
    ref = load_reference()
    markets = ref.markets["name"].tolist()
    commodities = ref.monitored[ref.monitored.commodity_id != "lpg_3kg"]
    rng = np.random.default_rng(7)
    names, units = commodities["name"].tolist(), commodities["unit"].tolist()
    lows, highs = commodities["typical_low_idr"].to_numpy(), commodities["typical_high_idr"].to_numpy()
    per_day = len(markets) * len(names)
    days = -(-n // per_day)
    start = dt.date(2030, 12, 31) - dt.timedelta(days=days - 1)
    rows = []
    for d in range(days):
        day = (start + dt.timedelta(days=d)).strftime("%d/%m/%Y")
        prices = np.round(rng.uniform(lows, highs, size=(len(markets), len(names))) / 250) * 250
        for m, market in enumerate(markets):
            for c, name in enumerate(names):
                rows.append((day, market, name, units[c], int(prices[m, c])))
                if len(rows) == n:
                    return rows
    return rows


def write_csv(path: Path, rows: list[tuple]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Tanggal;Pasar;Komoditas;Satuan;Harga\n")
        fh.writelines(f"{d};{m};{c};{u};{p:,}\n".replace(",", ".") for d, m, c, u, p in rows)
    return path


def write_xlsx(path: Path, rows: list[tuple]) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Harga")
    ws.append(["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"])
    for d, m, c, u, p in rows:
        ws.append([dt.datetime.strptime(d, "%d/%m/%Y"), m, c, u, p])
    wb.save(path)
    return path


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pipeline(path: Path, workdir: Path) -> tuple[float, dict]:
    """Archive, read, judge and store one file into an existing (empty) warehouse; no publish."""
    settings = Settings(Path(tempfile.mkdtemp(dir=workdir)))
    with storage(settings).writer():
        pass  # the warehouse exists before the first file arrives
    result: dict = {}

    def run():
        [r] = ingest_files([path], settings, dataset="prices", as_of=AS_OF)
        result.update(status=r.status, accepted=r.rows_accepted, rejected=r.rows_rejected)

    return timed(run), result


def csv_floor(path: Path) -> float:
    con = duckdb.connect()
    seconds = timed(lambda: con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}')"))
    con.close()
    return seconds


def xlsx_floor(path: Path) -> float:
    return timed(lambda: python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def report(label: str, floor: float, ours: float, target: float, extra: str = "") -> None:
    ratio = ours / floor
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"{label:<34} floor {floor:7.3f} s  ours {ours:7.3f} s  ratio {ratio:5.2f}x  "
        f"(target <= {target}x: {verdict}) {extra}"
    )


def best_of(n: int, fn):
    runs = [fn() for _ in range(n)]
    return min(runs, key=lambda r: r[0] if isinstance(r, tuple) else r)


def peak_memory_child(path: Path) -> None:
    """Run in a fresh process: the pipeline alone, then print its peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        seconds, result = pipeline(path, Path(tmp))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak_mib, **result}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller inputs, for a smoke run")
    parser.add_argument("--peak-memory-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_memory_of:
        peak_memory_child(args.peak_memory_of)
        return
    big = 100_000 if args.quick else 1_000_000
    xlsx_rows = 20_000 if args.quick else 200_000
    repeats = 3
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"(a) CSV long layout, floor = DuckDB read_csv into a table; best of {repeats}")
        for n in (365 * 9 * 23, big):
            path = write_csv(work / f"long_{n}.csv", long_rows(n))
            floor = best_of(repeats, lambda: csv_floor(path))
            ours, result = best_of(repeats, lambda: pipeline(path, work))
            assert result["accepted"] == n, result
            report(f"    {n:>9,} rows", floor, ours, 5)
        child = subprocess.run(
            [sys.executable, __file__, "--peak-memory-of", str(path)], capture_output=True, text=True, check=True
        )
        peak = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"    peak memory, pipeline alone on {big:,} rows: {peak['peak_mib']:.0f} MiB (target <= 1536 MiB)")

        print(f"(b) xlsx, floor = calamine to_python of the sheet; best of {repeats}")
        path = write_xlsx(work / "long.xlsx", long_rows(xlsx_rows))
        floor = best_of(repeats, lambda: xlsx_floor(path))
        ours, result = best_of(repeats, lambda: pipeline(path, work))
        assert result["accepted"] == xlsx_rows, result
        report(f"    {xlsx_rows:>9,} rows", floor, ours, 1.3)

        print("(c) re-ingest of an already-loaded file, in-process")
        settings = Settings(work / "again")
        ingest_files([path], settings, as_of=AS_OF)
        seconds = best_of(repeats, lambda: timed(lambda: ingest_files([path], settings, as_of=AS_OF)))
        print(f"    duplicate of {xlsx_rows:,}-row xlsx: {seconds:.3f} s (target <= 0.1 s)")


if __name__ == "__main__":
    main()
