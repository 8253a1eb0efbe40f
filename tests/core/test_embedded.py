"""The embedded PostgreSQL survives crashes: a killed run's server is adopted, a stale
`postmaster.pid` is cleared, and `stop()` really stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.db.embedded import EmbeddedPostgres, wait_until_stopped

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cluster_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("embedded") / "pg"
    yield data_dir
    server = EmbeddedPostgres(data_dir)
    pid = server._running_pid()
    if pid is not None:
        os.kill(pid, signal.SIGQUIT)
        wait_until_stopped(pid)


def _server_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().splitlines()[0])


def test_start_and_stop(cluster_dir: Path) -> None:
    server = EmbeddedPostgres(cluster_dir)
    server.start()
    assert server.holds_server
    pid = _server_pid(cluster_dir)
    server.stop()
    assert wait_until_stopped(pid)


def test_a_server_left_by_a_killed_run_is_adopted_and_stopped(cluster_dir: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from app.core.db.embedded import EmbeddedPostgres
        EmbeddedPostgres(Path({str(cluster_dir)!r})).start()
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    owner = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "ready"
    finally:
        owner.kill()  # SIGKILL: no cleanup runs, the server is orphaned
        owner.wait()
        owner.stdout.close()  # type: ignore[union-attr]
    orphan = _server_pid(cluster_dir)

    server = EmbeddedPostgres(cluster_dir)
    server.start()
    assert _server_pid(cluster_dir) == orphan
    assert server.holds_server  # the killed holder no longer counts
    server.stop()
    assert wait_until_stopped(orphan)


def test_a_live_owner_keeps_its_server(cluster_dir: Path) -> None:
    first = EmbeddedPostgres(cluster_dir)
    first.start()
    second = EmbeddedPostgres(cluster_dir)
    second.start()
    second.stop()  # the first still holds the server: it keeps running
    pid = _server_pid(cluster_dir)
    os.kill(pid, 0)
    first.stop()
    assert wait_until_stopped(pid)


def test_a_stale_pid_file_does_not_block_the_start(cluster_dir: Path) -> None:
    # After a crash and a reboot the file can name a pid now used by an unrelated process.
    (cluster_dir / "postmaster.pid").write_text(f"{os.getpid()}\n{cluster_dir}\n")
    server = EmbeddedPostgres(cluster_dir)
    server.start()
    assert _server_pid(cluster_dir) != os.getpid()
    server.stop()
