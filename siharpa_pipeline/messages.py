"""What users read: Indonesian messages that name the sheet, row and column of the cell at fault."""

from __future__ import annotations

import datetime as dt

SHOWN_MAX = 80  # characters of a cell quoted in a message
BULAN_PANJANG = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
BULAN = tuple(name[:3] for name in BULAN_PANJANG)  # Jan ... Agu ... Des
# what became of a received file, as every page and the CLI say it
STATUS_LABELS = {
    "loaded": "dimuat",
    "partially_loaded": "dimuat sebagian",
    "rejected": "ditolak seluruhnya",
    "failed": "gagal dibaca",
    "duplicate": "duplikat (isi yang sama sudah pernah dimuat)",
}

FILE_ERRORS = {
    "unreadable_file": "Berkas tidak dapat dibaca",
    "no_table_found": "Tidak ada tabel harga di berkas ini (baris judul dengan kolom Komoditas tidak ditemukan)",
    "no_rows": "Tabel ditemukan, tetapi tidak ada baris data harga",
    "file_too_large": "Berkas terlalu besar atau terlalu berat untuk dibaca",
    "disk_full": "Disk penuh: berkas tidak dapat disimpan",
    "internal_error": "Terjadi kesalahan internal saat memproses berkas",
    "too_many_rejections": "Terlalu banyak sel ditolak; perbaiki pola kesalahannya lalu kirim lagi",
    "region_not_identified": "Berkas berisi harga rata-rata wilayah (seperti ekspor PIHPS atau Panel Harga), "
    "tetapi wilayahnya tidak disebut di judul, kolom, nama lembar maupun nama berkas",
    "monthly_market_prices": "Berkas berisi harga bulanan per pasar; petugas pasar mengirim harga harian",
}


# a rejection's reason in a few words, for tables that list many (the message says the rest)
REASON_LABELS = {
    "unknown_market": "pasar tidak dikenal",
    "market_not_identified": "pasar tidak diketahui",
    "market_not_assigned": "bukan pasar tugas Anda",
    "unknown_commodity": "komoditas tidak dikenal",
    "invalid_date": "tanggal tidak valid",
    "date_not_identified": "tanggal tidak diketahui",
    "future_date": "tanggal belum terjadi",
    "unit_mismatch": "satuan tidak sesuai",
    "invalid_price": "harga bukan angka",
    "non_positive_price": "harga nol atau negatif",
    "price_out_of_range": "harga di luar rentang wajar",
    "copied_value": "harga tersalin",
    "unknown_region": "wilayah tidak dikenal",
    "region_not_identified": "wilayah tidak diketahui",
    "conflicting_duplicate": "baris ganda berbeda harga",
    # the quick wins' records
    "invalid_count": "jumlah bukan bilangan bulat",
    "invalid_datetime": "waktu tidak valid",
    "invalid_month": "bulan tidak valid",
    "invalid_number": "bukan angka",
    "invalid_period": "periode tidak valid",
    "invalid_value": "isian tidak valid",
    "invalid_yes_no": "bukan ya/tidak",
    "missing_value": "isian kosong",
    "negative_number": "angka negatif",
    "unknown_category": "jenis tidak dikenal",
    "unknown_desa": "desa tidak dikenal",
    "unknown_destination": "destinasi tidak dikenal",
    "unknown_dimension": "dimensi tidak dikenal",
    "unknown_kecamatan": "kecamatan tidak dikenal",
}


def rupiah(amount: float) -> str:
    """Rp 15.000 (dot thousands, comma decimals only when there are cents)."""
    whole = f"{abs(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if whole.endswith(",00"):
        whole = whole[:-3]
    return ("-" if amount < 0 else "") + "Rp " + whole


def angka(value: float, digits: int = 0) -> str:
    """12.566,3 (dot thousands, comma decimals)."""
    return f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def persen(value: float, digits: int = 1) -> str:
    return f"{angka(value, digits)}%"


# WFP ALPS and FAO IFPA classes as the inflation-control team says them (the mart keeps the methods' own names)
EARLY_WARNING_CLASSES = {
    "normal": "normal",
    "stress": "waspada",
    "alert": "siaga",
    "crisis": "krisis",
    "low": "rendah",
    "moderately_high": "agak tinggi",
    "abnormally_high": "tinggi",
}


def ribuan(count: int) -> str:
    """12.345 (dot thousands)."""
    return f"{count:,}".replace(",", ".")


def tanggal(day: dt.date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def location(sheet: str, row: int, column: str | None) -> str:
    where = f"Lembar '{sheet}', baris {row}"
    return f"{where}, kolom {column}" if column else where


def shown(raw: object) -> str:
    if raw is None:
        return "(kosong)"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%d/%m/%Y")
    text = str(raw).strip()
    if len(text) > SHOWN_MAX:  # a whole paragraph pasted in a cell: enough of it to find the cell
        text = text[:SHOWN_MAX] + "…"
    return f"'{text}'" if text else "(kosong)"


def reason_text(code: str, raw: object, detail: dict) -> str:
    """The explanation for one rejected observation; detail carries what the check knew."""
    value = shown(raw)
    texts = {
        "unknown_market": f"pasar {value} tidak dikenal; tulis nama pasar seperti di daftar pasar (pasar daerah "
        "lain dikenali setelah paket wilayahnya diimpor).",
        "market_not_identified": "pasar tidak dapat ditentukan: tidak ada kolom Pasar, dan judul, nama lembar "
        "maupun nama berkas tidak menyebut tepat satu pasar yang dikenal.",
        "market_not_assigned": f"Anda tidak ditugaskan mencatat harga di pasar {value}.",
        "unknown_commodity": f"komoditas {value} tidak dikenal."
        + (f" Mungkin maksudnya: {', '.join(detail['suggestions'])}?" if detail.get("suggestions") else ""),
        "invalid_date": f"tanggal {value} tidak valid; tulis tanggal sejak tahun 2000 seperti 02/11/2026.",
        "date_not_identified": "tanggal tidak dapat ditentukan: tidak ada kolom Tanggal, dan judul, nama lembar "
        "maupun nama berkas tidak menyebut tepat satu tanggal.",
        "future_date": f"tanggal {value} belum terjadi (hari ini {tanggal(detail['as_of'])})."
        if detail.get("as_of")
        else f"tanggal {value} belum terjadi.",
        "unit_mismatch": f"satuan {value} tidak sesuai; satuan {detail.get('commodity', 'komoditas ini')} "
        f"adalah {detail.get('unit', '-')}.",
        "invalid_price": "rumus tanpa nilai atau berisi galat (seperti #DIV/0!): perbaiki rumusnya, simpan ulang "
        "berkas di Excel agar hasil rumusnya tersimpan."
        if detail.get("formula")
        else f"harga {value} bukan angka; tulis seperti 15000 atau Rp 15.000.",
        "non_positive_price": f"harga {value} harus lebih dari nol.",
        "price_out_of_range": f"harga {value} di luar rentang wajar untuk {detail.get('commodity', 'komoditas ini')}"
        + (f" ({rupiah(detail['low'])} - {rupiah(detail['high'])})." if detail.get("low") is not None else "."),
        "copied_value": f"harga {value} sama untuk lima komoditas atau lebih di tempat dan tanggal yang sama; "
        "kemungkinan satu kolom tersalin. Periksa harga tiap komoditas.",
        "unknown_region": f"wilayah {value} tidak dikenal; tulis nama provinsi atau kabupaten/kota "
        "(mis. Kalimantan Timur, Kota Balikpapan) atau kode Kemendagri.",
        "region_not_identified": "wilayah tidak dapat ditentukan: judul, kolom, nama lembar maupun nama berkas "
        "tidak menyebut tepat satu wilayah.",
        "conflicting_duplicate": "pasar, komoditas dan tanggal yang sama tercatat lebih dari sekali dengan harga "
        f"berbeda (harga di sini {value}); semua baris itu ditolak, sisakan satu.",
    }
    return texts[code]


def rejection_message(
    codes: list[str], sheet: str, row: int, column: str | None, raws: list[object], detail: dict
) -> str:
    """Every reason of one cell at once, so one round of fixing is enough."""
    texts = [reason_text(code, raw, detail) for code, raw in zip(codes, raws)]
    return f"{location(sheet, row, column)}: {' Juga: '.join(texts)}"


def row_ranges(rows: list[int]) -> str:
    """2, 3, 4, 9 -> "2-4, 9"."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def grouped_problems(rejections: list[dict], shown_columns: int = 3) -> list[dict]:
    """Identical problems of a sheet once, most frequent first: what is wrong (the message without its
    location), how many cells, which rows and columns. What an enumerator reads first on a phone."""
    groups: dict[tuple[str, str], dict] = {}
    for r in rejections:
        where = location(r["sheet"], int(r["row"]), r["column"]) + ": "
        text = r["message"][len(where) :] if r["message"].startswith(where) else r["message"]
        group = groups.setdefault((r["sheet"], text), {"problem": text, "sheet": r["sheet"], "rows": [], "columns": {}})
        group["rows"].append(int(r["row"]))
        group["columns"].setdefault(r["column"] or "-", None)
    out = []
    for g in sorted(groups.values(), key=lambda g: -len(g["rows"])):
        columns = list(g["columns"])
        shown = ", ".join(map(str, columns[:shown_columns])) + (
            f" dan {len(columns) - shown_columns} lainnya" if len(columns) > shown_columns else ""
        )
        out.append(
            {
                "problem": g["problem"],
                "cells": len(g["rows"]),
                "sheet": g["sheet"],
                "rows": row_ranges(g["rows"]),
                "columns": shown,
            }
        )
    return out
