import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from siharpa_pipeline.settings import Settings

SAMPLES = Path(__file__).parent / "samples"
PRICE_SAMPLES = SAMPLES / "prices"
EXPECTED = json.loads((SAMPLES / "expected.json").read_text())
# the day the samples were judged against (2031 is in the future, 31/02 does not exist)
AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def settings(tmp_path) -> Settings:
    s = Settings(tmp_path / "data")
    s.ensure_dirs()
    return s


def query(path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
