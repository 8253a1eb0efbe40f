"""Real processes the tests start: a free loopback port, and waiting for a service to be ready."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base_url: str, process: subprocess.Popen[bytes], seconds: float = 180) -> None:
    """Wait until `/readyz` answers 200; fail if the process exits or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args!r} exited early"
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{process.args!r} did not become ready")


@contextmanager
def massar_serve(
    env: Mapping[str, str], port: int, *, stderr: int | IO[bytes] = subprocess.DEVNULL
) -> Iterator[subprocess.Popen[bytes]]:
    """`massar serve` on `port` with `env`, ready, until the block ends (SIGTERM, then KILL)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve"],
        cwd=Path(__file__).resolve().parent.parent,
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        # Each worker imports the whole app: on a busy machine that takes a while.
        wait_ready(f"http://127.0.0.1:{port}", process, seconds=180)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
