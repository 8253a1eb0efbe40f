"""Where the worker posts: to the address it resolved the endpoint's name to, with the name
as `Host`; outside development never to an address that is not public, whatever public name
points at it. The resolver is the one thing replaced (it names a receiver on loopback); the
post goes to a real receiver over a real socket."""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.settings import Environment
from app.webhooks.addresses import Resolver, is_public
from app.webhooks.delivery import webhook_worker
from tests.factories import TeachingWorld
from tests.webhooks.receiver import receiver
from tests.webhooks.test_webhooks import (
    MARKS,
    WEBHOOKS,
    Sessions,
    integrator,
    publish_c1,
    subscribe,
    worker_settings,
)

NAME = "hooks.bourses.example.ma"


def resolving(answers: dict[str, list[str]]) -> Resolver:
    """A resolver that knows only these names (and fails on any other, as a lookup does)."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(f"{host} unknown")
        return answers[host]

    return resolve


async def _last_delivery(
    client: httpx.AsyncClient, headers: dict[str, str], endpoint_id: str
) -> dict[str, object]:
    log = await client.get(f"{WEBHOOKS}/{endpoint_id}/deliveries", headers=headers)
    (line,) = log.json()["items"]
    return dict(line)


async def test_the_worker_posts_to_the_address_it_resolved_with_the_name_as_host(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        port = hooks.url.rsplit(":", 1)[1]
        await subscribe(client, portal, f"http://{NAME}:{port}/in", ["marks.published"])
        await publish_c1(client, session, teaching)
        resolver = resolving({NAME: ["127.0.0.1"]})
        async with webhook_worker(session_factory, worker_settings(), resolver) as worker:
            assert (await worker.run_cycle()).delivered == 1
        (taken,) = hooks.received
        assert taken.path == "/in"
        assert taken.headers["host"] == f"{NAME}:{port}"
        # No connection outlives its post, so none carries another name's next one.
        assert taken.headers["connection"] == "close"


@pytest.mark.parametrize(
    "answer",
    [["127.0.0.1"], ["10.20.0.7"], ["169.254.169.254"], ["8.8.8.8", "127.0.0.1"], ["::1"]],
)
async def test_outside_development_a_public_name_resolving_to_a_private_address_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
    answer: list[str],
) -> None:
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        port = hooks.url.rsplit(":", 1)[1]
        # Registered while the name still looked fine (it passes the registration's check).
        endpoint = await subscribe(client, portal, f"https://{NAME}:{port}/in", ["marks.published"])
        await publish_c1(client, session, teaching)
        prod = worker_settings(environment=Environment.PROD)
        resolver = resolving({NAME: answer})
        async with webhook_worker(session_factory, prod, resolver) as worker:
            report = await worker.run_cycle()
        assert (report.claimed, report.delivered, report.retried) == (1, 0, 1)
        assert hooks.received == []
    line = await _last_delivery(client, portal.headers, endpoint["id"])
    private = next(a for a in answer if not ipaddress.ip_address(a).is_global)
    assert line["status"] == "pending"
    assert line["last_status_code"] is None
    assert line["last_error"] == f"refused: {NAME} resolves to {private}, not a public address"


async def test_a_name_that_does_not_resolve_is_a_failed_attempt(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    endpoint = await subscribe(client, portal, f"https://{NAME}/in", ["marks.published"])
    await publish_c1(client, session, teaching)
    async with webhook_worker(session_factory, worker_settings(), resolving({})) as worker:
        assert (await worker.run_cycle()).retried == 1
    line = await _last_delivery(client, portal.headers, endpoint["id"])
    assert line["last_error"] == f"refused: {NAME} does not resolve"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 (an address judged, not bound)
        ("240.0.0.1", False),
        ("224.0.0.251", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", True),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public
