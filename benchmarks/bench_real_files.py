"""The time to load each real office and national file of ../shared/real (issue: read what real offices send),
with the region pack of its markets. Floor = reading the same file's cells alone (python_calamine for
workbooks, DuckDB read_csv for CSV); ours = archive, read, judge and store it in a fresh warehouse. Best of 3,
same process, same file.

Usage: python benchmarks/bench_real_files.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb
import python_calamine

from siharpa_pipeline.ingest import import_pack, ingest_files
from siharpa_pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
PACKS = {"nikmatRMT": "banjarbaru", "IndraznoS": "bangkalan", "galihf91": "tangerang"}
REGIONS = {"omros": "64"}  # the PIHPS table by region names none; what a sender would say with --region
AS_OF = dt.date(2026, 11, 29)


def floor(path: Path) -> float:
    start = time.perf_counter()
    if path.suffix == ".csv":
        duckdb.connect().execute(
            f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', header=false, "
            "all_varchar=true, null_padding=true, strict_mode=false)"
        )
    else:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def ours(path: Path, work: Path) -> tuple[float, str]:
    owner = path.parent.name.split("__")[0]
    settings = Settings(Path(tempfile.mkdtemp(dir=work)))
    if owner in PACKS:
        import_pack(settings, ROOT / "deploy" / "packs" / PACKS[owner])
    start = time.perf_counter()
    [result] = ingest_files([path], settings, as_of=AS_OF, region=REGIONS.get(owner))
    return time.perf_counter() - start, f"{result.status}, {result.rows_accepted} diterima, {result.content}"


def main() -> None:
    if not REAL.is_dir():
        print(f"{REAL} not found: nothing to measure")
        return
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(p for p in REAL.glob("*/*") if p.suffix in (".csv", ".xls", ".xlsx")):
            low = min(floor(path) for _ in range(3))
            runs = [ours(path, Path(tmp)) for _ in range(3)]
            best, outcome = min(runs)
            print(
                f"{path.parent.name[:28]:<28} {path.name[:34]:<34} floor {low:6.3f} s  ours {best:6.3f} s  "
                f"ratio {best / low:5.1f}x  ({outcome})"
            )


if __name__ == "__main__":
    main()
