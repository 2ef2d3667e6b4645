"""Test helpers shared by modules: writing price files and dropping them in an inbox."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import numpy as np

from siharpa_pipeline.reference import load_reference


def long_csv(path: Path, days: list[dt.date], markets: list[str] | None = None, seed: int = 0) -> Path:
    """An enumerator's long CSV: one row per (date, market, commodity), semicolons, dotted thousands."""
    ref = load_reference()
    names = dict(zip(ref.markets["market_id"], ref.markets["name"]))
    markets = markets or list(names)
    rng = np.random.default_rng(seed)
    lines = ["Tanggal;Pasar;Komoditas;Satuan;Harga"]
    for day in days:
        for market in markets:
            for c in ref.commodities.itertuples():
                price = int(round(rng.uniform(c.typical_low_idr, c.typical_high_idr) / 250) * 250)
                lines.append(f"{day:%d/%m/%Y};{names[market]};{c.name};{c.unit};{price:,}".replace(",", "."))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def drop(src: Path, inbox: Path, name: str | None = None, age_s: float = 60) -> Path:
    """Put a file in an inbox as a finished copy (modified a while ago, so the sensor takes it)."""
    inbox.mkdir(parents=True, exist_ok=True)
    target = inbox / (name or src.name)
    shutil.copyfile(src, target)
    past = time.time() - age_s
    os.utime(target, (past, past))
    return target
