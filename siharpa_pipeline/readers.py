"""Opening spreadsheets: every sheet of a workbook (or the one table of a CSV) as a grid of raw cells.

Row numbers are kept as a spreadsheet program shows them (for CSV: the line, header = 1), so every message
can point at the cell the enumerator typed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from .privacy import mask_phone_numbers
from .workbooks import Limits, SheetCells, WorkbookRefused, read_cells

SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_EXTENSIONS = (".csv", ".txt")


class FileError(Exception):
    """Nothing in the file could be read; code is the file-level reason code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


HEAD_ROWS = 60  # the header row must be among these; title rows stand above it


@dataclass
class Sheet:
    """A sheet's cells. Columns are 0-based; the index is the row number a spreadsheet program shows."""

    name: str
    head: pd.DataFrame  # the first HEAD_ROWS rows, raw cells
    rows_from: Callable[[int], pd.DataFrame]  # every row from that row number to the end
    # (row, column) of formula cells saved without a value; asked only when a value cell is blank
    formula_blanks: Callable[[], frozenset[tuple[int, int]]] = frozenset


def _grid_sheet(name: str, grid: pd.DataFrame, blanks: Callable[[], frozenset] = frozenset) -> Sheet:
    return Sheet(name, grid.iloc[:HEAD_ROWS], lambda row: grid.loc[row:], blanks)


def read_sheets(name: Path, data: bytes) -> list[Sheet]:
    """Every sheet of a file's bytes; its name tells the format (and may name the market or date)."""
    ext = name.suffix.lower()
    if ext in TEXT_EXTENSIONS:
        return [_read_text(name, data)]
    if ext in SPREADSHEET_EXTENSIONS:
        return _read_workbook(name, data)
    raise FileError(
        "unreadable_file",
        f"Format berkas '{ext or 'tanpa ekstensi'}' tidak didukung; gunakan .xlsx, .xls, .ods atau .csv.",
    )


def _grid(rows: list[list], first_row: int = 1, ragged: bool = False) -> pd.DataFrame:
    if ragged:
        width = max(map(len, rows), default=0)
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = pd.RangeIndex(first_row, first_row + len(grid))
    return grid


def _read_workbook(path: Path, data: bytes) -> list[Sheet]:
    try:
        found = read_cells(data, path.suffix.lower())
    except WorkbookRefused as refused:
        raise FileError(refused.code, refused.message) from None
    return [
        _grid_sheet(mask_phone_numbers(sheet.name), _decoded(sheet), _constant(sheet.formula_blanks)) for sheet in found
    ]


def _decoded(sheet: SheetCells) -> pd.DataFrame:
    """The grid of a sheet from its encoded columns (distinct values taken by code, no per-cell work)."""
    columns = {}
    for j, (codes, distinct) in enumerate(sheet.columns):
        values = np.empty(len(distinct), dtype=object)
        values[:] = distinct
        columns[j] = values[np.frombuffer(codes, dtype=np.int32)]
    grid = pd.DataFrame(columns, dtype=object)
    grid.index = pd.RangeIndex(1, 1 + len(grid))
    return grid


def _constant(blanks: frozenset[tuple[int, int]]) -> Callable[[], frozenset[tuple[int, int]]]:
    return lambda: blanks


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16, cp1252, or UTF-8 lines among a few cp1252 ones."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a BOM
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # line by line: one stray byte in a UTF-8 file spoils its own line, not every accented name in the file
    lines = data.splitlines(keepends=True)
    utf8 = sum(_is_utf8(line) for line in lines)
    if utf8 * 2 < len(lines):
        return data.decode("cp1252", errors="replace"), "cp1252"
    return "".join(
        line.decode("utf-8") if _is_utf8(line) else line.decode("cp1252", errors="replace") for line in lines
    ), "mixed"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for delim in (";", "\t", ",", "|"):
        counts = [ln.count(delim) for ln in lines]
        # a delimiter that splits most lines into the same number of fields wins
        score = max((counts.count(c) for c in set(counts) if c > 0), default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a pasted paragraph is a cell, not a crash


def _read_text(path: Path, data: bytes) -> Sheet:
    if (
        b"\x00" in data[:4096]
        and data[:200].count(b"\x00") <= 20
        and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise FileError("unreadable_file", "Berkas bukan teks CSV (berisi data biner).")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise FileError("unreadable_file", "Berkas bukan teks CSV (berisi data biner).")
    delim = _delimiter(text[:20000])
    # UTF-8 bytes go to Arrow as they are; other encodings are re-encoded once
    raw = {"utf-8": data, "utf-8-sig": data[len(codecs.BOM_UTF8) :]}.get(encoding)
    _check_text_size(text, raw, delim, Limits.from_env())
    starts = _line_starts(text, HEAD_ROWS + 1)
    head = _grid(list(csv.reader(io.StringIO(text[: starts[-1]]), delimiter=delim)), ragged=True)
    return Sheet(mask_phone_numbers(path.stem), head, lambda row: _text_rows(text, raw, starts, row, delim))


def _check_text_size(text: str, raw: bytes | None, delim: str, limits: Limits) -> None:
    """A line of a hundred thousand delimiters is no price table, and would cost minutes to lay out."""
    data = np.frombuffer(raw if raw is not None else text.encode("utf-8", errors="replace"), dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    lines = len(newlines) + 1
    # delimiters per line: a running count read at each line's end (a million lines in a tenth of a second)
    running = np.cumsum(data == ord(delim), dtype=np.int32)
    ends = np.append(running[newlines], running[-1] if len(running) else 0)
    widest = int(np.diff(ends, prepend=0).max(initial=0)) + 1
    if widest > limits.columns:
        raise FileError(
            "file_too_large",
            f"Berkas memakai {widest} kolom (paling banyak {limits.columns}); "
            "periksa pemisah kolom atau hapus kolom kosong di kanan tabel.",
        )
    if lines * widest > limits.text_cells:
        raise FileError(
            "file_too_large",
            f"Berkas terlalu besar ({lines} baris x {widest} kolom; paling banyak "
            f"{limits.text_cells} sel); bagi menjadi beberapa berkas.",
        )


def _line_starts(text: str, n: int) -> list[int]:
    """Offsets of the first n lines (and of the text's end when it has fewer)."""
    starts = [0]
    while len(starts) <= n:
        nl = text.find("\n", starts[-1])
        if nl < 0:
            starts.append(len(text))
            break
        starts.append(nl + 1)
    return starts


def _text_rows(text: str, raw: bytes | None, starts: list[int], row: int, delim: str) -> pd.DataFrame:
    """Rows from `row` on. Uniform rows (the usual case) go through Arrow's CSV reader, which keeps blank lines
    as empty rows so row numbers hold; ragged rows take the slower, lenient csv module."""
    offset = starts[min(row - 1, len(starts) - 1)]
    body = text[offset:]
    body_bytes = body.encode("utf-8") if raw is None else raw[len(text[:offset].encode("utf-8")) :]
    ragged = []

    def on_invalid(bad_row) -> str:
        ragged.append(bad_row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(body_bytes),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
            parse_options=pa_csv.ParseOptions(
                delimiter=delim, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pa_csv.ConvertOptions(strings_can_be_null=False, column_types=_all_text(body, delim)),
        )
    except pa.ArrowInvalid:
        ragged.append(None)
    if ragged:
        return _grid(list(csv.reader(io.StringIO(body), delimiter=delim)), row, ragged=True)
    grid = table.to_pandas()
    grid.columns = range(grid.shape[1])
    grid.index = pd.RangeIndex(row, row + len(grid))
    return grid


def _all_text(body: str, delim: str) -> dict:
    first = next(csv.reader(io.StringIO(body[: body.find("\n") + 1 or len(body)]), delimiter=delim), [])
    return {f"f{i}": pa.string() for i in range(max(len(first), 1))}


# rows of a table that are no observation: averages, totals, notes
NOT_DATA_ROW_LABELS = ("rata rata", "rerata", "rata2", "jumlah", "total", "keterangan")


def header_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
