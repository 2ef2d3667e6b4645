"""Hostile files under the upload cap (issue: attack findings, item 9): every file of up to 10 MB is judged in
under 10 s and 1 GB, or refused with a message.

A generated attack set (a cell at XFD1048576, 16,384 columns, a wide CSV, an .ods repeating a row a million
times, a zip bomb, and the largest files the limits still let through) is judged one file per fresh process, as
`siharpa validate` judges it. For each: seconds, the peak memory of the judging process (VmHWM) and of its reading
child (its ru_maxrss, which counts from the judging process's size when it started: an upper bound), their sum
bounding the whole, and the outcome. The floor is a legitimate file of the same size class (a 10 MB long
CSV, the common case) judged the same way; the ratio is the worst attack against it.

Usage: python benchmarks/bench_attacks.py
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from siharpa_pipeline.reference import load_reference  # noqa: E402

from test_attacks import far_cell_workbook, repeated_rows_ods, wide_csv, wide_workbook  # noqa: E402

LIMIT_S, LIMIT_MB, CAP_BYTES = 10.0, 1024.0, 10 * 2**20
JUDGE = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from siharpa_pipeline.ingest import judge_file
path = Path(sys.argv[1])
start = time.perf_counter()
dataset, verdict = judge_file(path, None, dt.date(2026, 11, 28), None)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "outcome": verdict.error or verdict.status,
                  "accepted": len(verdict.accepted), "rejected": len(verdict.rejections),
                  "judge_mb": int(next(line.split()[1] for line in open("/proc/self/status")
                                       if line.startswith("VmHWM"))) / 1024,
                  "reader_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def zip_bomb() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Komoditas"
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/padding.bin", b"\0" * (600 * 2**20))  # 600 MB of zeros, about 600 KB packed
    return out.getvalue()


def wide_dates_workbook(rows: int = 990, columns: int = 1_500) -> bytes:
    """Within every limit: 1,500 date columns (the most allowed) of prices, ~1.5M cells."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Pasar Waru")
    days = [dt.date(2022, 1, 1) + dt.timedelta(days=i) for i in range(columns - 2)]
    sheet.append(["Komoditas", "Satuan", *days])
    for i in range(rows):
        sheet.append(["Beras Medium" if i % 2 else "Gula Pasir", "kg", *range(13_000, 13_000 + columns - 2)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wide_dates_csv(columns: int = 1_500) -> bytes:
    """Within every limit: as many rows of 1,500 date columns as 10 MB holds."""
    days = [(dt.date(2022, 1, 1) + dt.timedelta(days=i)).strftime("%d/%m/%Y") for i in range(columns - 2)]
    header = "Komoditas;Satuan;" + ";".join(days) + "\n"
    row = "Beras Medium;kg;" + ";".join(["13000"] * (columns - 2)) + "\n"
    return (header + row * ((CAP_BYTES - len(header)) // len(row))).encode()


def long_csv(size: int = CAP_BYTES) -> bytes:
    """The floor: a legitimate long CSV of the same size class, every (date, market, commodity) once."""
    ref = load_reference()
    pairs = [(m, c.name, c.unit) for m in ref.markets["name"] for c in ref.monitored.itertuples()]
    lines, total, day = ["Tanggal;Pasar;Komoditas;Satuan;Harga"], 0, dt.date(2026, 11, 27)
    while total < size:
        for i, (market, name, unit) in enumerate(pairs):
            line = f"{day:%d/%m/%Y};{market};{name};{unit};{20_000 + (i * 37 + day.toordinal()) % 500}"
            lines.append(line)
            total += len(line) + 1
        day -= dt.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


def calls_all_rejected(size: int = CAP_BYTES) -> bytes:
    """A 112 log whose every row is wrong (a future time): a message per row, as many rows as 10 MB holds."""
    header = "ID Laporan,Waktu Lapor,Nomor Pelapor,Kategori,Deskripsi\n"
    row = "112-{:08d},2099-01-01 08:00,081234567890,Kebakaran,uraian\n"
    return (header + "".join(row.format(i) for i in range((size - len(header)) // len(row.format(0))))).encode()


ATTACKS = {
    "sel_XFD1048576.xlsx": far_cell_workbook,
    "16384_kolom.xlsx": wide_workbook,
    "csv_lebar.csv": wide_csv,
    "ods_1jt_baris_x3.ods": repeated_rows_ods,
    "ods_1jt_baris_x2.ods": lambda: repeated_rows_ods(columns=2),
    "ods_500rb_baris_x2.ods": lambda: repeated_rows_ods(500_000, 2),
    "zip_bomb.xlsx": zip_bomb,
    "batas_sel_tanggal.xlsx": wide_dates_workbook,
    "batas_kolom_10MB.csv": wide_dates_csv,
    "log_112_semua_salah.csv": calls_all_rejected,
}


def judge(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", JUDGE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "SIHARPA_PII_KEY": "bench-attacks-key-0123456789"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        floor_path = work / "harga_10MB.csv"
        floor_path.write_bytes(long_csv())
        floor = judge(floor_path)
        print(
            f"floor: legitimate long CSV, {floor_path.stat().st_size / 2**20:.1f} MB: {floor['seconds']:.2f} s, "
            f"judge {floor['judge_mb']:.0f} MB ({floor['outcome']}, {floor['accepted']} accepted)"
        )
        print(f"{'file':<26}{'size':>9}{'seconds':>9}{'judge MB':>10}{'reader MB':>11}{'sum MB':>8}  outcome")
        worst: tuple[str, dict] | None = None
        for name, make in ATTACKS.items():
            path = work / name
            path.write_bytes(make())
            assert path.stat().st_size <= CAP_BYTES, name
            r = judge(path)
            total = r["judge_mb"] + r["reader_mb"]
            print(
                f"{name:<26}{path.stat().st_size / 1024:>7.0f}KB{r['seconds']:>9.2f}{r['judge_mb']:>10.0f}"
                f"{r['reader_mb']:>11.0f}{total:>8.0f}  {r['outcome']} ({r['accepted']} accepted)"
            )
            if worst is None or r["seconds"] > worst[1]["seconds"]:
                worst = (name, r)
            within = r["seconds"] < LIMIT_S and total < LIMIT_MB
            print(f"{'':<26}{'within 10 s and 1 GB' if within else 'OUTSIDE THE LIMITS'}")
        assert worst is not None
        name, r = worst
        print(
            f"worst case: {name}: ours {r['seconds']:.2f} s, floor {floor['seconds']:.2f} s, "
            f"ratio {r['seconds'] / floor['seconds']:.2f} (limit {LIMIT_S:.0f} s)"
        )


if __name__ == "__main__":
    main()
