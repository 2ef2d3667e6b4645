"""Reference facts shipped as package data (a copy of shared/facts): commodities, markets, regions, HET/HAP."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd


def _read(name: str, **kwargs) -> pd.DataFrame:
    with resources.files(__package__).joinpath("reference_data", name).open("rb") as fh:
        return pd.read_csv(fh, keep_default_na=False, na_values=[""], **kwargs)


def _aliases(cell) -> list[str]:
    return [a.strip() for a in str(cell).split("|") if a.strip()] if isinstance(cell, str) else []


@dataclass(frozen=True)
class Reference:
    commodities: pd.DataFrame
    markets: pd.DataFrame
    regions: pd.DataFrame
    reference_prices: pd.DataFrame
    desa: pd.DataFrame
    waste_categories: pd.DataFrame
    destinations: pd.DataFrame
    call_categories: pd.DataFrame
    quick_wins: pd.DataFrame  # the six smart-city dimensions of the master plan and their quick wins

    @property
    def market_ids(self) -> list[str]:
        return self.markets["market_id"].tolist()

    @property
    def commodity_ids(self) -> list[str]:
        return self.commodities["commodity_id"].tolist()


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    commodities = _read("commodities.csv").rename(columns={"group": "group_name"})
    commodities["aliases"] = commodities["aliases"].map(_aliases)
    markets = _read("markets.csv", dtype={"kecamatan_code": str})
    markets["aliases"] = markets["aliases"].map(_aliases)
    regions = _read("regions.csv", dtype={"code": str, "parent_code": str, "bps_code_unverified": str})
    prices = _read("reference_prices.csv", dtype={"zone": str})
    for col in ("valid_from", "valid_to"):
        prices[col] = pd.to_datetime(prices[col]).dt.date
    return Reference(commodities, markets, regions, prices,
                     desa=_read("desa_kelurahan.csv", dtype=str),
                     waste_categories=_read("waste_categories.csv").rename(columns={"group": "group_name"}),
                     destinations=_read("destinations.csv", dtype={"kecamatan_code": str}),
                     call_categories=_read("calls_112_categories.csv"),
                     quick_wins=_read("masterplan_quick_wins.csv"))
