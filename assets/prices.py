"""Price files, one dynamic partition each (key = file_id): received -> validated -> core -> serving."""

import dagster as dg

from siharpa_pipeline import quality
from siharpa_pipeline.comparisons import comparison_summary, refresh_comparisons
from siharpa_pipeline.indicators import recent_alerts, refresh_marts
from siharpa_pipeline.ingest import ReceivedFile, judge_received, store_judged
from siharpa_pipeline.packs import active_reference
from siharpa_pipeline.privacy import mask_phone_numbers
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import today_wita
from siharpa_pipeline.transactions import retried
from siharpa_pipeline.verdicts import FileVerdict

from .inbox_files import WAREHOUSE_POOL, InboxFileConfig, receive_claimed, rejection_preview, settle_claimed
from .quickwins import quick_win_indicators
from .resources import SiharpaFolders

price_files = dg.DynamicPartitionsDefinition(name="price_files")

CORE_SCHEMA_CHECK = "core_schema_matches_contract"
CORE_UNIQUE_KEYS_CHECK = "core_price_keys_unique"
FILE_REJECTION_RATE_CHECK = "file_rejection_rate"
FILE_JUMPS_CHECK = "file_day_on_day_jumps"
COVERAGE_CHECK = "markets_reporting_last_market_day"
FRESHNESS_CHECK = "price_file_freshness"


@dg.asset(partitions_def=price_files, group_name="prices", kinds={"file"})
def received_price_file(
    context: dg.AssetExecutionContext, config: InboxFileConfig, folders: SiharpaFolders
) -> dg.Output[ReceivedFile]:
    """A price sheet an enumerator sent, its original bytes kept in the archive by file_id: whatever happens
    next, what the market sent is not lost."""
    received = receive_claimed(context, config, folders)
    return dg.Output(
        received,
        metadata={"file_name": mask_phone_numbers(received.file_name), "bytes": received.archive_path.stat().st_size},
    )


@dg.asset(partitions_def=price_files, group_name="prices", kinds={"pandas", "pandera"})
def validated_price_observations(
    received_price_file: ReceivedFile, folders: SiharpaFolders
) -> dg.Output[tuple[str, FileVerdict]]:
    """The sheet read and checked against every ingestion rule and the district's reference (with the region
    packs imported): the prices that can be trusted, and each rejected cell with its reason in Bahasa
    Indonesia for the enumerator."""
    dataset, verdict = judge_received(received_price_file, None, today_wita(), active_reference(folders.settings))
    return dg.Output(
        (dataset, verdict),
        metadata={
            "status": verdict.status,
            "rows_accepted": len(verdict.accepted),
            "rows_rejected": len(verdict.rejections),
            "rows_missing": verdict.rows_missing,
            "error": verdict.error or "",
            "rejections_preview": dg.MetadataValue.md(rejection_preview(verdict)),
        },
    )


@dg.asset(
    partitions_def=price_files,
    group_name="prices",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            CORE_SCHEMA_CHECK,
            asset="core_price_observations",
            blocking=True,
            description="Tabel core sesuai kontrak kolom dan tipe.",
        ),
        dg.AssetCheckSpec(
            CORE_UNIQUE_KEYS_CHECK,
            asset="core_price_observations",
            blocking=True,
            description="Satu harga per tanggal x pasar x komoditas.",
        ),
        dg.AssetCheckSpec(
            FILE_REJECTION_RATE_CHECK,
            asset="core_price_observations",
            description="Bagian pengamatan yang ditolak dari berkas ini.",
        ),
        dg.AssetCheckSpec(
            FILE_JUMPS_CHECK,
            asset="core_price_observations",
            description="Perubahan harian di atas 50% yang perlu ditinjau.",
        ),
    ],
)
def core_price_observations(
    received_price_file: ReceivedFile, validated_price_observations: tuple[str, FileVerdict], folders: SiharpaFolders
) -> dg.MaterializeResult:
    """The district's one table of trusted prices (date x market x commodity), this file's observations merged
    in one transaction: a revised price replaces the old one, which moves to history."""
    dataset, verdict = validated_price_observations
    settings = folders.settings
    ref = active_reference(settings)
    with folders.storage.writer() as con:
        result = store_judged(con, received_price_file, dataset, verdict, ref)
        drift = quality.schema_drift(con)
        duplicates = quality.duplicate_price_keys(con)
        outcome = quality.file_outcome(con, received_price_file.file_id)
    settle_claimed(received_price_file)
    return dg.MaterializeResult(
        metadata={
            "status": result.status,
            "rows_accepted": result.rows_accepted,
            "rows_rejected": result.rows_rejected,
            "rows_missing": result.rows_missing,
            "rows_flagged": result.rows_flagged,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=CORE_SCHEMA_CHECK, passed=not drift, metadata={"problems": "; ".join(drift) or "tidak ada"}
            ),
            dg.AssetCheckResult(
                check_name=CORE_UNIQUE_KEYS_CHECK, passed=duplicates == 0, metadata={"duplicate_keys": duplicates}
            ),
            dg.AssetCheckResult(
                check_name=FILE_REJECTION_RATE_CHECK,
                severity=dg.AssetCheckSeverity.WARN,
                passed=outcome is None or outcome.rejection_rate <= quality.REJECTION_RATE_LIMIT,
                metadata={"rejection_rate": outcome.rejection_rate if outcome else 0.0},
            ),
            dg.AssetCheckResult(
                check_name=FILE_JUMPS_CHECK,
                severity=dg.AssetCheckSeverity.WARN,
                passed=outcome is None or outcome.flagged == 0,
                metadata={"rows_flagged": outcome.flagged if outcome else 0},
            ),
        ],
    )


@dg.asset(deps=[core_price_observations], group_name="prices", pool=WAREHOUSE_POOL, kinds={"duckdb"})
def price_indicators(folders: SiharpaFolders) -> dg.MaterializeResult:
    """What the inflation-control team acts on (mart.*): PPU prices, changes, disparity, volatility, HET/HAP
    breaches and early warnings, recomputed only for the commodities and dates that changed."""
    with folders.storage.writer() as con:
        refresh = retried(lambda: refresh_marts(con))
        alerts = recent_alerts(con)
    return dg.MaterializeResult(
        metadata={
            "mode": refresh.mode,
            "commodities": refresh.commodities,
            "from": str(refresh.start_on or "-"),
            "seconds": refresh.seconds,
            "alerts_last_7_days": alerts,
        }
    )


@dg.asset(deps=[price_indicators], group_name="prices", pool=WAREHOUSE_POOL, kinds={"duckdb"})
def region_comparisons(folders: SiharpaFolders) -> dg.MaterializeResult:
    """PPU's prices next to Kalimantan Timur's, the nation's and HET zone 2's (PIHPS and Panel Harga series
    loaded as comparison data), the gap in rupiah and percent, and the commodities PPU has priced above the
    nation for weeks running: what the TPID otherwise assembles by hand every week."""
    with folders.storage.writer() as con:
        retried(lambda: refresh_comparisons(con))
        rows, alerts = comparison_summary(con)
    return dg.MaterializeResult(metadata={"daily_rows": rows, "above_national_alerts": alerts})


@dg.asset(
    deps=[price_indicators, region_comparisons, quick_win_indicators],
    group_name="prices",
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(
            COVERAGE_CHECK,
            asset="serving_database",
            description="Pasar yang melapor pada hari pasar terakhir, dari pasar yang biasa buka pada hari itu.",
        ),
        dg.AssetCheckSpec(
            FRESHNESS_CHECK, asset="serving_database", description="Hari sejak berkas harga terakhir dimuat."
        ),
    ],
)
def serving_database(folders: SiharpaFolders) -> dg.MaterializeResult:
    """The read-only copy dashboards, extracts and Bappeda read, swapped in whole: readers never see a
    half-written file, and what they see is what the last load committed."""
    settings = folders.settings
    published_at = publish(settings, refresh=False)
    with folders.storage.snapshot() as con:
        cover = quality.coverage(con)
        stale = quality.days_since_last_price_file(con, today_wita())
    expected = len(cover.reporting) + len(cover.missing)
    return dg.MaterializeResult(
        metadata={
            "published_at": published_at.isoformat(timespec="seconds"),
            # the serving file's time, or the lake snapshot readers now see
            "published_version": folders.storage.published_version() or 0,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=COVERAGE_CHECK,
                severity=dg.AssetCheckSeverity.WARN,
                passed=not cover.missing,
                metadata={
                    "market_day": str(cover.market_day),
                    "reporting": len(cover.reporting),
                    "expected": expected,
                    "missing": ", ".join(cover.missing) or "-",
                },
            ),
            dg.AssetCheckResult(
                check_name=FRESHNESS_CHECK,
                severity=dg.AssetCheckSeverity.WARN,
                passed=stale is not None and stale <= quality.STALE_AFTER_DAYS,
                metadata={"days_since_last_file": -1 if stale is None else stale},
            ),
        ],
    )
