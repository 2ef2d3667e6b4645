"""The one seam that talks to storage. Everything that writes or reads the warehouse goes through a Storage:
`writer()` (one writer at a time, the schema in place), `snapshot()` (what readers see: the last
publication), `replace_by_key()` (a later file's rows replace the earlier ones with the same key) and
`publish()` (make what the writer committed what readers see, atomically). The one-file DuckDB below is the
default; a lake (DuckLake) is a second implementation of the same interface."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from typing import Protocol

import duckdb

from . import __version__
from .packs import active_reference
from .reference import Reference, load_reference
from .settings import PRIVATE_FILE, ConfigError, Settings, env_number, now_utc, restrict
from .tables import SCHEMAS, TABLES
from .transactions import one, transaction


class WriterBusy(Exception):
    """Another process held the warehouse for longer than we were willing to wait."""


class NothingPublished(ConfigError):
    """No publication yet: nothing for readers."""


class LakeNotReady(ConfigError):
    """The lake's tables are missing or of another version; the message says what to run."""


class Storage(Protocol):
    def writer(self, timeout_s: float | None = None) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-write connection, the only one: schema in place, reference tables as the active reference."""
        ...

    def snapshot(self) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A read-only connection on the last publication; never blocks or sees a writer."""
        ...

    def publish(self, con: duckdb.DuckDBPyConnection, observations: int) -> dt.datetime:
        """From the writer's connection (closed by it): what was committed becomes what readers see."""
        ...

    def published_version(self) -> int | None:
        """Changes with every publication (a cache key for readers); None before the first."""
        ...

    def attach_published(self, con: duckdb.DuckDBPyConnection, alias: str) -> int | None:
        """The last publication attached read-only to another connection as `alias` (extracts); returns the
        lake snapshot it is, None for a file. NothingPublished when there is none."""
        ...


def lake_configured() -> bool:
    """SIHARPA_LAKE is set: the warehouse is a DuckLake."""
    return bool(os.environ.get(LAKE_ENV))


def storage(settings: Settings) -> Storage:
    if lake_configured():
        return DuckLake(settings, os.environ[LAKE_ENV], os.environ.get(LAKE_DATA_ENV, str(settings.data_dir / "lake")))
    return DuckDBFile(settings)


def quoted(text: str) -> str:
    """A SQL string literal: paths and URLs may hold quotes (a folder "data pak'udin")."""
    return "'" + text.replace("'", "''") + "'"


def keys_enforced(con: duckdb.DuckDBPyConnection) -> bool:
    """False on a DuckLake (no PRIMARY KEY there: the writer keeps keys unique)."""
    return (
        one(con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()"))[0]
        != "ducklake"
    )


def replace_by_key(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: str,
    key: tuple[str, ...],
    insert: str,
    params: dict | None = None,
) -> None:
    """Rows of `table` whose key matches a row of the registered `frame` are deleted, then `insert` (an INSERT
    reading `frame`) runs: a later file's rows replace the earlier ones. In the caller's transaction."""
    match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM f.{k}" for k in key)
    con.execute(f"DELETE FROM {table} t USING (SELECT DISTINCT {', '.join(key)} FROM {frame}) f WHERE {match}")
    con.execute(insert, params or {})


class DuckDBFile:
    """warehouse.duckdb written under a file lock, serving.duckdb a copy swapped in whole at each publication."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextlib.contextmanager
    def lock(self, timeout_s: float | None = None) -> Iterator[None]:
        """A file lock shared by every writing process (CLI, Dagster runs, the upload page): waits, bounded."""
        if timeout_s is None:
            timeout_s = env_number("SIHARPA_LOCK_TIMEOUT", 300, 0, 86_400)
        self.settings.ensure_dirs()
        with open(self.settings.writer_lock_path, "a+") as fh:
            deadline = time.monotonic() + timeout_s
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WriterBusy(
                            f"Gudang data sedang dipakai proses lain selama lebih dari {timeout_s:.0f} "
                            "detik; coba lagi nanti."
                        ) from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def writer(self, timeout_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.lock(timeout_s):
            path = self.settings.warehouse_path
            # rows keep no insertion order of their own (every read orders by key): inserts need not keep it
            con = duckdb.connect(str(path), config={"preserve_insertion_order": False})
            restrict(path, PRIVATE_FILE)
            try:
                ensure_schema(con, active_reference(self.settings))
                yield con
            finally:
                con.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with contextlib.closing(duckdb.connect(str(self.settings.serving_path), read_only=True)) as con:
            yield con

    def published_version(self) -> int | None:
        try:
            return self.settings.serving_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def attach_published(self, con: duckdb.DuckDBPyConnection, alias: str) -> int | None:
        if not self.settings.serving_path.is_file():
            raise NothingPublished("Belum ada data terbit (serving.duckdb); jalankan siharpa publish dulu.")
        con.execute(f"ATTACH {quoted(str(self.settings.serving_path))} AS {alias} (READ_ONLY)")
        return None

    def publish(self, con: duckdb.DuckDBPyConnection, observations: int) -> dt.datetime:
        """Rewrite serving.duckdb as a new file and swap it in: readers never see half a file. The publication
        is recorded in the copy, then in the warehouse, then the copy is swapped in; if any step fails (a full
        disk) the copy is removed and both files stay as they were. Call it holding the writer."""
        published_at = now_utc()
        con.execute("CHECKPOINT")
        con.close()
        serving, tmp = self.settings.serving_path, self.settings.serving_path.with_suffix(".duckdb.tmp")
        try:
            shutil.copyfile(self.settings.warehouse_path, tmp)
            restrict(tmp, PRIVATE_FILE)
            _record_publication(str(tmp), published_at, observations)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            _record_publication(str(self.settings.warehouse_path), published_at, observations)
        except BaseException:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        os.replace(tmp, serving)
        return published_at


def _record_publication(path: str, published_at: dt.datetime, count: int) -> None:
    con = duckdb.connect(path)
    try:
        con.execute(
            "INSERT INTO audit.publications (published_at, pipeline_version, price_observations) VALUES (?, ?, ?)",
            [published_at, __version__, count],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection, ref: Reference | None = None) -> None:
    if _has_current_schema(con):
        return
    with transaction(con):
        _create_schema(con, ref)


def _create_schema(con: duckdb.DuckDBPyConnection, ref: Reference | None = None) -> None:
    """Tables in place, an older warehouse upgraded: reference tables rebuilt (they are reloaded whole), other
    tables given the columns they lack (their rows are kept)."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in TABLES:
        if table.name.startswith("ref."):
            con.execute(f"DROP TABLE IF EXISTS {table.name}")
        con.execute(table.ddl(constraints=keys_enforced(con)))
        for column, kind, _ in table.columns:
            con.execute(f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS {column} {kind.split()[0]}")
        for statement in table.comments():
            con.execute(statement)
    load_reference_tables(con, ref or load_reference())
    con.execute("INSERT INTO audit.mart_refresh_turns SELECT 0 WHERE NOT EXISTS (FROM audit.mart_refresh_turns)")
    con.execute("CREATE TABLE IF NOT EXISTS audit.schema_version (version VARCHAR)")
    con.execute("DELETE FROM audit.schema_version")
    con.execute("INSERT INTO audit.schema_version VALUES (?)", [__version__])


def _has_current_schema(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute("SELECT version FROM audit.schema_version").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == __version__


def load_reference_tables(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """ref.* as the reference that judges files now: the shipped facts and the region packs imported."""
    frames = {
        "ref.commodities": ref.commodities,
        "ref.commodity_aliases": ref.commodity_aliases,
        "ref.markets": ref.markets,
        "ref.regions": ref.regions,
        "ref.reference_prices": ref.reference_prices,
        "ref.desa_kelurahan": ref.desa,
        "ref.waste_categories": ref.waste_categories,
        "ref.destinations": ref.destinations,
        "ref.calls_112_categories": ref.call_categories,
        "ref.masterplan_quick_wins": ref.quick_wins,
    }
    for name, frame in frames.items():
        table = next(t for t in TABLES if t.name == name)
        cols = [c for c, _, _ in table.columns]
        con.execute(f"DELETE FROM {name}")
        con.register("ref_frame", frame[cols])
        con.execute(f"INSERT INTO {name} SELECT {', '.join(cols)} FROM ref_frame")
        con.unregister("ref_frame")


LAKE_ENV, LAKE_DATA_ENV = "SIHARPA_LAKE", "SIHARPA_LAKE_DATA"


_INSTALL_LOCK = threading.Lock()
_installed: list[str] = []


def _install_lake_extensions() -> None:
    """The extensions from their wheels (no download: the district's servers may reach PyPI only), installed once
    per process; importing them goes through DuckDB's default connection, which threads must not share."""
    with _INSTALL_LOCK:
        from duckdb_extensions import import_extension

        for name in ("ducklake", "postgres_scanner"):
            if name not in _installed:
                import_extension(name)
                _installed.append(name)


# one attached lake per process, lake and snapshot read: attaching costs catalog round trips and a metadata cache,
# and connections made from it (cursors) share both while running their own transactions. A few snapshots are
# kept (readers still on the previous publication); a dropped one closes with its last cursor.
_ATTACHED: dict[tuple[str, str, int | None], duckdb.DuckDBPyConnection] = {}
_ATTACH_LOCK = threading.Lock()
KEPT_SNAPSHOTS = 3


def detach_lakes() -> None:
    """Let go of this process's attached lakes (their catalog connections close with their last cursor)."""
    with _ATTACH_LOCK:
        _ATTACHED.clear()


class DuckLake:
    """The warehouse as a DuckLake: catalog in PostgreSQL (SIHARPA_LAKE), data as Parquet (SIHARPA_LAKE_DATA).
    Many writers at once (one per region); keys are enforced by the writer (DuckLake has no PRIMARY KEY). A
    publication records the snapshot it publishes, and readers attach exactly that snapshot: they never block a
    writer and never see half a load."""

    def __init__(self, settings: Settings, url: str, data_path: str) -> None:
        self.settings, self.url, self.data_path = settings, url, data_path

    def _connect(self, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(config={"preserve_insertion_order": False})
        self._attach(con, "lake", snapshot)
        con.execute("USE lake")
        return con

    def _attach(self, con: duckdb.DuckDBPyConnection, alias: str, snapshot: int | None = None) -> None:
        _install_lake_extensions()
        con.execute("LOAD ducklake")
        con.execute("LOAD postgres_scanner")
        options = f"DATA_PATH {quoted(self.data_path)}" + (f", SNAPSHOT_VERSION {int(snapshot)}" if snapshot else "")
        con.execute(f"ATTACH {quoted(self.url)} AS {alias} ({options})")

    def _published(self) -> int | None:
        """The snapshot of the last publication."""
        with contextlib.closing(self._session()) as con:
            row = con.execute(
                "SELECT snapshot_id FROM audit.publications WHERE snapshot_id IS NOT NULL "
                "ORDER BY published_at DESC LIMIT 1"
            ).fetchone()
        return row[0] if row else None

    def published_version(self) -> int | None:
        return self._published()

    def attach_published(self, con: duckdb.DuckDBPyConnection, alias: str) -> int | None:
        snapshot = self._published()
        if snapshot is None:
            raise NothingPublished("Belum ada data terbit di danau data; jalankan siharpa publish dulu.")
        self._attach(con, alias, snapshot)
        return snapshot

    def _session(self, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
        """A new connection on this process's attached lake (the newest state, or a snapshot)."""
        key = (self.url, self.data_path, snapshot)
        with _ATTACH_LOCK:
            if key not in _ATTACHED:
                _ATTACHED[key] = self._connect(snapshot)
                read = [k for k in _ATTACHED if k[:2] == key[:2] and k[2] is not None]
                for old in read[:-KEPT_SNAPSHOTS]:
                    del _ATTACHED[old]
            con = _ATTACHED[key].cursor()
        con.execute("USE lake")
        return con

    @contextlib.contextmanager
    def writer(self, timeout_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of one of many writers. Tables are made once by `siharpa lake setup`, never here: DDL
        under concurrent writers is what DuckLake handles worst (ducklake#1283)."""
        with contextlib.closing(self._session()) as con:
            if not _has_current_schema(con):
                raise LakeNotReady(
                    f"Danau data belum disiapkan untuk versi {__version__}: jalankan siharpa lake setup dulu."
                )
            yield con

    @contextlib.contextmanager
    def setup_writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The one connection that creates or upgrades the tables (siharpa lake setup)."""
        with contextlib.closing(self._connect()) as con:
            ensure_schema(con, active_reference(self.settings))
            yield con

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The last published snapshot (the newest state before any publication)."""
        with contextlib.closing(self._session(self._published())) as con:
            yield con

    def publish(self, con: duckdb.DuckDBPyConnection, observations: int) -> dt.datetime:
        """What is committed now becomes what readers see: the current snapshot, recorded."""
        published_at = now_utc()
        snapshot = one(con.execute("SELECT id FROM ducklake_current_snapshot('lake')"))[0]
        con.execute(
            "INSERT INTO audit.publications VALUES (?, ?, ?, ?)", [published_at, __version__, observations, snapshot]
        )
        con.close()
        return published_at
