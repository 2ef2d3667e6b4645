"""Finding the price table in a sheet: header row, layout (long, wide by date, wide by market), data rows, and
where each observation's market and date come from (column, title rows, sheet name, file name)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .names import market_names, normalise
from .readers import Sheet
from .values import dates_in_text, is_blank, map_values, parse_date

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


def _context(grid: pd.DataFrame, header_row: int, sheet_name: str, file_name: str) -> Context:
    markets = market_names()
    market_ids: set[str] = set()
    market_ambiguous = False
    dates: set[dt.date] = set()
    for _, cells in grid.loc[: header_row - 1].iterrows():
        for cell in cells:
            if isinstance(cell, (dt.date, dt.datetime)):
                dates.add(parse_date(cell)[0])
        text = " ".join(header_text(c) for c in cells if not is_blank(c) and isinstance(c, str))
        found, ambiguous = markets.in_text(text)
        market_ambiguous |= ambiguous
        market_ids |= {found} if found else set()
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
            found = dates_in_text(text, compact)
            date, date_error = (next(iter(found)), False) if len(found) == 1 else (None, len(found) > 1)
    return Context(market_id, market_error, date, date_error)


@dataclass
class SheetTable:
    """What one sheet holds: no table, a table with no data rows, or observations."""
    sheet: str
    layout: str | None
    observations: pd.DataFrame | None  # None when the sheet has no table


OBSERVATION_COLUMNS = ["sheet", "source_row", "col_idx", "source_column", "raw_market", "raw_commodity",
                       "raw_unit", "raw_date", "raw_price", "market_column", "commodity_column",
                       "unit_column", "date_column", "market_id", "market_status", "observed_on",
                       "date_status", "formula_blank"]


def read_table(sheet: Sheet, file_stem: str) -> SheetTable:
    grid = sheet.grid
    header = _find_header(grid) if len(grid) else None
    if header is None:
        return SheetTable(sheet.name, None, None)
    head = grid.loc[header.row]
    body = grid.loc[header.row + 1:]
    named = map_values(body[header.commodity], _names_a_commodity).astype(bool)
    unit = body[header.unit] if header.unit is not None else pd.Series("", index=body.index, dtype=object)
    value_cols = [header.price] if header.layout == LONG else header.data_columns
    filled = ~_blank_mask(unit)
    for col in value_cols:
        filled |= ~_blank_mask(body[col])
    body = body[named & filled]
    ctx = _context(grid, header.row, sheet.name, file_stem)
    if header.layout == LONG:
        frame = _long(body, head, header, ctx)
    else:
        frame = _wide(body, head, header, ctx)
    frame.insert(0, "sheet", sheet.name)
    frame["formula_blank"] = _formula_blank(frame, sheet.formula_blanks)
    return SheetTable(sheet.name, header.layout, frame[OBSERVATION_COLUMNS])


def _formula_blank(frame: pd.DataFrame, blanks: frozenset[tuple[int, int]]) -> np.ndarray:
    if not blanks:
        return np.zeros(len(frame), dtype=bool)
    cells = zip(frame["source_row"].tolist(), frame["col_idx"].tolist())
    return np.fromiter(((row, col) in blanks for row, col in cells), dtype=bool, count=len(frame))


def _names_a_commodity(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not _starts(normalise(value), NOT_DATA_ROW_LABELS)


def _blank_mask(series: pd.Series) -> np.ndarray:
    return map_values(series, is_blank).astype(bool)


def _label(head: pd.Series, col: int | None) -> str | None:
    return None if col is None else header_text(head.iloc[col])


def _base(body: pd.DataFrame, head: pd.Series, header: Header, value_col: int) -> pd.DataFrame:
    empty = pd.Series("", index=body.index, dtype=object)
    return pd.DataFrame({
        "source_row": body.index.to_numpy(dtype=np.int64),
        "col_idx": value_col,
        "source_column": _label(head, value_col),
        "raw_commodity": body[header.commodity].to_numpy(dtype=object),
        "raw_unit": (body[header.unit] if header.unit is not None else empty).to_numpy(dtype=object),
        "raw_price": body[value_col].to_numpy(dtype=object),
        "commodity_column": _label(head, header.commodity),
        "unit_column": _label(head, header.unit),
    })


def _resolve_market_cells(raw, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """A market column cell names a market as a whole label; a blank cell falls back to the sheet."""
    markets = market_names()

    def one(value):
        if is_blank(value):
            return _context_market(ctx)
        found = markets.from_label(value)
        return (found, "ok") if found else (None, "unknown")

    pairs = map_values(raw, one)
    return np.array([p[0] for p in pairs], dtype=object), np.array([p[1] for p in pairs], dtype=object)


def _context_market(ctx: Context) -> tuple[str | None, str]:
    return (ctx.market_id, "ok") if ctx.market_id else (None, "not_identified")


def _context_date(ctx: Context) -> tuple[dt.date | None, str]:
    return (ctx.observed_on, "ok") if ctx.observed_on else (None, "not_identified")


def _resolve_date_cells(raw, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    def one(value):
        if is_blank(value):
            return _context_date(ctx)
        return parse_date(value)

    pairs = map_values(raw, one)
    return np.array([p[0] for p in pairs], dtype=object), np.array([p[1] for p in pairs], dtype=object)


def _long(body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context) -> pd.DataFrame:
    frame = _base(body, head, header, header.price)
    frame["market_column"] = _label(head, header.market)
    frame["date_column"] = _label(head, header.date)
    if header.market is not None:
        frame["raw_market"] = body[header.market].to_numpy(dtype=object)
        frame["market_id"], frame["market_status"] = _resolve_market_cells(frame["raw_market"], ctx)
    else:
        frame["raw_market"] = None
        frame["market_id"], frame["market_status"] = _context_market(ctx)
    if header.date is not None:
        frame["raw_date"] = body[header.date].to_numpy(dtype=object)
        frame["observed_on"], frame["date_status"] = _resolve_date_cells(frame["raw_date"], ctx)
    else:
        frame["raw_date"] = None
        frame["observed_on"], frame["date_status"] = _context_date(ctx)
    return frame


def _wide(body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context) -> pd.DataFrame:
    parts = []
    markets = market_names()
    for col in header.data_columns:
        frame = _base(body, head, header, col)
        label = head.iloc[col]
        frame["market_column"] = None
        frame["date_column"] = None
        if header.layout == WIDE_BY_DATE:
            observed_on, status = parse_date(label)
            frame["raw_market"], frame["raw_date"] = None, header_text(label)
            frame["market_id"], frame["market_status"] = _context_market(ctx)
            frame["observed_on"], frame["date_status"] = observed_on, status
            header_ok = status == "ok"
        else:
            market_id = markets.from_label(label) if isinstance(label, str) else None
            frame["raw_market"], frame["raw_date"] = header_text(label), None
            frame["market_id"], frame["market_status"] = market_id, "ok" if market_id else "unknown"
            frame["observed_on"], frame["date_status"] = _context_date(ctx)
            header_ok = market_id is not None
        if not header_ok:
            # a column that is neither a date nor a market: only what was typed in it is reported
            frame = frame[~_blank_mask(frame["raw_price"])]
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)
