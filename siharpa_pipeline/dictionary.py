"""The data dictionary Bappeda reads: every published table and column with its type, unit and Indonesian
description, generated from the COMMENT ON descriptions of the serving file (so it cannot drift from it)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .settings import Settings

SCHEMA_TITLES = {
    "ref": "Data acuan (ref)",
    "core": "Data pokok (core)",
    "mart": "Indikator (mart)",
    "audit": "Jejak berkas (audit)",
}
UNIT_SUFFIXES = (
    ("per_10k_residents", "per 10.000 penduduk"),
    ("_idr_per_unit", "rupiah per satuan"),
    ("_idr", "rupiah"),
    ("_pct", "persen"),
    ("_kg", "kg"),
    ("_min", "menit"),
    ("_s", "detik"),
    ("_visits", "kunjungan"),
)
TYPE_UNITS = {"DATE": "tanggal", "TIMESTAMP": "tanggal dan waktu"}


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    unit: str
    description: str


@dataclass(frozen=True)
class TableDoc:
    name: str
    description: str
    columns: tuple[ColumnDoc, ...]


def unit_of(column: str, data_type: str) -> str:
    found = next((unit for suffix, unit in UNIT_SUFFIXES if column.endswith(suffix)), None)
    return found or TYPE_UNITS.get(data_type, "-")


def describe(con: duckdb.DuckDBPyConnection) -> list[TableDoc]:
    tables = con.execute("""
        SELECT schema_name, table_name, coalesce(comment, '') FROM duckdb_tables()
        WHERE schema_name IN ('ref', 'core', 'mart', 'audit') AND NOT internal
        ORDER BY list_position(['ref', 'core', 'mart', 'audit'], schema_name), table_name""").fetchall()
    docs = []
    for schema, table, comment in tables:
        columns = con.execute(
            """SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns()
                                 WHERE schema_name = ? AND table_name = ? ORDER BY column_index""",
            [schema, table],
        ).fetchall()
        docs.append(
            TableDoc(f"{schema}.{table}", comment, tuple(ColumnDoc(n, t, unit_of(n, t), c) for n, t, c in columns))
        )
    return docs


def to_markdown(docs: list[TableDoc]) -> str:
    lines = ["# Kamus data SIHARPA", "", "Dibuat dari keterangan (COMMENT ON) di berkas serving.", ""]
    schema = None
    for doc in docs:
        if doc.name.split(".")[0] != schema:
            schema = doc.name.split(".")[0]
            lines += [f"## {SCHEMA_TITLES[schema]}", ""]
        lines += [
            f"### {doc.name}",
            "",
            doc.description or "-",
            "",
            "| kolom | tipe | satuan | keterangan |",
            "|---|---|---|---|",
        ]
        lines += [f"| {c.name} | {c.type} | {c.unit} | {c.description.replace('|', '/')} |" for c in doc.columns]
        lines.append("")
    return "\n".join(lines)


def to_html(docs: list[TableDoc]) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Kamus data SIHARPA</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style></head><body>",
        "<h1>Kamus data SIHARPA</h1><p>Dibuat dari keterangan (COMMENT ON) di berkas serving.</p>",
    ]
    for doc in docs:
        rows = "".join(
            f"<tr><td>{e(c.name)}</td><td>{e(c.type)}</td><td>{e(c.unit)}</td><td>{e(c.description)}</td></tr>"
            for c in doc.columns
        )
        parts.append(
            f"<h2 id='{e(doc.name)}'>{e(doc.name)}</h2><p>{e(doc.description or '-')}</p><table>"
            f"<tr><th>kolom</th><th>tipe</th><th>satuan</th><th>keterangan</th></tr>{rows}</table>"
        )
    return "".join(parts) + "</body></html>"


def write_dictionary(settings: Settings, out: Path) -> int:
    """Write FILE.md or FILE.html; returns how many tables it describes."""
    con = duckdb.connect(str(settings.serving_path), read_only=True)
    try:
        docs = describe(con)
    finally:
        con.close()
    out.write_text(to_html(docs) if out.suffix.lower() in (".html", ".htm") else to_markdown(docs), encoding="utf-8")
    return len(docs)
