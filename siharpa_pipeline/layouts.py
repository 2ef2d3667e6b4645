"""Finding the price table in a sheet: header row, layout (long, wide by date, wide by market), data rows, and
where each observation's market and date come from (column, title rows, sheet name, file name)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .names import market_names, normalise
from .readers import Sheet
from .schemas import DATE_STATUS, MARKET_IDS, MARKET_STATUS
from .values import as_categorical, concat_frames, dates_in_text, is_blank, map_columns, map_values, parse_date

HEADER_SCAN_ROWS = 60

COMMODITY_HEADERS = ("komoditas", "komoditi", "nama komoditas", "nama komoditi", "jenis komoditas",
                     "jenis bahan pokok", "bahan pokok", "nama bahan pokok", "nama barang", "jenis barang",
                     "barang")
PRICE_HEADERS = ("harga",)
DATE_HEADERS = ("tanggal", "tgl", "hari tanggal", "hari tgl", "tanggal pencatatan", "tanggal survei")
MARKET_HEADERS = ("pasar", "nama pasar", "lokasi", "lokasi pasar", "pasar rakyat")
UNIT_HEADERS = ("satuan", "sat", "unit")
# wide layouts: columns that hold no observation
NOT_DATA_HEADERS = ("no", "nomor", "no urut", "satuan", "sat", "unit", "rata rata", "rerata", "rata2",
                    "keterangan", "ket", "het", "hap", "perubahan", "petugas", "jumlah", "total")
NOT_DATA_ROW_LABELS = ("rata rata", "rerata", "rata2", "jumlah", "total", "keterangan")

LONG, WIDE_BY_DATE, WIDE_BY_MARKET = "long", "wide_by_date", "wide_by_market"


def _starts(label: str, prefixes: tuple[str, ...]) -> bool:
    return any(label == p or label.startswith(p + " ") for p in prefixes)


@dataclass
class Header:
    row: int
    layout: str
    commodity: int
    unit: int | None
    price: int | None
    date: int | None
    market: int | None
    data_columns: list[int]  # wide layouts


@dataclass
class Context:
    """Market and date of a whole sheet, from its title rows, its name, or the file name."""
    market_id: str | None
    market_error: bool
    observed_on: dt.date | None
    date_error: bool


def header_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_header(grid: pd.DataFrame) -> Header | None:
    markets = market_names()
    for row_no, cells in grid.head(HEADER_SCAN_ROWS).iterrows():
        labels = {i: normalise(c) for i, c in enumerate(cells) if isinstance(c, str) and c.strip()}
        commodity = next((i for i, lab in labels.items() if _starts(lab, COMMODITY_HEADERS)), None)
        if commodity is None:
            continue
        first = lambda prefixes: next((i for i, lab in labels.items() if _starts(lab, prefixes)), None)  # noqa: E731
        unit, price, date, market = (first(UNIT_HEADERS), first(PRICE_HEADERS), first(DATE_HEADERS),
                                     first(MARKET_HEADERS))
        if price is not None:
            return Header(row_no, LONG, commodity, unit, price, date, market, [])
        taken = {commodity, unit}
        candidates = [i for i, c in enumerate(cells) if i not in taken and not is_blank(c)
                      and not _starts(labels.get(i, ""), NOT_DATA_HEADERS)]
        dated = [i for i in candidates if parse_date(cells.iloc[i])[1] == "ok"]
        named = [i for i in candidates if isinstance(cells.iloc[i], str) and markets.from_label(cells.iloc[i])]
        if dated and len(dated) >= len(named):
            return Header(row_no, WIDE_BY_DATE, commodity, unit, None, None, None, candidates)
        if named:
            return Header(row_no, WIDE_BY_MARKET, commodity, unit, None, None, None, candidates)
    return None


def file_name_context(file_name: str) -> str:
    """What a file's name says of its market and date ("|" when nothing): byte-identical files are the same
    submission only when their names say the same."""
    text = Path(file_name).stem.replace("_", " ")
    market, ambiguous = market_names().in_text(text)
    dates = sorted(dates_in_text(text, compact=True))
    return f"{'?' if ambiguous else market or ''}|{','.join(map(str, dates))}"


def _context(grid: pd.DataFrame, header_row: int, sheet_name: str, file_name: str) -> Context:
    markets = market_names()
    market_ids: set[str] = set()
    market_ambiguous = False
    dates: set[dt.date] = set()
    for _, cells in grid.loc[: header_row - 1].iterrows():
        for cell in cells:
            day = parse_date(cell)[0] if isinstance(cell, dt.date) else None
            if day is not None:
                dates.add(day)
        text = " ".join(header_text(c) for c in cells if not is_blank(c) and isinstance(c, str))
        named, ambiguous = markets.in_text(text)
        market_ambiguous |= ambiguous
        market_ids |= {named} if named else set()
        dates |= dates_in_text(text)

    market_id, market_error = None, market_ambiguous or len(market_ids) > 1
    if not market_error:
        market_id = next(iter(market_ids), None) or markets.from_label(sheet_name)
        if market_id is None:
            market_id, market_error = markets.in_text(file_name)
    date, date_error = None, len(dates) > 1
    if not date_error:
        date = next(iter(dates), None)
        for text, compact in ((sheet_name, False), (file_name, True)):
            if date is not None or date_error:
                break
            named_dates = dates_in_text(text, compact)
            date, date_error = (next(iter(named_dates)), False) if len(named_dates) == 1 else (
                None, len(named_dates) > 1)
    return Context(market_id, market_error, date, date_error)


PART_COLUMNS = ["sheet", "source_column", "market_column", "commodity_column", "unit_column", "date_column",
                "market_idx", "commodity_idx", "unit_idx", "date_idx"]  # *_idx: 0-based column of that field
OBSERVATION_COLUMNS = ["part", "source_row", "col_idx", "raw_market", "raw_commodity", "raw_unit", "raw_date",
                       "raw_price", "market_id", "market_status", "observed_on", "date_status", "formula_blank"]


@dataclass
class SheetTable:
    """What one sheet holds: no table (observations is None), a table with no data rows, or observations.

    Observations point at `parts` (one per value column) for the sheet name and column headers, so a million
    rows do not carry a million copies of the same few strings."""
    sheet: str
    layout: str | None
    observations: pd.DataFrame | None
    parts: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_table(sheet: Sheet, file_stem: str) -> SheetTable:
    header = _find_header(sheet.head) if len(sheet.head) else None
    if header is None:
        return SheetTable(sheet.name, None, None)
    head = sheet.head.loc[header.row]
    rows = sheet.rows_from(header.row + 1)
    used = [c for c in (header.commodity, header.unit, header.price, header.date, header.market) if c is not None]
    body = pd.DataFrame({c: as_categorical(rows[c]) for c in used + header.data_columns}, index=rows.index)
    value_cols = [header.price] if header.layout == LONG else header.data_columns
    unit_filled = ~_blank_mask(body[header.unit]) if header.unit is not None else np.zeros(len(body), bool)
    is_data = map_values(body[header.commodity], _names_a_commodity, bool) & (
        unit_filled | np.logical_or.reduce([~_blank_mask(body[c]) for c in value_cols]))
    body = body[is_data]
    ctx = _context(sheet.head, header.row, sheet.name, file_stem)
    frame = _long(body, head, header, ctx) if header.layout == LONG else _wide(body, head, header, ctx)
    frame["formula_blank"] = _formula_blank(frame, sheet.formula_blanks)
    labels = lambda col: _label(head, col)  # noqa: E731
    fields = (header.market, header.commodity, header.unit, header.date)
    parts = pd.DataFrame([[sheet.name, labels(col), *map(labels, fields), *fields] for col in value_cols],
                         columns=PART_COLUMNS, dtype=object)
    return SheetTable(sheet.name, header.layout, frame[OBSERVATION_COLUMNS], parts)


def _formula_blank(frame: pd.DataFrame, formula_blanks) -> np.ndarray:
    empty = _blank_mask(frame["raw_price"])
    blanks = formula_blanks() if empty.any() else frozenset()
    if not blanks:
        return np.zeros(len(frame), dtype=bool)
    cells = zip(frame["source_row"].tolist(), frame["col_idx"].tolist())
    return np.fromiter(((row, col) in blanks for row, col in cells), dtype=bool, count=len(frame))


def _names_a_commodity(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not _starts(normalise(value), NOT_DATA_ROW_LABELS)


def _blank_mask(series: pd.Series) -> np.ndarray:
    return map_values(series, is_blank, bool)


def _label(head: pd.Series, col: int | None) -> str | None:
    return None if col is None else header_text(head.iloc[col])


def _nothing(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


def _base(body: pd.DataFrame, header: Header, part: int, value_col: int) -> pd.DataFrame:
    n = len(body)
    return pd.DataFrame({
        "part": np.full(n, part, dtype=np.int32),
        "source_row": body.index.to_numpy(dtype=np.int64),
        "col_idx": np.full(n, value_col, dtype=np.int32),
        "raw_commodity": body[header.commodity].array,
        "raw_unit": body[header.unit].array if header.unit is not None else _nothing(n),
        "raw_price": body[value_col].array,
    })


def _context_market(ctx: Context) -> tuple[str | None, str]:
    return (ctx.market_id, "ok") if ctx.market_id else (None, "not_identified")


def _context_date(ctx: Context) -> tuple[dt.date | None, str]:
    return (ctx.observed_on, "ok") if ctx.observed_on else (None, "not_identified")


def _market_cell(ctx: Context):
    """A market column cell names a market as a whole label; a blank cell falls back to the sheet's market."""
    def resolve(value):
        if is_blank(value):
            return _context_market(ctx)
        found = market_names().from_label(value)
        return (found, "ok") if found else (None, "unknown")
    return resolve


def _date_cell(ctx: Context):
    def resolve(value):
        return _context_date(ctx) if is_blank(value) else parse_date(value)
    return resolve


def _set_market(frame: pd.DataFrame, raw, resolve) -> None:
    frame["raw_market"] = raw
    frame["market_id"], frame["market_status"] = map_columns(raw, resolve, MARKET_IDS, MARKET_STATUS)


def _set_date(frame: pd.DataFrame, raw, resolve) -> None:
    frame["raw_date"] = raw
    frame["observed_on"], frame["date_status"] = map_columns(raw, resolve, "datetime64[ns]", DATE_STATUS)


def _long(body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context) -> pd.DataFrame:
    assert header.price is not None  # a long table is found by its price column
    frame = _base(body, header, 0, header.price)
    n = len(frame)
    _set_market(frame, body[header.market].array if header.market is not None else _nothing(n), _market_cell(ctx))
    _set_date(frame, body[header.date].array if header.date is not None else _nothing(n), _date_cell(ctx))
    return frame


def _wide(body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context) -> pd.DataFrame:
    """One block of observations per value column; the column header names the date or the market of every
    cell below it (its text is in the part), the other key comes from the sheet."""
    frames = []
    for part, col in enumerate(header.data_columns):
        frame = _base(body, header, part, col)
        n = len(frame)
        label = head.iloc[col]
        if header.layout == WIDE_BY_DATE:
            observed_on, status = parse_date(label)
            _set_market(frame, _nothing(n), lambda _: _context_market(ctx))
            _set_date(frame, _nothing(n), lambda _: (observed_on, status))
            header_ok = status == "ok"
        else:
            market_id = market_names().from_label(label) if isinstance(label, str) else None
            _set_market(frame, _nothing(n), lambda _: (market_id, "ok" if market_id else "unknown"))
            _set_date(frame, _nothing(n), lambda _: _context_date(ctx))
            header_ok = market_id is not None
        if not header_ok:
            # a column that is neither a date nor a market: only what was typed in it is reported
            frame = frame[~_blank_mask(frame["raw_price"])]
        frames.append(frame)
    return concat_frames(frames)
