"""A ready-to-fill price workbook for one market, in the wide-by-date layout the readers know: the market in the
title, a column per date, a row per commodity with its unit; dropdowns on names and units, header rows locked,
instructions in Bahasa Indonesia. What an enumerator types in it comes back exactly."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .messages import tanggal
from .reference import load_reference
from .schemas import UNITS
from .values import YEAR_MAX, YEAR_MIN

PRICE_SHEET, LIST_SHEET, HELP_SHEET = "Harga", "Daftar", "Petunjuk"
HEADER_ROW = 4
FIRST_DATE_COLUMN = 4  # D: after No, Komoditas, Satuan
DATE_WIDTH = 12
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
INSTRUCTIONS = (
    "Cara mengisi lembar harga SIHARPA",
    "",
    "1. Isi harga eceran dalam rupiah per satuan, seperti 15000 atau Rp 15.000.",
    "2. Satu kolom untuk satu tanggal. Judul kolom tanggal jangan diubah.",
    "3. Kosongkan sel (atau tulis -) bila komoditas tidak diamati hari itu; tulis libur bila pasar tutup.",
    "4. Nama komoditas dan satuan dipilih dari daftar; jangan ubah nama pasar di judul.",
    "5. Simpan sebagai .xlsx lalu unggah di halaman Unggah Data. Sel yang ditolak akan ditandai merah dengan "
    "penjelasannya.",
)


def market_name(market_id: str) -> str:
    markets = load_reference().markets.set_index("market_id")
    if market_id not in markets.index:
        raise ValueError(f"pasar '{market_id}' tidak dikenal; pilih salah satu dari: {', '.join(markets.index)}")
    return markets.at[market_id, "name"]


def price_template(market_id: str, start: dt.date, days: int) -> bytes:
    """The workbook's bytes for `days` dates from `start`."""
    if not 1 <= days <= 62:
        raise ValueError("jumlah hari harus antara 1 dan 62")
    if not YEAR_MIN <= start.year <= YEAR_MAX or not YEAR_MIN <= (start + dt.timedelta(days=days)).year <= YEAR_MAX:
        raise ValueError(f"tanggal pertama harus antara tahun {YEAR_MIN} dan {YEAR_MAX}")
    name = market_name(market_id)
    ref = load_reference()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = PRICE_SHEET
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    sheet["A1"] = f"HARGA ECERAN BAHAN POKOK - {name.upper()}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"Periode {tanggal(dates[0])} s.d. {tanggal(dates[-1])}"
    for col, label in enumerate(["No", "Komoditas", "Satuan"], start=1):
        sheet.cell(HEADER_ROW, col, label)
    for i, day in enumerate(dates):
        cell = sheet.cell(HEADER_ROW, FIRST_DATE_COLUMN + i, day)
        cell.number_format = "DD/MM/YYYY"
    for cell in sheet[HEADER_ROW]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, Alignment(horizontal="center")
    commodities = ref.monitored
    last_row = HEADER_ROW + len(commodities)
    for i, c in enumerate(commodities.itertuples(), start=1):
        row = HEADER_ROW + i
        sheet.cell(row, 1, i)
        sheet.cell(row, 2, c.name)
        sheet.cell(row, 3, c.unit)
        for col in range(2, FIRST_DATE_COLUMN + days):
            sheet.cell(row, col).protection = Protection(locked=False)
    _lists(workbook, sheet, commodities["name"].tolist(), last_row)
    fit_widths(sheet, first_row=HEADER_ROW)
    for i in range(days):  # a date needs 10 characters and a little room, or LibreOffice prints ###
        sheet.column_dimensions[get_column_letter(FIRST_DATE_COLUMN + i)].width = DATE_WIDTH
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, FIRST_DATE_COLUMN)
    printable(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", title_columns="A:C")
    sheet.protection.sheet = True  # title and header rows locked; names, units and prices open
    sheet.protection.formatCells = False
    help_sheet = workbook.create_sheet(HELP_SHEET)
    for line in INSTRUCTIONS:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=13)
    help_sheet.column_dimensions["A"].width = 90
    for row in help_sheet.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    printable(help_sheet)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def fit_widths(sheet, first_row: int = 1, rows: int = 200, widest: int = 45) -> None:
    """Each column as wide as its longest text among the first rows (never narrower than it was)."""
    longest: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=first_row, max_row=first_row + rows):
        for cell in row:
            if cell.value is not None:
                text = cell.value.strftime("%d/%m/%Y") if isinstance(cell.value, dt.date) else str(cell.value)
                longest[cell.column] = max(longest.get(cell.column, 0), len(text))
    for column, length in longest.items():
        dimension = sheet.column_dimensions[get_column_letter(column)]
        dimension.width = max(dimension.width or 0, min(length + 2, widest))


def printable(sheet, title_rows: str | None = None, title_columns: str | None = None) -> None:
    """Landscape A4, one page wide, the header row and the name columns repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns


def _lists(workbook: openpyxl.Workbook, sheet, names: list[str], last_row: int) -> None:
    """Dropdowns on the Komoditas and Satuan columns, their lists on a hidden sheet."""
    lists = workbook.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    for i, name in enumerate(names, start=1):
        lists.cell(i, 1, name)
    for i, unit in enumerate(UNITS, start=1):
        lists.cell(i, 2, unit)
    for column, source, count in (("B", "A", len(names)), ("C", "B", len(UNITS))):
        rule = DataValidation(
            type="list",
            formula1=f"={LIST_SHEET}!${source}$1:${source}${count}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Pilih dari daftar",
            error="Pilih nilai dari daftar.",
        )
        rule.add(f"{column}{HEADER_ROW + 1}:{column}{last_row}")
        sheet.add_data_validation(rule)
