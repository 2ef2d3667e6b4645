"""Deterministic demo data: years of daily prices for every market, written in the layouts enumerators send
(long CSV, wide-by-date and wide-by-market workbooks), with gaps, seasonal chilli swings and a few entry errors.

The simulation always starts on EPOCH so a day's price does not depend on how many years are asked for or on the
end date: the files of past months come out byte-for-byte the same on every run (and load as duplicates).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from ..access import User, hash_password, save_user, users_file
from ..ingest import ingest_files
from ..messages import BULAN_PANJANG
from ..publishing import publish
from ..reference import load_reference
from ..settings import Settings, today_wita
from .quickwins import seeded_rng, write_quick_win_files

EPOCH = dt.date(2014, 1, 1)
ANCHOR_YEARS = (dt.date(2026, 11, 1) - EPOCH).days / 365.25  # when the demo stands at ANCHOR_SHARE of the range
ANCHOR_SHARE = 0.2
LONG_CSV = ("pasar_waru", "pasar_sepan", "pasar_sri_raharja")
WIDE_BY_DATE = ("pasar_induk_petung", "pasar_penajam", "pasar_induk_babulu", "pasar_sebakung_jaya")
WEEKLY = {"pasar_kamis_semoi_dua": 3, "pasar_senen_argomulyo": 0}  # weekday the market is held
CLOSED_SUNDAY = ("pasar_sri_raharja", "pasar_sebakung_jaya")
MARKET_LEVEL = {
    "pasar_induk_petung": 0.97,
    "pasar_penajam": 1.0,
    "pasar_sepan": 1.02,
    "pasar_induk_babulu": 1.03,
    "pasar_sri_raharja": 1.06,
    "pasar_sebakung_jaya": 1.05,
    "pasar_waru": 1.08,
    "pasar_senen_argomulyo": 1.10,
    "pasar_kamis_semoi_dua": 1.12,
}
SWINGING = ("Cabai", "Bawang")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _ar1(shocks: np.ndarray, phi: float) -> np.ndarray:
    out = np.empty_like(shocks)
    level = 0.0
    for i, e in enumerate(shocks):
        level = phi * level + e
        out[i] = level
    return out


def simulate(end: dt.date) -> pd.DataFrame:
    """Cells as an enumerator would type them, from EPOCH to end: market_id, commodity_id, observed_on, cell."""
    days = pd.date_range(EPOCH, end, freq="D")
    n = len(days)
    years = np.arange(n) / 365.25
    doy = days.day_of_year.to_numpy()
    frames = []
    for c in load_reference().monitored.itertuples():
        swing = c.group_name in SWINGING
        # 3% a year, at the Kalimantan Timur level of the commodity's typical range in late 2026 (a fresh install
        # should look like PPU, not like a crisis above every HET)
        base = c.typical_low_idr + (c.typical_high_idr - c.typical_low_idr) * ANCHOR_SHARE
        base = base * 1.03 ** (years - ANCHOR_YEARS)
        season = (0.30 if swing else 0.02) * np.sin(2 * np.pi * (doy - 300) / 365.25)
        common = _ar1(seeded_rng("common", c.commodity_id).normal(0, 0.035 if swing else 0.006, n), 0.97)
        for market_id, level in MARKET_LEVEL.items():
            r = seeded_rng(market_id, c.commodity_id)
            own = _ar1(r.normal(0, 0.01, n), 0.9)
            price = np.round(base * level * np.exp(season + common + own) / 250) * 250
            cells = price.astype(object)
            u = r.random(n)
            cells[u < 0.01] = "-"
            formatted = (u >= 0.01) & (u < 0.013)
            cells[formatted] = [f"Rp {int(p):,}".replace(",", ".") for p in price[formatted]]
            cells[(u >= 0.013) & (u < 0.0135)] = "naik"
            typo = (u >= 0.0135) & (u < 0.014)
            cells[typo] = price[typo] * 10  # an extra zero: out of the plausible range, rejected
            slip = (u >= 0.014) & (u < 0.0145)
            cells[slip] = np.round(price[slip] * 1.6 / 250) * 250  # a slip of the hand: flagged for review
            frames.append(
                pd.DataFrame(
                    {
                        "market_id": market_id,
                        "commodity_id": c.commodity_id,
                        "observed_on": days.date,
                        "cell": cells,
                        "unit": c.unit,
                        "name": c.name,
                    }
                )
            )
    cells = pd.concat(frames, ignore_index=True)
    return cells[_market_open(cells)]


def _market_open(cells: pd.DataFrame) -> np.ndarray:
    weekday = pd.to_datetime(cells["observed_on"]).dt.day_of_week.to_numpy()
    open_ = np.ones(len(cells), dtype=bool)
    for market_id, held_on in WEEKLY.items():
        open_ &= ~((cells["market_id"].to_numpy() == market_id) & (weekday != held_on))
    open_ &= ~(cells["market_id"].isin(CLOSED_SUNDAY).to_numpy() & (weekday == 6))
    # whole-market gaps: the enumerator did not report that day (same draw for every commodity)
    key = cells["market_id"] + cells["observed_on"].astype(str)
    codes, uniques = pd.factorize(key)
    absent = np.array([seeded_rng("gap", k).random() < 0.03 for k in uniques])
    return open_ & ~absent[codes]


def _long_date(d: dt.date) -> str:
    return f"{HARI[d.weekday()]}, {d.day:02d} {BULAN_PANJANG[d.month - 1]} {d.year}"


def _write_long_csv(path: Path, month: pd.DataFrame, market_name: str) -> None:
    rows = month.sort_values(["observed_on", "commodity_id"], kind="stable")
    text = rows["cell"].map(lambda v: f"{int(v):,}".replace(",", ".") if isinstance(v, float) else str(v))
    out = pd.DataFrame(
        {
            "Tanggal": pd.to_datetime(rows["observed_on"]).dt.strftime("%d/%m/%Y"),
            "Pasar": market_name,
            "Komoditas": rows["name"],
            "Satuan": rows["unit"],
            "Harga": text,
            "Petugas": "Petugas Pasar",
        }
    )
    out.to_csv(path, sep=";", index=False, lineterminator="\r\n")


def _write_wide_by_date(path: Path, month: pd.DataFrame, market_name: str, kecamatan: str) -> None:
    table = month.pivot(index=["commodity_id", "name", "unit"], columns="observed_on", values="cell")
    order = {cid: i for i, cid in enumerate(load_reference().monitored["commodity_id"])}
    table = table.sort_index(level=0, key=lambda ix: ix.map(order))
    dates = list(table.columns)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Harga"
    ws.append(["DAFTAR HARGA KEBUTUHAN POKOK MASYARAKAT"])
    ws.append([f"{market_name.upper()} - KECAMATAN {kecamatan.upper()}"])
    ws.append([f"Periode : {dates[0]:%d/%m/%Y} s.d. {dates[-1]:%d/%m/%Y}"])
    ws.append([])
    ws.append(["No", "Nama Komoditas", "Satuan", *dates, "Keterangan"])
    for i, ((_, name, unit), values) in enumerate(table.iterrows(), start=1):
        ws.append([i, name, unit, *[None if pd.isna(v) else v for v in values], None])
    ws.append([])
    ws.append([None, f"Penajam, {_long_date(dates[-1])}"])
    ws.append([None, "Petugas Pencacah,"])
    wb.save(path)


def _write_wide_by_market(path: Path, month: pd.DataFrame, names: dict[str, str]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for day, cells in month.groupby("observed_on", sort=True):
        table = cells.pivot(index=["commodity_id", "name", "unit"], columns="market_id", values="cell")
        ws = wb.create_sheet(f"{day:%d-%m-%Y}")
        ws.append(["REKAPITULASI HARGA PASAR MINGGUAN KABUPATEN PENAJAM PASER UTARA"])
        ws.append([f"Tanggal : {_long_date(day)}"])
        ws.append([])
        ws.append(["No", "Komoditas", "Satuan", *[names[m] for m in table.columns]])
        for i, ((_, name, unit), values) in enumerate(table.iterrows(), start=1):
            ws.append([i, name, unit, *[None if pd.isna(v) else v for v in values]])
    wb.save(path)


@dataclass
class DemoFile:
    path: Path
    month: str


def write_demo_files(folder: Path, years: int, end: dt.date) -> list[DemoFile]:
    """Monthly files of the last `years` years up to `end`, oldest first; existing past months are kept."""
    ref = load_reference()
    names = dict(zip(ref.markets["market_id"], ref.markets["name"]))
    kecamatan = dict(zip(ref.markets["market_id"], ref.markets["kecamatan"]))
    start = dt.date(end.year - years, end.month, 1)
    cells = simulate(end)
    cells = cells[cells["observed_on"] >= start]
    cells["month"] = pd.to_datetime(cells["observed_on"]).dt.strftime("%Y-%m")
    folder.mkdir(parents=True, exist_ok=True)
    current = f"{end:%Y-%m}"
    files = [DemoFile(path, "") for path in write_comparison_files(folder, cells)]
    for month, in_month in cells.groupby("month", sort=True):
        jobs = (
            [(f"harga_{m}_{month}.csv", m) for m in LONG_CSV]
            + [(f"harga_{m}_{month}.xlsx", m) for m in WIDE_BY_DATE]
            + [(f"rekap_pasar_mingguan_{month}.xlsx", None)]
        )
        for name, market_id in jobs:
            path = folder / name
            files.append(DemoFile(path, month))
            if path.exists() and month != current:
                continue
            if market_id is None:
                _write_wide_by_market(path, in_month[in_month["market_id"].isin(list(WEEKLY))], names)
            elif name.endswith(".csv"):
                _write_long_csv(path, in_month[in_month["market_id"] == market_id], names[market_id])
            else:
                _write_wide_by_date(
                    path, in_month[in_month["market_id"] == market_id], names[market_id], kecamatan[market_id]
                )
    return files


COMPARED = {"provinsi_kalimantan_timur": 0.99, "nasional": 0.96}  # demo price levels against PPU's median market


def write_comparison_files(folder: Path, cells: pd.DataFrame) -> list[Path]:
    """Daily consumer prices of Kalimantan Timur and the nation as a Panel Harga export lays them out, derived
    from the simulated PPU prices: the comparison page shows something on a fresh install."""
    prices = cells.assign(price=pd.to_numeric(cells["cell"], errors="coerce")).dropna(subset=["price"])
    median = prices.groupby(["commodity_id", "observed_on"], sort=True)["price"].median().reset_index()
    ref = load_reference().monitored.set_index("commodity_id")
    paths = []
    for region, level in COMPARED.items():
        lines = ["Panel Harga Pangan (Bapanas) - data contoh SIHARPA", "", "Tanggal,Komoditas,Satuan,Harga"]
        for commodity, series in median.groupby("commodity_id", sort=False):
            rng = seeded_rng(region, str(commodity))
            # regions differ by commodity: PPU is dearer than the nation for some goods and cheaper for others
            spread = 1 + 0.08 * rng.uniform(-1, 1)
            wiggle = 1 + 0.01 * _ar1(rng.normal(0, 0.3, len(series)), 0.9)
            values = np.round(series["price"].to_numpy() * level * spread * wiggle / 50) * 50
            name, unit = ref.at[commodity, "name"], ref.at[commodity, "unit"]
            lines += [f'{day:%d/%m/%Y},"{name}",Rp/{unit},{int(v)}' for day, v in zip(series["observed_on"], values)]
        path = folder / f"harga_konsumen_{region}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def load_demo(settings: Settings, years: int = 5, end: dt.date | None = None, inbox_files: int = 0) -> str:
    """Write the demo files, load all but the newest `inbox_files` in bulk (one process, one publish), and put
    those newest ones into the prices inbox for the sensor."""
    end = end or today_wita() - dt.timedelta(days=1)
    settings.ensure_dirs()
    files = write_demo_files(settings.data_dir / "demo", years, end)
    bulk, queued = (files[:-inbox_files], files[-inbox_files:]) if inbox_files else (files, [])
    quick_wins = write_quick_win_files(settings.data_dir / "demo" / "quick_wins", end, years)
    results = ingest_files([f.path for f in bulk] + quick_wins, settings, as_of=end, submitted_by="demo")
    publish(settings)
    for f in queued:
        shutil.copyfile(f.path, settings.inbox("prices") / f.path.name)
    users_note = _demo_users(settings)
    counts = pd.Series([r.status for r in results]).value_counts().to_dict()
    accepted = sum(r.rows_accepted for r in results)
    return (
        f"Data contoh: {len(results)} berkas dimuat ({counts}), {accepted} baris diterima; "
        f"{len(queued)} berkas ditaruh di {settings.inbox('prices')}.{users_note}"
    )


DEMO_USERS = (
    ("petugas_waru", "Petugas Pasar Waru", "enumerator", ("pasar_waru",)),
    ("analis", "Analis TPID", "analyst", ()),
    ("admin", "Admin Diskominfo", "admin", ()),
)


def _demo_users(settings: Settings) -> str:
    """Users for trying the upload page, made once when no users file exists; their passwords are random and
    written only to a file readable by the service account."""
    path = users_file(settings)
    if path.exists():
        return ""
    lines = []
    for username, name, role, markets in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        save_user(path, User(username, name, role, markets, hash_password(password)))
        lines.append(f"{username}\t{role}\t{password}")
    secrets_file = settings.data_dir / "demo_users.txt"
    fd = os.open(secrets_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return f" Pengguna contoh dibuat di {path}; kata sandinya di {secrets_file}."
