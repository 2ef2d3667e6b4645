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


NATIONAL = "00"  # Indonesia as a whole, as PIHPS and Panel Harga publish it
ZONES = {"Z1": "Zona 1 HET", "Z2": "Zona 2 HET", "Z3": "Zona 3 HET"}  # Panel Harga's HET zones
HOME_REGION = "64.09"  # the shipped markets are Penajam Paser Utara's


@dataclass(frozen=True)
class Reference:
    """The facts a file is judged against. `version` names them: "bawaan" (shipped) or with the region packs
    imported on top of it; a receipt records it."""

    commodities: pd.DataFrame
    markets: pd.DataFrame
    regions: pd.DataFrame
    reference_prices: pd.DataFrame
    desa: pd.DataFrame
    waste_categories: pd.DataFrame
    destinations: pd.DataFrame
    call_categories: pd.DataFrame
    quick_wins: pd.DataFrame  # the six smart-city dimensions of the master plan and their quick wins
    published_names: pd.DataFrame  # names PIHPS and Panel Harga publish: source, published_name, commodity_id
    commodity_aliases: pd.DataFrame  # local names from region packs: alias, commodity_id
    version: str = "bawaan"

    @property
    def market_ids(self) -> list[str]:
        return self.markets["market_id"].tolist()

    @property
    def commodity_ids(self) -> list[str]:
        return self.commodities["commodity_id"].tolist()

    @property
    def monitored(self) -> pd.DataFrame:
        """The commodities enumerators record (the others are national varieties met in exports)."""
        return self.commodities[self.commodities["monitored"]]

    @property
    def market_dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(self.market_ids)

    @property
    def commodity_dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(self.commodity_ids)

    @property
    def region_dtype(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(self.regions["code"].tolist())

    def __hash__(self) -> int:  # names are cached per version of the facts
        return hash(self.version)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reference) and other.version == self.version


def _national_commodities(published: pd.DataFrame, commodities: pd.DataFrame) -> pd.DataFrame:
    """Varieties PIHPS and Panel Harga publish side by side that none of ours is (Beras Kualitas Medium I,
    Tepung Terigu Kemasan): commodities of their own, with the plausible bounds of the commodity they are
    compared with (or of their group)."""
    new = published[published["new_commodity"] == "yes"].drop_duplicates("commodity_id")
    by_id = commodities.set_index("commodity_id")
    by_group = commodities.drop_duplicates("group_name").set_index("group_name")
    rows = []
    for v in new.itertuples():
        like = (
            by_id.loc[v.comparable_to]
            if isinstance(v.comparable_to, str)
            else by_group.loc[v.group]
            if v.group in by_group.index
            else None
        )
        rows.append(
            {
                "commodity_id": v.commodity_id,
                "name": v.published_name,
                "group_name": v.group,
                "unit": v.unit,
                "aliases": [],
                "basis": f"{v.source} (nama terbitan)",
                "monitored": False,
                "comparable_to": v.comparable_to if isinstance(v.comparable_to, str) else None,
                **(
                    {
                        k: like[k]
                        for k in ("typical_low_idr", "typical_high_idr", "plausible_min_idr", "plausible_max_idr")
                    }
                    if like is not None
                    else {}
                ),
            }
        )
    return pd.DataFrame(rows)


def _regions() -> pd.DataFrame:
    """Every province and kabupaten/kota (Kemendagri), the nation, the HET zones, and PPU's kecamatan with
    their population."""
    local = _read("regions.csv", dtype={"code": str, "parent_code": str, "bps_code_unverified": str})
    country = _read("regions_indonesia.csv", dtype={"code": str, "parent_code": str, "bps_code": str})
    country["basis"] = "Kepmendagri 300.2.2-2138/2025 (github.com/cahyadsn/wilayah)"
    extra = pd.DataFrame(
        [
            {"code": NATIONAL, "level": "nasional", "name": "Indonesia", "basis": "nasional"},
            *({"code": c, "level": "zona", "name": n, "basis": "Panel Harga (Bapanas)"} for c, n in ZONES.items()),
        ]
    )
    country = country[~country["code"].isin(local["code"])]
    return pd.concat([extra, country, local], ignore_index=True)


@lru_cache(maxsize=1)
def load_reference() -> Reference:
    """The shipped facts (PPU's pack)."""
    commodities = _read("commodities.csv").rename(columns={"group": "group_name"})
    commodities["aliases"] = commodities["aliases"].map(_aliases)
    commodities["monitored"] = True
    commodities["comparable_to"] = None
    published = _read("national_varieties.csv")
    commodities = pd.concat([commodities, _national_commodities(published, commodities)], ignore_index=True)
    markets = _read("markets.csv", dtype={"kecamatan_code": str})
    markets["aliases"] = markets["aliases"].map(_aliases)
    markets["region_code"] = HOME_REGION
    prices = _read("reference_prices.csv", dtype={"zone": str})
    for col in ("valid_from", "valid_to"):
        prices[col] = pd.to_datetime(prices[col]).dt.date
    return Reference(
        commodities,
        markets,
        _regions(),
        prices,
        desa=_read("desa_kelurahan.csv", dtype=str),
        waste_categories=_read("waste_categories.csv").rename(columns={"group": "group_name"}),
        destinations=_read("destinations.csv", dtype={"kecamatan_code": str}),
        call_categories=_read("calls_112_categories.csv"),
        quick_wins=_read("masterplan_quick_wins.csv"),
        published_names=published[["source", "published_name", "commodity_id", "comparable_to"]],
        commodity_aliases=pd.DataFrame(columns=["alias", "commodity_id"]),
    )
