"""`massar serve` with two worker processes: both serve, failed logins are counted across them
(Redis), and a logout in one is refused by the other (each request reads its login session).

The service runs for real, on a free loopback port against this package's live database. Which
worker serves a connection is read from /proc: the process holding the server's end of it."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db.session import create_engine
from app.core.roles import Role
from app.settings import get_settings
from tests.factories import PASSWORD, FamilyWorld, create_user
from tests.processes import free_port, massar_serve

REDIS_URL = os.environ.get("MASSAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LOGIN = "/api/v1/auth/token"
pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc to tell the workers apart"
)


def _redis_or_skip() -> None:
    try:
        Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")


@pytest.fixture(scope="module")
def two_workers(live_database: str) -> Iterator[str]:
    """`massar serve` with MASSAR_WORKERS=2 and the throttle in Redis; its base URL."""
    _redis_or_skip()
    # The loopback address's counters outlive a run in Redis: runs in a row would add up this
    # test's wrong passwords until the address is throttled (429 where 401 is expected).
    loopback = ("massar:login:failures:ip:127.0.0.1", "massar:login:lock:ip:127.0.0.1")
    Redis.from_url(REDIS_URL, socket_timeout=1).delete(*loopback)
    port = free_port()
    env = os.environ | {
        "MASSAR_DATABASE_URL": live_database,
        "MASSAR_PORT": str(port),
        "MASSAR_WORKERS": "2",
        "MASSAR_REDIS_URL": REDIS_URL,
        "MASSAR_LOG_LEVEL": "warning",
    }
    with massar_serve(env, port):
        yield f"http://127.0.0.1:{port}"


def _worker_of(client: httpx.Client, base_url: str) -> int:
    """The pid of the worker process that serves this client's (kept-alive) connection."""
    answer = client.get(f"{base_url}/healthz")
    stream = answer.extensions["network_stream"]
    _, client_port = stream.get_extra_info("client_addr")
    _, server_port = stream.get_extra_info("server_addr")
    inode = _server_socket_inode(server_port, client_port)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]" for fd in fds):
                return int(pid)
        except OSError:  # a process that ended, or one that is not ours
            continue
    raise AssertionError("no process holds the server's end of the connection")


def _server_socket_inode(server_port: int, client_port: int) -> str:
    """The inode of the server's end: local port `server_port`, remote port `client_port`."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and (
            int(remote.split(":")[1], 16) == client_port
        ):
            return fields[9]
    raise AssertionError("the connection is not in /proc/net/tcp")


@pytest.fixture
def one_per_worker(two_workers: str) -> Iterator[list[httpx.Client]]:
    """Two kept-alive clients, each served by a different worker (found anew for each test:
    uvicorn closes a connection left idle for 5 s).

    `/readyz` answered as soon as one worker was up; the other may still be importing the app on
    a busy machine, so new connections are tried until both workers have taken one."""
    by_worker: dict[int, httpx.Client] = {}
    deadline = time.monotonic() + 180
    try:
        while len(by_worker) < 2 and time.monotonic() < deadline:
            client = httpx.Client(base_url=two_workers, timeout=10)
            try:
                pid = _worker_of(client, two_workers)
            except BaseException:
                client.close()
                raise
            if pid in by_worker:
                client.close()
                time.sleep(0.05)
            else:
                by_worker[pid] = client
        assert len(by_worker) == 2, "every connection went to one worker"
        clients = list(by_worker.values())
        yield clients
        # Still the same two workers: no connection was dropped and made again elsewhere.
        assert [_worker_of(client, two_workers) for client in clients] == list(by_worker)
    finally:
        for client in by_worker.values():
            client.close()


@pytest.fixture
async def fresh_teacher(live_database: str, live_family: FamilyWorld) -> str:
    """A teacher of its own (a new username each run: lockouts in Redis expire on their own)."""
    engine = create_engine(get_settings(), live_database)
    try:
        async with AsyncSession(engine, expire_on_commit=False) as session:
            school = live_family.teaching.world.schools["a1"]
            user = await create_user(
                session, Role.TEACHER, school=school, username=f"w{uuid.uuid4().hex}@taalim.ma"
            )
            await session.commit()
    finally:
        await engine.dispose()
    return user.username


def test_both_workers_serve(one_per_worker: list[httpx.Client], two_workers: str) -> None:
    pids = {_worker_of(client, two_workers) for client in one_per_worker}
    assert len(pids) == 2
    for client in one_per_worker:
        assert client.get("/readyz").status_code == 200


def test_failed_logins_are_counted_across_workers(
    one_per_worker: list[httpx.Client], fresh_teacher: str
) -> None:
    wrong = {"username": fresh_teacher, "password": "not-the-password"}
    limit = get_settings().login_max_failures_per_account
    # The tries alternate between the workers: neither alone sees the limit.
    for attempt in range(limit):
        answer = one_per_worker[attempt % 2].post(LOGIN, json=wrong)
        assert answer.status_code == 401
    right = {"username": fresh_teacher, "password": PASSWORD}
    for client in one_per_worker:
        assert client.post(LOGIN, json=right).status_code == 429


def test_a_logout_in_one_worker_is_refused_in_the_other(
    one_per_worker: list[httpx.Client], live_family: FamilyWorld
) -> None:
    first, second = one_per_worker
    username = live_family.teaching.world.users["teacher"].username
    tokens = first.post(LOGIN, json={"username": username, "password": PASSWORD}).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert second.get("/api/v1/me", headers=bearer).status_code == 200
    logout = first.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert logout.status_code == 204
    assert second.get("/api/v1/me", headers=bearer).status_code == 401
