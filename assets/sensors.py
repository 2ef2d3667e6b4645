"""Inbox sensors: one per dataset folder, one run per new file, and a new run for a file whose run died."""

from __future__ import annotations

import hashlib
import json
import os
import time

import dagster as dg

from siharpa_pipeline import inbox
from siharpa_pipeline.ingest import file_id_of
from siharpa_pipeline.privacy import mask_phone_numbers

from .resources import SiharpaFolders

MAX_ATTEMPTS = 3
FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


def _grace_seconds() -> float:
    """How long a started run may go without claiming its file before it is taken for dead."""
    return float(os.environ.get("SIHARPA_DEAD_RUN_GRACE_S", "120"))


def _run_died(instance: dg.DagsterInstance, run_key: str, item: inbox.InboxFile) -> bool:
    """The file is still in the inbox (no committed load) and its run failed, or started long ago and no live
    process holds the file's claim (a killed worker; the default run launcher cannot tell, so we mark it)."""
    records = instance.get_run_records(filters=dg.RunsFilter(tags={"dagster/run_key": run_key}), limit=1)
    if not records:
        return False
    record = records[0]
    run = record.dagster_run
    if run.status in FAILED:
        return True
    started = record.start_time or record.create_timestamp.timestamp()
    if (
        run.status == dg.DagsterRunStatus.STARTED
        and time.time() - started > _grace_seconds()
        and not inbox.is_claimed(item.path)
    ):
        instance.report_run_failed(run, "The run's process ended without finishing; its file is requested again.")
        return True
    return False


def build_inbox_sensor(
    dataset: str, job: dg.UnresolvedAssetJobDefinition, partitions: dg.DynamicPartitionsDefinition, first_asset: str
) -> dg.SensorDefinition:
    @dg.sensor(
        name=f"{dataset}_inbox_sensor",
        job=job,
        minimum_interval_seconds=10,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Watches data/inbox/{dataset}/ (and its region folders) and requests one run per file, "
        "tagged with its region.",
    )
    def _sensor(context: dg.SensorEvaluationContext, folders: SiharpaFolders) -> dg.SensorResult:
        # cursor: fingerprint -> {file_id, attempt}; only files still in the inbox are kept, so a restart
        # neither rescans what was loaded nor forgets what is still waiting
        seen = json.loads(context.cursor) if context.cursor else {}
        cursor, requests, new_keys = {}, [], []
        for item in inbox.pending(folders.settings, dataset):
            entry = seen.get(item.fingerprint)
            if entry is None:
                entry = {
                    "file_id": file_id_of(item.path.read_bytes()),
                    "attempt": 1,
                    "name": hashlib.sha256(item.path.name.encode()).hexdigest()[:12],
                }
                new_keys.append(entry["file_id"])
            elif entry["attempt"] < MAX_ATTEMPTS and _run_died(context.instance, _run_key(entry), item):
                entry = {**entry, "attempt": entry["attempt"] + 1}
            else:
                cursor[item.fingerprint] = entry
                continue
            cursor[item.fingerprint] = entry
            requests.append(
                dg.RunRequest(
                    run_key=_run_key(entry),
                    partition_key=entry["file_id"],
                    run_config={"ops": {first_asset: {"config": _file_config(item)}}},
                    tags={
                        "siharpa/dataset": dataset,
                        "siharpa/region": item.region,  # one writer per region (tag concurrency limit)
                        "siharpa/file_name": mask_phone_numbers(item.path.name),
                    },
                )
            )
        return dg.SensorResult(
            run_requests=requests,
            cursor=json.dumps(cursor, sort_keys=True),
            dynamic_partitions_requests=[partitions.build_add_request(sorted(set(new_keys)))] if new_keys else [],
        )

    return _sensor


def _file_config(item: inbox.InboxFile) -> dict:
    """The file's path, and for an upload who sent it and the markets they may send prices for."""
    config = {"inbox_path": str(item.path)}
    sender = inbox.submission_of(item.path)
    if sender:
        config.update(submitted_by=sender["submitted_by"], assigned_markets=sender["assigned_markets"])
    return config


def _run_key(entry: dict) -> str:
    """The bytes, the name (byte-identical files named for other markets or days are other submissions) and
    the attempt."""
    return f"{entry['file_id']}-{entry.get('name', '')}:{entry['attempt']}"
