"""pandera models, one per stage. Each check is named by the reason code it stands for, so a failure case
becomes a rejection with that code (see validation.REASON_ORDER)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .reference import load_reference

UNITS = ("kg", "liter", "tabung")
MARKET_IDS = pd.CategoricalDtype(load_reference().market_ids)
COMMODITY_IDS = pd.CategoricalDtype(load_reference().commodity_ids)
UNIT_TYPE = pd.CategoricalDtype(UNITS)
MARKET_STATUS = pd.CategoricalDtype(["ok", "unknown", "not_identified", "not_assigned"])
DATE_STATUS = pd.CategoricalDtype(["ok", "missing", "invalid", "not_identified"])
PRICE_STATUS = pd.CategoricalDtype(["ok", "missing", "invalid", "formula"])


class CandidateObservations(pa.DataFrameModel):
    """Observations as read from the sheet, names and values resolved, before anything is accepted."""

    source_row: Series[int] = pa.Field(ge=1)
    market_status: Series[pa.Category]
    commodity_id: Series[pa.Category] = pa.Field(nullable=True)
    date_status: Series[pa.Category]
    observed_on: Series[pa.DateTime] = pa.Field(nullable=True)
    as_of: Series[pa.DateTime]
    unit_ok: Series[bool]
    price_status: Series[pa.Category]
    price_idr: Series[float] = pa.Field(nullable=True)
    plausible_min_idr: Series[float] = pa.Field(nullable=True)
    plausible_max_idr: Series[float] = pa.Field(nullable=True)

    @pa.check("market_status", name="unknown_market")
    def _known_market(cls, s):
        return s != "unknown"

    @pa.check("market_status", name="market_not_identified")
    def _market_identified(cls, s):
        return s != "not_identified"

    @pa.check("market_status", name="market_not_assigned")
    def _market_assigned(cls, s):
        return s != "not_assigned"

    @pa.dataframe_check(name="unknown_commodity")
    def _known_commodity(cls, df):
        return df["commodity_id"].notna()

    @pa.check("date_status", name="invalid_date")
    def _valid_date(cls, s):
        return s != "invalid"

    @pa.check("date_status", name="date_not_identified")
    def _date_identified(cls, s):
        return s != "not_identified"

    @pa.dataframe_check(name="future_date")
    def _not_future(cls, df):
        return df["observed_on"].isna() | (df["observed_on"] <= df["as_of"])

    @pa.check("unit_ok", name="unit_mismatch")
    def _unit_matches(cls, s):
        return s

    @pa.check("price_status", name="invalid_price")
    def _price_readable(cls, s):
        return s == "ok"

    @pa.check("price_idr", name="non_positive_price")
    def _positive(cls, s):
        return s > 0

    @pa.dataframe_check(name="price_out_of_range")
    def _plausible(cls, df):
        p = df["price_idr"]
        return p.isna() | (p <= 0) | df["plausible_min_idr"].isna() | (
            (p >= df["plausible_min_idr"]) & (p <= df["plausible_max_idr"]))


class PassedObservations(pa.DataFrameModel):
    """Observations that passed every check on their own, identical copies dropped: a key still present twice
    has two prices, which is a conflict."""

    obs_key: Series[int]

    @pa.check("obs_key", name="conflicting_duplicate")
    def _one_price_per_key(cls, s):
        return ~s.duplicated(keep=False)


class AcceptedObservations(pa.DataFrameModel):
    """What enters core.price_observations: one row per (date, market, commodity)."""

    observed_on: Series[pa.DateTime]
    market_id: Series[pa.Category] = pa.Field(isin=load_reference().market_ids)
    commodity_id: Series[pa.Category] = pa.Field(isin=load_reference().commodity_ids)
    price_idr: Series[float] = pa.Field(gt=0)
    unit: Series[pa.Category] = pa.Field(isin=UNITS)
    sheet: Series[pa.Category]
    source_row: Series[int] = pa.Field(ge=1)
    obs_key: Series[int] = pa.Field(unique=True)
