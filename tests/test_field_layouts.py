"""The layouts offices and national systems send, on small look-alikes (tests/samples/field, written by
scripts/make_field_samples.py), region packs, and the checks added for them: every reason of a cell, copied
values, 0 as missing, region-level series routed to core.region_prices."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from siharpa_pipeline.annotate import annotated_workbook
from siharpa_pipeline.ingest import import_pack, ingest_files, judge_file, rejection_dicts
from siharpa_pipeline.messages import grouped_problems, row_ranges
from siharpa_pipeline.packs import PackError, active_reference

from conftest import query
from test_layouts import workbook
from test_warehouse import _cli

FIELD = Path(__file__).parent / "samples" / "field"
AS_OF = dt.date(2026, 11, 29)


def judged(name: str, **kwargs):
    return judge_file(FIELD / name, None, AS_OF, None, **kwargs)[1]


def prices(verdict) -> dict[tuple, float]:
    place = "market_id" if "market_id" in verdict.accepted else "region_code"
    return {
        (r[place], r["commodity_id"], r["observed_on"].date().isoformat()): r["price_idr"]
        for r in verdict.accepted.to_dict("records")
    }


def test_dates_as_rows_blocks_per_market_and_the_sheet_name_first():
    v = judged("rekap_harian_produsen_2026.xlsx")
    assert (v.level, v.price_level) == ("market", "produsen")
    got = prices(v)
    # two sheets x two market blocks x 5 days x 5 known commodities, minus four 0 ("not observed") cells
    assert len(got) == 96 and v.rows_missing == 4
    assert got[("pasar_waru", "beras_medium", "2026-10-01")] == 15100
    assert got[("pasar_waru", "cabai_rawit_merah", "2026-10-05")] == 62500
    assert got[("pasar_induk_petung", "beras_medium", "2026-10-03")] == 14800
    assert got[("pasar_induk_petung", "minyak_goreng_curah", "2026-11-05")] == 19000
    assert ("pasar_waru", "telur_ayam_ras", "2026-11-02") not in got  # 0
    # "Nov'26" titled "Tahun 2025": November 2026, said in a note per block, nothing dated 2025
    assert got[("pasar_waru", "beras_medium", "2026-11-04")] == 15400
    assert not any(day.startswith("2025") for _, _, day in got)
    assert sum("tahun 2025" in n and "November 2026" in n for n in v.notes) == 2
    # week numerals, day numbers, units and the Rata-Rata row are not prices; Kangkung is unknown
    assert set(v.rejections["reason_code"]) == {"unknown_commodity"} and len(v.rejections) == 20
    first = v.rejections.iloc[0]
    assert (first["sheet"], first["source_row"], first["source_column"], first["column_index"]) == (
        "Okt'26",
        5,
        "Kangkung",
        8,
    )


def test_pihps_group_rows_are_not_data_and_a_lone_group_is_the_series():
    v = judged("pihps_laporan_harian.xlsx")
    assert (v.level, v.source, v.period) == ("region", "pihps", "hari")
    got = prices(v)
    assert len(got) == 14 and v.rows_missing == 1
    assert got[("00", "beras_medium_1", "2026-11-02")] == 14850  # "14,850" as text
    assert got[("00", "beras_medium_2", "2026-11-04")] == 14400
    assert ("00", "beras_medium_2", "2026-11-03") not in got  # "-"
    assert got[("00", "daging_ayam_ras", "2026-11-03")] == 37000  # "II Daging Ayam" stands alone
    assert got[("00", "cabai_merah_besar", "2026-11-02")] == 92500
    assert got[("00", "cabai_merah_keriting", "2026-11-02")] == 77500
    assert 85000 not in got.values() and 14300 not in got.values()  # group averages


def test_transposed_export_and_places_as_rows():
    v = judged("pihps_kaltim_transpose.xlsx")
    got = prices(v)
    assert (v.level, v.source, len(got), v.rows_missing) == ("region", "pihps", 8, 1)
    assert got[("64", "beras_medium_1", "2026-11-02")] == 15150
    assert got[("64", "beras_medium_1", "2026-11-04")] == 15200  # a date cell among text dates
    assert got[("64", "bawang_merah", "2026-11-04")] == 49000

    v = judged("panel_harga_per_provinsi.xlsx")
    got = prices(v)
    assert (v.level, len(got)) == ("region", 16)
    assert got[("64", "beras_premium", "2026-11-02")] == 16950
    assert got[("63", "bawang_merah", "2026-11-02")] == 43800
    assert got[("31", "tepung_terigu_curah", "2026-11-02")] == 10400
    assert got[("00", "beras_medium", "2026-11-02")] == 13750  # "Rata-rata Nasional"


def test_monthly_layouts_go_to_region_series():
    v = judged("harga_bulanan_provinsi.csv")
    got = prices(v)
    assert (v.level, v.period, len(got), v.rows_missing) == ("region", "bulan", 11, 1)
    assert got[("64", "beras_premium", "2026-08-01")] == 16420.5
    assert got[("64", "bawang_merah", "2026-09-01")] == 47250.75  # "Kaltim"
    assert got[("34", "beras_premium", "2026-10-01")] == 14200  # "D.I. Yogyakarta"
    assert got[("19", "daging_ayam_ras", "2026-08-01")] == 36800  # "Bangka Belitung"

    v = judged("panel_harga_bulanan.csv")
    got = prices(v)
    assert (v.source, len(got), v.rows_missing) == ("panel_harga", 4, 1)
    assert got[("64", "gula_pasir", "2026-08-01")] == 18950  # "Gula Pasir Lokal/Curah", "Rp18,950"
    assert got[("63", "jagung_pipilan_kering", "2026-09-01")] == 6250
    assert got[("00", "beras_premium", "2026-10-01")] == 15910


def test_city_series_dated_by_timestamp_never_by_yesterday():
    v = judged("harga_komoditas_konsumen_kota_balikpapan.csv")
    got = prices(v)
    assert (v.level, v.source, v.rows_missing) == ("region", "panel_harga", 1)
    assert got == {
        ("64.71", "beras_premium", "2026-11-03"): 17000,
        ("64.71", "tepung_terigu_curah", "2026-11-03"): 11000,
        ("64.71", "tepung_terigu_kemasan", "2026-11-03"): 13500,
        ("64.71", "minyak_goreng_kemasan_premium", "2026-11-03"): 21000,
    }


def test_database_columns_current_price_not_last():
    v = judged("siskaperbapo_ppu.csv")
    assert prices(v) == {
        ("pasar_waru", "beras_medium", "2026-11-02"): 15500,
        ("pasar_waru", "cabai_rawit_merah", "2026-11-02"): 62000,
        ("pasar_waru", "beras_medium", "2026-11-03"): 15750,
    }
    assert v.rows_missing == 1  # hrg_current "-", whatever hrg_last says


def test_a_regional_file_without_its_region_is_refused_once(tmp_path):
    path = workbook(
        tmp_path / "Tabel Harga Berdasarkan Daerah.xlsx",
        {
            "Sheet": [
                ["No", "Komoditas (Rp)", "02/ 11/ 2026", "03/ 11/ 2026"],
                ["I", "Beras", "14,300", "14,300"],
                ["1", "Beras Kualitas Medium I", "14,850", "14,900"],
            ]
        },
    )
    _, v = judge_file(path, None, AS_OF, None)
    assert (v.status, v.error, len(v.rejections)) == ("failed", "region_not_identified", 0)
    _, v = judge_file(path, None, AS_OF, None, region="64.09")
    assert prices(v) == {
        ("64.09", "beras_medium_1", "2026-11-02"): 14850,
        ("64.09", "beras_medium_1", "2026-11-03"): 14900,
    }


def test_monthly_prices_of_a_market_are_refused(tmp_path):
    path = tmp_path / "harga_pasar_waru_bulanan.csv"
    path.write_text("Pasar,Komoditas,Oktober 2026\nPasar Waru,Beras Medium,15000\n", encoding="utf-8")
    _, v = judge_file(path, None, AS_OF, None)
    assert v.error == "monthly_market_prices" and "harian" in v.error_message


def test_copied_values_and_whole_table_problems_said_once(tmp_path):
    rows = [["Tanggal", "Pasar", "Komoditas", "Satuan", "Harga"]]
    for name in ("Beras Medium", "Gula Pasir", "Tepung Terigu", "Garam Beryodium", "Telur Ayam Ras"):
        rows.append(["02/11/2026", "Pasar Waru", name, "kg", 15000])
    rows += [
        ["02/11/2026", "Pasar Waru", "Minyak Goreng Curah", "liter", 15000],  # a sixth: still copied
        ["03/11/2026", "Pasar Waru", "Beras Medium", "kg", 15000],
        ["03/11/2026", "Pasar Waru", "Gula Pasir", "kg", 15000],
    ]  # two equal prices are normal
    _, v = judge_file(workbook(tmp_path / "x.xlsx", {"Input": rows}), None, AS_OF, None)
    assert list(v.rejections["reason_code"]) == ["copied_value"] * 6 and len(v.accepted) == 2
    assert "lima komoditas atau lebih" in v.rejections["message"].iloc[0]

    # no market anywhere: one note for the table, and the cells' own problems still shown
    path = workbook(
        tmp_path / "harga.xlsx",
        {"Input": [["Komoditas", "Satuan", "02/11/2026"], ["Beras Medium", "kg", "abc"], ["Gula Pasir", "kg", 18000]]},
    )
    _, v = judge_file(path, None, AS_OF, None)
    assert list(v.rejections["reasons"]) == ["market_not_identified,invalid_price", "market_not_identified"]
    assert [n for n in v.notes if "pasar tidak dapat ditentukan untuk 2 sel" in n]
    assert "harga 'abc' bukan angka" in v.rejections["message"].iloc[0]


def write_pack(folder: Path, markets: str, aliases: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "markets.csv").write_text(markets, encoding="utf-8")
    if aliases is not None:
        (folder / "commodity_aliases.csv").write_text(aliases, encoding="utf-8")
    return folder


BALIKPAPAN = (
    "market_id,name,region_code,aliases\n"
    "pasar_klandasan,Pasar Klandasan,64.71,\n"
    "pasar_pandansari,Pasar Pandansari,64.71,pasar pandan sari\n"
)


def test_second_kabupaten_loads_its_own_file_after_its_pack(settings, tmp_path):
    sheet = tmp_path / "harga_pasar_klandasan_2026-11-02.csv"
    sheet.write_text("Komoditas;Satuan;Harga\nBeras Medium;kg;15.250\nBeras Lokal;kg;14.000\n", encoding="utf-8")
    [before] = ingest_files([sheet], settings, as_of=AS_OF)
    assert before.status == "rejected" and {c for r in before.rejections for c in r["reasons"].split(",")} == {
        "market_not_identified",
        "unknown_commodity",
    }

    pack = write_pack(tmp_path / "balikpapan", BALIKPAPAN, "alias,commodity_id\nBeras Lokal,beras_premium\n")
    out = _cli("reference", "import", str(pack), data_dir=settings.data_dir)
    assert out.returncode == 0, out.stderr
    assert "markets.csv 2 baris" in out.stdout and "commodity_aliases.csv 1 baris" in out.stdout
    version = active_reference(settings).version
    assert version.startswith("bawaan+")

    other = tmp_path / "harga_pasar_pandan_sari_2026-11-02.csv"
    other.write_text(sheet.read_text(), encoding="utf-8")
    [after] = ingest_files([other], settings, as_of=AS_OF)
    assert (after.status, after.rows_accepted) == ("loaded", 2)
    assert query(
        settings.warehouse_path, "SELECT market_id, commodity_id, price_idr FROM core.price_observations ORDER BY 2"
    ) == [("pasar_pandansari", "beras_medium", 15250), ("pasar_pandansari", "beras_premium", 14000)]
    assert query(settings.warehouse_path, "SELECT reference_version FROM audit.files ORDER BY received_at") == [
        ("bawaan",),
        (version,),
    ]
    assert query(
        settings.warehouse_path,
        "SELECT count(*), min(region_code) FROM ref.markets "
        "WHERE market_id LIKE 'pasar_%an%sari' OR market_id = 'pasar_klandasan'",
    ) == [(2, "64.71")]
    assert query(settings.warehouse_path, "SELECT file_name, rows FROM audit.reference_imports ORDER BY 1") == [
        ("commodity_aliases.csv", 1),
        ("markets.csv", 2),
    ]


def test_a_pack_with_one_bad_row_is_refused_whole(settings, tmp_path):
    bad = write_pack(
        tmp_path / "bad",
        BALIKPAPAN + "Pasar Baru!,Pasar Baru,99.99,\n",
        "alias,commodity_id\nBeras Lokal,beras_lokal\n",
    )
    out = _cli("reference", "import", str(bad), data_dir=settings.data_dir)
    assert out.returncode == 2 and "tidak ada yang diimpor" in out.stderr
    assert "markets.csv baris 4, kolom market_id" in out.stderr
    assert "markets.csv baris 4, kolom region_code: '99.99'" in out.stderr
    assert "commodity_aliases.csv baris 2, kolom commodity_id: kode komoditas 'beras_lokal'" in out.stderr
    assert active_reference(settings).version == "bawaan"
    assert not list(settings.reference_dir.glob("*")) if settings.reference_dir.exists() else True
    with pytest.raises(PackError):
        import_pack(settings, bad)


def test_validate_and_the_annotated_workbook_show_the_new_layouts(settings):
    out = _cli(
        "validate",
        "--json",
        "--as-of",
        AS_OF.isoformat(),
        str(FIELD / "rekap_harian_produsen_2026.xlsx"),
        str(FIELD / "pihps_laporan_harian.xlsx"),
        data_dir=settings.data_dir,
    )
    assert out.returncode == 1, out.stderr
    market, region = json.loads(out.stdout)
    assert (market["content"], region["content"]) == ("pasar (produsen)", "wilayah (harian, pihps, konsumen)")
    assert market["rejections"][0]["reasons"] == "unknown_commodity"

    data = (FIELD / "rekap_harian_produsen_2026.xlsx").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(annotated_workbook("x.xlsx", data, market["rejections"])))
    cell = book["Okt'26"]["I5"]  # Kangkung on the 1st, Pasar Waru's block
    assert cell.value == 5000 and "Kangkung" in cell.comment.text
    assert book["Okt'26"]["D5"].comment is None


def test_month_headers_excel_turned_into_dates_next_to_text_ones(tmp_path):
    path = workbook(
        tmp_path / "harga_bulanan.xlsx",
        {
            "Data": [
                ["Lokasi", "Komoditas", dt.datetime(2026, 8, 1), "September 2026", dt.datetime(2026, 10, 1)],
                ["Kalimantan Timur", "Beras Premium", 16000, 16100, 16200],
            ]
        },
    )
    _, v = judge_file(path, None, AS_OF, None)
    assert (v.level, v.period) == ("region", "bulan")
    assert prices(v) == {
        ("64", "beras_premium", "2026-08-01"): 16000,
        ("64", "beras_premium", "2026-09-01"): 16100,
        ("64", "beras_premium", "2026-10-01"): 16200,
    }


@pytest.mark.parametrize("pack", sorted(p.name for p in (Path(__file__).parents[1] / "deploy" / "packs").iterdir()))
def test_every_shipped_pack_imports(settings, pack):
    out = _cli(
        "reference", "import", str(Path(__file__).parents[1] / "deploy" / "packs" / pack), data_dir=settings.data_dir
    )
    assert out.returncode == 0, out.stderr
    assert active_reference(settings).version.startswith("bawaan+")


def test_banjarbaru_pack_lets_its_office_file_load(settings, tmp_path):
    import_pack(settings, Path(__file__).parents[1] / "deploy" / "packs" / "banjarbaru")
    path = workbook(
        tmp_path / "Harian Rekap'26.xlsx",
        {
            "Okt'26": [
                ["Harga Pasar Bahan Pangan Tingkat Produsen di Pasar Bauntung  Kota Banjarbaru Tahun 2026"],
                [],
                ["", "Oktober Pertanggal", "", " Beras\n", "Tepung Terigu Curah", "Ikan Kembung/Pindang"],
                ["", "", "", "(Rp/Kg)", "(Rp/Kg)", "(Rp/Kg)"],
                ["", "I", 1, 16000, 9000, 45000],
                ["", "", 2, 16100, 0, 45500],
            ]
        },
    )
    [result] = ingest_files([path], settings, as_of=AS_OF)
    assert (result.status, result.rows_accepted, result.rows_missing) == ("loaded", 5, 1)
    assert query(
        settings.warehouse_path,
        "SELECT commodity_id, price_idr FROM core.price_observations "
        "WHERE market_id = 'pasar_bauntung' AND observed_on = '2026-10-02' ORDER BY 1",
    ) == [("beras_medium", 16100), ("ikan_kembung", 45500)]


def test_pihps_report_of_a_city_with_a_market_type_filter(tmp_path):
    path = workbook(
        tmp_path / "laporan.xlsx",
        {
            "Laporan Harian": [
                ["Perkembangan Harga Pangan"],
                [],
                ["Provinsi", "", "Jawa Timur"],
                ["Kabupaten/Kota", "", "Kota Surabaya"],
                ["Jenis Pasar", "", "Pasar Tradisional"],
                [],
                ["No.", "Komoditas(Rp)", "02/11/2026", "03/11/2026"],
                ["I", "Bawang Merah", "38,000", "38,500"],
                ["1", "Bawang Merah Ukuran Sedang", "38,000", "38,500"],
            ]
        },
    )
    _, v = judge_file(path, None, AS_OF, None)
    assert (v.level, v.source) == ("region", "pihps")
    assert prices(v) == {("35.78", "bawang_merah", "2026-11-02"): 38000, ("35.78", "bawang_merah", "2026-11-03"): 38500}


def test_kabupaten_level_monthly_export_with_codes_that_are_not_kemendagri(tmp_path):
    path = tmp_path / "harga_kabkota.csv"
    path.write_text(
        "Kode Kab/Kota,Nama Kab/Kota,Komoditas,Tahun,Bulan,Harga\n"
        '6409,Kab. Penajam Paser Utara,Beras Premium,2026,Oktober,"Rp16,900"\n'
        '6471,Kota Balikpapan,Beras Premium,2026,Oktober,"Rp16,700"\n',
        encoding="utf-8",
    )
    _, v = judge_file(path, None, AS_OF, None)
    # codes without the Kemendagri dot (BPS's, or Kemendagri's written without it) resolve nothing: names decide
    assert prices(v) == {
        ("64.09", "beras_premium", "2026-10-01"): 16900,
        ("64.71", "beras_premium", "2026-10-01"): 16700,
    }


def test_identical_problems_are_one_line_with_their_rows():
    assert row_ranges([9, 2, 3, 4, 4]) == "2-4, 9"
    v = judged("rekap_harian_produsen_2026.xlsx")
    groups = grouped_problems(rejection_dicts(v))
    assert [(g["sheet"], g["cells"], g["rows"], g["columns"]) for g in groups] == [
        ("Okt'26", 10, "5-9, 16-20", "Kangkung"),
        ("Nov'26", 10, "5-9, 16-20", "Kangkung"),
    ]
    assert groups[0]["problem"].startswith("komoditas 'Kangkung' tidak dikenal")


def test_the_annotated_workbook_lists_every_problem_on_its_own_sheet():
    v = judged("rekap_harian_produsen_2026.xlsx")
    data = (FIELD / "rekap_harian_produsen_2026.xlsx").read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(annotated_workbook("x.xlsx", data, rejection_dicts(v))))
    assert book.sheetnames == ["Okt'26", "Nov'26", "Kesalahan"]
    rows = list(book["Kesalahan"].values)
    assert rows[0] == ("Lembar", "Sel", "Isi", "Pesan") and len(rows) == 1 + 20
    assert rows[1][:3] == ("Okt'26", "I5", "Kangkung") and rows[1][3].startswith("Lembar 'Okt'26', baris 5")
    assert book["Kesalahan"].column_dimensions["D"].width == 110


def test_shapes_found_by_fuzzing_are_messages_not_internal_errors(tmp_path):
    """Cut, shuffled and emptied variants of the field files once crashed the reader; each is judged now."""
    short = tmp_path / "harga_kota_balikpapan.csv"  # rows shorter than the header
    short.write_text(
        "Timestamp,Komoditas,Satuan,Harga,Harga Kemarin\n2026-11-03,Beras Premium,Rp./Kg\n"
        "2026-11-03,Beras Medium,Rp./Kg,14500\n",
        encoding="utf-8",
    )
    _, v = judge_file(short, None, AS_OF, None)
    assert v.error is None and prices(v) == {("64.71", "beras_medium", "2026-11-03"): 14500}

    no_month = tmp_path / "panel_harga.csv"  # a blank Bulan: the date is not identified, nothing stored undated
    no_month.write_text(
        "Kode Provinsi,Nama Provinsi,Komoditas,Tahun,Bulan,Harga\n"
        '64,Kalimantan Timur,Beras Premium,2026,,"Rp16,480"\n'
        '64,Kalimantan Timur,Beras Premium,2026,Agustus,"Rp16,500"\n',
        encoding="utf-8",
    )
    _, v = judge_file(no_month, None, AS_OF, None)
    assert list(v.rejections["reason_code"]) == ["date_not_identified"] and len(v.accepted) == 1

    names_only = workbook(tmp_path / "judul.xlsx", {"S": [["Beras Medium", "Gula Pasir", "Minyakita"], [1, 2, 3]]})
    _, v = judge_file(names_only, None, AS_OF, None)  # commodity names in a row, nothing beside them
    assert v.error in ("no_table_found", "no_rows")


VARIANTS = ("drop_cells", "upper", "shuffle_columns", "blank_rows", "transpose", "truncate", "junk")


def _variant(rows: list[list], op: str, rng) -> list[list]:
    width = max(map(len, rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    if op == "drop_cells":
        return [[("" if rng.random() < 0.2 else c) for c in r] for r in rows]
    if op == "upper":
        return [[c.upper() if isinstance(c, str) else c for c in r] for r in rows]
    if op == "shuffle_columns":
        order = rng.sample(range(width), width)
        return [[r[i] for i in order] for r in rows]
    if op == "blank_rows":
        return [r for row in rows for r in ([row, []] if rng.random() < 0.2 else [row])]
    if op == "transpose":
        return [list(c) for c in zip(*rows[:60])]
    if op == "truncate":
        return rows[: rng.randrange(1, max(2, len(rows)))]
    junk = ("#N/A", "0", "-", "Rp 1.2.3", "12/13/2026", "Pasar X", "Kota Y", "Januari", "")
    return [[(rng.choice(junk) if rng.random() < 0.1 else c) for c in r] for r in rows]


def test_cut_shuffled_and_spoilt_field_files_never_crash_the_reader(tmp_path):
    rng = random.Random(7)
    sources = sorted(FIELD.iterdir()) + sorted(
        p
        for p in (Path(__file__).parent / "samples" / "prices").iterdir()
        if p.stem != "contoh_rusak" and p.stem != "contoh_bukan_spreadsheet"
    )
    for source in sources:
        if source.suffix == ".csv":
            rows = list(csv.reader(source.read_text(encoding="utf-8").splitlines()))
        else:
            rows = python_calamine.CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0).to_python()
        for op in VARIANTS:
            path = tmp_path / f"{source.stem}_{op}.csv"
            with open(path, "w", newline="", encoding="utf-8") as fh:
                csv.writer(fh).writerows(_variant(rows[:300], op, rng))
            _, verdict = judge_file(path, None, AS_OF, None)
            assert verdict.error != "internal_error", (source.name, op)


def test_a_title_naming_a_market_of_another_region_says_to_import_its_pack(tmp_path):
    v = judged("rekap_harian_produsen_2026.xlsx")  # PPU's markets: known, no such note
    assert not any("paket wilayah" in n for n in v.notes)
    book = openpyxl.load_workbook(FIELD / "rekap_harian_produsen_2026.xlsx")
    book["Okt'26"]["A1"] = "Harga Pasar Bahan Pangan Tingkat Produsen di Pasar Cempaka Kota Banjarbaru Tahun 2026"
    book.save(tmp_path / "rekap.xlsx")
    _, v = judge_file(tmp_path / "rekap.xlsx", None, AS_OF, None)
    notes = [n for n in v.notes if "paket wilayah" in n]
    assert len(notes) == 1 and "tabel baris 3: judul menyebut 'Pasar Cempaka'" in notes[0]
    assert "siharpa reference import" in notes[0]
