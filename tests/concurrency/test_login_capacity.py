"""Logins beyond the hashing capacity wait in a bounded queue, for a bounded time, then answer
503 `login-busy` with Retry-After: a login storm can neither starve reads nor wait without end."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.core.security.passwords import HashingGate, hashing_capacity, install_hashing_gate
from app.main import create_app
from app.settings import get_settings
from tests.factories import PASSWORD, FamilyWorld
from tests.processes import free_port

LOGIN = "/api/v1/auth/token"


@pytest.fixture
async def gate() -> AsyncIterator[HashingGate]:
    """One hashing thread and a queue of one: the smallest gate there is."""
    small = HashingGate(capacity=1, queue_size=1, queue_seconds=10.0)
    previous = install_hashing_gate(small)
    yield small
    install_hashing_gate(previous)


def _credentials(family: FamilyWorld, role: str, password: str = PASSWORD) -> dict[str, str]:
    return {"username": family.teaching.world.users[role].username, "password": password}


async def _until_done(tasks: list[asyncio.Task[httpx.Response]], count: int) -> None:
    """Wait (at most 30 s) until `count` of the tasks have finished."""
    async with asyncio.timeout(30):
        while sum(task.done() for task in tasks) < count:
            await asyncio.wait([t for t in tasks if not t.done()], return_when="FIRST_COMPLETED")


async def test_logins_beyond_the_queue_get_503_at_once_and_the_queued_one_gets_in(
    live_client: httpx.AsyncClient, live_family: FamilyWorld, gate: HashingGate
) -> None:
    body = _credentials(live_family, "teacher")
    async with gate.slot():  # the only hashing thread is busy: every login must queue
        logins = [asyncio.create_task(live_client.post(LOGIN, json=body)) for _ in range(4)]
        await _until_done(logins, 3)
        assert gate.waiting == 1
    answers = await asyncio.gather(*logins)
    busy = [answer for answer in answers if answer.status_code == 503]
    assert len(busy) == 3
    assert [answer.status_code for answer in answers].count(200) == 1
    assert gate.peak_waiting == 1
    for answer in busy:
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"].endswith("/login-busy")
        assert int(answer.headers["retry-after"]) >= 1


async def test_a_queued_login_waits_no_longer_than_the_bound(
    live_client: httpx.AsyncClient, live_family: FamilyWorld, gate: HashingGate
) -> None:
    gate.queue_seconds = 0.2
    async with gate.slot():
        answer = await live_client.post(LOGIN, json=_credentials(live_family, "school_staff"))
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert gate.waiting == 0


async def test_logins_refused_for_busy_do_not_count_as_failures(
    live_client: httpx.AsyncClient, live_family: FamilyWorld, gate: HashingGate
) -> None:
    gate.queue_size = 0
    wrong = _credentials(live_family, "province_staff", "not-the-password")
    tries = get_settings().login_max_failures_per_account + 2
    async with gate.slot():
        for _ in range(tries):
            assert (await live_client.post(LOGIN, json=wrong)).status_code == 503
    right = _credentials(live_family, "province_staff")
    assert (await live_client.post(LOGIN, json=right)).status_code == 200


async def test_a_login_the_gate_cannot_take_is_refused_before_the_database(
    gate: HashingGate,
) -> None:
    # A database nobody listens on: a login that reached it would answer database-unavailable.
    app = create_app(get_settings(), f"postgresql://massar@127.0.0.1:{free_port()}/nowhere")
    body = {"username": "anyone@taalim.ma", "password": PASSWORD}
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (
            (await client.post(LOGIN, json=body)).json()["type"].endswith("/database-unavailable")
        )
        gate.queue_size = 0
        async with gate.admit():  # one login in: the only thread is spoken for
            refused = await client.post(LOGIN, json=body)
    assert refused.status_code == 503
    assert refused.json()["type"].endswith("/login-busy")
    assert gate.admitted == 0


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_a_password_change_is_refused_when_hashing_is_busy(
    live_client: httpx.AsyncClient, live_family: FamilyWorld, gate: HashingGate
) -> None:
    gate.queue_size = 0
    body = {"current_password": PASSWORD, "new_password": "a-new-password-2026"}
    async with gate.slot():
        answer = await live_client.post(
            "/api/v1/me/password", json=body, headers=live_family.auth("academy_staff")
        )
    assert answer.status_code == 503
    assert answer.headers["retry-after"]


@pytest.mark.parametrize(
    ("cores", "workers", "capacity"),
    [(2, 1, 1), (8, 1, 7), (8, 2, 3), (16, 4, 3), (2, 2, 1), (1, 1, 1)],
)
def test_hashing_keeps_a_core_shared_out_among_the_workers(
    cores: int, workers: int, capacity: int
) -> None:
    assert hashing_capacity(cores, workers) == capacity


def _own_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
async def test_hashing_threads_run_below_the_event_loop() -> None:
    loop_nice = _own_nice()
    gate = HashingGate(capacity=2, queue_size=0, queue_seconds=1.0, nice=5)
    hashing_nice = await gate.run(_own_nice)
    others = await asyncio.to_thread(_own_nice)
    assert hashing_nice == min(loop_nice + 5, 19)
    # Only the gate's own threads: the event loop and the threads others use keep theirs.
    assert _own_nice() == loop_nice
    assert others == loop_nice
