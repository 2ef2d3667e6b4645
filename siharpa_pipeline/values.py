"""Indonesian numbers and dates as enumerators type them."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

# no year outside these reaches storage (pandas' nanosecond timestamps would wrap it into another century)
YEAR_MIN, YEAR_MAX = 2000, 2100
MISSING_TEXTS = frozenset({"", "-", "--", "–", "—", "n/a", "na", "tidak ada", "kosong", "libur"})

_RP = re.compile(r"^rp\.?", re.IGNORECASE)
_TRAILING_DASH = re.compile(r"[.,]-$")
_NUMBER_PARTS = re.compile(r"([.,])")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_missing_price(value: object) -> bool:
    """Empty, "-", "n/a", "tidak ada", "kosong", "libur", and 0 (how offices write "not observed"): not an
    error, and never a price."""
    if isinstance(value, str):
        text = value.strip().lower()
        return text in MISSING_TEXTS or parse_amount_text(text) == 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 0 or math.isnan(value)
    return is_blank(value)


def parse_amount_text(text: str) -> float | None:
    """ "Rp 15.000", "15,000.00", "15.000,-", "1.250,5" -> rupiah; None when it is not a number.

    A separator followed by exactly three digits (and no more) groups thousands; otherwise the last
    separator may start a decimal part of one or two digits.
    """
    s = "".join(text.split())
    s = _TRAILING_DASH.sub("", s)
    s = _RP.sub("", s)
    sign = 1.0
    if s.startswith("-"):
        sign, s = -1.0, s[1:]
    parts = _NUMBER_PARTS.split(s)
    digits, seps = parts[0::2], parts[1::2]
    if not all(d.isdigit() and d.isascii() for d in digits):
        return None
    decimals = ""
    if seps and len(digits[-1]) != 3:
        if len(digits[-1]) > 2:
            return None
        decimals = digits.pop()
        decimal_sep = seps.pop()
        if decimal_sep in seps:
            return None
    if seps:
        if len(set(seps)) > 1 or len(digits[0]) > 3 or any(len(d) != 3 for d in digits[1:]):
            return None
    number = float("".join(digits) + ("." + decimals if decimals else ""))
    return sign * number


def parse_price(value: object) -> tuple[float | None, str]:
    """(rupiah, status) with status ok, missing or invalid."""
    if is_missing_price(value):
        return None, "missing"
    if isinstance(value, bool):
        return None, "invalid"
    if isinstance(value, (int, float)):
        return (round(float(value), 2), "ok") if math.isfinite(value) else (None, "invalid")
    if isinstance(value, str):
        amount = parse_amount_text(value)
        if amount is not None:
            return round(amount, 2), "ok"
    return None, "invalid"


MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "agust": 8,
    "nopember": 11,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
}
_WEEKDAY = re.compile(r"^(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*,?\s*", re.IGNORECASE)
_NUMERIC_DMY = r"(?<!\d)(\d{1,2}) ?[/.\-] ?(\d{1,2}) ?[/.\-] ?(\d{4}|\d{2})(?!\d)"  # PIHPS: "01/ 01/ 2024"
_ISO = r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"
_TEXT_DMY = r"(?<!\d)(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})(?!\d)"
_COMPACT = r"(?<!\d)(\d{2})(\d{2})(20\d{2})(?!\d)"
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_MIN = (dt.date(YEAR_MIN, 1, 1) - _EXCEL_EPOCH).days
EXCEL_SERIAL_MAX = (dt.date(YEAR_MAX, 12, 31) - _EXCEL_EPOCH).days


def in_years(day: dt.date) -> bool:
    return YEAR_MIN <= day.year <= YEAR_MAX


def _make_date(year: str, month: int, day: int) -> dt.date | None:
    """A two-digit year is 20yy; "0026" is the year 26, which is no year of ours."""
    number = int(year) + (2000 if len(year) == 2 else 0)
    if not YEAR_MIN <= number <= YEAR_MAX:
        return None
    try:
        return dt.date(number, month, day)
    except ValueError:
        return None


def _candidates(text: str, compact: bool):
    """Every date-looking phrase in text, as (date or None when impossible)."""
    found = []
    for m in re.finditer(_ISO, text):
        found.append((m.start(), _make_date(m[1], int(m[2]), int(m[3]))))
    for m in re.finditer(_NUMERIC_DMY, text):
        found.append((m.start(), _make_date(m[3], int(m[2]), int(m[1]))))
    for m in re.finditer(_TEXT_DMY, text):
        month = MONTHS.get(m[2].lower())
        if month:
            found.append((m.start(), _make_date(m[3], month, int(m[1]))))
    if compact:
        for m in re.finditer(_COMPACT, text):
            found.append((m.start(), _make_date(m[3], int(m[2]), int(m[1]))))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def parse_date_text(text: str) -> dt.date | None:
    """A whole cell: "02/11/2026", "2026-11-02", "Senin, 2 November 2026", "02 Nov 26" is not a date."""
    s = _TIME_SUFFIX.sub("", _WEEKDAY.sub("", text.strip()))
    for pattern in (_ISO, _NUMERIC_DMY, _TEXT_DMY):
        if re.fullmatch(pattern, s):
            return _candidates(s, compact=False)[0]
    return None


def parse_date(value: object) -> tuple[dt.date | None, str]:
    """(date, status) with status ok, missing or invalid."""
    if is_blank(value):
        return None, "missing"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value, "ok") if in_years(value) else (None, "invalid")
    if isinstance(value, bool):
        return None, "invalid"
    if isinstance(value, (int, float)):
        # an unformatted Excel serial (days since 1899-12-30) within our years
        if EXCEL_SERIAL_MIN <= value <= EXCEL_SERIAL_MAX and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value)), "ok"
        return None, "invalid"
    parsed = parse_date_text(str(value))
    return (parsed, "ok") if parsed else (None, "invalid")


_MONTH_YEAR = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,9})\.?\s*(?:(\d{4})|['’`]\s?(\d{2}))(?!\d)")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_MONTH_WORD = re.compile(r"[A-Za-z]+")


def month_years_in_text(text: str) -> set[tuple[int, int]]:
    """(year, month) named in text: "Januari 2018", "MARET 2025", "Mar'25", "Agust'25"."""
    found = set()
    for m in _MONTH_YEAR.finditer(str(text)):
        month = MONTHS.get(m[1].lower())
        year = int(m[2]) if m[2] else 2000 + int(m[3])
        if month and YEAR_MIN <= year <= YEAR_MAX:
            found.add((year, month))
    return found


def months_in_text(text: str) -> set[int]:
    """Months named as words ("Juli Pertanggal")."""
    return {MONTHS[w.lower()] for w in _MONTH_WORD.findall(str(text)) if w.lower() in MONTHS and len(w) > 2}


def years_in_text(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(str(text)) if YEAR_MIN <= int(y) <= YEAR_MAX}


def parse_month(value: object) -> tuple[dt.date | None, str]:
    """A month header or cell ("Januari 2018", "Jan 2018") as its first day: (date, status)."""
    if is_blank(value):
        return None, "missing"
    if isinstance(value, dt.date):  # "Jan 2018" that Excel turned into a date: its first day
        day = value.date() if isinstance(value, dt.datetime) else value
        return (day, "ok") if day.day == 1 and in_years(day) else (None, "invalid")
    if isinstance(value, str):
        text = value.strip()
        m = _MONTH_YEAR.fullmatch(text)
        found = month_years_in_text(text) if m else set()
        if len(found) == 1:
            year, month = found.pop()
            return dt.date(year, month, 1), "ok"
    return None, "invalid"


def month_number(value: object) -> int | None:
    """A Bulan cell: "Januari", "Jan", 1."""
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            value = int(text)
        else:
            return MONTHS.get(text.lower().rstrip("."))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value) if 1 <= value <= 12 else None
    return None


def dates_in_text(text: str, compact: bool = False) -> set[dt.date]:
    """Valid dates mentioned in a title row, a sheet name or (compact=True) a file name."""
    return {d for d in _candidates(str(text), compact) if d is not None}


def _factorized(values) -> tuple[np.ndarray, list]:
    """Codes and distinct values; code -1 (a null) points at the trailing None."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, [*uniques, None]


def as_categorical(values) -> pd.Categorical:
    """Raw cells hashed once; every later lookup on them works on the integer codes."""
    if isinstance(values, pd.Categorical):
        return values
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """pd.concat that keeps categorical columns categorical when their categories differ (union of them)."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    out = pd.concat(frames, ignore_index=True)
    for col in frames[0].columns:
        parts = [f[col].array for f in frames]
        if all(isinstance(p, pd.Categorical) for p in parts) and not isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = union_categoricals(parts, ignore_order=True)
    return out


def _table(results: list, dtype) -> np.ndarray:
    if isinstance(dtype, pd.CategoricalDtype):
        return dtype.categories.get_indexer(pd.Index(results, dtype=object))
    table = np.empty(len(results), dtype=dtype)
    table[:] = results
    return table


def map_columns(values, fn, *dtypes) -> list:
    """fn applied once per distinct value (sheets repeat the same names, dates and prices many times); fn returns
    one item per dtype. A CategoricalDtype gives a Categorical of that fixed set, any other dtype an array."""
    codes, uniques = _factorized(values)
    results = [fn(u) for u in uniques]
    out = []
    for i, dtype in enumerate(dtypes):
        taken = _table([r[i] for r in results], dtype)[codes]
        out.append(pd.Categorical.from_codes(taken, dtype=dtype) if isinstance(dtype, pd.CategoricalDtype) else taken)
    return out


def map_values(values, fn, dtype=object):
    return map_columns(values, lambda v: (fn(v),), dtype)[0]
