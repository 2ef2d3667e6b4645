"""pandera models, one per stage. Each check is named by the reason code it stands for, so a failure case
becomes a rejection with that code (see validation.REASON_ORDER)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

UNITS = ("kg", "liter", "tabung")
UNIT_TYPE = pd.CategoricalDtype(UNITS)
COPIED_MIN = 5  # commodities sharing one price at one place and date
PRICE_STATUS = pd.CategoricalDtype(["ok", "missing", "invalid", "formula"])


class CandidateObservations(pa.DataFrameModel):
    """Observations as read from the sheet, names and values resolved, before anything is accepted."""

    source_row: Series[int] = pa.Field(ge=1)
    place_status: Series[pa.Category]
    commodity_id: Series[pa.Category] = pa.Field(nullable=True)
    date_status: Series[pa.Category]
    observed_on: Series[pa.DateTime] = pa.Field(nullable=True)
    as_of: Series[pa.DateTime]
    unit_ok: Series[bool]
    price_status: Series[pa.Category]
    price_idr: Series[float] = pa.Field(nullable=True)
    plausible_min_idr: Series[float] = pa.Field(nullable=True)
    plausible_max_idr: Series[float] = pa.Field(nullable=True)

    @pa.check("place_status", name="unknown_market")
    def _known_market(cls, s):
        return s != "unknown"

    @pa.check("place_status", name="market_not_identified")
    def _market_identified(cls, s):
        return s != "not_identified"

    @pa.check("place_status", name="market_not_assigned")
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
        return ~s.isin(["not_identified", "missing"])  # no date from the cell, the table or the file

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
        return (
            p.isna()
            | (p <= 0)
            | df["plausible_min_idr"].isna()
            | ((p >= df["plausible_min_idr"]) & (p <= df["plausible_max_idr"]))
        )


class PlacedObservations(pa.DataFrameModel):
    """Observations that passed every check on their own: five or more commodities with one price at one
    place and date is a pasted column or a scraper repeating one series, not five prices."""

    same_price_commodities: Series[int]

    @pa.check("same_price_commodities", name="copied_value")
    def _not_copied(cls, s):
        return s < COPIED_MIN


class PassedObservations(pa.DataFrameModel):
    """Observations that passed every check on their own, identical copies dropped: a key still present twice
    has two prices, which is a conflict."""

    obs_key: Series[int]

    @pa.check("obs_key", name="conflicting_duplicate")
    def _one_price_per_key(cls, s):
        return ~s.duplicated(keep=False)


class AcceptedObservations(pa.DataFrameModel):
    """What enters core.price_observations (one row per date, market and commodity) or, for a region's
    series, core.region_prices; place and commodity are categoricals of the reference that judged them."""

    observed_on: Series[pa.DateTime]
    place_id: Series[pa.Category]
    commodity_id: Series[pa.Category]
    price_idr: Series[float] = pa.Field(gt=0)
    unit: Series[pa.Category] = pa.Field(isin=UNITS)
    sheet: Series[pa.Category]
    source_row: Series[int] = pa.Field(ge=1)
    obs_key: Series[int] = pa.Field(unique=True)
