"""Judging observations: every check of DESIGN.md in its order, through the pandera models, into accepted
observations and rejections with reason codes and Indonesian messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .messages import rejection_message
from .names import canonical_unit, commodity_names
from .reference import load_reference
from .schemas import AcceptedObservations, CandidateObservations, PassedObservations
from .values import is_blank, map_values, parse_price

# An observation gets the first code that applies.
REASON_ORDER = ("unknown_market", "market_not_identified", "market_not_assigned", "unknown_commodity",
                "invalid_date", "date_not_identified", "future_date", "unit_mismatch", "invalid_price",
                "non_positive_price", "price_out_of_range", "conflicting_duplicate")
# Which cell a reason points at: the column and raw value of that field, else the value cell itself.
REASON_FIELD = {"unknown_market": "market", "market_not_assigned": "market", "unknown_commodity": "commodity",
                "invalid_date": "date", "future_date": "date", "unit_mismatch": "unit"}

ACCEPTED_COLUMNS = ["observed_on", "market_id", "commodity_id", "price_idr", "unit", "sheet", "source_row"]
REJECTION_COLUMNS = ["sheet", "source_row", "source_column", "reason_code", "raw_value", "message"]


@dataclass
class Verdict:
    accepted: pd.DataFrame
    rejections: pd.DataFrame
    rows_missing: int


def _to_datetime(values) -> pd.Series:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    converted = np.append(pd.to_datetime(pd.Series(uniques, dtype=object)).to_numpy(dtype="datetime64[ns]"),
                          np.datetime64("NaT", "ns"))
    return pd.Series(converted[codes])


def _unit_ok(raw_units, commodity_units) -> np.ndarray:
    canonical = map_values(raw_units, lambda v: "" if is_blank(v) else (canonical_unit(v) or "?"))
    return (canonical == "") | (canonical == commodity_units) | pd.isna(commodity_units)


def _candidates(obs: pd.DataFrame, as_of: dt.date, assigned: set[str] | None) -> pd.DataFrame:
    ref = load_reference().commodities.set_index("commodity_id")
    cand = obs.reset_index(drop=True)
    cand["commodity_id"] = map_values(cand["raw_commodity"], commodity_names().resolve)
    cand["commodity_unit"] = cand["commodity_id"].map(ref["unit"])
    cand["unit_ok"] = _unit_ok(cand["raw_unit"], cand["commodity_unit"].to_numpy(dtype=object))
    prices = map_values(cand["raw_price"], parse_price)
    cand["price_idr"] = pd.array([p[0] for p in prices], dtype="float64")
    cand["price_status"] = np.where(cand["formula_blank"], "formula", [p[1] for p in prices])
    cand["plausible_min_idr"] = cand["commodity_id"].map(ref["plausible_min_idr"]).astype("float64")
    cand["plausible_max_idr"] = cand["commodity_id"].map(ref["plausible_max_idr"]).astype("float64")
    cand["observed_on"] = _to_datetime(cand["observed_on"])
    cand["as_of"] = pd.Timestamp(as_of)
    if assigned is not None:
        foreign = (cand["market_status"] == "ok") & ~cand["market_id"].isin(assigned)
        cand["market_status"] = np.where(foreign, "not_assigned", cand["market_status"])
    for col in ("sheet", "market_status", "date_status", "price_status"):
        cand[col] = cand[col].astype(str)
    return cand


def _failures(schema, frame: pd.DataFrame) -> pd.Series:
    """The first reason code (in REASON_ORDER) per failing row index."""
    try:
        schema.validate(frame, lazy=True)
        return pd.Series(dtype=object)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    unknown = set(cases["check"].dropna()) - set(REASON_ORDER)
    if unknown:  # a dtype or structure failure is a bug of ours, not of the enumerator
        raise RuntimeError(f"schema {schema.__name__} failed: {sorted(unknown)}\n{cases.head(20)}")
    rank = cases["check"].map({c: i for i, c in enumerate(REASON_ORDER)})
    first = rank.groupby(cases["index"].astype(int)).min()
    return first.map(dict(enumerate(REASON_ORDER)))


def judge(obs: pd.DataFrame, as_of: dt.date, assigned: set[str] | None = None) -> Verdict:
    """Split observations into accepted (deduplicated) and rejected; count the cells left empty."""
    missing = obs["raw_price"].pipe(map_values, _is_missing_cell).astype(bool) & ~obs["formula_blank"].to_numpy()
    cand = _candidates(obs[~missing], as_of, assigned)
    reasons = _failures(CandidateObservations, cand)
    passed = cand.drop(index=reasons.index)
    conflicts = _failures(PassedObservations, passed)
    reasons = pd.concat([reasons, conflicts])
    accepted = passed.drop(index=conflicts.index)
    accepted = accepted.drop_duplicates(["observed_on", "market_id", "commodity_id", "price_idr"])
    accepted = accepted.assign(unit=accepted["commodity_unit"], source_row=accepted["source_row"].astype(int))
    accepted = AcceptedObservations.validate(accepted[ACCEPTED_COLUMNS].reset_index(drop=True), lazy=True)
    return Verdict(accepted, _rejections(cand, reasons, as_of), int(missing.sum()))


def _is_missing_cell(value: object) -> bool:
    return parse_price(value)[1] == "missing"


def _rejections(cand: pd.DataFrame, reasons: pd.Series, as_of: dt.date) -> pd.DataFrame:
    if reasons.empty:
        return pd.DataFrame(columns=REJECTION_COLUMNS)
    ref = load_reference().commodities.set_index("commodity_id")
    rows = []
    for idx, code in reasons.sort_index().items():
        r = cand.loc[idx]
        field = REASON_FIELD.get(code)
        column = (r[f"{field}_column"] if field else None) or r["source_column"]
        raw = r[f"raw_{field}"] if field and r[f"raw_{field}"] is not None else r["raw_price"]
        detail = {"as_of": as_of, "formula": r["price_status"] == "formula",
                  "suggestions": commodity_names().suggest(r["raw_commodity"])}
        if r["commodity_id"] in ref.index:
            c = ref.loc[r["commodity_id"]]
            detail.update(commodity=c["name"], unit=c["unit"], low=c["plausible_min_idr"],
                          high=c["plausible_max_idr"])
        rows.append({"sheet": r["sheet"], "source_row": int(r["source_row"]), "source_column": column,
                     "reason_code": code, "raw_value": _raw_text(raw),
                     "message": rejection_message(code, r["sheet"], int(r["source_row"]), column, raw, detail)})
    return pd.DataFrame(rows, columns=REJECTION_COLUMNS).sort_values(["sheet", "source_row"], kind="stable")


def _raw_text(raw: object) -> str | None:
    if is_blank(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%d/%m/%Y")
    return str(raw)
