"""The one way pages read data: short read-only queries on the serving file, cached for a few minutes."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from siharpa_pipeline.settings import Settings

TTL_SECONDS = 300


class ServingUnavailable(Exception):
    """The serving file is missing or being replaced."""


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    path = Settings.from_env().serving_path
    if not path.exists():
        raise ServingUnavailable(str(path))
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as err:
        raise ServingUnavailable(str(err)) from err
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def latest_ppu_prices() -> pd.DataFrame:
    """Per commodity: the last market day's mean over the markets that reported it, with their number."""
    return query("""
        WITH last_day AS (SELECT max(observed_on) AS d FROM core.price_observations)
        SELECT c.name AS komoditas, c.unit AS satuan, o.observed_on AS tanggal,
               avg(o.price_idr)::DOUBLE AS harga, count(*) AS jumlah_pasar
        FROM core.price_observations o JOIN ref.commodities c USING (commodity_id), last_day
        WHERE o.observed_on = last_day.d
        GROUP BY ALL ORDER BY min(c.commodity_id)""")


def latest_market_day() -> pd.DataFrame:
    return query("""
        SELECT max(observed_on) AS tanggal,
               count(DISTINCT market_id) FILTER (WHERE observed_on = (SELECT max(observed_on)
                                                 FROM core.price_observations)) AS pasar_melapor,
               (SELECT count(*) FROM ref.markets) AS pasar_total
        FROM core.price_observations""")
