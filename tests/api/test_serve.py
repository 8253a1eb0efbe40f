"""`massar serve` on the embedded PostgreSQL: Ctrl-C and SIGTERM stop the database too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.core.db.embedded import wait_until_stopped

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "massar serve exited early"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("massar serve did not become ready")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_stopping_the_service_stops_its_embedded_database(
    data_dir: Path, stop_signal: signal.Signals
) -> None:
    port = _free_port()
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
        _wait_ready(port, process)
        pid_file = data_dir / "postgres" / "postmaster.pid"
        server_pid = int(pid_file.read_text().splitlines()[0])
        process.send_signal(stop_signal)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert wait_until_stopped(server_pid, timeout=10)
