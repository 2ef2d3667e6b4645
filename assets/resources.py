"""Resources, all derived from one settings object (SIHARPA_DATA_DIR)."""

from __future__ import annotations

import dagster as dg
from dagster_duckdb import DuckDBResource

from siharpa_pipeline.settings import Settings


class SiharpaFolders(dg.ConfigurableResource):
    """The data folders: inbox, archive, warehouse and serving file."""

    data_dir: str

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.data_dir)


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.from_env()
    return {
        "folders": SiharpaFolders(data_dir=str(settings.data_dir)),
        "warehouse_db": DuckDBResource(database=str(settings.warehouse_path)),
    }
