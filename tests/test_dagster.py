"""The Dagster layer on an ephemeral instance: assets called directly, materialized, the sensor, the file flow."""

import datetime as dt
import json
import os

import dagster as dg
import pytest

from assets import prices
from assets.definitions import build_definitions
from assets.resources import SiharpaFolders
from siharpa_pipeline.ingest import ingest_files, receive
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.storage import storage

from conftest import BOTH_STORAGES, PRICE_SAMPLES, SAMPLES, published
from helpers import drop, load_from_inbox

WARU = PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"
PROBLEMS = PRICE_SAMPLES / "contoh_isian_bermasalah.xlsx"


@pytest.fixture
def defs(settings):
    return build_definitions(settings)


@pytest.fixture
def instance():
    return dg.DagsterInstance.ephemeral()


def tick(defs, instance, cursor=None):
    """One sensor evaluation; registers the partitions it asks for, as the daemon would."""
    sensor = defs.resolve_sensor_def("prices_inbox_sensor")
    result = sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources=defs.resources))
    for request in result.dynamic_partitions_requests:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def execute(defs, instance, request):
    job = defs.resolve_job_def("price_file_job")
    return job.execute_in_process(
        partition_key=request.partition_key,
        run_config=request.run_config,
        instance=instance,
        tags={"dagster/run_key": request.run_key},
        raise_on_error=False,
    )


def checks(result) -> dict[str, bool]:
    return {
        e.event_specific_data.check_name: e.event_specific_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def test_validation_asset_called_directly_reports_rejections(settings):
    received = receive(settings, PROBLEMS)
    output = prices.validated_price_observations(received, SiharpaFolders(data_dir=str(settings.data_dir)))
    dataset, verdict = output.value
    assert dataset == "prices" and len(verdict.accepted) == 5
    assert output.metadata["rows_rejected"].value == 11
    preview = output.metadata["rejections_preview"].value
    assert "| Input | 8 | Harga | non_positive_price |" in preview


@BOTH_STORAGES
def test_materialize_one_file_partition(settings, defs, instance):
    inbox_file = drop(WARU, settings.inbox("prices"))
    file_id = receive(settings, inbox_file).file_id
    instance.add_dynamic_partitions("price_files", [file_id])
    result = dg.materialize(
        [
            prices.received_price_file,
            prices.validated_price_observations,
            prices.core_price_observations,
            prices.price_indicators,
            prices.serving_database,
        ],
        partition_key=file_id,
        instance=instance,
        resources=defs.resources,
        run_config={"ops": {"received_price_file": {"config": {"inbox_path": str(inbox_file)}}}},
    )
    assert result.success
    assert checks(result) == {
        "core_schema_matches_contract": True,
        "core_price_keys_unique": True,
        "file_rejection_rate": True,
        "file_day_on_day_jumps": True,
        "markets_reporting_last_market_day": False,  # only Pasar Waru reported
        "price_file_freshness": True,
    }
    [(price,)] = published(
        settings,
        "SELECT price_idr FROM core.price_observations WHERE market_id = "
        "'pasar_waru' AND commodity_id = 'beras_medium' AND observed_on = DATE '2026-11-02'",
    )
    assert float(price) == 18000.0
    assert not inbox_file.exists()  # left the inbox once its load committed
    meta = result.asset_materializations_for_node("core_price_observations")[0].metadata
    assert meta["rows_accepted"].value == 140
    indicators = result.asset_materializations_for_node("price_indicators")[0].metadata
    assert (indicators["mode"].value, indicators["commodities"].value) == ("full", 14)
    [(ppu,)] = published(
        settings,
        "SELECT price_idr FROM mart.price_ppu_daily WHERE commodity_id = "
        "'beras_medium' AND observed_on = DATE '2026-11-02'",
    )
    assert ppu == 18000.0  # one market reported: the PPU price is its price


@BOTH_STORAGES
def test_sensor_requests_each_new_file_once_and_keeps_a_cursor(settings, defs, instance):
    drop(WARU, settings.inbox("prices"))
    drop(PROBLEMS, settings.inbox("prices"))
    first = tick(defs, instance)
    assert len(first.run_requests) == 2
    assert set(instance.get_dynamic_partitions("price_files")) == {r.partition_key for r in first.run_requests}
    assert tick(defs, instance, first.cursor).run_requests == []  # a restart does not rescan

    results = [execute(defs, instance, r) for r in first.run_requests]
    assert all(r.success for r in results)
    assert [p for p in settings.inbox("prices").iterdir() if p.is_file()] == []  # both left the inbox
    after = tick(defs, instance, first.cursor)
    assert after.run_requests == [] and json.loads(after.cursor) == {}

    # a file dropped while Dagster was down is requested at the next look
    drop(PRICE_SAMPLES / "rekap_harga_harian_2026-11-09.xlsx", settings.inbox("prices"))
    later = tick(defs, instance, after.cursor)
    assert [r.tags["siharpa/file_name"] for r in later.run_requests] == ["rekap_harga_harian_2026-11-09.xlsx"]
    later_run = execute(defs, instance, later.run_requests[0])
    assert later_run.success
    refresh = later_run.asset_materializations_for_node("price_indicators")[0].metadata
    assert refresh["mode"].value == "incremental" and refresh["from"].value == "2026-11-09"
    [(files,)] = published(settings, "SELECT count(*) FROM audit.files WHERE status <> 'duplicate'")
    assert files == 3


@BOTH_STORAGES
def test_failed_run_is_requested_again_and_succeeds(settings, defs, instance):
    inbox_file = drop(WARU, settings.inbox("prices"))
    original = inbox_file.read_bytes()
    first = tick(defs, instance)
    # the bytes change after registration (same size and time): the run fails, nothing is loaded
    stat = inbox_file.stat()
    inbox_file.write_bytes(original.replace(b"Petugas A", b"Petugas B"))
    os.utime(inbox_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not execute(defs, instance, first.run_requests[0]).success
    assert storage(settings).published_version() is None

    inbox_file.write_bytes(original)
    os.utime(inbox_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    retry = tick(defs, instance, first.cursor)
    assert [r.run_key for r in retry.run_requests] == [first.run_requests[0].run_key.replace(":1", ":2")]
    assert execute(defs, instance, retry.run_requests[0]).success
    [(n,)] = published(settings, "SELECT count(*) FROM core.price_observations")
    assert n == 140


@BOTH_STORAGES
def test_daily_publish_job_runs_without_new_files(settings, defs, instance):
    ingest_files([WARU], settings, as_of=dt.date(2026, 11, 28))
    assert storage(settings).published_version() is None
    result = defs.resolve_job_def("publish_job").execute_in_process(instance=instance)
    assert result.success
    [(n,)] = published(settings, "SELECT count(*) FROM core.price_observations")
    assert n == 140
    schedule = defs.resolve_schedule_def("daily_publish")
    assert schedule.cron_schedule == "0 14 * * *" and schedule.execution_timezone == "Asia/Makassar"


def test_a_failed_blocking_check_stops_the_publish(settings, defs, instance):
    with storage(settings).writer() as con:  # someone changed a published column's type by hand
        con.execute("ALTER TABLE core.price_observations ALTER flags TYPE INTEGER")
    drop(WARU, settings.inbox("prices"))
    [request] = tick(defs, instance).run_requests
    result = execute(defs, instance, request)
    assert checks(result)["core_schema_matches_contract"] is False
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "core_price_observations" in materialized
    assert "serving_database" not in materialized and storage(settings).published_version() is None


@pytest.mark.parametrize("settings", ["lake"], indirect=True)
def test_a_duplicate_key_on_a_lake_fails_the_blocking_check_and_nothing_is_published(settings, defs, instance):
    """A lake has no PRIMARY KEY: a second row for a key (written by hand, or by a writer gone wrong) is caught
    by the blocking check, and readers keep the last publication."""
    ingest_files([WARU], settings, as_of=dt.date(2026, 11, 28))
    publish(settings)
    version = storage(settings).published_version()
    with storage(settings).writer() as con:
        con.execute("INSERT INTO core.price_observations SELECT * FROM core.price_observations LIMIT 1")
    drop(PRICE_SAMPLES / "rekap_harga_harian_2026-11-09.xlsx", settings.inbox("prices"))
    [request] = tick(defs, instance).run_requests
    result = execute(defs, instance, request)
    assert checks(result)["core_price_keys_unique"] is False
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "serving_database" not in materialized
    assert storage(settings).published_version() == version


@BOTH_STORAGES
def test_a_waste_file_in_its_inbox_reaches_the_master_plan_marts(settings, defs, instance):
    drop(SAMPLES / "quick_wins" / "setoran_bank_sampah_2026-10.xlsx", settings.inbox("waste_deposits"))
    _, result = load_from_inbox(defs, instance, "waste_deposits", "waste_deposits_file_job")
    assert result.success
    assert checks(result) == {
        "core_schema_matches_contract": True,
        "file_rejection_rate": True,
        "markets_reporting_last_market_day": False,
        "price_file_freshness": False,
    }
    assert published(settings, "SELECT active_units FROM mart.waste_units_monthly") == [(64,)]
    assert not (settings.inbox("waste_deposits") / "setoran_bank_sampah_2026-10.xlsx").exists()
