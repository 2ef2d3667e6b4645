"""A lake's upkeep (only when SIHARPA_LAKE is set): every night the small files of the day's loads are merged and
what no snapshot needs any more is deleted."""

import dagster as dg

from siharpa_pipeline.lake import maintain

from .resources import SiharpaFolders

KEEP_DAYS = 7  # snapshots and unused files younger than this stay (time travel, loads still running)


@dg.op
def maintain_lake(context: dg.OpExecutionContext, folders: SiharpaFolders) -> None:
    """Small Parquet files merged, snapshots older than a week (never the published one) let go, unused files
    deleted: the lake stays quick to read and its folder does not grow without bound."""
    done = maintain(folders.settings, KEEP_DAYS)
    context.log.info(f"merged {done.merged}, expired {done.expired} snapshots, deleted {done.deleted} files")


@dg.job(description="The lake's nightly upkeep: merge small files, expire old snapshots, delete unused files.")
def maintenance_job() -> None:
    maintain_lake()


nightly_maintenance = dg.ScheduleDefinition(
    name="nightly_lake_maintenance",
    job=maintenance_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Makassar",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 WITA, when no enumerator is sending.",
)
