"""Workbooks (.xlsx, .xlsm, .xls, .ods) opened in a child process with bounded memory and time.

A 5 KB workbook can name a cell at XFD1048576, and the spreadsheet library then asks for half a terabyte and
aborts the whole process; an 865-byte .ods can expand to a million rows. So the cells are read in a child
process of its own (a fresh interpreter: no fork beside Dagster's and Streamlit's threads) under an
address-space limit and a deadline: whatever a file does, the pipeline, the upload page and the CLI survive it
and the sender is told their file is too large. This module imports only the standard library, the reader and
the settings module, so the child stays small.
"""

from __future__ import annotations

import io
import pickle
import re
import resource
import subprocess
import sys
import zipfile
from array import array
from dataclasses import dataclass

import python_calamine

from siharpa_pipeline.settings import env_number


@dataclass(frozen=True)
class Limits:
    """What one workbook may cost. Real office files are far inside these (the widest seen: 263 columns)."""

    memory_mb: float = 1024
    seconds: float = 8
    columns: int = 1_500
    cells: int = 1_500_000  # summed over the workbook's sheets, from A1 to the last used cell
    unzipped_mb: float = 400  # what an .xlsx/.ods may expand to
    text_cells: int = 8_000_000  # a CSV's lines x its widest line (text is cheaper to read than a workbook)

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(
            memory_mb=env_number("SIHARPA_READ_MEMORY_MB", cls.memory_mb, 64, 65_536),
            seconds=env_number("SIHARPA_READ_SECONDS", cls.seconds, 1, 3_600),
        )


@dataclass
class SheetCells:
    name: str
    # column by column, each as (codes, distinct values): a sheet repeats the same few names, dates and prices,
    # and a million cells cross the pipe as a few integer arrays instead of a million pickled objects
    columns: list[tuple[bytes, list]]
    formula_blanks: frozenset[tuple[int, int]]  # (row, column) of formulas saved without a value, error cells


class WorkbookRefused(Exception):
    """The workbook cannot be read within the limits, or not at all; the message is for the sender."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def read_cells(data: bytes, ext: str, limits: Limits | None = None) -> list[SheetCells]:
    """Every sheet's cells, read in a bounded child process."""
    limits = limits or Limits.from_env()
    child = subprocess.Popen(
        [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        output, _ = child.communicate(pickle.dumps((data, ext, limits)), timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise WorkbookRefused(
            "file_too_large",
            f"Berkas terlalu berat untuk dibaca dalam {limits.seconds:.0f} detik; "
            "kirim satu lembar per bulan atau simpan sebagai .csv.",
        ) from None
    if child.returncode != 0 or not output:  # past its memory limit the reader aborts
        raise WorkbookRefused(
            "file_too_large",
            f"Berkas memerlukan memori lebih dari {limits.memory_mb:.0f} MB "
            "untuk dibaca (ada sel sangat jauh di kanan/bawah, atau terlalu "
            "banyak baris); hapus sel kosong di luar tabel lalu kirim lagi.",
        )
    kind, *outcome = pickle.loads(output)  # plain tuples: the child's classes live in its __main__
    if kind == "refused":
        raise WorkbookRefused(*outcome)
    return [SheetCells(*sheet) for sheet in outcome[0]]


def _child() -> None:
    """The child's whole life: its own memory cap, the bytes from stdin, the cells (or a refusal) to stdout."""
    data, ext, limits = pickle.load(sys.stdin.buffer)
    baseline = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    cap = baseline + int(limits.memory_mb * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        outcome: tuple = ("ok", [(c.name, c.columns, c.formula_blanks) for c in _read(data, ext, limits)])
    except WorkbookRefused as refused:
        outcome = ("refused", refused.code, refused.message)
    except MemoryError:
        outcome = (
            "refused",
            "file_too_large",
            f"Berkas memerlukan memori lebih dari {limits.memory_mb:.0f} MB untuk dibaca.",
        )
    sys.stdout.buffer.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


UNREADABLE = (
    "Berkas tidak dapat dibuka sebagai {ext}: berkas rusak, terpotong, atau bukan lembar kerja. Simpan "
    "ulang dari Excel lalu kirim lagi."
)


def _read(data: bytes, ext: str, limits: Limits) -> list[SheetCells]:
    if ext in (".xlsx", ".xlsm", ".ods"):
        _check_unzipped_size(data, ext, limits)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # the reader raises several types for broken or mislabelled files
        raise WorkbookRefused("unreadable_file", UNREADABLE.format(ext=ext)) from None
    blanks = _formula_blanks(data) if ext in (".xlsx", ".xlsm") else {}
    sheets, cells = [], 0
    with workbook:
        for name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(name)
            except Exception:  # a chart sheet or a damaged part: the other sheets still count
                sheets.append(SheetCells(name, [], frozenset()))
                continue
            # from A1 to the last used cell, as to_python(skip_empty_area=False) lays it out (end is 0-based)
            height, width = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
            if width > limits.columns:
                raise WorkbookRefused(
                    "file_too_large",
                    f"Lembar '{name}' memakai {width} kolom (paling banyak "
                    f"{limits.columns}); hapus kolom kosong di kanan tabel.",
                )
            cells += height * width
            if cells > limits.cells:
                raise WorkbookRefused(
                    "file_too_large",
                    f"Lembar '{name}' terlalu besar ({height} baris x {width} "
                    f"kolom; paling banyak {limits.cells} sel per berkas); "
                    "bagi berkas atau hapus baris kosong di bawah tabel.",
                )
            sheets.append(
                SheetCells(name, _encoded(sheet.to_python(skip_empty_area=False)), frozenset(blanks.get(name, ())))
            )
    return sheets


def _encoded(rows: list[list]) -> list[tuple[bytes, list]]:
    """Each column as (int32 codes, distinct values). A NaN number is what the sender's program showed as an
    error, not an empty cell: kept as its text. Values are told apart by type too (True is not 1.0)."""
    width = max(map(len, rows), default=0)
    padded = rows if all(len(r) == width for r in rows) else [list(r) + [""] * (width - len(r)) for r in rows]
    columns = []
    for values in zip(*padded):
        index: dict = {}
        if any(v.__class__ is bool for v in values):  # True == 1.0 as a key: told apart by type
            codes = array("i", [index.setdefault((v.__class__, v), len(index)) for v in values])
            distinct = [v for _, v in index]
        else:
            codes = array("i", [index.setdefault(v, len(index)) for v in values])
            distinct = list(index)
        columns.append((codes.tobytes(), [NAN_TEXT if isinstance(v, float) and v != v else v for v in distinct]))
    return columns


NAN_TEXT = "NaN"


def _check_unzipped_size(data: bytes, ext: str, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            size = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused("unreadable_file", UNREADABLE.format(ext=ext)) from None
    if size > limits.unzipped_mb * 2**20:
        raise WorkbookRefused(
            "file_too_large",
            f"Isi berkas mengembang menjadi {size / 2**20:.0f} MB (paling "
            f"banyak {limits.unzipped_mb:.0f} MB); simpan ulang dari Excel.",
        )


_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _formula_blanks(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Cells the reader shows as empty that are not: formulas saved without a cached value, and error values
    (#DIV/0!, #N/A), per sheet name."""
    out: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name, target in _sheet_targets(zf).items():
                xml = zf.read(target)
                if b"<f" not in xml and b't="e"' not in xml:
                    continue
                for m in _CELL.finditer(xml):
                    inner = m.group(4) or b""
                    error = b't="e"' in m.group(3)
                    if error or (b"<f" in inner and not re.search(rb"<v>[^<]", inner)):
                        out.setdefault(name, set()).add((int(m.group(2)), _column_index(m.group(1))))
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    return out


def _sheet_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    workbook = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    rel_target = {m[0]: m[1] for m in re.findall(r'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    rel_target.update({m[1]: m[0] for m in re.findall(r'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    targets = {}
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
        target = rel_target.get(rid, "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[_xml_unescape(name)] = target
    return targets


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
    )


if __name__ == "__main__":
    _child()
