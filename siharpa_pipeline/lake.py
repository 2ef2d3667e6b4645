"""Running on a DuckLake (SIHARPA_LAKE): making its tables once, and moving a one-file warehouse into it."""

from __future__ import annotations

from .publishing import refresh_all
from .settings import ConfigError, Settings
from .storage import DuckLake, storage


def lake(settings: Settings) -> DuckLake:
    store = storage(settings)
    if not isinstance(store, DuckLake):
        raise ConfigError("SIHARPA_LAKE belum diatur: perintah ini untuk danau data (DuckLake).")
    return store


def setup(settings: Settings) -> None:
    """Every table, comment and reference row, and the marts, made once before any writer starts."""
    with lake(settings).setup_writer() as con:
        refresh_all(con)
