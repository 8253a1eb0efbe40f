"""Results day: every hot read at 50 and 200 connections, against the floor in the same run, and
a login storm beside the pupils' marks.

    .venv/bin/python bench/results_day.py                     # everything, 10 s a measurement
    .venv/bin/python bench/results_day.py --only me,student-marks,storm --seconds 5
    .venv/bin/python bench/results_day.py --base-url http://127.0.0.1:8000   # a running service
    .venv/bin/python bench/results_day.py --operations     # with metrics and JSON access logs

By default it makes a throwaway database on the configured server (`MASSAR_DATABASE_URL`'s, or
the embedded one), and starts `massar serve --migrate --seed-demo` on it (one worker, uvloop,
httptools, log level warning) and the floor (`bench/floor.py`) on the same database, each on a
free loopback port; `--database-url` names a database to use instead. `--base-url` targets a
service already running (with the demo data); the floor then runs only if `--database-url`
names that service's database.

It logs in the demo accounts (README, "Demo logins"), then drives each endpoint for
`--seconds` at each of `--connections` and prints, per line: requests/s, p50 and p99 in ms,
errors (answers other than 2xx and 3xx, and socket errors) and timeouts, the CPU the serving
process spent per request (from /proc, for the processes this run started, or the service's
`--service-pid`), and the throughput, p99 and CPU per request as a multiple of the floor's at
the same connections (x1.00 is the floor; throughput below 1 and p99 or CPU above 1 are the
service's own cost). On a machine shared with other work, the CPU per request is the steadiest
figure: throughput also measures how much CPU the others left. The 304 line sends the ETag
the first answer of `/student/marks` gave, when it gives one.

The load comes from wrk (`apt-get install wrk`) when it is on the PATH: a C load generator
costs far less CPU than the server it measures, which matters on a small machine. Without wrk,
a closed loop of asyncio tasks on httpx (already a dependency) stands in; it spends more CPU
per request than wrk, so its absolute figures are lower, but the ratios to the floor, measured
the same way in the same run, still compare.

The storm (`storm` in `--only`): `/student/marks` at the first `--connections` alone, then
again while logins arrive at twice the hashing capacity (the hashing threads of one worker,
`core/security/passwords.py`, over the time one argon2id check takes here). It prints the p99
of the reads without and with the storm (the target: within 2x) and the logins' answers by
status (200, or 503 `login-busy` once the hashing queue is full). The logins go over plain
kept-alive sockets (`LoginSender`), not httpx, whose CPU per request would be taken from the
service on a small machine.

`--national-database-url` names a database filled by `massar seed-synthetic` (2,000 schools and
a million pupils for the issue's figure): a second service serves it, and `/student/marks` is
measured on it and on the demo data in turns, with the central steering overview on each
(`bench/national.py`).

`--operations` serves with what operations turn on in production: Prometheus metrics (on a
port of their own, scraped once a second during the run) and JSON logs at INFO, one access line
per request written to the log file; run it and a plain run back to back to see their cost.

Every measurement is bounded in time, and everything talks to loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import national

from app.core.db.runtime import database, temporary_database
from app.core.security.passwords import hashing_capacity, password_hasher, usable_cores
from app.demo.world import DEMO_LOGINS, DEMO_PASSWORD
from app.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = {
    "pupil": "D130000001@taalim.ma",
    "parent": "parent.demo@taalim.ma",
    "teacher": "teacher.demo@taalim.ma",
    "central": "central.demo@men.gov.ma",
}
LOGIN = "/api/v1/auth/token"
STARTUP_SECONDS = 180
REQUEST_TIMEOUT_SECONDS = 10
# Below uvicorn's keep-alive timeout (5 s): an idle connection older than this is not reused.
KEEP_ALIVE_SECONDS = 4
# How long the service may take to work off what a measurement left queued (see `settle`).
SETTLE_SECONDS = 120
Counter = collections.Counter[str]


@dataclass(frozen=True)
class Endpoint:
    name: str
    account: str
    path: str
    etag: bool = False  # send If-None-Match with the ETag of the first answer


ENDPOINTS = (
    Endpoint("me", "pupil", "/api/v1/me"),
    Endpoint("student-marks", "pupil", "/api/v1/student/marks"),
    Endpoint("student-marks-304", "pupil", "/api/v1/student/marks", etag=True),
    Endpoint("student-exams", "pupil", "/api/v1/student/exams"),
    Endpoint("student-timetable", "pupil", "/api/v1/student/timetable"),
    Endpoint("student-absences", "pupil", "/api/v1/student/absences"),
    Endpoint("parent-children", "parent", "/api/v1/parent/children"),
    Endpoint("parent-child-marks", "parent", "/api/v1/parent/children/{child}/marks"),
    Endpoint("teacher-classes", "teacher", "/api/v1/teacher/classes"),
    Endpoint("teacher-class-pupils", "teacher", "/api/v1/teacher/classes/{class}/pupils"),
    Endpoint("steering-overview", "central", "/api/v1/steering/overview"),
)


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    timeouts: int
    requests: int = 0
    cpu_ms: float | None = None  # CPU the serving process spent per request, when known


# Load generators ---------------------------------------------------------------------------


class Wrk:
    """wrk, two threads, its Lua script setting the headers."""

    name = "wrk"

    def __init__(self, executable: str) -> None:
        self.executable = executable

    async def measure(
        self, url: str, headers: dict[str, str], connections: int, seconds: float
    ) -> Result:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(
                "".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}\n" for k, v in headers.items())
            )
            script.flush()
            command = [
                self.executable, "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                f"--timeout={REQUEST_TIMEOUT_SECONDS}s", "--latency", "-s", script.name, url,
            ]  # fmt: skip
            process = await asyncio.create_subprocess_exec(
                *command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            async with asyncio.timeout(seconds + REQUEST_TIMEOUT_SECONDS + 30):
                output, _ = await process.communicate()
        return parse_wrk(output.decode())


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> Result:
    """The figures of wrk's report (run with --latency)."""

    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(match[1]) * _UNITS_MS[match[2]] if match else float("nan")

    def count(pattern: str) -> int:
        match = re.search(pattern, output)
        return int(match[1]) if match else 0

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rate is None:
        raise RuntimeError(f"wrk gave no figures:\n{output}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(sockets[i]) for i in (1, 2, 3)) if sockets else 0
    return Result(
        requests_per_second=float(rate[1]),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        errors=count(r"Non-2xx or 3xx responses: (\d+)") + socket_errors,
        timeouts=int(sockets[4]) if sockets else 0,
        requests=int(total[1]) if total else 0,
    )


class AsyncLoop:
    """A closed loop of asyncio tasks on httpx: each connection sends its next request when the
    last one is answered (what wrk does), for when wrk is not installed."""

    name = "asyncio+httpx"

    async def measure(
        self, url: str, headers: dict[str, str], connections: int, seconds: float
    ) -> Result:
        latencies: list[float] = []
        outcomes: Counter = collections.Counter()
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        deadline = time.perf_counter() + seconds
        async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT_SECONDS) as client:

            async def connection() -> None:
                while time.perf_counter() < deadline:
                    outcome, took = await timed(client.get(url, headers=headers))
                    outcomes[outcome] += 1
                    if outcome[0] in "23":
                        latencies.append(took)

            started = time.perf_counter()
            await asyncio.gather(*(connection() for _ in range(connections)))
            elapsed = time.perf_counter() - started
        latencies.sort()
        return Result(
            requests_per_second=len(latencies) / elapsed,
            p50_ms=_percentile(latencies, 0.50) * 1000,
            p99_ms=_percentile(latencies, 0.99) * 1000,
            errors=sum(outcomes.values()) - len(latencies),
            timeouts=outcomes["timeout"],
            requests=sum(outcomes.values()),
        )


async def timed(request: Awaitable[httpx.Response]) -> tuple[str, float]:
    """The answer's status (or `timeout`, `connection error`) and the seconds it took."""
    started = time.perf_counter()
    try:
        outcome = str((await request).status_code)
    except httpx.TimeoutException:
        outcome = "timeout"
    except httpx.TransportError:
        outcome = "connection error"
    return outcome, time.perf_counter() - started


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


LoadGenerator = Wrk | AsyncLoop


def cpu_seconds(pid: int | None) -> float | None:
    """The CPU time (user and system) process `pid` has spent, where /proc tells it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure_with_cpu(
    load: LoadGenerator,
    url: str,
    headers: dict[str, str],
    connections: int,
    seconds: float,
    pid: int | None,
) -> Result:
    """The load's figures and the CPU the serving process `pid` spent per request answered:
    on a machine shared with other work the steadiest figure, since throughput also measures
    how much CPU the others left."""
    before = cpu_seconds(pid)
    result = await load.measure(url, headers, connections, seconds)
    after = cpu_seconds(pid)
    if before is not None and after is not None and result.requests:
        result.cpu_ms = (after - before) * 1000 / result.requests
    return result


def load_generator() -> LoadGenerator:
    executable = shutil.which("wrk")
    return Wrk(executable) if executable else AsyncLoop()


# The processes under test ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args!r} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {STARTUP_SECONDS} s")


@contextmanager
def started(command: list[str], env: dict[str, str], ready_url: str) -> Iterator[int]:
    """Run `command` until the block ends (SIGTERM, then SIGKILL after 20 s)."""
    with tempfile.NamedTemporaryFile(prefix="massar-bench-", suffix=".log") as log:
        # The commands are this file's own: the service's CLI and the floor.
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
        try:
            wait_until_answering(ready_url, process, Path(log.name))
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def bench_env(database_url: str, port: int, *, operations: bool = False) -> dict[str, str]:
    env = os.environ | {
        "MASSAR_DATABASE_URL": database_url,
        "MASSAR_PORT": str(port),
        "MASSAR_WORKERS": "1",
        # One access-log line per request would be measured too.
        "MASSAR_LOG_LEVEL": "warning",
    }
    if operations:
        env |= {
            "MASSAR_METRICS_PORT": str(free_port()),
            "MASSAR_LOG_FORMAT": "json",
            "MASSAR_LOG_LEVEL": "info",
        }
    return env


@contextmanager
def scraped(env: dict[str, str]) -> Iterator[None]:
    """Scrape the service's metrics once a second while the block runs, as Prometheus would."""
    port = env.get("MASSAR_METRICS_PORT")
    if port is None:
        yield
        return
    stop = threading.Event()

    def scrape() -> None:
        while not stop.wait(1.0):
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)

    thread = threading.Thread(target=scrape, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def throwaway_database() -> Iterator[str]:
    with (
        database(get_settings()) as server,
        temporary_database(server.owner_url, "massar_results_day") as url,
    ):
        yield url


@dataclass
class Served:
    """A process under test: its base URL, and its process id when this run started it."""

    url: str
    pid: int | None = None


@contextmanager
def services(args: argparse.Namespace) -> Iterator[tuple[Served, Served | None, Served | None]]:
    """The service, the floor (None when there is no database to put it on), and the service
    of the national data (None unless named)."""
    with ExitStack() as stack:
        database_url = args.database_url
        base_url = args.base_url
        if base_url is None:
            database_url = database_url or stack.enter_context(throwaway_database())
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            serve = [sys.executable, "-m", "app.cli", "serve", "--migrate", "--seed-demo"]
            env = bench_env(database_url, port, operations=args.operations)
            service = Served(
                base_url, stack.enter_context(started(serve, env, f"{base_url}/readyz"))
            )
            stack.enter_context(scraped(env))
        else:
            service = Served(base_url, args.service_pid)
        floor = None
        if database_url is not None:
            port = free_port()
            floor_url = f"http://127.0.0.1:{port}"
            command = [sys.executable, "bench/floor.py", "--database-url", database_url]
            ready = f"{floor_url}/floor"
            command += ["--port", str(port)]
            floor = Served(floor_url, stack.enter_context(started(command, os.environ, ready)))
        country = None
        if args.national_database_url is not None:
            port = free_port()
            country_url = f"http://127.0.0.1:{port}"
            serve = [sys.executable, "-m", "app.cli", "serve"]
            env = bench_env(args.national_database_url, port)
            ready = f"{country_url}/readyz"
            country = Served(country_url, stack.enter_context(started(serve, env, ready)))
        yield service, floor, country


# What is measured --------------------------------------------------------------------------


@dataclass
class Demo:
    """The demo accounts' tokens and the ids the paths need."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    marks_etag: str | None = None


def settle(base_url: str) -> None:
    """Wait until the service answers at once again: requests a measurement left queued
    (wrk stops, the server still works them off) would otherwise weigh on the next one."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
    print(f"  (the service still lags after {SETTLE_SECONDS} s)")


def log_in_demo(base_url: str) -> Demo:
    settle(base_url)
    demo = Demo()
    with httpx.Client(base_url=base_url, timeout=SETTLE_SECONDS) as client:
        for account, username in ACCOUNTS.items():
            answer = client.post(LOGIN, json={"username": username, "password": DEMO_PASSWORD})
            answer.raise_for_status()
            demo.headers[account] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        children = client.get("/api/v1/parent/children", headers=demo.headers["parent"])
        demo.ids["child"] = children.raise_for_status().json()[0]["id"]
        classes = client.get("/api/v1/teacher/classes", headers=demo.headers["teacher"])
        demo.ids["class"] = classes.raise_for_status().json()[0]["id"]
        marks = client.get("/api/v1/student/marks", headers=demo.headers["pupil"])
        demo.marks_etag = marks.raise_for_status().headers.get("etag")
    return demo


def request_of(endpoint: Endpoint, demo: Demo) -> tuple[str, dict[str, str]] | None:
    """The path and headers of the endpoint's request; None when it cannot be made."""
    headers = dict(demo.headers[endpoint.account])
    if endpoint.etag:
        if demo.marks_etag is None:
            return None
        headers["If-None-Match"] = demo.marks_etag
    return endpoint.path.format(**demo.ids), headers


@dataclass
class Line:
    name: str
    connections: int
    result: Result
    floor: Result | None

    def render(self) -> str:
        r, floor = self.result, self.floor
        cpu = f"{r.cpu_ms:>8.2f}" if r.cpu_ms is not None else f"{'-':>8}"
        ratios = f"{'-':>8}{'-':>8}{'-':>8}"
        if floor is not None:
            throughput = r.requests_per_second / floor.requests_per_second
            cpu_ratio = f"x{r.cpu_ms / floor.cpu_ms:.2f}" if r.cpu_ms and floor.cpu_ms else "-"
            ratios = (
                f"{f'x{throughput:.2f}':>8}{f'x{r.p99_ms / floor.p99_ms:.2f}':>8}{cpu_ratio:>8}"
            )
        return (
            f"{self.name:<22}{self.connections:>6}{r.requests_per_second:>9.0f}"
            f"{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}{r.timeouts:>9}{cpu}{ratios}"
        )


HEADER = (
    f"{'endpoint':<22}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
    f"{'timeouts':>9}{'cpu ms':>8}{'req/s':>8}{'p99':>8}{'cpu':>8}  (x floor)"
)


async def measure_reads(
    load: LoadGenerator, service: Served, floor_app: Served | None, args: argparse.Namespace
) -> None:
    print(HEADER)
    base_url = service.url
    for connections in args.connections:
        demo = log_in_demo(base_url)  # fresh tokens each round: they live 15 minutes
        floor = None
        if floor_app is not None:
            floor = await measure_with_cpu(
                load,
                f"{floor_app.url}/floor",
                demo.headers["pupil"],
                connections,
                args.seconds,
                floor_app.pid,
            )
            print(Line("floor", connections, floor, None).render(), flush=True)
        for endpoint in ENDPOINTS:
            if args.only and endpoint.name not in args.only:
                continue
            request = request_of(endpoint, demo)
            if request is None:
                print(f"{endpoint.name:<22}{connections:>6}  (no ETag on /student/marks)")
                continue
            path, headers = request
            settle(base_url)
            result = await measure_with_cpu(
                load, base_url + path, headers, connections, args.seconds, service.pid
            )
            print(Line(endpoint.name, connections, result, floor).render(), flush=True)


# The login storm ---------------------------------------------------------------------------


def logins_per_second() -> tuple[float, int, float]:
    """What one worker's hashing threads check per second here: (rate, threads, seconds a
    check takes), timed on this machine with the configured argon2id cost."""
    settings = get_settings()
    hasher = password_hasher()
    stored = hasher.hash(DEMO_PASSWORD)
    started = time.perf_counter()
    for _ in range(5):
        hasher.verify(stored, DEMO_PASSWORD)
    seconds = (time.perf_counter() - started) / 5
    threads = settings.password_hashing_limit or hashing_capacity(usable_cores(), 1)
    return threads / seconds, threads, seconds


class LoginSender:
    """POSTs logins over plain kept-alive sockets, reading back only the status and the body's
    length: an HTTP client library spends milliseconds of CPU per request (httpx about 3 ms
    here), which on a small machine would be taken from the service it measures."""

    def __init__(self, base_url: str) -> None:
        url = httpx.URL(base_url)
        self.host, self.port = url.host, url.port or 80
        # Kept-alive connections, each with the time it was last used.
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.opened: list[asyncio.StreamWriter] = []

    def request(self, body: dict[str, str]) -> bytes:
        payload = json.dumps(body).encode()
        head = (
            f"POST {LOGIN} HTTP/1.1\r\nhost: {self.host}:{self.port}\r\n"
            f"content-type: application/json\r\ncontent-length: {len(payload)}\r\n\r\n"
        )
        return head.encode() + payload

    async def post(self, request: bytes) -> tuple[str, float]:
        """The answer's status (or `timeout`, `connection error`) and the seconds it took."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                outcome = await self._exchange(request)
        except TimeoutError:
            outcome = "timeout"
        except (OSError, asyncio.IncompleteReadError, ValueError):
            outcome = "connection error"
        return outcome, time.perf_counter() - started

    async def _connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """The connection used last, unless the server may have closed it for idling (uvicorn
        after 5 s), else a new one."""
        while self.idle:
            reader, writer, since = self.idle.pop()
            if time.monotonic() - since < KEEP_ALIVE_SECONDS:
                return reader, writer
            writer.close()
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened.append(writer)
        return reader, writer

    async def _exchange(self, request: bytes) -> str:
        reader, writer = await self._connection()
        writer.write(request)
        head = (await reader.readuntil(b"\r\n\r\n")).lower()
        length = re.search(rb"content-length: *(\d+)", head)
        await reader.readexactly(int(length.group(1)) if length else 0)
        if b"connection: close" in head:
            writer.close()
        else:
            self.idle.append((reader, writer, time.monotonic()))
        return head[9:12].decode()

    def close(self) -> None:
        for writer in self.opened:
            writer.close()


async def send_logins(base_url: str, rate: float, seconds: float) -> tuple[Counter, list[float]]:
    """Logins at `rate` a second for `seconds`, whatever the answers (an open loop): their
    answers by status, and the times of the 200s."""
    outcomes: Counter = collections.Counter()
    accepted: list[float] = []
    sender = LoginSender(base_url)
    # Every demo account in turn: one account's logins at once would count as its tries (429).
    requests = [
        sender.request({"username": login.username, "password": DEMO_PASSWORD})
        for login in DEMO_LOGINS
    ]

    async def one(request: bytes) -> None:
        outcome, took = await sender.post(request)
        outcomes[outcome] += 1
        if outcome == "200":
            accepted.append(took)

    tasks = []
    started = time.perf_counter()
    try:
        for sent in range(int(rate * seconds)):
            # On schedule, not after the previous answer: a storm does not wait for the server.
            await asyncio.sleep(max(0.0, started + sent / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(requests[sent % len(requests)])))
        await asyncio.gather(*tasks)
    finally:
        sender.close()
    accepted.sort()
    return outcomes, accepted


async def measure_storm(load: LoadGenerator, base_url: str, args: argparse.Namespace) -> None:
    connections = args.connections[0]
    rate, threads, check_seconds = logins_per_second()
    url = f"{base_url}/api/v1/student/marks"
    headers = log_in_demo(base_url).headers["pupil"]
    print(
        f"\nLogin storm: /student/marks at {connections} connections; logins at {2 * rate:.0f}/s, "
        f"twice the hashing capacity ({threads} thread(s), {check_seconds * 1000:.0f} ms a check)"
    )
    quiet = await load.measure(url, headers, connections, args.seconds)
    settle(base_url)
    reads, (outcomes, accepted) = await asyncio.gather(
        load.measure(url, headers, connections, args.seconds),
        send_logins(base_url, 2 * rate, args.seconds),
    )
    ratio = reads.p99_ms / quiet.p99_ms
    print(
        f"  /student/marks without the storm: {quiet.requests_per_second:.0f} req/s, "
        f"p99 {quiet.p99_ms:.1f} ms, errors {quiet.errors}\n"
        f"  /student/marks during the storm:  {reads.requests_per_second:.0f} req/s, "
        f"p99 {reads.p99_ms:.1f} ms, errors {reads.errors}  "
        f"(p99 x{ratio:.2f}; target within x2: {'met' if ratio <= 2 else 'NOT met'})\n"
        f"  logins sent: {sum(outcomes.values())}; answers: "
        + ", ".join(f"{status}: {n}" for status, n in sorted(outcomes.items()))
        + (
            f"; accepted ones p50 {_percentile(accepted, 0.5) * 1000:.0f} ms, "
            f"p99 {_percentile(accepted, 0.99) * 1000:.0f} ms"
            if accepted
            else ""
        )
    )


# Entry point -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument(
        "--connections",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[50, 200],
        help="comma-separated, e.g. 50,200 (the storm uses the first)",
    )
    names = ", ".join(e.name for e in ENDPOINTS)
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default=None,
        help=f"comma-separated names among {names}, storm, national",
    )
    parser.add_argument("--base-url", help="a service already running, with the demo data")
    parser.add_argument(
        "--database-url", help="the database to serve (or the running service's, for the floor)"
    )
    parser.add_argument(
        "--national-database-url",
        help="a database filled by `massar seed-synthetic`: /student/marks and the steering "
        "overview on it beside the demo data (bench/national.py)",
    )
    parser.add_argument(
        "--national-rounds", type=int, default=3, help="rounds in turns on the two data sets"
    )
    parser.add_argument(
        "--service-pid",
        type=int,
        help="the process id of the service at --base-url, to count its CPU per request",
    )
    parser.add_argument(
        "--operations",
        action="store_true",
        help="serve with metrics (scraped every second) and JSON access logs at INFO",
    )
    args = parser.parse_args()
    for url in filter(None, (args.base_url,)):
        if httpx.URL(url).host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("--base-url must be a loopback address")
    return args


async def run(
    args: argparse.Namespace, service: Served, floor: Served | None, country: Served | None
) -> None:
    load = load_generator()
    base_url = service.url
    print(
        f"service {base_url}, floor {floor.url if floor else '(none: no database named)'}, load by "
        f"{load.name}, {args.seconds:g} s a measurement, {usable_cores()} core(s)\n"
    )
    if not args.only or args.only - {"storm", "national"}:
        await measure_reads(load, service, floor, args)
    if not args.only or "storm" in args.only:
        await measure_storm(load, base_url, args)
    if country is not None and (not args.only or "national" in args.only):
        await measure_national(load, service, country, args)


async def measure_national(
    load: LoadGenerator, service: Served, country: Served, args: argparse.Namespace
) -> None:
    connections = args.connections[0]

    async def measure(url: str, headers: dict[str, str]) -> tuple[float, float, float, int]:
        settle(service.url)
        settle(country.url)
        result = await load.measure(url, headers, connections, args.seconds)
        return result.requests_per_second, result.p50_ms, result.p99_ms, result.errors

    await national.compare(
        service.url,
        country.url,
        args.national_database_url,
        measure,
        args.national_rounds,
        connections,
    )


def main() -> None:
    args = parse_args()
    with services(args) as (service, floor, country):
        asyncio.run(run(args, service, floor, country))


if __name__ == "__main__":
    main()
