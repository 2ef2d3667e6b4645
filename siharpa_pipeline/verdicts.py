"""What judging a file produces, whatever the dataset: the accepted rows, every rejected cell with its reason
and message, the file-level error, and what kind of content it held. The readers, checks and stores share it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .messages import ribuan
from .privacy import mask_phone_numbers
from .values import map_values

MARKET, REGION = "market", "region"  # prices at markets, or a region's series (core.region_prices)
DAILY, MONTH = "hari", "bulan"

ACCEPTED_COLUMNS = ["observed_on", "place_id", "commodity_id", "price_idr", "unit", "sheet", "source_row", "obs_key"]
# column_index: the 0-based column of the cell at fault, for marking it in the sender's workbook
REJECTION_COLUMNS = [
    "sheet",
    "source_row",
    "source_column",
    "reason_code",
    "reasons",
    "raw_value",
    "message",
    "column_index",
]


# more rejected cells than this in one file is a pattern to fix, not a list to read: the file is refused whole
# (building and storing a message per cell would cost minutes and gigabytes)
MAX_REJECTIONS = 50_000


class TooManyRejections(Exception):
    """Refuse the file whole; the message counts the reasons and quotes the first one."""

    def __init__(self, reasons: pd.Series, example: str):
        counts = reasons.value_counts()
        summary = ", ".join(f"{code} {ribuan(count)}" for code, count in counts.head(3).items())
        self.message = (
            f"Terlalu banyak sel ditolak ({ribuan(len(reasons))}; paling banyak {ribuan(MAX_REJECTIONS)}"
            f" per berkas): {summary}. Contoh: {example} Perbaiki pola kesalahannya lalu kirim lagi."
        )
        super().__init__(self.message)


def _masked(value: object) -> object:
    return mask_phone_numbers(value) if isinstance(value, str) else value


@dataclass
class FileVerdict:
    accepted: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACCEPTED_COLUMNS))
    rejections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTION_COLUMNS))
    rows_missing: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    error_message: str | None = None
    level: str = MARKET
    period: str = DAILY
    source: str | None = None  # a region's series: pihps, panel_harga or lainnya
    price_level: str = "konsumen"
    reference_version: str = "bawaan"  # the facts (with region packs) that judged the file

    def __post_init__(self) -> None:
        """What a verdict says is shown and stored: no phone number a sender typed anywhere goes with it."""
        frame = self.rejections
        for column in ("sheet", "source_column", "raw_value", "message"):
            if column in frame and len(frame):
                frame[column] = map_values(frame[column].to_numpy(dtype=object), _masked)
        self.notes = [mask_phone_numbers(n) for n in self.notes]
        self.error_message = mask_phone_numbers(self.error_message)

    @property
    def rows_flagged(self) -> int:
        """Flags known from the file alone (a waste value that is not weight x price); price jumps need the
        warehouse and are counted when the file is stored."""
        return int(self.accepted["flags"].notna().sum()) if "flags" in self.accepted else 0

    @property
    def status(self) -> str:
        if self.error:
            return "failed"
        if len(self.rejections) == 0:
            return "loaded"
        return "partially_loaded" if len(self.accepted) else "rejected"
