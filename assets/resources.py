"""Resources, all derived from one settings object (SIHARPA_DATA_DIR): the folders, and through them the
storage seam every asset writes and reads the warehouse by."""

from __future__ import annotations

import dagster as dg

from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import Storage, storage


class SiharpaFolders(dg.ConfigurableResource):
    """The data folders: inbox, archive, warehouse and serving file."""

    data_dir: str

    @property
    def settings(self) -> Settings:
        return Settings.from_env(self.data_dir)

    @property
    def storage(self) -> Storage:
        return storage(self.settings)


def build_resources(settings: Settings | None = None) -> dict:
    settings = settings or Settings.from_env()
    return {
        "folders": SiharpaFolders(data_dir=str(settings.data_dir)),
    }
