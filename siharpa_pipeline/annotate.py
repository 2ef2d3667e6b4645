"""The sender's own workbook back, with every rejected cell filled red and a comment saying why; accepted cells
untouched. An .xlsx is annotated on a copy; .xls, .ods and .csv are rebuilt as .xlsx from their cells (openpyxl
writes only .xlsx), text that a spreadsheet would run as a formula kept as plain text."""

from __future__ import annotations

import re
from collections import defaultdict
from io import BytesIO
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter

from .privacy import mask_phone_numbers
from .readers import read_sheets
from .templates import fit_widths, printable
from .values import is_blank

REJECTED_FILL = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
AUTHOR = "SIHARPA"
MAX_SHEET_TITLE = 31


def annotated_name(name: str) -> str:
    return f"{Path(name).stem}_diperiksa.xlsx"


def annotated_workbook(name: str, data: bytes, rejections: list[dict]) -> bytes:
    """rejections: dicts with sheet, row (as a spreadsheet shows it), column_index (0-based) and message."""
    workbook, titles = None, dict[str, str]()
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        try:
            workbook = openpyxl.load_workbook(BytesIO(data))
        except Exception:  # a workbook calamine reads but openpyxl cannot: rebuilt from its cells instead
            workbook = None
    if workbook is None:
        workbook, titles = _rebuilt(name, data)
    else:  # rejections name sheets as the reader showed them (phone numbers masked)
        titles = {mask_phone_numbers(title): title for title in workbook.sheetnames}
    notes = defaultdict(list)
    for r in rejections:
        notes[(titles.get(r["sheet"], r["sheet"]), int(r["row"]), int(r["column_index"]))].append(r["message"])
    for (sheet, row, col), messages in notes.items():
        cell = workbook[sheet].cell(row=row, column=col + 1)
        cell.fill = REJECTED_FILL
        cell.comment = Comment("\n".join(dict.fromkeys(messages)), AUTHOR, width=320, height=120)
    for sheet in {sheet for sheet, _, _ in notes}:  # "02/12/202(" on paper explains nothing
        fit_widths(workbook[sheet])
    if rejections:
        _problems_sheet(workbook, rejections, titles)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


PROBLEMS_SHEET = "Kesalahan"
PROBLEM_COLUMNS = (("Lembar", 18), ("Sel", 8), ("Isi", 22), ("Pesan", 110))


def _problems_sheet(workbook: openpyxl.Workbook, rejections: list[dict], titles: dict[str, str]) -> None:
    """Every rejected cell with its message on a sheet of its own: printed, as PDF or on a phone viewer that
    shows no comments, the explanations are still there."""
    title = PROBLEMS_SHEET if PROBLEMS_SHEET not in workbook.sheetnames else f"{PROBLEMS_SHEET} SIHARPA"
    order = {name: i for i, name in enumerate(workbook.sheetnames)}
    sheet = workbook.create_sheet(title)
    sheet.append([name for name, _ in PROBLEM_COLUMNS])
    for r in sorted(
        rejections,
        key=lambda r: (order.get(titles.get(r["sheet"], r["sheet"]), 0), int(r["row"]), int(r["column_index"])),
    ):
        where = f"{get_column_letter(int(r['column_index']) + 1)}{int(r['row'])}"
        row = sheet.max_row + 1
        for col, value in enumerate((titles.get(r["sheet"], r["sheet"]), where, r.get("raw_value"), r["message"]), 1):
            if value is not None:
                _text(sheet.cell(row=row, column=col), str(value))
    for i, (_, width) in enumerate(PROBLEM_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    printable(sheet, title_rows="1:1")


def _text(cell, value: str) -> None:
    """Text a sender typed stays text: "=HYPERLINK(...)" is shown, never run."""
    cell.value = value
    cell.data_type = "s"


def _rebuilt(name: str, data: bytes) -> tuple[openpyxl.Workbook, dict[str, str]]:
    """Every sheet's cells in a new workbook; and the sheet names that had to be shortened (Excel: 31 chars)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    titles = {}
    for sheet in read_sheets(Path(name), data):
        title = sheet.name[:MAX_SHEET_TITLE]
        titles[sheet.name] = title
        ws = workbook.create_sheet(title)
        grid = sheet.rows_from(1)
        for row_number, values in grid.iterrows():
            for col, value in enumerate(values):
                if not is_blank(value):
                    _write(ws.cell(row=int(row_number), column=col + 1), value)
    return workbook, titles


def _write(cell, value) -> None:
    """Numbers stay numbers; text is stored as text, never as a formula a spreadsheet would evaluate."""
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        number = float(value)
        cell.value = int(number) if number.is_integer() and "." not in value else number
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
