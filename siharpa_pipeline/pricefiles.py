"""A price file from bytes to a verdict: sheets, tables, checks. Nothing is written here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .layouts import read_table
from .messages import FILE_ERRORS
from .privacy import mask_phone_numbers
from .readers import Sheet
from .validation import ACCEPTED_COLUMNS, REJECTION_COLUMNS, judge
from .values import concat_frames, map_values


def _masked(value: object) -> object:
    return mask_phone_numbers(value) if isinstance(value, str) else value


@dataclass
class FileVerdict:
    accepted: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACCEPTED_COLUMNS))
    rejections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTION_COLUMNS))
    rows_missing: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    error_message: str | None = None

    def __post_init__(self) -> None:
        """What a verdict says is shown and stored: no phone number a sender typed anywhere goes with it."""
        frame = self.rejections
        for column in ("sheet", "source_column", "raw_value", "message"):
            if column in frame and len(frame):
                frame[column] = map_values(frame[column].to_numpy(dtype=object), _masked)
        self.notes = [mask_phone_numbers(n) for n in self.notes]
        self.error_message = mask_phone_numbers(self.error_message)

    @property
    def rows_flagged(self) -> int:
        """Flags known from the file alone (a waste value that is not weight x price); price jumps need the
        warehouse and are counted when the file is stored."""
        return int(self.accepted["flags"].notna().sum()) if "flags" in self.accepted else 0

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        if len(self.rejections) == 0:
            return "loaded"
        return "partially_loaded" if len(self.accepted) else "rejected"


def judge_price_sheets(sheets: list[Sheet], path: Path, as_of: dt.date,
                       assigned: set[str] | None = None) -> FileVerdict:
    """`path` names the file (its name may name the market or date)."""
    notes: list[str] = []
    frames: list[pd.DataFrame] = []
    parts: list[pd.DataFrame] = []
    tables = 0
    for sheet in sheets:
        table = read_table(sheet, path.stem.replace("_", " "))
        if table.observations is None:
            notes.append(f"Lembar '{sheet.name}' dilewati: tidak berisi tabel harga.")
            continue
        tables += 1
        if table.observations.empty:
            notes.append(f"Lembar '{sheet.name}' tidak berisi baris data harga.")
            continue
        offset = sum(len(p) for p in parts)
        frames.append(table.observations.assign(part=table.observations["part"] + offset))
        parts.append(table.parts)
    if not frames:
        code = "no_rows" if tables else "no_table_found"
        return FileVerdict(notes=notes, error=code, error_message=FILE_ERRORS[code] + ".")
    verdict = judge(concat_frames(frames), pd.concat(parts, ignore_index=True), as_of, assigned)
    return FileVerdict(verdict.accepted, verdict.rejections, verdict.rows_missing, notes)
