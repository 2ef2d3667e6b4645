import datetime as dt

import pandas as pd
from streamlit.testing.v1 import AppTest

from siharpa_pipeline.demo import load_demo, simulate, write_demo_files
from siharpa_pipeline.extracts import Scope, build_extract
from siharpa_pipeline.reference import load_reference

from conftest import query
from helpers import ROOT

END = dt.date(2026, 11, 27)


def test_demo_is_deterministic_and_realistic(tmp_path):
    a = write_demo_files(tmp_path / "a", years=1, end=END)
    b = write_demo_files(tmp_path / "b", years=1, end=END)
    assert [f.path.name for f in a] == [f.path.name for f in b]
    assert all(x.path.read_bytes() == y.path.read_bytes() for x, y in zip(a, b) if x.path.suffix == ".csv")
    names = {f.path.name for f in a}
    assert {
        "harga_pasar_waru_2026-11.csv",
        "harga_pasar_induk_petung_2026-11.xlsx",
        "rekap_pasar_mingguan_2026-11.xlsx",
    } <= names

    cells = simulate(END)
    assert cells["observed_on"].min() <= dt.date(END.year - 5, END.month, 1)  # at least 5 years available
    chilli = cells[
        (cells.commodity_id == "cabai_rawit_merah")
        & (cells.market_id == "pasar_penajam")
        & cells.cell.map(lambda v: isinstance(v, float) and v < 300000)
    ]
    monthly = chilli.groupby(pd.to_datetime(chilli.observed_on).dt.month).cell.mean()
    assert monthly.max() / monthly.min() > 1.4  # seasonal chilli swings
    kamis = cells[cells.market_id == "pasar_kamis_semoi_dua"]
    assert set(pd.to_datetime(kamis.observed_on).dt.day_name()) == {"Thursday"}  # a weekly market
    days = cells[cells.market_id == "pasar_waru"].observed_on.nunique()
    assert days < (END - cells.observed_on.min()).days * 0.99  # whole-day gaps
    assert (cells.cell == "naik").sum() > 0 and (cells.cell == "-").sum() > 0  # entry errors, missing cells


def test_load_demo_bulk_and_inbox(settings, monkeypatch):
    monkeypatch.setenv("SIHARPA_PII_KEY", "demo-test-key-0123456789")
    summary = load_demo(settings, years=0, end=END, inbox_files=2)
    assert "berkas dimuat" in summary
    queued = sorted(p.name for p in settings.inbox("prices").iterdir())
    assert len(queued) == 2
    assert queued == ["harga_pasar_sebakung_jaya_2026-11.xlsx", "rekap_pasar_mingguan_2026-11.xlsx"]
    markets = {m for (m,) in query(settings.serving_path, "SELECT DISTINCT market_id FROM core.price_observations")}
    assert markets == {
        "pasar_waru",
        "pasar_sepan",
        "pasar_sri_raharja",
        "pasar_induk_petung",
        "pasar_penajam",
        "pasar_induk_babulu",
    }
    [(files, accepted, stored)] = query(
        settings.serving_path,
        "SELECT count(*), sum(rows_accepted), (SELECT count(*) FROM core.price_observations) "
        "FROM audit.files WHERE submitted_by = 'demo' AND dataset = 'prices'",
    )
    assert files == 8 and accepted > stored > 6 * 20 * 20
    # Kalimantan Timur's and the nation's series load as comparison data, and the page shows them
    compared = dict(query(settings.serving_path, "SELECT region_code, count(*) FROM core.region_prices GROUP BY 1"))
    assert set(compared) == {"64", "00"} and compared["64"] == compared["00"] > 20 * 20
    assert accepted == stored + sum(compared.values())
    [(flagged, rejected)] = query(
        settings.serving_path, "SELECT sum(rows_flagged), sum(rows_rejected) FROM audit.files"
    )
    assert flagged > 0 and rejected > 0  # the demo carries entry errors of both kinds
    users = (settings.data_dir / "users.toml").read_text()
    assert '[users."petugas_waru"]' in users and "password_hash" in users
    secrets_file = settings.data_dir / "demo_users.txt"
    assert secrets_file.stat().st_mode & 0o777 == 0o600 and len(secrets_file.read_text().splitlines()) == 3
    quick_wins = dict(query(settings.serving_path, "SELECT dataset, last_data_on FROM mart.dataset_freshness"))
    assert quick_wins == {
        "prices": END,
        "waste_deposits": dt.date(2026, 10, 31),
        "calls_112": dt.date(2026, 10, 31),
        "tourism_visits": dt.date(2026, 10, 1),
        "indicator_values": dt.date(2026, 10, 1),
    }
    # what make run shows: the Master Plan page from the demo data alone, and an extract of it for Bappeda
    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/perbandingan.py").run()
    assert not at.exception and not at.info
    assert {r["Wilayah"] for r in at.dataframe[0].value.to_dict("records")} == {"Nasional", "Kalimantan Timur"}
    at.switch_page("app_pages/masterplan.py").run()
    assert not at.exception and not at.info
    assert {m.label for m in at.metric} >= {
        "Unit aktif Okt 2026",
        "Kunjungan Okt 2026",
        "Sampah terkumpul",
        "Komoditas dipantau (30 hari)",
        "Panggilan per hari (30 hari)",
    }
    assert len([t for t in at.dataframe if "Indikator" in t.value.columns]) == 2  # governance and living
    entries = build_extract(settings, settings.data_dir / "bappeda.duckdb", Scope())
    assert (
        {e.table_name: e.row_count for e in entries}["core.calls_112"]
        == query(settings.serving_path, "SELECT count(*) FROM core.calls_112")[0][0]
        > 1000
    )


def test_demo_prices_stand_near_kalimantan_timur_levels():
    """A fresh install looks like PPU, not like a crisis: in the demo's last month at most a few commodities
    stand above their HET/HAP at the median market."""
    cells = simulate(END)
    recent = cells[cells["observed_on"] >= dt.date(2026, 11, 1)]
    median = (
        recent.assign(price=pd.to_numeric(recent["cell"], errors="coerce")).groupby("commodity_id")["price"].median()
    )
    above = [c for c, limit in current_references().items() if c in median and median[c] > limit]
    assert len(above) <= 3, above
    assert 13_000 <= median["beras_medium"] <= 14_500  # HET zone 2: Rp 14.000


def current_references() -> dict[str, float]:
    prices = load_reference().reference_prices
    current = prices[prices["valid_to"].isna() & prices["zone"].isin(["2", "national"])]
    return current.groupby("commodity_id")["upper_idr"].max().to_dict()
