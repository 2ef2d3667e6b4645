"""Regions as the unit (issue 17): a second kabupaten/kota's markets, files and indicators next to PPU's, its files
in its own inbox folder loaded by runs tagged with its region, and the dashboards' region picker."""

import dagster as dg
import pytest
from streamlit.testing.v1 import AppTest

from assets.definitions import build_definitions
from siharpa_pipeline.access import User
from siharpa_pipeline.ingest import file_id_of, import_pack, ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.uploads import inbox_folder, submit, waiting

from conftest import AS_OF, BOTH_STORAGES, published
from helpers import BALIKPAPAN, ROOT, balikpapan_pack, drop

DAY = "02/11/2026"


def price_file(path, rows: list[tuple[str, str, int]]):
    """A long CSV of (market, commodity, price) on DAY."""
    lines = ["Tanggal;Pasar;Komoditas;Satuan;Harga"] + [f"{DAY};{m};{c};kg;{p}" for m, c, p in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_balikpapan(settings: Settings, tmp_path):
    import_pack(settings, balikpapan_pack(tmp_path / "pack_balikpapan"))
    ppu = price_file(
        tmp_path / "harga_ppu.csv", [("Pasar Waru", "Beras Medium", 14000), ("Pasar Penajam", "Beras Medium", 14500)]
    )
    bpn = price_file(
        tmp_path / "harga_balikpapan.csv",
        [("Pasar Klandasan", "Beras Medium", 15000), ("Pasar Pandansari", "Beras Medium", 15500)],
    )
    return ppu, bpn


REGION_PRICES = """SELECT region_code, price_idr, n_markets FROM mart.price_ppu_daily
    WHERE commodity_id = 'beras_medium' AND observed_on = DATE '2026-11-02' ORDER BY region_code"""


@BOTH_STORAGES
def test_each_region_has_its_own_average_and_the_dashboards_show_the_chosen_one(settings, tmp_path, monkeypatch):
    ppu, bpn = with_balikpapan(settings, tmp_path)
    ingest_files([ppu, bpn], settings, as_of=AS_OF)
    publish(settings)
    assert published(settings, REGION_PRICES) == [("64.09", 14250.0, 2), (BALIKPAPAN, 15250.0, 2)]

    monkeypatch.setenv("SIHARPA_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(str(ROOT / "dashboards" / "app.py"), default_timeout=60).run()
    assert not at.exception
    picker = at.sidebar.selectbox(key="wilayah")
    assert picker.options == ["Penajam Paser Utara", "Balikpapan"] and picker.value == "64.09"
    assert "Harga rata-rata PPU" in at.subheader[0].value
    assert list(at.dataframe[0].value["Harga rata-rata"]) == ["Rp 14.250"]

    picker.set_value(BALIKPAPAN).run()
    assert not at.exception
    assert at.caption[0].value == "Kota Balikpapan — SIHARPA"
    assert "Harga rata-rata Balikpapan" in at.subheader[0].value
    assert list(at.dataframe[0].value["Harga rata-rata"]) == ["Rp 15.250"]
    at.switch_page("app_pages/harga.py").run()  # the choice holds across pages: Balikpapan's markets only
    assert at.multiselect[0].options == ["Pasar Klandasan", "Pasar Pandansari", "Pasar Kebun Sayur"]


@pytest.fixture
def defs(settings):
    return build_definitions(settings)


@BOTH_STORAGES
def test_a_region_folder_gives_runs_tagged_with_the_region(settings, defs, tmp_path):
    ppu, bpn = with_balikpapan(settings, tmp_path)
    drop(ppu, settings.inbox("prices"))
    drop(bpn, settings.inbox("prices") / BALIKPAPAN)
    instance = dg.DagsterInstance.ephemeral()
    sensor = defs.resolve_sensor_def("prices_inbox_sensor")
    result = sensor(dg.build_sensor_context(instance=instance, resources=defs.resources))
    requests = {r.tags["siharpa/file_name"]: r for r in result.run_requests}
    assert {name: r.tags["siharpa/region"] for name, r in requests.items()} == {
        "harga_ppu.csv": "64.09",
        "harga_balikpapan.csv": BALIKPAPAN,
    }
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    job = defs.resolve_job_def("price_file_job")
    for request in requests.values():
        run = job.execute_in_process(
            partition_key=request.partition_key, run_config=request.run_config, instance=instance, tags=request.tags
        )
        assert run.success
    assert not list((settings.inbox("prices") / BALIKPAPAN).glob("*.csv"))  # loaded, so it left the inbox
    assert published(settings, REGION_PRICES) == [("64.09", 14250.0, 2), (BALIKPAPAN, 15250.0, 2)]


def test_an_enumerator_of_another_region_sends_to_its_folder(settings, tmp_path):
    _, bpn = with_balikpapan(settings, tmp_path)
    user = User("rina", "Rina", "enumerator", ("pasar_klandasan", "pasar_pandansari"), password_hash="-")
    target = submit(settings, "prices", bpn.name, bpn.read_bytes(), user, file_id_of(bpn.read_bytes()))
    assert target.parent == settings.inbox("prices") / BALIKPAPAN
    assert waiting(settings, "rina") == [("prices", target)]  # a second file waits for this one
    ppu_user = User("siti", "Siti", "enumerator", ("pasar_waru",), password_hash="-")
    assert inbox_folder(settings, "prices", ppu_user) == settings.inbox("prices")
