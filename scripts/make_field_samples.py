"""Writes tests/samples/field/: small look-alikes of the layouts real offices and national systems send
(../shared/real), with PPU's markets and Kalimantan Timur's regions, so the reader's rules are tested where
the real files are absent. Deterministic: run it again and the files are the same.

    python scripts/make_field_samples.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parents[1] / "tests" / "samples" / "field"
FIXED = dt.datetime(2026, 11, 1)


def _save(book: openpyxl.Workbook, name: str) -> None:
    book.properties.created = book.properties.modified = FIXED
    book.save(OUT / name)


def _sheet(book: openpyxl.Workbook, title: str, rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)


def dates_as_rows() -> None:
    """Banjarbaru's food office: a sheet per month, a block per market, day numbers, a unit row, week
    numerals, a Rata-Rata row; November's sheet still titled with last year."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    names = ["Beras Medium", "Minyak Goreng Curah", "Gula Pasir", "Telur Ayam", "Cabe Rawit Merah", "Kangkung"]
    units = ["(Rp/Kg)", "(Rp/Liter)", "(Rp/Kg)", "(Rp/Kg)", "(Rp/Kg)", "(Rp/Ikat)"]
    for sheet, month, year in (("Okt'26", "Oktober", 2026), ("Nov'26", "November", 2025)):
        rows: list[list] = []
        for market, base in (("Pasar Waru", 15000), ("Pasar Induk Petung", 14500)):
            rows += [
                [f"Harga Pasar Bahan Pangan Tingkat Produsen di {market} Kabupaten Penajam Paser Utara Tahun {year}"],
                [],
                ["", f"{month} Pertanggal", "", *names],
                ["", "", "", *units],
            ]
            for day in range(1, 6):
                week = {1: "I", 4: "II"}.get(day, "")
                prices = [base + 100 * day, 19000, 18500, 0 if day == 2 else 28000, 60000 + 500 * day, 5000]
                rows.append(["", week, day, *prices])
            rows += [["", "Rata-Rata", "", base + 300, 19000, 18500, 28000, 61500, 5000], []]
        _sheet(book, sheet, rows)
    _save(book, "rekap_harian_produsen_2026.xlsx")


def pihps_national() -> None:
    """A PIHPS daily report: title rows naming "Semua Provinsi", roman-numeral groups over numbered
    varieties, prices as text with comma thousands, "-" for no data, headers with spaces."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    dates = [f"{d:02d}/ 11/ 2026" for d in (2, 3, 4)]
    _sheet(
        book,
        "Laporan Harian",
        [
            ["Perkembangan Harga Pangan"],
            [],
            ["Periode", "", "02 November 2026 - 04 November 2026"],
            ["Provinsi", "", "Semua Provinsi"],
            ["Kabupaten/Kota", "", "Semua Kabupaten/Kota"],
            ["Pasar", "", "Semua Pasar"],
            [],
            ["No.", "Komoditas(Rp)", *dates],
            ["I", "Beras", "14,300", "14,300", "14,350"],
            ["1", "Beras Kualitas Medium I", "14,850", "14,850", "14,900"],
            ["2", "Beras Kualitas Medium II", "14,350", "-", "14,400"],
            ["II", "Daging Ayam", "37,500", "37,000", "36,250"],
            ["III", "Cabai Merah", "85,000", "95,000", "95,000"],
            ["1", "Cabai Merah Besar", "92,500", "100,000", "100,000"],
            ["2", "Cabai Merah Keriting", "77,500", "90,000", "90,000"],
        ],
    )
    _save(book, "pihps_laporan_harian.xlsx")


def pihps_transposed() -> None:
    """A PIHPS export turned around: a column of dates headed "Komoditas (Rp)", commodities across."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "Sheet",
        [
            ["Perkembangan Harga Pangan Provinsi Kalimantan Timur"],
            [],
            ["Komoditas (Rp)", "Beras Kualitas Medium I", "Cabai Merah Besar", "Bawang Merah Ukuran Sedang"],
            ["02/ 11/ 2026", "15,150", "62,500", "48,750"],
            ["03/ 11/ 2026", "15,150", "63,750", "48,750"],
            [dt.datetime(2026, 11, 4), "15,200", "-", "49,000"],
        ],
    )
    _save(book, "pihps_kaltim_transpose.xlsx")


def places_as_rows() -> None:
    """Panel Harga's table of one day: provinces down, commodities across, the date in the title."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "Harga",
        [
            ["Rata-rata Harga Pangan Tingkat Konsumen per Provinsi, 02 November 2026"],
            [],
            ["No", "Provinsi", "Beras Premium", "Beras Medium", "Bawang Merah", "Tepung Terigu (Curah)"],
            [1, "Kalimantan Timur", 16950, 14320, 47100, 11200],
            [2, "Kalimantan Selatan", 16100, 13900, 43800, 10850],
            [3, "DKI Jakarta", 15800, 13600, 41200, 10400],
            [4, "Rata-rata Nasional", 15900, 13750, 42500, 10500],
        ],
    )
    _save(book, "panel_harga_per_provinsi.xlsx")


def text_samples() -> None:
    (OUT / "harga_bulanan_provinsi.csv").write_text(
        "\n".join(
            [
                "Lokasi,Komoditas,Agustus 2026,September 2026,Oktober 2026",
                "Kalimantan Timur,Beras Premium,16420.5,16510,",
                "Kaltim,Bawang merah,45100,47250.75,48000",
                "D.I. Yogyakarta,Beras Premium,14100,14150,14200",
                "Bangka Belitung,Daging Ayam Ras,36800,37100,36950",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (OUT / "panel_harga_bulanan.csv").write_text(
        "\n".join(
            [
                "Rata-rata Harga Pangan Tingkat Konsumen Provinsi,,,,,",
                ",,,,,",
                "Kode Provinsi,Nama Provinsi,Komoditas,Tahun,Bulan,Harga",
                '64,Kalimantan Timur,Beras Premium,2026,Agustus,"Rp16,480"',
                '64,Kalimantan Timur,Gula Pasir Lokal/Curah,2026,Agustus,"Rp18,950"',
                "64,Kalimantan Timur,Minyak Kita,2026,September,-",
                '63, Kalimantan Selatan ,Jagung Tingkat Peternak,2026,September,"Rp6,250"',
                '00,Indonesia,Beras Premium,2026,Oktober,"Rp15,910"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (OUT / "harga_komoditas_konsumen_kota_balikpapan.csv").write_text(
        "\n".join(
            [
                "Timestamp,ID,Komoditas,Satuan,Harga,Harga Kemarin,Tanggal Kemarin,Gap,Gap Persen,Gap Perubahan",
                "2026-11-03,27,Beras Premium,Rp./Kg,17000,16800,2-11-2026,200,1.19,up",
                "2026-11-03,40,Tepung Terigu (Curah),Rp./Kg,11000,11000,2-11-2026,0,0,no_change",
                "2026-11-03,108,Tepung Terigu Kemasan,Rp/kg,13500,13500,2-11-2026,0,0,no_change",
                "2026-11-03,102,Jagung Tk Peternak,Rp/kg,0,0,2-11-2026,0,0,no_change",
                "2026-11-03,38,Minyak Goreng Kemasan,Rp./Liter,21000,21400,2-11-2026,-400,-1.87,down",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (OUT / "siskaperbapo_ppu.csv").write_text(
        "\n".join(
            [
                "_id,hrg_current,hrg_last,id_kabkota,id_pasar,kategori,name,nm_kabkota,nm_pasar,perubahan,satuan,tanggal",
                "a1,15500,15250,ppukab,7,BERAS,- Beras Medium,ppukab,Pasar Waru,250,kg,2026-11-2",
                "a2,62000,65000,ppukab,7,CABE,- Cabe Rawit Merah,ppukab,Pasar Waru,-3000,kg,2026-11-2",
                "a3,-,18000,ppukab,7,GULA PASIR,- Gula Pasir,ppukab,Pasar Waru,-,kg,2026-11-2",
                "a4,24000,24000,ppukab,7,MINYAK GORENG,- Bimoli 2 liter,ppukab,Pasar Waru,0,2 Liter,2026-11-2",
                "a5,15750,15500,ppukab,7,BERAS,- Beras Medium,ppukab,Pasar Waru,250,kg,2026-11-3",
            ]
        )
        + "\n",
        encoding="utf-8",
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    dates_as_rows()
    pihps_national()
    pihps_transposed()
    places_as_rows()
    text_samples()
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
