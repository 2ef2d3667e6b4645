"""A price file from bytes to a verdict: sheets, tables, checks. Nothing is written here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .layouts import SheetTable, read_tables
from .messages import FILE_ERRORS
from .names import normalise
from .readers import Sheet
from .reference import Reference, load_reference
from .validation import judge
from .values import concat_frames
from .verdicts import DAILY, MARKET, MONTH, REGION, FileVerdict

SOURCES = {
    "pihps": ("pihps", "perkembangan harga pangan", "bank indonesia"),
    "panel_harga": ("panel harga", "bapanas", "badan pangan"),
}
PRICE_LEVELS = {"produsen": ("produsen", "petani"), "grosir": ("grosir", "pedagang besar")}


def judge_price_sheets(
    sheets: list[Sheet],
    path: Path,
    as_of: dt.date,
    assigned: set[str] | None = None,
    ref: Reference | None = None,
    region: str | None = None,
) -> FileVerdict:
    """`path` names the file (its name may name the market, region or date); `region` is what a sender
    says of a regional file that does not say it itself."""
    ref = ref or load_reference()
    notes: list[str] = []
    tables: list[SheetTable] = []
    found = 0
    for sheet in sheets:
        read = read_tables(sheet, path.stem.replace("_", " "), ref, region)
        if read[0].observations is None:
            notes.append(f"Lembar '{sheet.name}' dilewati: tidak berisi tabel harga.")
            continue
        found += len(read)
        for table in read:
            notes += table.notes
            if table.observations is None or table.observations.empty:
                notes.append(f"Lembar '{sheet.name}' tidak berisi baris data harga.")
            else:
                tables.append(table)
    if not tables:
        code = "no_rows" if found else "no_table_found"
        return FileVerdict(notes=notes, error=code, error_message=FILE_ERRORS[code] + ".")
    kind = (tables[0].level, tables[0].period)
    for other in (t for t in tables if (t.level, t.period) != kind):
        notes.append(
            f"Lembar '{other.sheet}' dilewati: jenis datanya ({_kind_text(other)}) berbeda dengan tabel "
            f"pertama berkas ini ({_kind_text(tables[0])}); kirim dalam berkas terpisah."
        )
    tables = [t for t in tables if (t.level, t.period) == kind]
    refused = _refusal(tables, notes)
    if refused is not None:
        return refused
    return _judged(tables, notes, as_of, assigned, ref)


def _kind_text(table: SheetTable) -> str:
    what = "harga pasar" if table.level == MARKET else "harga wilayah"
    return f"{what} {'harian' if table.period == DAILY else 'bulanan'}"


def _refusal(tables: list[SheetTable], notes: list[str]) -> FileVerdict | None:
    level, period = tables[0].level, tables[0].period
    if level == MARKET and period == MONTH:
        return FileVerdict(
            notes=notes,
            error="monthly_market_prices",
            error_message=(
                FILE_ERRORS["monthly_market_prices"] + ": kirim harga per tanggal, atau bila ini rata-rata wilayah, "
                "sebut wilayahnya di judul atau nama berkas (mis. harga_kalimantan_timur.xlsx)."
            ),
        )
    if level == REGION and any(t.region_missing for t in tables):
        return FileVerdict(
            notes=notes,
            error="region_not_identified",
            error_message=(
                FILE_ERRORS["region_not_identified"] + ". Sebut wilayahnya di judul atau nama berkas "
                "(mis. harga_nasional.xlsx, harga_kalimantan_timur.xlsx), atau muat dengan --region KODE "
                "(00 = nasional, 64 = Kalimantan Timur)."
            ),
        )
    return None


def _judged(
    tables: list[SheetTable], notes: list[str], as_of: dt.date, assigned: set[str] | None, ref: Reference
) -> FileVerdict:
    frames: list[pd.DataFrame] = []
    parts: list[pd.DataFrame] = []
    for table in tables:
        assert table.observations is not None
        offset = sum(len(p) for p in parts)
        frames.append(table.observations.assign(part=table.observations["part"] + offset))
        parts.append(table.parts)
    level = tables[0].level
    verdict = judge(
        concat_frames(frames),
        pd.concat(parts, ignore_index=True),
        as_of,
        assigned if level == MARKET else None,
        ref,
        level,
    )
    accepted = verdict.accepted.rename(columns={"place_id": "market_id" if level == MARKET else "region_code"})
    text = normalise(" ".join(t.context_text for t in tables))
    price_level = next((k for k, words in PRICE_LEVELS.items() if any(w in text for w in words)), "konsumen")
    if level == MARKET and price_level != "konsumen":
        notes.append(
            f"Judul menyebut harga tingkat {price_level}: harga ini disimpan sebagai harga pasar, di "
            "samping harga eceran pasar lain; bandingkan hanya dengan harga tingkat yang sama."
        )
    return FileVerdict(
        accepted,
        verdict.rejections,
        verdict.rows_missing,
        notes + _whole_table_notes(verdict),
        level=level,
        period=tables[0].period,
        source=_source(text, tables, ref) if level == REGION else None,
        price_level=price_level,
    )


def _whole_table_notes(verdict) -> list[str]:
    """A market, region or date that a whole table lacks is said once, not once per cell."""
    rejections = verdict.rejections
    notes = []
    for code in ("market_not_identified", "region_not_identified", "date_not_identified"):
        hit = rejections[rejections["reasons"].str.contains(code, regex=False)] if len(rejections) else rejections
        for sheet, count in hit.groupby("sheet", sort=False).size().items() if len(hit) else ():
            what = {
                "market_not_identified": "pasar",
                "region_not_identified": "wilayah",
                "date_not_identified": "tanggal",
            }[code]
            notes.append(
                f"Lembar '{sheet}': {what} tidak dapat ditentukan untuk {count} sel; tulis {what}nya di "
                "judul tabel, nama lembar atau nama berkas."
            )
    return notes


def _source(text: str, tables: list[SheetTable], ref: Reference) -> str:
    """Who published a regional series: named in the titles, else whose published names it uses."""
    for source, words in SOURCES.items():
        if any(w in text for w in words):
            return source
    names = set()
    for table in tables:
        assert table.observations is not None
        names |= {normalise(v) for v in table.observations["raw_commodity"].unique() if isinstance(v, str)}
    published = ref.published_names.assign(label=ref.published_names["published_name"].map(normalise))
    counts = published[published["label"].isin(names)].groupby("source")["label"].nunique()
    # most of its names as one publisher writes them: a few shared names ("Beras Premium") say nothing
    return str(counts.idxmax()) if len(counts) and counts.max() * 2 >= len(names) else "lainnya"
