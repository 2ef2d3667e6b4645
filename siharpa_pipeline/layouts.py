"""Finding the price tables in a sheet: header rows, layouts, blocks, data rows, and where each observation's
place (a market, or a region for national and provincial series) and date come from.

Layouts: long (a row per observation), long by month (Tahun + Bulan columns), wide by date, wide by month,
wide by market (commodity rows), and dates as rows (commodity columns, a date or day number per row, as
offices and transposed PIHPS exports lay them out). A sheet may stack several tables (blocks), each with its
own title naming its market."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from .messages import BULAN_PANJANG
from .names import canonical_unit, commodity_names, market_names, normalise, region_names
from .readers import NOT_DATA_ROW_LABELS, Sheet, header_text
from .reference import NATIONAL, Reference, load_reference
from .values import (
    as_categorical,
    dates_in_text,
    is_blank,
    map_columns,
    map_values,
    month_number,
    month_years_in_text,
    months_in_text,
    parse_date,
    parse_month,
    years_in_text,
)
from .verdicts import DAILY, MARKET, MONTH, REGION

HEADER_SCAN_ROWS = 60
BLOCK_GAP_ROWS = 60  # the next table of a sheet starts within this many rows after the last one ends

COMMODITY_HEADERS = (
    "komoditas",
    "komoditi",
    "nama komoditas",
    "nama komoditi",
    "jenis komoditas",
    "jenis bahan pokok",
    "bahan pokok",
    "nama bahan pokok",
    "nama barang",
    "jenis barang",
    "barang",
)
COMMODITY_EXACT = ("name", "nama", "item", "nm komoditas")
PRICE_HEADERS = ("harga", "hrg", "hrg current", "harga rp")
DATE_HEADERS = (
    "tanggal",
    "tgl",
    "hari tanggal",
    "hari tgl",
    "tanggal pencatatan",
    "tanggal survei",
    "timestamp",
    "waktu",
    "date",
)
MARKET_HEADERS = ("pasar", "nama pasar", "nm pasar", "lokasi pasar", "pasar rakyat")
REGION_HEADERS = (
    "provinsi",
    "nama provinsi",
    "nm provinsi",
    "kode provinsi",
    "kd provinsi",
    "kab kota",
    "kabupaten kota",
    "nama kab kota",
    "nama kabupaten kota",
    "kode kab kota",
    "kode kabupaten kota",
    "kabupaten",
    "kota",
    "nama kabupaten",
    "nama kota",
    "wilayah",
    "nama wilayah",
    "kode wilayah",
    "daerah",
    "nama daerah",
    "lokasi",
    "region",
    "province",
)
YEAR_HEADERS, MONTH_HEADERS = ("tahun",), ("bulan",)
UNIT_HEADERS = ("satuan", "sat", "unit")
NUMBER_HEADERS = ("no", "nomor", "no urut")
# a value from before (yesterday's price, last week's date) is never the observation's date or price
BEFORE_WORDS = ("kemarin", "sebelumnya", "sebelum", "lalu", "lama", "last", "prev", "previous", "yesterday")
# wide layouts: columns that hold no observation
NOT_DATA_HEADERS = (
    "no",
    "nomor",
    "no urut",
    "satuan",
    "sat",
    "unit",
    "rata rata",
    "rerata",
    "rata2",
    "keterangan",
    "ket",
    "het",
    "hap",
    "perubahan",
    "petugas",
    "jumlah",
    "total",
    "gap",
    "persen",
    "selisih",
    "naik",
    "turun",
    "status",
    "kategori",
    "kelompok",
    "id",
    "kode",
    "minggu",
    "pekan",
)

LONG, LONG_BY_MONTH = "long", "long_by_month"
WIDE_BY_DATE, WIDE_BY_MONTH, WIDE_BY_MARKET = "wide_by_date", "wide_by_month", "wide_by_market"
DATES_AS_ROWS = "dates_as_rows"
PLACES_AS_ROWS = "places_as_rows"  # commodity columns, a market or region per row, one date for the table
COMMODITY_COLUMNS = (DATES_AS_ROWS, PLACES_AS_ROWS)
MONTHLY = (LONG_BY_MONTH, WIDE_BY_MONTH)

_ROMAN = re.compile(r"^[IVXLC]+\.?$")
# "di Pasar Bauntung" names a market; "Harga Pasar Bahan Pokok", "Semua Pasar", "Pasar Tradisional" do not
_GENERIC_AFTER_PASAR = (
    "semua",
    "se",
    "tradisional",
    "modern",
    "swalayan",
    "ritel",
    "retail",
    "bahan",
    "pokok",
    "pangan",
    "komoditas",
    "harga",
    "harian",
    "mingguan",
    "bulanan",
    "tahunan",
    "kebutuhan",
    "barang",
    "dan",
    "di",
    "yang",
    "tingkat",
    "per",
    "nasional",
    "provinsi",
    "kabupaten",
    "kota",
    "daerah",
    "wilayah",
    "pasar",
    "rakyat$",
    "induk$",
)
_NAMED_MARKET = re.compile(
    r"(?<!\S)pasar\s+(?!(?:"
    + "|".join(w if w.endswith("$") else w + r"\b" for w in _GENERIC_AFTER_PASAR)
    + r"))([a-z]\w*)"
)


def _starts(label: str, prefixes: tuple[str, ...]) -> bool:
    return any(label == p or label.startswith(p + " ") for p in prefixes)


def _before(label: str) -> bool:
    return any(w in label.split() for w in BEFORE_WORDS)


@dataclass
class Header:
    row: int
    layout: str
    commodity: int | None  # the column of commodity names (None: the names head the columns)
    unit: int | None
    price: int | None
    date: int | None  # a date column; for dates as rows, the column of dates or day numbers
    place: int | None  # a market or region column
    place_kind: str | None
    data_columns: list[int]  # wide layouts and dates as rows
    year: int | None = None  # long by month
    month: int | None = None
    number: int | None = None  # "No": roman numerals mark group rows in national exports
    unit_row: int | None = None  # dates as rows: "(Rp/Kg)" under each commodity


def _text_labels(cells: pd.Series) -> dict[int, str]:
    return {i: normalise(c) for i, c in enumerate(cells) if isinstance(c, str) and c.strip()}


def _first(labels: dict[int, str], prefixes: tuple[str, ...], exact: tuple[str, ...] = ()) -> int | None:
    return next((i for i, lab in labels.items() if (_starts(lab, prefixes) or lab in exact) and not _before(lab)), None)


def _find_header(grid: pd.DataFrame, ref: Reference) -> Header | None:
    for row_no, cells in grid.head(HEADER_SCAN_ROWS).iterrows():
        header = _header_at(grid, int(row_no), cells, ref)
        if header is not None:
            return header
    return None


def _header_at(grid: pd.DataFrame, row_no: int, cells: pd.Series, ref: Reference) -> Header | None:
    labels = _text_labels(cells)
    if not labels:
        return None
    names = commodity_names(ref)
    named = [i for i, c in enumerate(cells) if isinstance(c, str) and names.resolve(c)]
    if len(named) >= 2:
        return _commodity_columns(grid, row_no, cells, labels, named, ref)
    commodity = _first(labels, COMMODITY_HEADERS, COMMODITY_EXACT)
    if commodity is None:
        return None
    if _mostly_dates(grid, row_no, commodity):  # "Komoditas (Rp)" heading a column of dates: transposed
        return None
    unit, price, date = _first(labels, UNIT_HEADERS), _first(labels, PRICE_HEADERS), _first(labels, DATE_HEADERS)
    place, place_kind = _place_column(grid, row_no, labels, ref)
    number = _first(labels, NUMBER_HEADERS)
    year, month = _first(labels, YEAR_HEADERS), _first(labels, MONTH_HEADERS)
    if price is not None:
        layout = LONG_BY_MONTH if date is None and year is not None and month is not None else LONG
        return Header(row_no, layout, commodity, unit, price, date, place, place_kind, [], year, month, number)
    taken = {commodity, unit, place, number}
    candidates = [
        i
        for i, c in enumerate(cells)
        if i not in taken
        and not is_blank(c)
        and not _starts(labels.get(i, ""), NOT_DATA_HEADERS)
        and not _before(labels.get(i, ""))
    ]
    dated = [i for i in candidates if parse_date(cells.iloc[i])[1] == "ok"]
    monthly = [i for i in candidates if parse_month(cells.iloc[i])[1] == "ok"]
    markets = market_names(ref)
    by_market = [i for i in candidates if isinstance(cells.iloc[i], str) and markets.from_label(cells.iloc[i])]
    wide = Header(row_no, WIDE_BY_DATE, commodity, unit, None, None, place, place_kind, candidates, number=number)
    if monthly and (len(monthly) > len(dated) or _month_starts(cells, dated)) and len(monthly) >= len(by_market):
        wide.layout = WIDE_BY_MONTH
        return wide
    if dated and len(dated) >= len(by_market):
        return wide
    if by_market:
        wide.layout = WIDE_BY_MARKET
        return wide
    return None


def _month_starts(cells: pd.Series, dated: list[int]) -> bool:
    """Date headers that are all the first of a month, a month or more apart: months ("Jan 2018") that Excel
    turned into dates, not days."""
    days = sorted(d for d in (parse_date(cells.iloc[i])[0] for i in dated) if d is not None)
    return len(days) >= 2 and all(d.day == 1 for d in days) and all((b - a).days >= 28 for a, b in zip(days, days[1:]))


def _column_below(grid: pd.DataFrame, row_no: int, col: int, rows: int = 40) -> list:
    below = grid.loc[row_no + 1 : row_no + rows]
    return [] if col >= below.shape[1] else [c for c in below.iloc[:, col] if not is_blank(c)]


def _mostly_dates(grid: pd.DataFrame, row_no: int, col: int) -> bool:
    cells = _column_below(grid, row_no, col)
    return bool(cells) and sum(parse_date(c)[1] == "ok" for c in cells) * 2 > len(cells)


def _day_number(value: object) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value) if 1 <= value <= 31 else None
    return None


def _dated_cell(value: object) -> bool:
    """A date typed or formatted as one; a bare number here is a price, not an Excel serial."""
    return not isinstance(value, (int, float)) and parse_date(value)[1] == "ok"


def _commodity_columns(
    grid: pd.DataFrame, row_no: int, cells: pd.Series, labels: dict[int, str], named: list[int], ref: Reference
) -> Header | None:
    """Commodities head the columns; one column holds a date or a day of the month per row, or else a market
    or region per row (the date is the table's)."""
    first_name = min(named)
    best, best_count = None, 0
    for col in range(len(cells)):
        if col in named or _starts(labels.get(col, ""), NUMBER_HEADERS):  # "No" counts rows, not days
            continue
        found = _column_below(grid, row_no, col)
        count = sum(_day_number(c) is not None or _dated_cell(c) for c in found)
        if count > best_count and (col < first_name or count * 2 > len(found)):
            best, best_count = col, count
    date = best if best_count >= 2 else None
    place, place_kind = _place_rows(grid, row_no, first_name, ref)
    if date is None and place is None:
        return None
    key = max(c for c in (date, place) if c is not None)
    data = [
        i
        for i, c in enumerate(cells)
        if not is_blank(c)
        and i > key
        and not _starts(labels.get(i, ""), NOT_DATA_HEADERS)
        and not _before(labels.get(i, ""))
    ]
    if not data:
        return None
    unit_row = row_no + 1 if row_no + 1 in grid.index and _is_unit_row(grid.loc[row_no + 1], data) else None
    layout = DATES_AS_ROWS if date is not None else PLACES_AS_ROWS
    return Header(row_no, layout, None, None, None, date, place, place_kind, data, unit_row=unit_row)


def _place_rows(grid: pd.DataFrame, row_no: int, before: int, ref: Reference) -> tuple[int | None, str | None]:
    """A column left of the commodities whose cells are mostly markets, or else mostly regions."""
    for kind, names in ((MARKET, market_names(ref)), (REGION, region_names(ref))):
        for col in range(before):
            found = _column_below(grid, row_no, col)
            if len(found) >= 2 and sum(isinstance(c, str) and names.from_label(c) is not None for c in found) * 2 > len(
                found
            ):
                return col, kind
    return None, None


def _is_unit_row(cells: pd.Series, columns: list[int]) -> bool:
    values = [cells.iloc[c] for c in columns if c < len(cells) and not is_blank(cells.iloc[c])]
    return bool(values) and sum(canonical_unit(v) is not None for v in values) * 2 > len(values)


def _place_column(
    grid: pd.DataFrame, row_no: int, labels: dict[int, str], ref: Reference
) -> tuple[int | None, str | None]:
    """A market column makes a market table; a column of provinces or kabupaten a regional one. "Lokasi"
    is either: its cells decide."""
    # whole labels only: "Pasar Waru" heading a column is a market, not a market column
    market = next((i for i, lab in labels.items() if lab in MARKET_HEADERS), None)
    if market is not None:
        return market, MARKET
    regions = [i for i, lab in labels.items() if lab in REGION_HEADERS]
    codes = [i for i in regions if labels[i].startswith("kode")]
    for col in codes + [i for i in regions if i not in codes]:
        cells = _column_below(grid, row_no, col, 20)
        known = region_names(ref)
        if cells and sum(known.from_label(c) is not None for c in cells) * 2 > len(cells):
            return col, REGION
    lokasi = next((i for i, lab in labels.items() if lab == "lokasi"), None)
    return (lokasi, MARKET) if lokasi is not None else (None, None)


@dataclass
class Context:
    """A block's place and date from its title rows, the sheet name, or the file name."""

    market_id: str | None
    market_error: bool
    observed_on: dt.date | None
    date_error: bool
    region: str | None = None
    named_market: str | None = None  # "di Pasar Bauntung": a market table, even when the market is unknown
    text: str = ""  # titles, sheet and file name, for source and price level


def _most_specific(codes: set[str]) -> str | None:
    """ "Provinsi Kalimantan Timur" and "Kota Balikpapan" in one title: the city. Regions that do not nest
    (two provinces) name no one region."""
    codes = codes - {NATIONAL} if len(codes) > 1 else codes
    deepest = max(codes, key=len, default=None)
    if deepest is None or any(not deepest.startswith(c) for c in codes):
        return None
    return deepest


def file_name_context(file_name: str, ref: Reference | None = None) -> str:
    """What a file's name says of its market and date ("|" when nothing): byte-identical files are the same
    submission only when their names say the same."""
    text = Path(file_name).stem.replace("_", " ")
    market, ambiguous = market_names(ref).in_text(text)
    dates = sorted(dates_in_text(text, compact=True))
    return f"{'?' if ambiguous else market or ''}|{','.join(map(str, dates))}"


def _title_text(title: pd.DataFrame) -> list[str]:
    return [
        " ".join(header_text(c) for c in cells if isinstance(c, str) and c.strip()) for _, cells in title.iterrows()
    ]


def _context(title: pd.DataFrame, sheet_name: str, file_name: str, ref: Reference) -> Context:
    markets, regions = market_names(ref), region_names(ref)
    market_ids: set[str] = set()
    market_ambiguous = False
    dates: set[dt.date] = set()
    for _, cells in title.iterrows():
        dates |= {d for d in (parse_date(c)[0] for c in cells if isinstance(c, dt.date)) if d is not None}
    lines = _title_text(title)
    for text in lines:
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
            date, date_error = (
                (next(iter(named_dates)), False) if len(named_dates) == 1 else (None, len(named_dates) > 1)
            )
    everything = " ".join([*lines, sheet_name, file_name])
    region = _most_specific({r for r in (regions.in_text(t)[0] for t in (*lines, sheet_name, file_name)) if r})
    mention = next((m for m in (_NAMED_MARKET.search(normalise(line)) for line in lines) if m), None)
    return Context(market_id, market_error, date, date_error, region, mention and _market_phrase(mention), everything)


_PHRASE_ENDS = frozenset(
    {"kota", "kabupaten", "kab", "kecamatan", "provinsi", "tahun", "bulan", "tanggal", "periode", "di", "dan"}
)


def _market_phrase(match: re.Match) -> str:
    """ "pasar bauntung kota banjarbaru tahun 2024" -> "Pasar Bauntung": the market's name as a title gives it."""
    words = []
    for word in match.string[match.start(1) :].split()[:4]:
        if word in _PHRASE_ENDS or word.isdigit():
            break
        words.append(word)
    return "Pasar " + " ".join(words).title()


PART_COLUMNS = [
    "sheet",
    "source_column",
    "place_column",
    "commodity_column",
    "unit_column",
    "date_column",
    "place_idx",
    "commodity_idx",
    "unit_idx",
    "date_idx",
]  # *_idx: 0-based column of that field
OBSERVATION_COLUMNS = [
    "part",
    "source_row",
    "col_idx",
    "raw_place",
    "raw_commodity",
    "raw_unit",
    "raw_date",
    "raw_price",
    "place_id",
    "place_status",
    "observed_on",
    "date_status",
    "formula_blank",
]
PLACE_STATUS = pd.CategoricalDtype(["ok", "unknown", "not_identified", "not_assigned"])
DATE_STATUS = pd.CategoricalDtype(["ok", "missing", "invalid", "not_identified"])


@dataclass
class SheetTable:
    """What one sheet holds: no table (observations is None), a table with no data rows, or observations.

    Observations point at `parts` (one per value column) for the sheet name and column headers, so a million
    rows do not carry a million copies of the same few strings. `level` says whether they are prices at
    markets or a region's series; `period` whether each is a day's or a month's."""

    sheet: str
    layout: str | None
    observations: pd.DataFrame | None
    parts: pd.DataFrame = field(default_factory=pd.DataFrame)
    level: str = MARKET
    period: str = DAILY
    region_missing: bool = False  # a regional table that names no region
    context_text: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Block:
    header: Header
    title: pd.DataFrame  # rows above the header that belong to this table
    body: pd.DataFrame  # raw rows below it


def _blocks(sheet: Sheet, ref: Reference) -> list[Block]:
    """The tables of a sheet, top to bottom. Only the layouts offices stack (commodity rows or columns of a
    month) are looked at past their first table: a long table runs to the end of its sheet."""
    header = _find_header(sheet.head, ref) if len(sheet.head) else None
    if header is None:
        return []
    rows = sheet.rows_from(header.row + 1)
    if rows.shape[1] < sheet.head.shape[1]:  # rows shorter than the header (a ragged CSV): blank cells
        rows = rows.reindex(columns=range(sheet.head.shape[1]))
    blocks: list[Block] = []
    title = sheet.head.loc[: header.row - 1]
    while header is not None:
        body = rows.loc[header.row + 1 :]
        following = None
        if header.layout not in (LONG, LONG_BY_MONTH):
            following, last = _next_block(rows, header, ref)
            if following is not None:
                body = body.loc[: following.row - 1]
        blocks.append(Block(header, title, body))
        if following is not None:
            title = rows.loc[last + 1 : following.row - 1]
        header = following
    return blocks


def _next_block(rows: pd.DataFrame, header: Header, ref: Reference) -> tuple[Header | None, int]:
    """The next table's header below this one's data, and this table's last data row."""
    body = rows.loc[header.row + 1 :]
    data = _data_mask(body, header, ref)
    if not data.any():
        return None, header.row
    positions = np.flatnonzero(data)
    last_pos = int(positions[-1])
    # the first stretch of data ends at the first gap that is followed by a header
    index = body.index
    start = int(positions[0])
    for pos in range(start, min(len(body), last_pos + BLOCK_GAP_ROWS + 1)):
        if data[pos]:
            continue
        candidate = _header_at(rows, int(index[pos]), body.iloc[pos], ref)
        if candidate is not None and candidate.layout == header.layout:
            before = np.flatnonzero(data[:pos])
            return candidate, int(index[before[-1]]) if len(before) else header.row
    return None, int(index[last_pos])


def _data_mask(body: pd.DataFrame, header: Header, ref: Reference) -> np.ndarray:
    if header.layout in COMMODITY_COLUMNS:
        filled = np.logical_or.reduce([~_blank_mask(body[c]) for c in header.data_columns])
        if header.place is not None:
            filled &= ~_blank_mask(body[header.place])
        if header.date is None:
            return filled
        dated = map_values(body[header.date], lambda v: _dated_cell(v) or _day_number(v) is not None, bool)
        return dated & filled
    assert header.commodity is not None
    value_cols = [header.price] if header.price is not None else header.data_columns
    unit_filled = ~_blank_mask(body[header.unit]) if header.unit is not None else np.zeros(len(body), bool)
    return map_values(body[header.commodity], _names_a_commodity, bool) & (
        unit_filled | np.logical_or.reduce([~_blank_mask(body[c]) for c in value_cols])
    )


def read_tables(
    sheet: Sheet, file_stem: str, ref: Reference | None = None, region: str | None = None
) -> list[SheetTable]:
    """Every table of a sheet; `region` (from --region) names the region of a regional table that does not."""
    ref = ref or load_reference()
    blocks = _blocks(sheet, ref)
    if not blocks:
        return [SheetTable(sheet.name, None, None)]
    return [_read_block(sheet, block, file_stem, ref, region) for block in blocks]


def _read_block(sheet: Sheet, block: Block, file_stem: str, ref: Reference, region: str | None) -> SheetTable:
    header = block.header
    head = _header_cells(sheet, block)
    rows = block.body
    used = [
        c
        for c in (
            header.commodity,
            header.unit,
            header.price,
            header.date,
            header.place,
            header.year,
            header.month,
            header.number,
        )
        if c is not None
    ]
    body = pd.DataFrame(
        {c: as_categorical(rows[c]) for c in dict.fromkeys(used + header.data_columns)}, index=rows.index
    )
    if header.unit_row is not None:
        body = body.loc[header.unit_row + 1 :]
    body = body[_data_mask(body, header, ref)]
    body = _without_group_rows(body, header, ref)
    ctx = _context(block.title, sheet.name, file_stem, ref)
    level = _level(header, head, ctx, region, body, ref)
    table = SheetTable(
        sheet.name,
        header.layout,
        None,
        level=level,
        period=MONTH if header.layout in MONTHLY else DAILY,
        context_text=ctx.text,
    )
    place = _place_resolver(level, ctx, ref, region)
    table.region_missing = level == REGION and header.place is None and place.fixed is None
    if level == MARKET and header.place is None and ctx.market_id is None and ctx.named_market:
        table.notes.append(
            f"Lembar '{sheet.name}', tabel baris {header.row}: judul menyebut '{ctx.named_market}', "
            "yang tidak ada di daftar pasar. Bila pasar ini di kabupaten/kota lain, minta admin "
            "mengimpor paket wilayahnya (siharpa reference import), lalu kirim lagi."
        )
    if header.layout in COMMODITY_COLUMNS:
        frame, month_note = _commodity_column_rows(body, head, header, ctx, sheet, place, block)
        table.notes += [month_note] if month_note else []
    elif header.layout in (LONG, LONG_BY_MONTH):
        frame = _long(body, header, ctx, place)
    else:
        frame = _wide(body, head, header, ctx, place, ref)
    frame["formula_blank"] = _formula_blank(frame, sheet.formula_blanks)
    value_cols = [header.price] if header.price is not None else header.data_columns
    table.observations = frame[OBSERVATION_COLUMNS]
    table.parts = _parts(sheet.name, head, header, value_cols)
    return table


def _header_cells(sheet: Sheet, block: Block) -> pd.Series:
    row = block.header.row
    return sheet.head.loc[row] if row in sheet.head.index else sheet.rows_from(row).iloc[0]


def _parts(sheet_name: str, head: pd.Series, header: Header, value_cols: list[int]) -> pd.DataFrame:
    label = lambda col: None if col is None else header_text(head.iloc[col])  # noqa: E731
    if header.layout in COMMODITY_COLUMNS:
        unit = header.unit_row is not None
        rows = [
            [
                sheet_name,
                label(c),
                label(header.place),
                label(c),
                label(c) if unit else None,
                label(header.date),
                header.place,
                c,
                c if unit else None,
                header.date,
            ]
            for c in value_cols
        ]
    else:
        fields = (header.place, header.commodity, header.unit, header.date)
        rows = [[sheet_name, label(col), *map(label, fields), *fields] for col in value_cols]
    return pd.DataFrame(rows, columns=PART_COLUMNS, dtype=object)


def _level(
    header: Header, head: pd.Series, ctx: Context, region: str | None, body: pd.DataFrame, ref: Reference
) -> str:
    """Prices at markets, or a region's series (national, provincial and city averages). A market column,
    a market named in the titles or a file sent with --region decide at once; otherwise a region column, a
    region named that is not one of our markets' own kabupaten, or the shape of a national export."""
    if header.place_kind == MARKET or ctx.named_market or ctx.market_id:
        return MARKET
    if region is not None or header.place_kind == REGION:
        return REGION
    # a kabupaten's own name in its letterhead ("Kabupaten Penajam Paser Utara") is not a regional series
    if ctx.region is not None and ctx.region not in set(ref.markets["region_code"].dropna()):
        return REGION
    return REGION if _national_shape(header, head, body, ctx) else MARKET


def _national_shape(header: Header, head: pd.Series, body: pd.DataFrame, ctx: Context) -> bool:
    """PIHPS and Panel Harga exports: monthly periods, "Komoditas (Rp)", roman-numeral group rows."""
    if header.layout in MONTHLY or "perkembangan harga pangan" in normalise(ctx.text):
        return True
    if header.commodity is not None and normalise(head.iloc[header.commodity]) == "komoditas rp":
        return True
    if header.number is not None and len(body):
        return bool(map_values(body[header.number], _is_roman, bool).any())
    return False


def _is_roman(value: object) -> bool:
    return isinstance(value, str) and bool(_ROMAN.match(value.strip()))


def _without_group_rows(body: pd.DataFrame, header: Header, ref: Reference) -> pd.DataFrame:
    """National exports list a group ("II Cabai Merah") above its varieties ("1 Cabai Merah Besar"): the
    group is their average, not an observation. A group with no varieties under it is the series itself."""
    if header.commodity is None or header.layout in (LONG, LONG_BY_MONTH) or len(body) < 2:
        return body  # a long table's rows are observations, never groups
    if header.number is not None:
        roman = map_values(body[header.number], _is_roman, bool)
        followed_by_variety = np.append(~roman[1:], False)
        group = roman & followed_by_variety
    else:
        names = map_values(body[header.commodity], lambda v: normalise(v) if isinstance(v, str) else "").tolist()
        group = np.array(
            [
                bool(a) and b.startswith(a + " ") and commodity_names(ref).resolve(b) is not None
                for a, b in zip(names, names[1:] + [""])
            ]
        )
    return body[~group] if group.any() else body


def _formula_blank(frame: pd.DataFrame, formula_blanks) -> np.ndarray:
    empty = _blank_mask(frame["raw_price"])
    blanks = formula_blanks() if empty.any() else frozenset()
    if not blanks:
        return np.zeros(len(frame), dtype=bool)
    cells = zip(frame["source_row"].tolist(), frame["col_idx"].tolist())
    return np.fromiter(((row, col) in blanks for row, col in cells), dtype=bool, count=len(frame))


def _names_a_commodity(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not _starts(normalise(value), NOT_DATA_ROW_LABELS)


def _blank_mask(series) -> np.ndarray:
    return map_values(series, is_blank, bool)


def _nothing(n: int) -> np.ndarray:
    return np.full(n, None, dtype=object)


@dataclass
class PlaceResolver:
    """A place per observation: a cell of the market or region column, else the block's own."""

    level: str
    fixed: str | None  # the block's market or region
    ambiguous: bool
    ref: Reference

    def context(self) -> tuple[str | None, str]:
        return (self.fixed, "ok") if self.fixed else (None, "not_identified")

    def cell(self, value: object) -> tuple[str | None, str]:
        if is_blank(value):
            return self.context()
        names = market_names(self.ref) if self.level == MARKET else region_names(self.ref)
        found = names.from_label(value)
        return (found, "ok") if found else (None, "unknown")

    def label(self, value: object) -> tuple[str | None, str]:
        """A wide-by-market column header."""
        found = market_names(self.ref).from_label(value) if isinstance(value, str) else None
        return (found, "ok") if found else (None, "unknown")


def _place_resolver(level: str, ctx: Context, ref: Reference, region: str | None) -> PlaceResolver:
    if level == MARKET:
        return PlaceResolver(MARKET, ctx.market_id, ctx.market_error, ref)
    return PlaceResolver(REGION, region or ctx.region, False, ref)


def _context_date(ctx: Context) -> tuple[dt.date | None, str]:
    return (ctx.observed_on, "ok") if ctx.observed_on else (None, "not_identified")


def _long(body: pd.DataFrame, header: Header, ctx: Context, place: PlaceResolver) -> pd.DataFrame:
    assert header.price is not None and header.commodity is not None  # a long table is found by both
    n = len(body)
    frame = _stacked(
        body, [header.price], body[header.commodity].array, body[header.unit].array if header.unit is not None else None
    )
    raw_place = body[header.place].array if header.place is not None else _nothing(n)
    _place_codes(frame, raw_place, place.cell, place, n, 1)
    if header.layout == LONG_BY_MONTH:
        assert header.year is not None and header.month is not None
        years = map_values(body[header.year], lambda v: header_text(v).strip())
        raw = np.array(
            [f"{m} {y}" if not is_blank(m) else None for m, y in zip(body[header.month], years)], dtype=object
        )
        _date_codes(frame, raw, _month_cell, n, 1)
    else:
        raw = body[header.date].array if header.date is not None else _nothing(n)
        _date_codes(frame, raw, lambda v: _context_date(ctx) if is_blank(v) else parse_date(v), n, 1)
    return frame


def _month_cell(value: object) -> tuple[dt.date | None, str]:
    """ "Januari 2021" built from a Bulan and a Tahun cell."""
    if value is None:
        return None, "not_identified"
    month_text, _, year_text = str(value).rpartition(" ")
    month = month_number(month_text)
    if month is None or not year_text.isdigit():
        return None, "invalid"
    return parse_month(f"{BULAN_PANJANG[month - 1]} {year_text}")


def _tiled(values, k: int) -> pd.Categorical:
    """A column of n rows repeated for k value columns, as codes (no per-cell work)."""
    cat = as_categorical(values)
    return pd.Categorical.from_codes(np.tile(cat.codes, k), dtype=cat.dtype)


def _per_part(values: list, n: int) -> pd.Categorical:
    """One value per value column, repeated for its n rows."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return pd.Categorical.from_codes(np.repeat(codes, n), categories=pd.Index(uniques, dtype=object))


def _stacked(body: pd.DataFrame, columns: list[int], commodity, unit) -> pd.DataFrame:
    """Every value column under the other: part, row, column and the raw cells, built from codes."""
    n, k = len(body), len(columns)
    prices = [as_categorical(body[c].array) for c in columns]
    return pd.DataFrame(
        {
            "part": np.repeat(np.arange(k, dtype=np.int32), n),
            "source_row": np.tile(body.index.to_numpy(dtype=np.int64), k),
            "col_idx": np.repeat(np.asarray(columns, dtype=np.int32), n),
            "raw_commodity": commodity,
            "raw_unit": unit,
            "raw_price": union_categoricals(prices) if k > 1 else prices[0],
        }
    )


def _place_codes(
    frame: pd.DataFrame, raw, resolve, place: PlaceResolver, n: int, k: int, per_part: list | None = None
) -> None:
    """Places resolved once per row (or once per column) and repeated, never once per cell."""
    dtype = place.ref.market_dtype if place.level == MARKET else place.ref.region_dtype
    if per_part is not None:
        ids = dtype.categories.get_indexer(pd.Index([p[0] for p in per_part], dtype=object))
        status = PLACE_STATUS.categories.get_indexer(pd.Index([p[1] for p in per_part], dtype=object))
        frame["raw_place"] = None
        frame["place_id"] = pd.Categorical.from_codes(np.repeat(ids, n), dtype=dtype)
        frame["place_status"] = pd.Categorical.from_codes(np.repeat(status, n), dtype=PLACE_STATUS)
        return
    ids, status = map_columns(raw, resolve, dtype, PLACE_STATUS)
    frame["raw_place"] = raw if k == 1 else _tiled(raw, k)
    frame["place_id"] = pd.Categorical.from_codes(np.tile(ids.codes, k), dtype=dtype)
    frame["place_status"] = pd.Categorical.from_codes(np.tile(status.codes, k), dtype=PLACE_STATUS)


def _date_codes(frame: pd.DataFrame, raw, resolve, n: int, k: int, per_part: list | None = None) -> None:
    if per_part is not None:
        frame["raw_date"] = None
        frame["observed_on"] = np.repeat(np.array([d for d, _ in per_part], dtype="datetime64[ns]"), n)
        status = DATE_STATUS.categories.get_indexer(pd.Index([s for _, s in per_part], dtype=object))
        frame["date_status"] = pd.Categorical.from_codes(np.repeat(status, n), dtype=DATE_STATUS)
        return
    days, status = map_columns(raw, resolve, "datetime64[ns]", DATE_STATUS)
    frame["raw_date"] = raw if k == 1 else _tiled(raw, k)
    frame["observed_on"] = np.tile(days, k)
    frame["date_status"] = pd.Categorical.from_codes(np.tile(status.codes, k), dtype=DATE_STATUS)


def _wide(
    body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context, place: PlaceResolver, ref: Reference
) -> pd.DataFrame:
    """The value columns stacked; each column's header names the date, month or market of every cell below it
    (its text is in the part), the other key comes from the row or the block."""
    assert header.commodity is not None
    n, k = len(body), len(header.data_columns)
    labels = [head.iloc[c] for c in header.data_columns]
    frame = _stacked(
        body,
        header.data_columns,
        _tiled(body[header.commodity].array, k),
        _tiled(body[header.unit].array, k) if header.unit is not None else None,
    )
    if header.layout == WIDE_BY_MARKET:
        markets = [place.label(label) for label in labels]
        _place_codes(frame, None, None, place, n, k, per_part=markets)
        _date_codes(frame, None, None, n, k, per_part=[_context_date(ctx)] * k)
        statuses = [status for _, status in markets]
    else:
        dates = [parse_month(label) if header.layout == WIDE_BY_MONTH else parse_date(label) for label in labels]
        raw_place = body[header.place].array if header.place is not None else _nothing(n)
        _place_codes(frame, raw_place, place.cell, place, n, k)
        _date_codes(frame, None, None, n, k, per_part=dates)
        statuses = [status for _, status in dates]
    bad_header = np.repeat(np.array([status != "ok" for status in statuses], dtype=bool), n)
    if bad_header.any():
        # a column that is neither a date nor a market: only what was typed in it is reported
        frame = frame[~bad_header | ~_blank_mask(frame["raw_price"])]
    return frame


def _commodity_column_rows(
    body: pd.DataFrame, head: pd.Series, header: Header, ctx: Context, sheet: Sheet, place: PlaceResolver, block: Block
) -> tuple[pd.DataFrame, str | None]:
    """The commodity columns stacked: each row's date (or day of the month named by the sheet, header or
    title) and the table's place, or each row's place and the table's date."""
    month, note = _block_month(head, ctx, sheet.name, block) if header.date is not None else (None, None)
    units = block.body.loc[header.unit_row] if header.unit_row is not None else None

    def day(value: object) -> tuple[dt.date | None, str]:
        full = parse_date(value)
        if full[1] == "ok" and not isinstance(value, (int, float)):
            return full
        number = _day_number(value)
        if number is None:
            return full
        if month is None:
            return None, "not_identified"
        try:
            return dt.date(month[0], month[1], number), "ok"
        except ValueError:
            return None, "invalid"

    n, k = len(body), len(header.data_columns)
    frame = _stacked(
        body,
        header.data_columns,
        _per_part([head.iloc[c] for c in header.data_columns], n),
        _per_part([units.iloc[c] if units is not None else None for c in header.data_columns], n),
    )
    raw_place = body[header.place].array if header.place is not None else _nothing(n)
    _place_codes(frame, raw_place, place.cell, place, n, k)
    if header.date is None:
        _date_codes(frame, None, None, n, k, per_part=[_context_date(ctx)] * k)
    else:
        _date_codes(frame, body[header.date].array, day, n, k)
    return frame, note


def _months_and_years(text: str) -> tuple[set[int], set[int]]:
    pairs = month_years_in_text(text)
    return {m for _, m in pairs} or months_in_text(text), {y for y, _ in pairs} or years_in_text(text)


def _block_month(
    head: pd.Series, ctx: Context, sheet_name: str, block: Block
) -> tuple[tuple[int, int] | None, str | None]:
    """(year, month) for day numbers. The sheet name comes first: offices copy last month's sheet and rename
    it, leaving titles and headers that still name the old month or year. A source that disagrees is named
    in a note, never silently dropped."""
    header_text_ = " ".join(header_text(c) for c in head if isinstance(c, str))
    titles = " ".join(_title_text(block.title))
    named = [
        (source, *_months_and_years(text))
        for source, text in (("nama lembar", sheet_name), ("judul kolom", header_text_), ("judul", titles))
    ]
    year = month = None
    used: dict[str, str] = {}
    for source, months, years in named:
        if month is None and len(months) == 1:
            month, used["bulan"] = next(iter(months)), source
        if year is None and len(years) == 1:
            year, used["tahun"] = next(iter(years)), source
    if month is None or year is None:
        return None, None
    conflicts = []
    for source, months, years in named:
        if months and month not in months:
            conflicts.append(f"{source} menyebut bulan {BULAN_PANJANG[min(months) - 1]}")
        if years and year not in years:
            conflicts.append(f"{source} menyebut tahun {min(years)}")
    note = None
    if conflicts:
        said = (
            f"{used['bulan']} menyebut {BULAN_PANJANG[month - 1]} {year}"
            if used["bulan"] == used["tahun"]
            else f"{used['bulan']} menyebut {BULAN_PANJANG[month - 1]} dan {used['tahun']} tahun {year}"
        )
        note = (
            f"Lembar '{sheet_name}', tabel baris {block.header.row}: {'; '.join(conflicts)}, tetapi {said}; "
            f"tanggal dibaca sebagai {BULAN_PANJANG[month - 1]} {year} (nama lembar didahulukan). "
            "Periksa dan perbaiki judulnya."
        )
    return (year, month), note
