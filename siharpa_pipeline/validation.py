"""Judging observations: every check of DESIGN.md on every cell, through the pandera models, into accepted
observations and rejections with reason codes (the first in check order) and all the reasons of a cell."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .messages import rejection_message
from .names import canonical_unit, commodity_names
from .reference import Reference, load_reference
from .schemas import (
    PRICE_STATUS,
    UNIT_TYPE,
    AcceptedObservations,
    CandidateObservations,
    PassedObservations,
    PlacedObservations,
)
from .values import is_blank, is_missing_price, map_columns, map_values, parse_price
from .verdicts import ACCEPTED_COLUMNS, MARKET, MAX_REJECTIONS, REJECTION_COLUMNS, TooManyRejections

# An observation's reason_code is the first that applies; `reasons` lists them all.
REASON_ORDER = (
    "unknown_market",
    "market_not_identified",
    "market_not_assigned",
    "unknown_commodity",
    "invalid_date",
    "date_not_identified",
    "future_date",
    "unit_mismatch",
    "invalid_price",
    "non_positive_price",
    "price_out_of_range",
    "copied_value",
    "conflicting_duplicate",
)
# a region's series: the place checks speak of regions
REGION_CODES = {"unknown_market": "unknown_region", "market_not_identified": "region_not_identified"}
# Which cell a reason points at: the column and raw value of that field, else the value cell itself.
REASON_FIELD = {
    "unknown_market": "place",
    "market_not_assigned": "place",
    "unknown_commodity": "commodity",
    "invalid_date": "date",
    "future_date": "date",
    "unit_mismatch": "unit",
}
WHOLE_TABLE = ("market_not_identified", "date_not_identified")  # one problem of a block, not of its cells


@dataclass
class Verdict:
    accepted: pd.DataFrame
    rejections: pd.DataFrame
    rows_missing: int


def _unit_ok(raw_units, commodity_units: np.ndarray) -> np.ndarray:
    canonical = map_values(raw_units, lambda v: "" if is_blank(v) else (canonical_unit(v) or "?"))
    return (canonical == "") | (canonical == commodity_units) | pd.isna(commodity_units)


def _by_commodity(codes: np.ndarray, values, dtype) -> np.ndarray:
    """A per-commodity reference value for each row (codes from the commodity categorical; -1 = unknown)."""
    table = np.empty(len(values) + 1, dtype=dtype)
    table[:-1] = values
    table[-1] = None if dtype is object else np.nan
    return table[codes]


def observation_key(observed_on: pd.Series, place_id: pd.Series, commodity_id: pd.Series) -> np.ndarray:
    """(date, place, commodity) as one int64, so duplicate checks hash one column instead of three."""
    days = observed_on.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return ((days << 24 | place_id.cat.codes.to_numpy(np.int64)) << 16) | commodity_id.cat.codes.to_numpy(np.int64)


def _candidates(obs: pd.DataFrame, as_of: dt.date, assigned: set[str] | None, ref: Reference) -> pd.DataFrame:
    ref_commodities = ref.commodities.set_index("commodity_id")
    cand = obs.reset_index(drop=True)
    cand["commodity_id"] = map_values(cand["raw_commodity"], commodity_names(ref).resolve, ref.commodity_dtype)
    codes = cand["commodity_id"].cat.codes.to_numpy()
    cand["commodity_unit"] = _by_commodity(codes, ref_commodities["unit"].to_numpy(), object)
    cand["unit_ok"] = _unit_ok(cand["raw_unit"], cand["commodity_unit"].to_numpy())
    cand["price_idr"], cand["price_status"] = map_columns(cand["raw_price"], parse_price, "float64", PRICE_STATUS)
    cand.loc[cand["formula_blank"].to_numpy(), "price_status"] = "formula"
    cand["plausible_min_idr"] = _by_commodity(codes, ref_commodities["plausible_min_idr"].to_numpy(float), "float64")
    cand["plausible_max_idr"] = _by_commodity(codes, ref_commodities["plausible_max_idr"].to_numpy(float), "float64")
    cand["as_of"] = pd.Timestamp(as_of)
    if assigned is not None:
        foreign = (cand["place_status"] == "ok") & ~cand["place_id"].isin(assigned)
        cand.loc[foreign, "place_status"] = "not_assigned"
    return cand


def _failures(schema, frame: pd.DataFrame) -> pd.DataFrame:
    """Per failing row index: `first`, the first reason code in REASON_ORDER, and `all` of them."""
    try:
        schema.validate(frame, lazy=True, inplace=True)  # a copy of a million rows buys nothing here
        return pd.DataFrame({"first": pd.Series(dtype=object), "all": pd.Series(dtype=object)})
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    unknown = set(cases["check"].dropna()) - set(REASON_ORDER)
    if unknown:  # a dtype or structure failure is a bug of ours, not of the enumerator
        raise RuntimeError(f"schema {schema.__name__} failed: {sorted(unknown)}\n{cases.head(20)}")
    ranks = pd.DataFrame(
        {"index": cases["index"].astype(int), "rank": cases["check"].map({c: i for i, c in enumerate(REASON_ORDER)})}
    )
    ranks = ranks.drop_duplicates().sort_values(["index", "rank"], kind="stable")
    codes = np.array(REASON_ORDER, dtype=object)[ranks["rank"].to_numpy()]
    grouped = pd.Series(codes, index=ranks["index"].to_numpy()).groupby(level=0)
    return pd.DataFrame({"first": grouped.first(), "all": grouped.agg(",".join)})


def judge(
    obs: pd.DataFrame,
    parts: pd.DataFrame,
    as_of: dt.date,
    assigned: set[str] | None = None,
    ref: Reference | None = None,
    level: str = MARKET,
) -> Verdict:
    """Split observations into accepted (deduplicated) and rejected; count the cells left empty.
    `parts` holds the sheet name and column headers each observation's `part` points at."""
    ref = ref or load_reference()
    missing = map_values(obs["raw_price"], is_missing_price, bool) & ~obs["formula_blank"].to_numpy()
    cand = _candidates(obs[~missing] if missing.any() else obs, as_of, assigned, ref)
    reasons = _failures(CandidateObservations, cand)
    passed = _without(cand, reasons.index)
    passed = passed.assign(obs_key=observation_key(passed["observed_on"], passed["place_id"], passed["commodity_id"]))
    copies = passed.duplicated(["obs_key", "price_idr"]).to_numpy()
    passed = passed[~copies] if copies.any() else passed  # identical observations count once
    copied = _failures(PlacedObservations, passed.assign(same_price_commodities=_same_price_count(passed)))
    passed = _without(passed, copied.index)
    conflicts = _failures(PassedObservations, passed)
    if len(reasons) + len(copied) + len(conflicts) > MAX_REJECTIONS:
        first = next(f for f in (reasons, copied, conflicts) if len(f))
        sample = _rejections(cand, parts, first.iloc[:1], as_of, ref, level)
        raise TooManyRejections(pd.concat([reasons, copied, conflicts])["first"], sample["message"].iloc[0])
    accepted = _without(passed, conflicts.index)
    sheets = pd.CategoricalDtype(parts["sheet"].unique())
    accepted = pd.DataFrame(
        {
            **{c: accepted[c].to_numpy() for c in ("observed_on", "price_idr", "source_row", "obs_key")},
            "place_id": accepted["place_id"].array,
            "commodity_id": accepted["commodity_id"].array,
            "unit": pd.Categorical(accepted["commodity_unit"], dtype=UNIT_TYPE),
            "sheet": pd.Categorical.from_codes(
                sheets.categories.get_indexer(parts["sheet"])[accepted["part"]], dtype=sheets
            ),
        }
    )[ACCEPTED_COLUMNS]
    accepted = AcceptedObservations.validate(accepted, lazy=True, inplace=True)
    rejected = pd.concat([reasons, copied, _all_rows_of(cand, conflicts)])
    return Verdict(accepted, _rejections(cand, parts, rejected, as_of, ref, level), int(missing.sum()))


def _same_price_count(passed: pd.DataFrame) -> np.ndarray:
    """How many commodities share each observation's price at its place and date."""
    if passed.empty:
        return np.zeros(0, dtype=np.int64)
    place_day = passed["obs_key"].to_numpy() >> 16
    frame = pd.DataFrame({"k": place_day, "p": passed["price_idr"].to_numpy()})
    return frame.groupby(["k", "p"], sort=False)["k"].transform("size").to_numpy(np.int64)


def _without(frame: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    return frame[~frame.index.isin(index)] if len(index) else frame


def _all_rows_of(cand: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame:
    """A conflicting key rejects every row that carries it, identical copies included."""
    if conflicts.empty:
        return conflicts
    keys = observation_key(cand["observed_on"], cand["place_id"], cand["commodity_id"])
    bad = set(keys[conflicts.index.to_numpy()])
    rows = np.flatnonzero(np.isin(keys, list(bad)))
    return pd.DataFrame({"first": "conflicting_duplicate", "all": "conflicting_duplicate"}, index=rows)


def _rejections(
    cand: pd.DataFrame, parts: pd.DataFrame, reasons: pd.DataFrame, as_of: dt.date, ref: Reference, level: str
) -> pd.DataFrame:
    """One row per rejected observation, in sheet, row, column order, with its message naming every reason.
    Row by row in plain Python objects: a file whose every row is rejected costs what its rows cost, not
    seconds per row."""
    if reasons.empty:
        return pd.DataFrame(columns=REJECTION_COLUMNS)
    commodities = _commodity_details(ref)
    part_rows = parts.to_dict("records")
    sheet_order = {name: i for i, name in enumerate(parts["sheet"].unique())}
    picked = cand.loc[reasons.index].assign(reason_code=reasons["first"].to_numpy(), reasons=reasons["all"].to_numpy())
    picked["sheet_rank"] = [sheet_order[part_rows[int(p)]["sheet"]] for p in picked["part"]]
    picked = picked.sort_values(["sheet_rank", "source_row", "col_idx"], kind="stable")
    suggest = functools.lru_cache(maxsize=None)(commodity_names(ref).suggest)  # per distinct name, not per cell
    rows = []
    for r in picked.to_dict("records"):
        codes = r["reasons"].split(",")
        part = part_rows[int(r["part"])]
        field = REASON_FIELD.get(codes[0])
        column = (part[f"{field}_column"] if field else None) or part["source_column"]
        column_index = part[f"{field}_idx"] if field and part[f"{field}_idx"] is not None else r["col_idx"]
        detail = {
            "as_of": as_of,
            "formula": r["price_status"] == "formula",
            "level": level,
            "suggestions": suggest(r["raw_commodity"]) if "unknown_commodity" in codes else [],
            **commodities.get(r["commodity_id"], {}),
        }
        sheet, row = part["sheet"], int(r["source_row"])
        raws = [_raw_of(code, r, part) for code in codes]
        if level != MARKET:
            codes = [REGION_CODES.get(c, c) for c in codes]
        rows.append(
            {
                "sheet": sheet,
                "source_row": row,
                "source_column": column,
                "reason_code": codes[0],
                "reasons": ",".join(codes),
                "raw_value": _raw_text(raws[0]),
                "message": rejection_message(codes, sheet, row, column, raws, detail),
                "column_index": int(column_index),
            }
        )
    return pd.DataFrame(rows, columns=REJECTION_COLUMNS)


def _raw_of(code: str, r: dict, part: dict) -> object:
    """The value a reason is about: its field's cell, or the header naming it in a wide sheet."""
    field = REASON_FIELD.get(code)
    if field is None:
        return r["raw_price"]
    if field in ("place", "date") and part[f"{field}_column"] is None:
        return part["source_column"]  # in a wide sheet the column header names the market or date
    return r[f"raw_{field}"]


@functools.lru_cache(maxsize=8)
def _commodity_details(ref: Reference) -> dict[str, dict]:
    """What a message says of a commodity: its name, unit and plausible bounds."""
    return {
        c.commodity_id: {"commodity": c.name, "unit": c.unit, "low": c.plausible_min_idr, "high": c.plausible_max_idr}
        for c in ref.commodities.itertuples()
    }


def _raw_text(raw: object) -> str | None:
    if is_blank(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%d/%m/%Y")
    return str(raw)
