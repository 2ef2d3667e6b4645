"""Running on a DuckLake (SIHARPA_LAKE): making its tables once, and moving a one-file warehouse into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .extracts import checksum, order_of
from .publishing import refresh_all
from .settings import ConfigError, Settings
from .storage import DuckLake, quoted, storage
from .tables import COMPARISON_MARTS, MARTS, QUICK_WIN_MARTS, TABLES
from .transactions import one, transaction


def lake(settings: Settings) -> DuckLake:
    store = storage(settings)
    if not isinstance(store, DuckLake):
        raise ConfigError("SIHARPA_LAKE belum diatur: perintah ini untuk danau data (DuckLake).")
    return store


def setup(settings: Settings) -> None:
    """Every table, comment and reference row, and the marts, made once before any writer starts."""
    with lake(settings).setup_writer() as con:
        refresh_all(con)


def migrate(settings: Settings, warehouse_file: Path) -> list[tuple[str, int, str]]:
    """Copy a one-file warehouse into a lake just set up: every core, audit and mart table (ref.* comes from
    the reference, as on every setup). Returns (table, rows, checksum) of each copied table, the same recipe
    as the extracts' manifest, computed on the lake after the copy; raises if a count differs."""
    copied = []
    with lake(settings).writer() as con:
        con.execute(f"ATTACH {quoted(str(warehouse_file))} AS src (READ_ONLY)")
        version = con.execute("SELECT max(version) FROM src.audit.schema_version").fetchone()
        if version is None or version[0] != __version__:
            raise ConfigError(
                f"Gudang {warehouse_file.name} berversi {version[0] if version else '?'}, bukan {__version__}: "
                "jalankan dulu siharpa publish --full dengan versi ini (memperbarui gudangnya), lalu pindahkan."
            )
        # ref.* comes from the reference; the refresh turn row is the lake's own
        names = [
            t.name
            for t in TABLES + MARTS + COMPARISON_MARTS + QUICK_WIN_MARTS
            if not t.name.startswith("ref.") and t.name != "audit.mart_refresh_turns"
        ]
        with transaction(con):
            for name in names:
                con.execute(f"DELETE FROM {name}")
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM src.{name}")
        for name in names:
            source, target = (one(con.execute(f"SELECT count(*) FROM {db}{name}"))[0] for db in ("src.", ""))
            if source != target:
                raise ConfigError(f"Pemindahan gagal: {name} berisi {target} baris, sumbernya {source}.")
            copied.append((name, target, checksum(con, name, order_of(name))))
    return copied


@dataclass(frozen=True)
class Maintenance:
    merged: int  # small Parquet files merged into larger ones
    expired: int  # snapshots let go
    deleted: int  # Parquet files removed from the data folder


def maintain(settings: Settings, days: int) -> Maintenance:
    """What a lake needs now and then (a nightly job): the small files of many loads merged; snapshots older
    than `days` and older than the last publication let go (readers attach that one, so it stays); the files
    only they used, and files no commit ever took (a writer killed mid-load), deleted once `days` old, since a
    file a writer is still loading looks the same until its commit."""
    store = lake(settings)
    published = store.published_version()
    with store.writer() as con:
        merged = len(con.execute("CALL ducklake_merge_adjacent_files('lake')").fetchall())
        old = [
            snapshot
            for (snapshot,) in con.execute(
                "SELECT snapshot_id FROM ducklake_snapshots('lake') "
                "WHERE snapshot_id < ? AND snapshot_time < now() - to_days(?::INTEGER)",
                [published if published is not None else 0, days],
            ).fetchall()
        ]
        if old:
            con.execute("CALL ducklake_expire_snapshots('lake', versions => ?)", [old])
        age = {"days": days}
        deleted = len(
            con.execute(
                "CALL ducklake_cleanup_old_files('lake', older_than => now() - to_days($days::INTEGER))", age
            ).fetchall()
        )
        deleted += len(
            con.execute(
                "CALL ducklake_delete_orphaned_files('lake', older_than => now() - to_days($days::INTEGER))", age
            ).fetchall()
        )
    return Maintenance(merged, len(old), deleted)
