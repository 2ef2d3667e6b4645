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
from openpyxl.styles import PatternFill

from .privacy import mask_phone_numbers
from .readers import read_sheets
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
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


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

