"""Deterministic demo files of the other quick wins, in the layouts their offices send: monthly waste-bank
deposit workbooks, a tourism workbook per year, monthly 112 call logs (invented numbers, which the pipeline
hashes and masks) and quarterly master-plan indicator sheets."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from ..messages import BULAN_PANJANG
from ..reference import load_reference

WASTE_UNITS = 72  # banks that exist; not all are active every month
CALLS_PER_DAY = 40
INDICATORS = (  # dimension, program, indicator, unit, target, actual reached by the last quarter
    ("smart governance", "Go PPU", "Layanan publik daring yang tersedia", "layanan", 40, 33),
    ("smart governance", "Go PPU", "Transaksi layanan daring", "transaksi", 12000, 10400),
    ("smart governance", "Go PPU", "Indeks SPBE", "indeks", 3.0, 2.7),
    ("smart living", "RTH Internet Gratis", "Titik hotspot RTH aktif", "titik", 20, 16),
    ("smart living", "RTH Internet Gratis", "Pengguna unik per bulan", "orang", 5000, 4100),
    ("smart living", "RTH Internet Gratis", "Ketersediaan jaringan (uptime)", "persen", 98, 96.1),
)


def seeded_rng(*keys: str) -> np.random.Generator:
    """The same numbers for the same keys on every run and machine."""
    seed = int.from_bytes(hashlib.sha256("|".join(keys).encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def _months(end: dt.date, count: int) -> list[dt.date]:
    """The last `count` complete months before end's month, oldest first."""
    first = dt.date(end.year, end.month, 1)
    return [(pd.Timestamp(first) - pd.DateOffset(months=i)).date() for i in range(count, 0, -1)]


def _month_days(month: dt.date) -> pd.DatetimeIndex:
    return pd.date_range(month, periods=pd.Timestamp(month).days_in_month, freq="D")


def _units() -> pd.DataFrame:
    desa = load_reference().desa
    rng = seeded_rng("waste", "units")
    picks = desa.iloc[rng.integers(0, len(desa), WASTE_UNITS)]
    numbered = picks.groupby("nama").cumcount() + 1
    return pd.DataFrame(
        {
            "unit": [f"Bank Sampah {n} {i}" for n, i in zip(picks["nama"], numbered)],
            "desa": picks["nama"].to_numpy(),
            "kecamatan": picks["nama_kecamatan"].to_numpy(),
            "activity": rng.uniform(0.3, 1.0, WASTE_UNITS),
        }
    )


def write_waste(path: Path, month: dt.date) -> None:
    cats = load_reference().waste_categories
    cats = cats[cats["unit"] == "kg"]
    rng = seeded_rng("waste", f"{month:%Y-%m}")
    units = _units()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Setoran"
    ws.append(
        [
            "Tanggal",
            "Nama Unit Bank Sampah",
            "Desa/Kelurahan",
            "Kecamatan",
            "No. Rekening Nasabah",
            "Jenis Sampah",
            "Berat (kg)",
            "Harga per kg (Rp)",
            "Jumlah (Rp)",
            "Sedekah Sampah (Y/T)",
        ]
    )
    for day in _month_days(month):
        for unit in units[rng.uniform(size=len(units)) < units["activity"] * 0.15].itertuples():
            for _ in range(rng.integers(1, 4)):
                cat = cats.iloc[rng.integers(len(cats))]
                weight = round(float(rng.uniform(0.5, 25)), 1)
                price = int(rng.uniform(cat["typical_low_idr_per_unit"], cat["typical_high_idr_per_unit"]) // 50 * 50)
                ws.append(
                    [
                        day.date(),
                        unit.unit,
                        unit.desa,
                        unit.kecamatan,
                        f"NSB-{rng.integers(1, 400):04d}",
                        cat["name"],
                        weight,
                        price,
                        round(weight * price),
                        "Y" if rng.uniform() < 0.2 else "T",
                    ]
                )
    wb.save(path)


def write_tourism(path: Path, year: int, months: list[dt.date]) -> None:
    destinations = load_reference().destinations
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Kunjungan {year}"
    ws.append([f"DATA KUNJUNGAN WISATAWAN KABUPATEN PENAJAM PASER UTARA TAHUN {year}"])
    ws.append([])
    ws.append(
        [
            "Bulan",
            "Destinasi Wisata",
            "Kecamatan",
            "Wisatawan Nusantara",
            "Wisatawan Mancanegara",
            "Jumlah",
            "Retribusi (Rp)",
        ]
    )
    for month in (m for m in months if m.year == year):
        season = 1.4 if month.month in (6, 7, 12) else 1.0
        for d in destinations.itertuples():
            rng = seeded_rng("tourism", d.destination_id, f"{month:%Y-%m}")
            base = 1500 + int(seeded_rng("tourism", d.destination_id).integers(0, 6000))
            domestic = int(base * season * (1 + 0.06 * (year - 2020)) * rng.uniform(0.85, 1.15))
            foreign = int(rng.integers(0, 25))
            ws.append(
                [
                    f"{BULAN_PANJANG[month.month - 1]} {year}",
                    d.name,
                    d.kecamatan,
                    domestic,
                    foreign,
                    domestic + foreign,
                    (domestic + foreign) * 5000,
                ]
            )
    wb.save(path)


def write_calls(path: Path, month: dt.date) -> None:
    ref = load_reference()
    cats, desa = ref.call_categories, ref.desa
    weights = np.where(cats["category_id"].isin(["prank", "ghost"]), 3.0, 1.0)
    rng = seeded_rng("calls", f"{month:%Y-%m}")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "ID Laporan",
                "Waktu Lapor",
                "Nomor Pelapor",
                "Kategori",
                "Deskripsi",
                "Kecamatan",
                "Kelurahan/Desa",
                "Instansi",
                "Waktu Diteruskan",
                "Waktu Tiba",
                "Waktu Selesai",
                "Status",
                "Durasi Panggilan (detik)",
            ]
        )
        for day in _month_days(month):
            for i in range(int(rng.poisson(CALLS_PER_DAY))):
                cat = cats.iloc[rng.choice(len(cats), p=weights / weights.sum())]
                place = desa.iloc[rng.integers(len(desa))]
                at = day + pd.Timedelta(seconds=int(rng.integers(0, 86400)))
                number = f"08{rng.integers(11, 99)}{rng.integers(10_000_000, 99_999_999)}"
                real = bool(cat["is_emergency"])
                sent = at + pd.Timedelta(minutes=float(rng.gamma(3, 1.3))) if real else None
                came = sent + pd.Timedelta(minutes=float(rng.gamma(4, 6))) if real else None
                done = (came if real else at) + pd.Timedelta(minutes=float(rng.uniform(2, 60)))
                stamp = lambda t: "" if t is None else f"{t:%Y-%m-%d %H:%M:%S}"  # noqa: E731
                out.writerow(
                    [
                        f"112-{day:%Y%m%d}-{i + 1:05d}",
                        stamp(at),
                        number,
                        cat["name"],
                        f"Laporan {cat['name'].lower()} di {place['nama']}, pelapor {number}" if real else "",
                        place["nama_kecamatan"],
                        place["nama"],
                        cat["typical_agency"] if real else "",
                        stamp(sent),
                        stamp(came),
                        stamp(done),
                        "Selesai" if real else "Ditutup",
                        int(rng.integers(20, 400)),
                    ]
                )


def write_indicators(path: Path, quarter_start: dt.date, progress: float) -> None:
    quarter = (quarter_start.month - 1) // 3 + 1
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"TW{quarter} {quarter_start.year}"
    ws.append(
        ["Dimensi", "Program Quick Win", "Indikator", "Satuan", "Periode", "Target", "Realisasi", "Perangkat Daerah"]
    )
    for dimension, program, indicator, unit, target, actual in INDICATORS:
        value = round(actual * progress, 2) if isinstance(actual, float) else round(actual * progress)
        ws.append(
            [dimension, program, indicator, unit, f"TW {quarter} {quarter_start.year}", target, value, "Diskominfo PPU"]
        )
    wb.save(path)


def write_quick_win_files(folder: Path, end: dt.date, years: int) -> list[Path]:
    """The quick wins' files for the months before `end`: waste and 112 cover the last six months, tourism
    the last `years` (at least one), indicator sheets the quarters of those six months."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    recent = _months(end, 6)
    for month in recent:
        files.append(folder / f"setoran_bank_sampah_{month:%Y-%m}.xlsx")
        write_waste(files[-1], month)
        files.append(folder / f"log_panggilan_112_{month:%Y-%m}.csv")
        write_calls(files[-1], month)
    months = _months(end, 12 * max(years, 1))
    for year in sorted({m.year for m in months}):
        files.append(folder / f"kunjungan_wisata_{year}.xlsx")
        write_tourism(files[-1], year, months)
    quarters = sorted({dt.date(m.year, 3 * ((m.month - 1) // 3) + 1, 1) for m in recent})
    for i, start in enumerate(quarters, start=1):
        files.append(folder / f"indikator_masterplan_{start.year}_tw{(start.month - 1) // 3 + 1}.xlsx")
        write_indicators(files[-1], start, i / len(quarters))
    return files
