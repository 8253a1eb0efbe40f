"""`massar serve` on the embedded PostgreSQL: Ctrl-C and SIGTERM stop the database too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.db.embedded import wait_until_stopped
from tests.processes import free_port, wait_ready

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_service_stops_its_embedded_database(
    data_dir: Path, stop_signal: signal.Signals
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MASSAR_")} | {
        "MASSAR_DATA_DIR": str(data_dir),
        "MASSAR_PORT": str(port),
        "MASSAR_ENVIRONMENT": "dev",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--migrate"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process)
        pid_file = data_dir / "postgres" / "postmaster.pid"
        server_pid = int(pid_file.read_text().splitlines()[0])
        process.send_signal(stop_signal)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert wait_until_stopped(server_pid, timeout=10)
