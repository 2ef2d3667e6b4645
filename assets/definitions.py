"""Dagster definitions: `dagster dev -w workspace.yaml` loads `defs` from this module."""

from __future__ import annotations

import dagster as dg

from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import lake_configured

from . import lake, prices, quickwins
from .resources import build_resources
from .sensors import build_inbox_sensor

PRICE_ASSETS = [
    prices.received_price_file,
    prices.validated_price_observations,
    prices.core_price_observations,
    prices.price_indicators,
    prices.region_comparisons,
    prices.serving_database,
]
PUBLISH_ASSETS = [
    prices.price_indicators,
    prices.region_comparisons,
    quickwins.quick_win_indicators,
    prices.serving_database,
]

price_file_job = dg.define_asset_job(
    "price_file_job",
    selection=PRICE_ASSETS,
    description="One received price file: archive, validate, load, publish.",
)
record_file_jobs = {
    dataset: dg.define_asset_job(
        f"{dataset}_file_job",
        selection=[asset, quickwins.quick_win_indicators, prices.serving_database],
        description=f"One received {dataset} file: archive, validate, load, refresh its indicators, publish.",
    )
    for dataset, (asset, _) in quickwins.RECORD_FILES.items()
}
publish_job = dg.define_asset_job(
    "publish_job",
    selection=PUBLISH_ASSETS,
    description="Refresh what derives from the core tables and publish the serving file.",
)
daily_publish = dg.ScheduleDefinition(
    name="daily_publish",
    job=publish_job,
    cron_schedule="0 14 * * *",
    execution_timezone="Asia/Makassar",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 14:00 WITA, after the enumerators' morning files, even when none arrived.",
)


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    sensors = [build_inbox_sensor("prices", price_file_job, prices.price_files, "received_price_file")]
    sensors += [
        build_inbox_sensor(dataset, record_file_jobs[dataset], partitions, asset.key.path[-1])
        for dataset, (asset, partitions) in quickwins.RECORD_FILES.items()
    ]
    on_lake = lake_configured()
    return dg.Definitions(
        assets=PRICE_ASSETS + [quickwins.quick_win_indicators] + [a for a, _ in quickwins.RECORD_FILES.values()],
        jobs=[price_file_job, publish_job, *record_file_jobs.values()] + ([lake.maintenance_job] if on_lake else []),
        sensors=sensors,
        schedules=[daily_publish] + ([lake.nightly_maintenance] if on_lake else []),
        resources=build_resources(settings),
        executor=dg.in_process_executor,
    )


defs = build_definitions()
