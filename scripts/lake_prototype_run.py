import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, "/work/main/tests")
os.environ["SIHARPA_LAKE"] = "ducklake:postgres:dbname=siharpa host=127.0.0.1 port=54329 user=postgres"
os.environ["SIHARPA_LAKE_DATA"] = "/tmp/lakedata/"
os.environ["SIHARPA_PII_KEY"] = "lake-proto-key-0123456789"
from siharpa_pipeline.ingest import ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.storage import storage

from conftest import AS_OF, PRICE_SAMPLES

s = Settings(Path("/tmp/lakeproto_data"))
files = sorted(PRICE_SAMPLES.iterdir())
t = time.perf_counter()
try:
    res = ingest_files(files, s, as_of=AS_OF)
    for r in res:
        print(r.file, r.status, r.rows_accepted, r.rows_rejected, r.error or "", (r.error_message or "")[:150])
except Exception:
    traceback.print_exc()
print("ingest", time.perf_counter() - t)
t = time.perf_counter()
try:
    publish(s)
except Exception:
    traceback.print_exc()
print("publish", time.perf_counter() - t)
with storage(s).snapshot() as con:
    print(
        con.execute("SELECT count(*) FROM core.price_observations").fetchall(),
        con.execute("SELECT count(*) FROM mart.price_ppu_daily").fetchall(),
    )
