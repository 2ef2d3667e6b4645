"""What a dataset is, in one place: its name, what users call it, its core table, the date that says how fresh
it is, its marts, and what it means to the business. Settings (inbox folders), record specs, marts' freshness,
extracts, Dagster assets and the dashboards read it; adding a dataset is a row here plus its own spec."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str  # what users call it, in Bahasa Indonesia
    core_table: str
    date_column: str  # SQL over core_table: the day each row is about
    marts: str  # prefix of its mart tables
    monthly: bool  # one figure per month or quarter: shown by month
    meaning: str  # for the Dagster asset: what it means to the business


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "prices",
            "harga pasar",
            "core.price_observations",
            "observed_on",
            "mart.price_",
            False,
            "SIHARPA: the prices enumerators record at PPU's markets.",
        ),
        Dataset(
            "waste_deposits",
            "setoran bank sampah (Serbu Gass)",
            "core.waste_deposits",
            "deposited_on",
            "mart.waste_",
            False,
            "Serbu Gass: every deposit at a waste-bank unit (kg, rupiah, donated or saved), the basis of the "
            "active-units-vs-100 target and the waste collected per group.",
        ),
        Dataset(
            "tourism_visits",
            "kunjungan wisata (Puspita)",
            "core.tourism_visits",
            "month",
            "mart.tourism_",
            True,
            "Puspita: visits per destination per month, domestic and foreign, and entry-fee revenue.",
        ),
        Dataset(
            "calls_112",
            "log panggilan Call Center 112",
            "core.calls_112",
            "received_at::DATE",
            "mart.calls_112_",
            False,
            "Call Center 112: every call with callers as keyed hashes and numbers masked, the basis of response "
            "times, prank shares and emergencies per 10,000 residents.",
        ),
        Dataset(
            "indicator_values",
            "lembar indikator masterplan",
            "core.indicator_values",
            "period_start",
            "mart.indicator_",
            True,
            "The master plan's indicator sheets: each office's target and actual per period.",
        ),
    )
}
DATASET_NAMES = tuple(DATASETS)
RECORD_DATASETS = tuple(name for name in DATASETS if name != "prices")  # sent as record sheets (quickwins)
