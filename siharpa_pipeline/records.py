"""Record sheets, one row per record (a waste deposit, a destination's month, a 112 call, an indicator): the
header row found by its labels, every cell parsed by its column's kind, each row checked through the dataset's
pandera model, and rejected rows reported with a reason code and an Indonesian message naming sheet, row and
column, as price cells are."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .messages import BULAN_PANJANG, location, ribuan, shown
from .names import normalise
from .privacy import mask_phone_numbers
from .readers import HEAD_ROWS, NOT_DATA_ROW_LABELS, FileError, Sheet, header_text
from .values import (
    EXCEL_SERIAL_MAX,
    EXCEL_SERIAL_MIN,
    MONTHS,
    YEAR_MAX,
    YEAR_MIN,
    in_years,
    is_blank,
    map_columns,
    map_values,
    parse_amount_text,
    parse_date_text,
)
from .verdicts import MAX_REJECTIONS, REJECTION_COLUMNS, TooManyRejections

Parsed = tuple[object, str]  # (value, status): status ok, missing, invalid or unknown


@dataclass(frozen=True)
class Column:
    """A column of a record sheet: the labels it goes by (normalised) and how its cells are read."""

    name: str
    headers: tuple[str, ...]
    parse: Callable[[object], Parsed]
    invalid_code: str = "invalid_value"  # the reason for an unreadable cell (unknown names: "unknown_*")
    required: bool = True
    secret: bool = False  # personal data: its raw value never appears in a rejection


@dataclass(frozen=True)
class RecordSpec:
    """A dataset sent as record sheets, and what its core table keeps."""

    dataset: str
    table: str
    title: str  # what users call it
    columns: tuple[Column, ...]
    model: type[pa.DataFrameModel]  # row checks on parsed values, each named by its reason code
    key: tuple[str, ...]  # a later file's row with the same key replaces the earlier one
    finish: Callable[[pd.DataFrame], pd.DataFrame]  # the parsed rows as core stores them
    reason_order: tuple[str, ...]
    pointers: dict[str, str] = field(default_factory=dict)  # row-level reason code -> the column it points at
    texts: dict[str, str] = field(default_factory=dict)  # reason code -> explanation; {value} = the cell

    replaces: tuple[str, ...] = ()  # what a later file replaces, when not the key

    @property
    def replace_key(self) -> tuple[str, ...]:
        return self.replaces or self.key

    def recognises(self, sheet: Sheet) -> bool:
        return _header(sheet.head, self) is not None


@dataclass
class RecordVerdict:
    accepted: pd.DataFrame
    rejections: pd.DataFrame
    tables: int  # sheets with this dataset's header


# --- cell parsers ------------------------------------------------------------------------------------------


def parse_secret_text(value: object) -> Parsed:
    """Text as written, spaces tidied: only for a secret column, which is hashed before it is stored."""
    text = _tidy(value)
    return (None, "missing") if text is None else (text, "ok")


def parse_text(value: object) -> Parsed:
    """Free text, phone numbers masked: any text column may hold one (a caller's number in a status)."""
    text = _tidy(value)
    return (None, "missing") if text is None else (mask_phone_numbers(text), "ok")


def _tidy(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# beyond these a number is a typing accident (or a phone number in the wrong column), and would overflow storage
NUMBER_MAX = 1e12  # a trillion: rupiah, kilograms, indicator values
COUNT_MAX = 1e9  # visits, seconds of a call


def parse_number(value: object) -> Parsed:
    if is_blank(value) or (isinstance(value, str) and value.strip() in ("-", "–")):
        return None, "missing"
    if isinstance(value, bool):
        return None, "invalid"
    number = float(value) if isinstance(value, (int, float)) else parse_amount_text(str(value))
    if number is None or not math.isfinite(number) or abs(number) >= NUMBER_MAX:
        return None, "invalid"
    return number, "ok"


def parse_count(value: object) -> Parsed:
    number, status = parse_number(value)
    if isinstance(number, float) and (not number.is_integer() or abs(number) >= COUNT_MAX):
        return None, "invalid"
    return number, status


_TIME = re.compile(r"^(.*?)[\sT]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")


def parse_datetime(value: object) -> Parsed:
    """Excel date-times, "2026-10-01 02:00:01", "01/10/2026 02.00" (time of day in WITA, as written)."""
    if is_blank(value):
        return None, "missing"
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None, microsecond=0), "ok") if in_years(value) else (None, "invalid")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX:
            return dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value)), "ok"
        return None, "invalid"
    m = _TIME.match(str(value).strip())
    day = parse_date_text(m[1]) if m else None
    if m is None or day is None or int(m[2]) > 23 or int(m[3]) > 59 or int(m[4] or 0) > 59:
        return None, "invalid"
    return dt.datetime(day.year, day.month, day.day, int(m[2]), int(m[3]), int(m[4] or 0)), "ok"


_MONTH_TEXT = re.compile(r"^([a-z]+)\s+(\d{4})$")
_MONTH_NUMERIC = re.compile(r"^(?:(\d{1,2})[/.\-](\d{4})|(\d{4})-(\d{1,2}))$")


def parse_month(value: object) -> Parsed:
    """ "Januari 2026", "Jan 2026", "01/2026", "2026-01" or a date cell -> the first day of the month."""
    if is_blank(value):
        return None, "missing"
    month, year = None, None
    if isinstance(value, dt.date):
        month, year = value.month, value.year
    elif m := _MONTH_TEXT.match(normalise(value)):
        month, year = MONTHS.get(m[1]), int(m[2])
    elif m := _MONTH_NUMERIC.match(str(value).strip()):
        month, year = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
    if month is None or year is None or not 1 <= month <= 12 or not YEAR_MIN <= year <= YEAR_MAX:
        return None, "invalid"
    return dt.date(year, month, 1), "ok"


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(r"^(?:tw|triwulan|q|kuartal)\s*(i{1,3}|iv|[1-4])\s+(?:tahun\s+)?(\d{4})$")
_YEAR = re.compile(r"^(?:tahun\s+)?(\d{4})$")


def parse_period(value: object) -> Parsed:
    """A reporting period -> (label, first day): "TW 3 2026" / "Triwulan III 2026" (quarter), "Tahun 2026"
    (year) or a month ("Oktober 2026")."""
    if is_blank(value):
        return None, "missing"
    text = normalise(value)
    m = _QUARTER.match(text) or _YEAR.match(text)
    if m and not YEAR_MIN <= int(m.groups()[-1]) <= YEAR_MAX:
        return None, "invalid"
    m = _QUARTER.match(text)
    if m:
        quarter = _ROMAN.get(m[1]) or int(m[1])
        return (f"TW {quarter} {m[2]}", dt.date(int(m[2]), 3 * quarter - 2, 1)), "ok"
    m = _YEAR.match(text)
    if m:
        return (f"Tahun {m[1]}", dt.date(int(m[1]), 1, 1)), "ok"
    month, status = parse_month(value)
    if isinstance(month, dt.date):
        return (f"{BULAN_PANJANG[month.month - 1]} {month.year}", month), status
    return None, "invalid"


_YES = frozenset({"y", "ya", "yes", "1", "true", "benar", "v"})
_NO = frozenset({"t", "tidak", "n", "no", "0", "false", "bukan"})


def parse_yes_no(value: object) -> Parsed:
    """Y/T (ya/tidak); an empty cell means no."""
    if is_blank(value):
        return False, "ok"
    text = normalise(value)
    if text in _YES:
        return True, "ok"
    return (False, "ok") if text in _NO else (None, "invalid")


def lookup(names: dict[str, str]) -> Callable[[object], Parsed]:
    """A parser that maps a written name (normalised) to its reference ID."""

    def parse(value: object) -> Parsed:
        if is_blank(value):
            return None, "missing"
        found = names.get(normalise(value))
        return (found, "ok") if found else (None, "unknown")

    return parse


# --- reading a sheet ---------------------------------------------------------------------------------------


def _matches(label: str, headers: tuple[str, ...]) -> bool:
    return any(label == h or label.startswith(h + " ") for h in headers)


def _header(head: pd.DataFrame, spec: RecordSpec) -> tuple[int, dict[str, int]] | None:
    """(header row, column name -> position) for the first row naming every required column."""
    for row, cells in head.head(HEAD_ROWS).iterrows():
        labels = [(i, normalise(header_text(v))) for i, v in enumerate(cells) if isinstance(v, str) and v.strip()]
        found: dict[str, int] = {}
        for column in spec.columns:
            pos = next((i for i, label in labels if i not in found.values() and _matches(label, column.headers)), None)
            if pos is not None:
                found[column.name] = pos
            elif column.required:  # this row is not the header: no need to look for the other columns
                break
        else:
            return int(row), found
    return None


def _data_rows(body: pd.DataFrame, positions: list[int]) -> pd.DataFrame:
    """Rows with something in the dataset's columns, footers ("Jumlah", "Total") left out."""
    filled = np.zeros(len(body), dtype=bool)
    footer = np.zeros(len(body), dtype=bool)
    for pos in positions:  # the first filled cell of a row, column by column
        cells = body[pos].to_numpy(dtype=object)
        blank = map_values(cells, is_blank, bool)
        first = ~filled & ~blank
        footer[first] = map_values(cells[first], lambda v: normalise(v) in NOT_DATA_ROW_LABELS, bool)
        filled |= ~blank
    return body[filled & ~footer]


# far above a month of any quick win (112: a few thousand calls); checks cost up to 0.2 ms a row
MAX_RECORD_ROWS = 20_000


def read_records(sheets: list[Sheet], spec: RecordSpec, as_of: dt.date) -> RecordVerdict:
    frames, rejections, tables, labels_of, rows = [], [], 0, {}, 0
    for sheet in sheets:
        header = _header(sheet.head, spec)
        if header is None:
            continue
        tables += 1
        row, positions = header
        labels = labels_of[sheet.name] = {
            name: (header_text(sheet.head.at[row, pos]), pos) for name, pos in positions.items()
        }
        body = _data_rows(sheet.rows_from(row + 1), list(positions.values()))
        if body.empty:
            continue
        rows += len(body)
        if rows > MAX_RECORD_ROWS:
            raise FileError(
                "file_too_large",
                f"Berkas berisi lebih dari {ribuan(MAX_RECORD_ROWS)} baris {spec.title}; kirim per bulan.",
            )
        accepted, rejected = _judge(sheet.name, body, positions, labels, spec, as_of)
        frames.append(accepted)
        rejections.append(rejected)
    accepted = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    accepted, conflicts = _drop_conflicts(accepted, spec, labels_of)
    rejected = (
        pd.concat([*rejections, conflicts], ignore_index=True)
        if rejections
        else pd.DataFrame(columns=REJECTION_COLUMNS)
    )
    if accepted.empty:
        return RecordVerdict(accepted, rejected, tables)
    return RecordVerdict(spec.finish(accepted.drop(columns="_raw")), rejected, tables)


def _judge(
    sheet: str,
    body: pd.DataFrame,
    positions: dict[str, int],
    labels: dict[str, tuple[str, int]],
    spec: RecordSpec,
    as_of: dt.date,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(
        {"sheet": sheet, "source_row": body.index.astype(int), "as_of": pd.Timestamp(as_of)}, index=range(len(body))
    )
    raw = {}
    for column in spec.columns:
        cells = body[positions[column.name]] if column.name in positions else pd.Series([None] * len(body))
        raw[column.name] = cells.to_numpy(dtype=object)
        values, statuses = map_columns(raw[column.name], column.parse, object, object)
        frame[column.name] = pd.Series(values, dtype=object)  # as parsed: pandas must not infer a dtype
        frame[f"{column.name}__status"] = statuses
    reasons = _reasons(frame, spec)
    if len(reasons) > MAX_REJECTIONS:
        first = next(iter(reasons))
        raw = {name: values[first] for name, values in raw.items()}
        example = _rejection(frame.iloc[first].to_dict() | {"_raw": raw}, *reasons[first], labels, spec)
        raise TooManyRejections(pd.Series([code for code, _ in reasons.values()]), example["message"])
    frame["_raw"] = [dict(zip(raw, values)) for values in zip(*raw.values())] if raw else {}
    rows = frame.iloc[list(reasons)].to_dict("records")  # plain dicts: a row lookup each would cost seconds
    rejected = [_rejection(row, code, column, labels, spec) for row, (code, column) in zip(rows, reasons.values())]
    kept = frame.drop(index=list(reasons)).reset_index(drop=True)
    kept = kept.drop(columns=[c for c in kept.columns if c.endswith("__status")] + ["as_of"])
    return kept, pd.DataFrame(rejected, columns=REJECTION_COLUMNS)


def _status_schema(spec: RecordSpec) -> pa.DataFrameSchema:
    """Checks on each column's parse status: missing, unreadable or unknown cells."""
    columns = {}
    for column in spec.columns:
        checks = [
            pa.Check(lambda s: s != "invalid", name=column.invalid_code),
            pa.Check(lambda s: s != "unknown", name=column.invalid_code),
        ]
        if column.required:
            checks.insert(0, pa.Check(lambda s: s != "missing", name="missing_value"))
        columns[f"{column.name}__status"] = pa.Column(str, checks=checks)
    return pa.DataFrameSchema(columns)


def _reasons(frame: pd.DataFrame, spec: RecordSpec) -> dict[int, tuple[str, str]]:
    """Row -> (first reason code in the spec's order, the column at fault)."""
    cases = []
    for schema in (_status_schema(spec), spec.model.to_schema()):
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            cases.append(err.failure_cases)
    if not cases:
        return {}
    found = pd.concat(cases, ignore_index=True)
    unknown = set(found["check"].dropna()) - set(spec.reason_order)
    if unknown:  # a dtype or structure failure is a bug of ours, not of the sender
        raise RuntimeError(f"schema for {spec.dataset} failed: {sorted(unknown)}\n{found.head(20)}")
    found = found.dropna(subset=["index"])
    found["rank"] = found["check"].map({c: i for i, c in enumerate(spec.reason_order)})
    found["column"] = found["column"].fillna("").str.removesuffix("__status")
    found = found.sort_values(["index", "rank"]).drop_duplicates("index")
    return {int(r.index): (r.check, _field(r.check, r.column, spec)) for r in found.itertuples()}


def _field(code: str, column: str, spec: RecordSpec) -> str:
    """The failing column, or for a row-level check the column its reason points at."""
    names = [c.name for c in spec.columns]
    return column if column in names else spec.pointers.get(code, names[0])


def _rejection(row: dict, code: str, column: str, labels: dict[str, tuple[str, int]], spec: RecordSpec) -> dict:
    """labels: column name -> (its header text, its 0-based position in the sheet)."""
    col = next(c for c in spec.columns if c.name == column)
    raw = row["_raw"][column]
    value = "(disamarkan)" if col.secret else shown(raw)
    label, index = labels.get(column, (column, min(i for _, i in labels.values())))
    text = spec.texts.get(code, REASON_TEXTS.get(code, "isi baris ini tidak dapat diterima ({value})."))
    message = f"{location(row['sheet'], int(row['source_row']), label)}: {text.format(value=value, column=label)}"
    return {
        "sheet": row["sheet"],
        "source_row": int(row["source_row"]),
        "source_column": label,
        "reason_code": code,
        "raw_value": None if col.secret or is_blank(raw) else str(raw),
        "message": message,
        "column_index": index,
    }  # phone numbers are masked by FileVerdict, for every dataset


def _drop_conflicts(
    accepted: pd.DataFrame, spec: RecordSpec, labels_of: dict[str, dict[str, tuple[str, int]]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Identical rows with the same key count once; the same key with different content rejects them all."""
    if accepted.empty or not spec.key:
        return accepted, pd.DataFrame(columns=REJECTION_COLUMNS)
    content = [c.name for c in spec.columns]
    as_text = accepted[content].astype(str)
    accepted = accepted[~as_text.duplicated()]
    clash = accepted.duplicated(list(spec.key), keep=False)
    rows = [
        _rejection(r, "conflicting_duplicate", spec.key[0], labels_of[r["sheet"]], spec)
        for r in accepted[clash].head(MAX_REJECTIONS + 1).to_dict("records")
    ]
    if len(rows) > MAX_REJECTIONS:
        raise TooManyRejections(pd.Series("conflicting_duplicate", index=range(int(clash.sum()))), rows[0]["message"])
    return accepted[~clash].reset_index(drop=True), pd.DataFrame(rows, columns=REJECTION_COLUMNS)


REASON_TEXTS = {
    "missing_value": "kolom {column} kosong; wajib diisi.",
    "invalid_value": "isi {value} tidak dapat dibaca.",
    "invalid_date": "tanggal {value} tidak valid; tulis tanggal sejak tahun 2000 seperti 01/10/2026.",
    "invalid_datetime": "waktu {value} tidak valid; tulis seperti 2026-10-01 08:30.",
    "invalid_month": "bulan {value} tidak valid; tulis seperti Januari 2026.",
    "invalid_period": "periode {value} tidak valid; tulis seperti TW 3 2026, Tahun 2026 atau Oktober 2026.",
    "invalid_number": "{value} bukan angka yang wajar; tulis seperti 12,5 atau 15000.",
    "invalid_count": "{value} bukan bilangan bulat yang wajar.",
    "invalid_yes_no": "isi {value} tidak dikenal; tulis Y (ya) atau T (tidak).",
    "negative_number": "{value} tidak boleh negatif.",
    "future_date": "tanggal {value} belum terjadi.",
    "unknown_kecamatan": "kecamatan {value} tidak dikenal di Kabupaten Penajam Paser Utara.",
    "unknown_desa": "desa/kelurahan {value} tidak ada di kecamatan itu.",
    "conflicting_duplicate": "data yang sama ({value}) tercatat lebih dari sekali dengan isi berbeda; semua baris "
    "itu ditolak, sisakan satu.",
}
