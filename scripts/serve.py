"""Start Dagster (UI, daemon, sensors) and the Streamlit app together; stop both cleanly on Ctrl-C.

Each service runs in its own process group, so stopping it stops everything it started (run workers,
code servers) and no orphan is left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAGSTER_PORT = int(os.environ.get("SIHARPA_DAGSTER_PORT", "3000"))
STREAMLIT_PORT = int(os.environ.get("SIHARPA_STREAMLIT_PORT", "8501"))


def environment() -> dict[str, str]:
    data_dir = Path(os.environ.get("SIHARPA_DATA_DIR", ROOT / "data")).resolve()
    dagster_home = data_dir / "dagster"
    dagster_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "deploy" / "dagster.yaml", dagster_home / "dagster.yaml")
    return {
        **os.environ,
        "SIHARPA_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(dagster_home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }


def start(env: dict[str, str]) -> list[subprocess.Popen]:
    bin_dir = Path(sys.executable).parent
    commands = [
        [str(bin_dir / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(DAGSTER_PORT)],
        [
            str(bin_dir / "streamlit"),
            "run",
            "dashboards/app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(STREAMLIT_PORT),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
    ]
    return [subprocess.Popen(c, cwd=ROOT, env=env, start_new_session=True) for c in commands]


def stop(processes: list[subprocess.Popen], timeout_s: float = 20) -> None:
    for p in processes:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for p in processes:
        try:
            p.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(p.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # explicit handlers: a shell that started us in the background may have left SIGINT ignored
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    processes: list[subprocess.Popen] = []
    try:
        processes = start(environment())
        print(f"Dagster   : http://127.0.0.1:{DAGSTER_PORT}", flush=True)
        print(f"Dasbor    : http://127.0.0.1:{STREAMLIT_PORT}", flush=True)
        print("Tekan Ctrl-C untuk berhenti.", flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print("Salah satu layanan berhenti; menghentikan yang lain.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nMenghentikan Dagster dan dasbor...", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
