"""A full disk, on a small tmpfs of its own: no partial file is left to keep it full, the sender is told "disk
penuh" (not that their file is unreadable), and the warehouse and the serving file stay as they were and agree."""

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from siharpa_pipeline.access import User
from siharpa_pipeline.cli import main
from siharpa_pipeline.ingest import file_id_of, ingest_files
from siharpa_pipeline.publishing import publish
from siharpa_pipeline.settings import Settings
from siharpa_pipeline.uploads import UploadRefused, submit

from conftest import AS_OF, PRICE_SAMPLES, query
from helpers import long_csv

WARU = PRICE_SAMPLES / "harga_pasar_waru_november_2026.csv"
PUBLICATIONS = "SELECT published_at, price_observations FROM audit.publications ORDER BY ALL"


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB tmpfs, unmounted afterwards (needs root, as CI has)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("mount is not permitted here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk, then give back about `leave` bytes."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for chunk in (1 << 20, 1 << 12):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def leftovers(settings: Settings) -> list[str]:
    return sorted(
        p.name for p in settings.data_dir.rglob("*") if p.suffix in (".part", ".tmp") or p.name.endswith(".tmp.wal")
    )


def test_archive_on_a_full_disk_leaves_nothing_and_says_so(small_disk, tmp_path):
    settings = Settings(small_disk / "data")
    ingest_files([WARU], settings, as_of=AS_OF)
    publish(settings)
    big = long_csv(tmp_path / "harga_besar.csv", [AS_OF - dt.timedelta(days=i) for i in range(1, 30)])
    filler = fill(small_disk, leave=64 * 1024)
    [result] = ingest_files([big], settings, as_of=AS_OF)
    assert (result.status, result.error) == ("failed", "disk_full")
    assert result.error_message.startswith("Disk penuh")
    assert leftovers(settings) == []
    filler.unlink()
    assert query(settings.warehouse_path, "SELECT count(*) FROM core.price_observations") == [(140,)]
    [again] = ingest_files([big], settings, as_of=AS_OF)  # with room again, the same file loads
    assert again.status == "loaded"


def test_a_commit_on_a_full_disk_reports_the_disk_not_a_rollback(small_disk, tmp_path, capsys):
    settings = Settings(small_disk / "data")
    ingest_files([WARU], settings, as_of=AS_OF)
    publish(settings)
    big = long_csv(tmp_path / "harga_besar.csv", [AS_OF - dt.timedelta(days=i) for i in range(1, 120)])
    filler = fill(small_disk, leave=big.stat().st_size + 256 * 1024)  # room for the original, not for its rows
    code = main(["ingest", "--data-dir", str(settings.data_dir), "--as-of", AS_OF.isoformat(), str(big)])
    out = capsys.readouterr()
    assert code == 2
    assert "Disk penuh" in out.out and "rollback" not in (out.out + out.err).lower()
    assert "Traceback" not in out.err
    assert leftovers(settings) == []
    # the original was kept: the disk filled up later, in the warehouse
    assert big.read_bytes() in [p.read_bytes() for p in settings.archive_dir.rglob("*.csv")]
    filler.unlink()
    assert query(settings.warehouse_path, "SELECT count(*) FROM core.price_observations") == [(140,)]
    assert query(settings.warehouse_path, PUBLICATIONS) == query(settings.serving_path, PUBLICATIONS)


def test_publish_on_a_full_disk_keeps_warehouse_and_serving_alike(small_disk, capsys):
    settings = Settings(small_disk / "data")
    ingest_files([WARU], settings, as_of=AS_OF)
    publish(settings)
    before = query(settings.serving_path, PUBLICATIONS)
    filler = fill(small_disk, leave=256 * 1024)  # far less than a copy of the warehouse
    assert main(["publish", "--data-dir", str(settings.data_dir)]) == 2
    assert "disk penuh" in capsys.readouterr().err
    assert leftovers(settings) == []
    filler.unlink()
    assert query(settings.serving_path, PUBLICATIONS) == before
    assert query(settings.warehouse_path, PUBLICATIONS) == before
    publish(settings)
    assert len(query(settings.serving_path, PUBLICATIONS)) == len(before) + 1


def test_an_upload_on_a_full_disk_is_refused_and_leaves_nothing(small_disk):
    settings = Settings(small_disk / "data")
    settings.ensure_dirs()
    user = User("siti", "Siti", "enumerator", ("pasar_waru",), "$2b$")
    data = WARU.read_bytes() * 20
    filler = fill(small_disk, leave=16 * 1024)
    with pytest.raises(UploadRefused, match="Disk server penuh"):
        submit(settings, "prices", WARU.name, data, user, file_id_of(data))
    assert [p.name for p in settings.inbox_dir.rglob("*") if p.is_file() and p.name != ".submit.lock"] == []
    filler.unlink()
    assert submit(settings, "prices", WARU.name, data, user, file_id_of(data)).read_bytes() == data
