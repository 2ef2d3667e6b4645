"""A real PostgreSQL for the lake tests: Debian's server binaries, a cluster in a temporary folder owned by the
postgres user (initdb refuses to run as root), listening on 127.0.0.1 at a free port, stopped at the end."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from helpers import free_port

PG_ROOT = Path("/usr/lib/postgresql")


def pg_bin() -> Path | None:
    versions = sorted(PG_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


def _as_postgres(args: list[str]) -> subprocess.CompletedProcess:
    command = args if os.geteuid() != 0 else ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@contextlib.contextmanager
def postgres() -> Iterator[int]:
    """A running server on 127.0.0.1; yields its port. Databases are made by `create_database`. Its folder is
    a fresh one in /tmp (the postgres user cannot enter root's pytest folders), removed at the end."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed: make test installs Debian's postgresql package")
    folder = Path(tempfile.mkdtemp(prefix="siharpa-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, port = folder / "cluster", free_port()
    _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
    _as_postgres(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(folder / "server.log"),
            "-o",
            f"-k {folder} -h 127.0.0.1 -p {port}",
            "start",
        ]
    )
    try:
        yield port
    finally:
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def create_database(port: int, name: str) -> str:
    """A new database; returns the libpq connection string DuckLake's postgres catalog takes."""
    binaries = pg_bin()
    assert binaries is not None
    _as_postgres([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", name])
    return f"dbname={name} host=127.0.0.1 port={port} user=postgres"
