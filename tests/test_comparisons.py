"""PPU next to Kalimantan Timur and the nation: gaps computed by hand on a small fixture."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from streamlit.testing.v1 import AppTest

from siharpa_pipeline.extracts import Scope, build_extract
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish

from conftest import query

AS_OF = dt.date(2026, 11, 29)
APP = os.path.join(os.path.dirname(__file__), "..", "dashboards", "app.py")
MONDAYS = [dt.date(2026, 10, 12) + dt.timedelta(weeks=w) for w in range(5)]


@pytest.fixture
def compared(settings, tmp_path):
    ppu = ["Tanggal;Pasar;Komoditas;Satuan;Harga"]
    national = ["Tanggal,Komoditas,Satuan,Harga"]
    for week, day in enumerate(MONDAYS):
        # PPU: the mean of two markets; above the nation for four weeks, then below
        ppu += [
            f"{day:%d/%m/%Y};Pasar Waru;Beras Medium;kg;15000",
            f"{day:%d/%m/%Y};Pasar Penajam;Beras Medium;kg;16000",
        ]
        national.append(f"{day:%d/%m/%Y},Beras Medium,Rp/kg,{14000 if week < 4 else 16500}")
    (tmp_path / "harga_ppu.csv").write_text("\n".join(ppu) + "\n", encoding="utf-8")
    (tmp_path / "harga_nasional.csv").write_text("\n".join(national) + "\n", encoding="utf-8")
    # PIHPS varieties of Kalimantan Timur, both compared with beras_medium: their mean is the province's price
    (tmp_path / "pihps_kalimantan_timur.csv").write_text(
        'No,Komoditas (Rp),02/ 11/ 2026\n1,Beras Kualitas Medium I,"15,000"\n2,Beras Kualitas Medium II,"14,000"\n',
        encoding="utf-8",
    )
    results = ingest_files(sorted(tmp_path.glob("*.csv")), settings, as_of=AS_OF)
    assert [r.status for r in results] == ["loaded"] * 3, [r.error_message or r.rejections for r in results]
    publish(settings)
    return settings


def test_daily_gaps_to_the_nation_and_the_province(compared):
    rows = query(
        compared.serving_path,
        """
        SELECT region_code, ppu_price_idr, region_price_idr, gap_idr, round(gap_pct, 3), source
        FROM mart.region_comparison_daily WHERE observed_on = '2026-11-02' AND commodity_id = 'beras_medium'
        ORDER BY region_code""",
    )
    assert rows == [("00", 15500, 14000, 1500, 10.714, "panel_harga"), ("64", 15500, 14500, 1000, 6.897, "pihps")]


def test_monthly_gap_from_daily_series(compared):
    rows = query(
        compared.serving_path,
        """
        SELECT month, region_code, ppu_price_idr, region_price_idr, gap_idr FROM mart.region_comparison_monthly
        WHERE commodity_id = 'beras_medium' ORDER BY month, region_code""",
    )
    # October: three Mondays at 14,000 nationally; November: 14,000 and 16,500
    assert rows == [
        (dt.date(2026, 10, 1), "00", 15500, 14000, 1500),
        (dt.date(2026, 11, 1), "00", 15500, 15250, 250),
        (dt.date(2026, 11, 1), "64", 15500, 14500, 1000),
    ]


def test_above_the_nation_four_weeks_running_is_an_alert(compared):
    rows = query(
        compared.serving_path,
        """
        SELECT week, above, weeks_above, alert FROM mart.region_above_national_weekly
        WHERE commodity_id = 'beras_medium' ORDER BY week""",
    )
    assert rows == [
        (MONDAYS[0], True, 1, False),
        (MONDAYS[1], True, 2, False),
        (MONDAYS[2], True, 3, False),
        (MONDAYS[3], True, 4, True),
        (MONDAYS[4], False, 0, False),
    ]


def test_the_page_shows_ppu_against_the_nation_and_the_province(compared, monkeypatch):
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(compared.data_dir))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/perbandingan.py").run()
    assert not at.exception, at.exception
    latest = at.dataframe[0].value
    assert latest.to_dict("records") == [
        {
            "Wilayah": "Nasional",
            "Harga PPU": "Rp 15.500",
            "Harga wilayah": "Rp 16.500",
            "Selisih": "-Rp 1.000",
            "Selisih (%)": "-6,1%",
            "Sumber": "Panel Harga",
        }
    ]
    assert "Tidak ada komoditas" in at.success[0].value
    at.radio[0].set_value("Bulanan").run()
    monthly = at.dataframe[0].value
    assert monthly[["Wilayah", "Selisih", "Selisih (%)"]].values.tolist() == [
        ["Nasional", "Rp 250", "1,6%"],
        ["Kalimantan Timur", "Rp 1.000", "6,9%"],
    ]


def test_without_comparison_data_the_page_says_which_file_to_send(settings, monkeypatch):
    publish(settings)
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/perbandingan.py").run()
    assert not at.exception and "PIHPS" in at.info[0].value and "Panel Harga" in at.info[0].value


def test_extracts_carry_region_prices_and_the_comparison_marts(compared):
    entries = build_extract(compared, compared.data_dir / "bappeda.duckdb", Scope(datasets=("prices",)))
    counts = {e.table_name: e.row_count for e in entries}
    assert counts["core.region_prices"] == 5 + 2  # five national Mondays, two Kalimantan Timur varieties
    assert counts["mart.region_comparison_daily"] == 6 and counts["mart.region_comparison_monthly"] == 3
    assert counts["mart.region_above_national_weekly"] == 5 and counts["ref.regions"] > 552
