"""The other quick wins' files (waste deposits, tourism visits, 112 logs, indicator sheets): one dynamic
partition per file, loaded in one asset each, then their indicators."""

import dagster as dg

from siharpa_pipeline import quality
from siharpa_pipeline.datasets import DATASETS, RECORD_DATASETS
from siharpa_pipeline.ingest import judge_received, store_judged
from siharpa_pipeline.packs import active_reference
from siharpa_pipeline.privacy import mask_phone_numbers
from siharpa_pipeline.quickwin_marts import refresh_quick_win_marts
from siharpa_pipeline.settings import today_wita
from siharpa_pipeline.transactions import retried

from .inbox_files import WAREHOUSE_POOL, InboxFileConfig, receive_claimed, rejection_preview, settle_claimed
from .resources import SiharpaFolders

SCHEMA_CHECK = "core_schema_matches_contract"
REJECTION_RATE_CHECK = "file_rejection_rate"


def build_record_file_asset(dataset: str) -> tuple[dg.AssetsDefinition, dg.DynamicPartitionsDefinition]:
    partitions = dg.DynamicPartitionsDefinition(name=f"{dataset}_files")
    table = DATASETS[dataset].core_table

    @dg.asset(
        name=f"core_{dataset}",
        partitions_def=partitions,
        group_name="quick_wins",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb", "pandera"},
        description=f"{DATASETS[dataset].meaning} One file, archived, checked and loaded in one transaction; a "
        "corrected file replaces the rows it corrects.",
        check_specs=[
            dg.AssetCheckSpec(
                SCHEMA_CHECK,
                asset=f"core_{dataset}",
                blocking=True,
                description="Tabel core sesuai kontrak kolom dan tipe.",
            ),
            dg.AssetCheckSpec(
                REJECTION_RATE_CHECK, asset=f"core_{dataset}", description="Bagian baris yang ditolak dari berkas ini."
            ),
        ],
    )
    def _asset(
        context: dg.AssetExecutionContext, config: InboxFileConfig, folders: SiharpaFolders
    ) -> dg.MaterializeResult:
        received = receive_claimed(context, config, folders)
        ref = active_reference(folders.settings)
        found, verdict = judge_received(received, dataset, today_wita(), ref)
        with folders.storage.writer() as con:
            result = store_judged(con, received, found, verdict, ref)
            drift = quality.schema_drift(con, prefix=table)
            outcome = quality.file_outcome(con, received.file_id)
        settle_claimed(received)
        return dg.MaterializeResult(
            metadata={
                "file_name": mask_phone_numbers(received.file_name),
                "status": result.status,
                "rows_accepted": result.rows_accepted,
                "rows_rejected": result.rows_rejected,
                "rows_flagged": result.rows_flagged,
                "rejections_preview": dg.MetadataValue.md(rejection_preview(verdict)),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name=SCHEMA_CHECK, passed=not drift, metadata={"problems": "; ".join(drift) or "tidak ada"}
                ),
                dg.AssetCheckResult(
                    check_name=REJECTION_RATE_CHECK,
                    severity=dg.AssetCheckSeverity.WARN,
                    passed=outcome is None or outcome.rejection_rate <= quality.REJECTION_RATE_LIMIT,
                    metadata={"rejection_rate": outcome.rejection_rate if outcome else 0.0},
                ),
            ],
        )

    return _asset, partitions


RECORD_FILES = {dataset: build_record_file_asset(dataset) for dataset in RECORD_DATASETS}


@dg.asset(
    deps=[asset for asset, _ in RECORD_FILES.values()], group_name="quick_wins", pool=WAREHOUSE_POOL, kinds={"duckdb"}
)
def quick_win_indicators(folders: SiharpaFolders) -> dg.MaterializeResult:
    """The Master Plan page's numbers (mart.waste_*, tourism_monthly, calls_112_*, indicator_achievement,
    dataset_freshness): active waste-bank units vs 100, visits and their growth, 112 response times and
    prank shares, each office's achievement against target, and how fresh each dataset is."""
    with folders.storage.writer() as con:
        rebuilt = retried(lambda: refresh_quick_win_marts(con))
    return dg.MaterializeResult(metadata={"rebuilt": rebuilt})
