"""What every file-loading asset shares: the inbox file's claim for the life of the run, and the rejection
preview shown as run metadata (phone numbers masked)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from siharpa_pipeline import inbox
from siharpa_pipeline.ingest import ReceivedFile, receive
from siharpa_pipeline.privacy import mask_phone_numbers
from siharpa_pipeline.verdicts import FileVerdict

from .resources import SiharpaFolders

WAREHOUSE_POOL = "warehouse_writer"  # one writer at a time: the pool's limit is 1 (dagster.yaml)
PREVIEW_ROWS = 20
_claims: dict[str, int] = {}  # file_id -> claim on the inbox file, for the life of this run's process


class InboxFileConfig(dg.Config):
    inbox_path: str
    submitted_by: str | None = None
    assigned_markets: list[str] | None = None  # an enumerator's upload: rows for other markets are rejected


def receive_claimed(
    context: dg.AssetExecutionContext, config: InboxFileConfig, folders: SiharpaFolders
) -> ReceivedFile:
    """Claim the inbox file (held until its load commits, or the process dies), then archive its bytes."""
    path = Path(config.inbox_path)
    if context.partition_key not in _claims:
        try:
            _claims[context.partition_key] = inbox.claim(path)
        except inbox.AlreadyClaimed:
            raise dg.Failure(f"{mask_phone_numbers(path.name)} is being loaded by another run.") from None
    received = receive(folders.settings, path, config.submitted_by, config.assigned_markets)
    if received.file_id != context.partition_key:
        raise dg.Failure(
            f"{mask_phone_numbers(received.file_name)} changed after it was registered; it will be received again."
        )
    return received


def settle_claimed(received: ReceivedFile) -> None:
    """The load committed: the file leaves the inbox and its claim is let go."""
    if received.source_path is not None:
        inbox.settle(received.source_path)
    if received.file_id in _claims:
        inbox.release(_claims.pop(received.file_id))


def rejection_preview(verdict: FileVerdict) -> str:
    if verdict.error:
        return mask_phone_numbers(verdict.error_message or verdict.error)
    if verdict.rejections.empty:
        return "Tidak ada sel yang ditolak."
    lines = ["| lembar | baris | kolom | alasan | pesan |", "|---|---|---|---|---|"]
    for r in verdict.rejections.head(PREVIEW_ROWS).itertuples():
        cells = [r.sheet, str(r.source_row), r.source_column or "", r.reason_code, r.message]
        lines.append("| " + " | ".join(mask_phone_numbers(c).replace("|", "/") for c in cells) + " |")
    more = len(verdict.rejections) - PREVIEW_ROWS
    return "\n".join(lines + ([f"\n… dan {more} lagi"] if more > 0 else []))
