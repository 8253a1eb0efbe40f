"""Webhooks over HTTP and through the worker, against a real receiver on loopback: an API
client registers an endpoint, a director publishes marks, the worker posts the event signed;
a receiver that fails gets it again, with the same id, until it takes it or the worker gives
up; nothing is delivered twice; each client gets what its scopes allow, and only of its own
part of the tree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.assessment.models import TestStatus
from app.exams.sessions import announce_published_exams
from app.integrations.scopes import ApiScope
from app.settings import Environment, Settings, get_settings
from app.webhooks.delivery import webhook_worker
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.factories import (
    FamilyWorld,
    Integrator,
    TeachingWorld,
    create_api_client,
    create_exam_with_result,
    create_test_with_marks,
)
from tests.webhooks.receiver import receiver

Sessions = async_sessionmaker[AsyncSession]
WEBHOOKS = "/api/v1/integrations/webhooks"
MARKS = frozenset({ApiScope.RESULTS_READ, ApiScope.ROSTER_READ})


def worker_settings(**changes: Any) -> Settings:
    # One send at a time: the worker's sessions share the test's one connection.
    return get_settings().model_copy(
        update={"webhook_max_attempts": 3, "push_concurrency": 1, **changes}
    )


async def integrator(
    session: AsyncSession, teaching: TeachingWorld, scopes: frozenset[ApiScope], **place: Any
) -> Integrator:
    created = await create_api_client(
        session, teaching.world.users["central_staff"], scopes, **place
    )
    await session.commit()
    return created


async def subscribe(
    client: httpx.AsyncClient, who: Integrator, url: str, events: list[str]
) -> dict[str, Any]:
    answer = await client.post(WEBHOOKS, json={"url": url, "events": events}, headers=who.headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def publish_c1(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    """A validated MATH test of c1, published by the director over HTTP."""
    pupils = teaching.pupils["c1"]
    marks: dict[Any, Decimal | str | None] = {p: Decimal("12.5") for p in pupils[1:]}
    marks[pupils[0]] = "absent"
    await create_test_with_marks(
        session,
        teaching.classes["c1"],
        teaching.subjects["MATH"],
        teaching.world.users["teacher"],
        marks,
        status=TestStatus.VALIDATED,
    )
    await session.commit()
    published = await client.post(
        f"/api/v1/school/classes/{teaching.classes['c1'].id}/publish",
        params={"semester": 1},
        headers=teaching.auth("school_staff"),
    )
    assert published.status_code == 200, published.text


async def make_due(session: AsyncSession) -> None:
    """The retries' time has come (the backoff is the worker's to choose, not the test's)."""
    await session.execute(
        update(WebhookDelivery).values(
            next_attempt_at=WebhookDelivery.next_attempt_at - timedelta(days=1)
        )
    )
    await session.commit()


async def test_an_event_is_signed_retried_after_a_failure_and_delivered_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        endpoint = await subscribe(client, portal, hooks.url + "/in", ["marks.published"])
        assert endpoint["secret"].startswith("whsec_")
        assert endpoint["enabled"] is True
        await publish_c1(client, session, teaching)

        hooks.replies = [500]
        async with webhook_worker(session_factory, worker_settings()) as worker:
            first = await worker.run_cycle()
            assert (first.claimed, first.retried, first.delivered) == (1, 1, 0)
            # Not due yet: the backoff holds it.
            assert (await worker.run_cycle()).claimed == 0
            await make_due(session)
            second = await worker.run_cycle()
            assert (second.claimed, second.delivered) == (1, 1)
            # Delivered: never sent again, however often the worker runs.
            await make_due(session)
            assert (await worker.run_cycle()).claimed == 0

        assert len(hooks.received) == 2
        failed, taken = hooks.received
        assert failed.headers["webhook-id"] == taken.headers["webhook-id"]
        assert failed.body == taken.body
        for attempt in (failed, taken):
            assert attempt.verifies_with(endpoint["secret"])
            assert not attempt.verifies_with("whsec_" + "A" * 44)
        event = taken.event
        assert event["id"] == taken.headers["webhook-id"]
        assert event["type"] == "marks.published"
        data = event["data"]
        assert data["class"]["id"] == str(teaching.classes["c1"].id)
        assert data["school"]["id"] == str(teaching.world.schools["a1"].id)
        (test,) = data["tests"]
        assert (test["subject"], test["max_mark"]) == ("MATH", 20)
        codes = {p.massar_code for p in teaching.pupils["c1"]}
        assert {m["massar_code"] for m in test["marks"]} == codes
        assert sorted((m["mark"] or "", m["absent"]) for m in test["marks"]) == [
            ("", True),
            *[("12.50", False)] * 4,
        ]

    log = await client.get(f"{WEBHOOKS}/{endpoint['id']}/deliveries", headers=portal.headers)
    assert log.status_code == 200
    (line,) = log.json()["items"]
    assert line["event_id"] == event["id"]
    assert (line["status"], line["attempts"], line["last_status_code"]) == ("delivered", 2, 200)
    # Settled: the payload (minors' marks) is no longer kept.
    assert await session.scalar(select(WebhookDelivery.payload)) is None


async def test_the_worker_gives_up_after_the_last_attempt(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        endpoint = await subscribe(client, portal, hooks.url, ["marks.published"])
        await publish_c1(client, session, teaching)
        hooks.replies = [503, 503, 503, 503]
        async with webhook_worker(session_factory, worker_settings()) as worker:
            for _ in range(3):
                await worker.run_cycle()
                await make_due(session)
            assert (await worker.run_cycle()).claimed == 0
        assert len(hooks.received) == 3
    log = await client.get(f"{WEBHOOKS}/{endpoint['id']}/deliveries", headers=portal.headers)
    (line,) = log.json()["items"]
    assert (line["status"], line["attempts"], line["last_error"]) == ("dead", 3, "http 503")


async def test_a_delivery_left_unconfirmed_is_sent_again_with_its_id(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    """At least once: a worker that stopped between posting and recording leaves the delivery
    `sending`; past the lease it is posted again, and the receiver knows it by its id."""
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        await subscribe(client, portal, hooks.url, ["marks.published"])
        await publish_c1(client, session, teaching)
        await session.execute(
            update(WebhookDelivery).values(
                status=DeliveryStatus.SENDING,
                claimed_at=WebhookDelivery.created_at - timedelta(hours=1),
            )
        )
        await session.commit()
        async with webhook_worker(session_factory, worker_settings()) as worker:
            report = await worker.run_cycle()
        assert (report.released, report.delivered) == (1, 1)
        assert len(hooks.received) == 1


async def test_each_client_gets_what_its_scopes_allow_of_its_own_part_of_the_tree(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    schools = teaching.world.schools
    results_only = await integrator(session, teaching, frozenset({ApiScope.RESULTS_READ}))
    academy = await integrator(session, teaching, MARKS, academy_id=schools["a1"].academy_id)
    elsewhere = await integrator(session, teaching, MARKS, academy_id=schools["c"].academy_id)
    with receiver() as hooks:
        await subscribe(client, results_only, hooks.url + "/results", ["marks.published"])
        await subscribe(client, academy, hooks.url + "/academy", ["marks.published"])
        other = await subscribe(client, elsewhere, hooks.url + "/elsewhere", ["marks.published"])
        await publish_c1(client, session, teaching)
        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 2

        (bare,) = hooks.at("/results")
        (full,) = hooks.at("/academy")
        assert hooks.at("/elsewhere") == []
        assert bare.headers["webhook-id"] == full.headers["webhook-id"]  # one event
        bare_marks = bare.event["data"]["tests"][0]["marks"]
        full_marks = full.event["data"]["tests"][0]["marks"]
        assert all("massar_code" not in m and "pupil_id" in m for m in bare_marks)
        assert all("massar_code" in m for m in full_marks)
    # Another academy's client has no delivery at all, not even a queued one.
    queued = await session.scalars(
        select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == other["id"])
    )
    assert queued.all() == []


async def test_enrolments_carry_the_birth_date_only_with_demographics(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    roster = await integrator(session, teaching, frozenset({ApiScope.ROSTER_READ}))
    census = await integrator(
        session, teaching, frozenset({ApiScope.ROSTER_READ, ApiScope.ROSTER_DEMOGRAPHICS})
    )
    pupil = teaching.pupils["c1"][0]
    with receiver() as hooks:
        await subscribe(client, roster, hooks.url + "/roster", ["enrolments.changed"])
        await subscribe(client, census, hooks.url + "/census", ["enrolments.changed"])
        moved = await client.post(
            f"/api/v1/school/pupils/{pupil.id}/enrolment",
            json={"class_id": str(teaching.classes["c2"].id)},
            headers=teaching.auth("school_staff"),
        )
        assert moved.status_code == 200, moved.text
        left = await client.post(
            f"/api/v1/school/pupils/{pupil.id}/withdraw", headers=teaching.auth("school_staff")
        )
        assert left.status_code == 200, left.text
        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 4

        # Events carry no order a receiver may rely on: each names what changed, and when.
        changes = {
            change["change"]: change
            for r in hooks.at("/roster")
            for change in r.event["data"]["changes"]
        }
        joined, gone = changes["enrolled"], changes["left"]
        assert (joined["change"], joined["class"]["name"]) == (
            "enrolled",
            teaching.classes["c2"].name,
        )
        assert (gone["change"], gone["class"]) == ("left", None)
        assert joined["pupil"]["massar_code"] == pupil.massar_code
        assert "birth_date" not in joined["pupil"]
        census = [change for r in hooks.at("/census") for change in r.event["data"]["changes"]]
        assert {c["pupil"]["birth_date"] for c in census} == {pupil.birth_date.isoformat()}


# ---- the endpoints over HTTP ---------------------------------------------------------------


async def test_an_endpoint_is_read_changed_turned_off_rotated_and_removed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    with receiver() as hooks:
        created = await subscribe(client, portal, hooks.url + "/old", ["marks.published"])
        url = f"{WEBHOOKS}/{created['id']}"
        read = await client.get(url, headers=portal.headers)
        assert read.status_code == 200
        assert "secret" not in read.json()
        listed = await client.get(WEBHOOKS, headers=portal.headers)
        assert [e["id"] for e in listed.json()["items"]] == [created["id"]]

        off = await client.patch(url, json={"enabled": False}, headers=portal.headers)
        assert (off.status_code, off.json()["enabled"]) == (200, False)
        await publish_c1(client, session, teaching)
        assert await session.scalar(select(WebhookDelivery.id)) is None  # nothing queued

        on = await client.patch(
            url, json={"enabled": True, "url": hooks.url + "/new"}, headers=portal.headers
        )
        assert (on.json()["enabled"], on.json()["url"]) == (True, hooks.url + "/new")
        rotated = await client.post(f"{url}/secret", headers=portal.headers)
        assert rotated.status_code == 200
        new_secret = rotated.json()["secret"]
        assert new_secret != created["secret"]

        moved_pupil = teaching.pupils["c2"][0]
        await client.patch(url, json={"events": ["enrolments.changed"]}, headers=portal.headers)
        await client.post(
            f"/api/v1/school/pupils/{moved_pupil.id}/withdraw",
            headers=teaching.auth("school_staff"),
        )
        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 1
        (sent,) = hooks.at("/new")
        assert sent.verifies_with(new_secret)
        assert not sent.verifies_with(created["secret"])

        removed = await client.delete(url, headers=portal.headers)
        assert removed.status_code == 204
        assert (await client.get(url, headers=portal.headers)).status_code == 404


async def test_refusals(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    roster_only = await integrator(session, teaching, frozenset({ApiScope.ROSTER_READ}))
    portal = await integrator(session, teaching, MARKS)
    mine = await subscribe(client, portal, "http://127.0.0.1:9/in", ["marks.published"])

    # An event whose scope the token lacks (403), on creation and on change.
    refused = await client.post(
        WEBHOOKS,
        json={"url": "http://127.0.0.1:9/", "events": ["marks.published"]},
        headers=roster_only.headers,
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/insufficient-scope")
    theirs = await subscribe(client, roster_only, "http://127.0.0.1:9/", ["enrolments.changed"])
    changed = await client.patch(
        f"{WEBHOOKS}/{theirs['id']}",
        json={"events": ["marks.published"]},
        headers=roster_only.headers,
    )
    assert changed.status_code == 403

    # A person's token (403), and no token (401).
    staff = await client.get(WEBHOOKS, headers=teaching.auth("central_staff"))
    assert staff.status_code == 403
    assert (await client.get(WEBHOOKS)).status_code == 401

    # Another client's endpoint is not found, whatever it asks.
    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/secret"),
        ("GET", "/deliveries"),
    ]:
        answer = await client.request(
            method,
            f"{WEBHOOKS}/{mine['id']}{path}",
            json={"enabled": False} if method == "PATCH" else None,
            headers=roster_only.headers,
        )
        assert answer.status_code == 404, (method, path, answer.text)

    # Bad input (422), nothing written.
    for body in (
        {"url": "ftp://example.ma/", "events": ["marks.published"]},
        {"url": "https://example.ma/", "events": []},
        {"url": "https://example.ma/", "events": ["marks.deleted"]},
        {"events": ["marks.published"]},
    ):
        answer = await client.post(WEBHOOKS, json=body, headers=portal.headers)
        assert answer.status_code == 422, body
    nulled = await client.patch(
        f"{WEBHOOKS}/{mine['id']}", json={"url": None}, headers=portal.headers
    )
    assert nulled.status_code == 422
    listed = await client.get(WEBHOOKS, headers=portal.headers)
    assert len(listed.json()["items"]) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://bourses.example.ma/in",
        "https://127.0.0.1/in",
        "https://10.1.2.3/",
        "https://localhost/",
    ],
)
async def test_production_posts_only_to_public_https(
    client: httpx.AsyncClient,
    session: AsyncSession,
    teaching: TeachingWorld,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    portal = await integrator(session, teaching, MARKS)
    from app.webhooks import endpoints

    prod = get_settings().model_copy(update={"environment": Environment.PROD})
    monkeypatch.setattr(endpoints, "get_settings", lambda: prod)
    answer = await client.post(
        WEBHOOKS, json={"url": url, "events": ["marks.published"]}, headers=portal.headers
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.url"


async def test_exam_results_are_told_when_they_become_visible(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
    family: FamilyWorld,
) -> None:
    schools = teaching.world.schools
    results_only = await integrator(session, teaching, frozenset({ApiScope.RESULTS_READ}))
    academy = await integrator(session, teaching, MARKS, academy_id=schools["a1"].academy_id)
    elsewhere = await integrator(session, teaching, MARKS, academy_id=schools["c"].academy_id)
    event = ["exam_results.published"]
    with receiver() as hooks:
        await subscribe(client, results_only, hooks.url + "/results", event)
        await subscribe(client, academy, hooks.url + "/academy", event)
        await subscribe(client, elsewhere, hooks.url + "/elsewhere", event)
        now = datetime.now(UTC)
        out = await create_exam_with_result(session, family, now - timedelta(minutes=1))
        # Results still hidden are told nothing.
        await create_exam_with_result(session, family, now + timedelta(days=1))
        await session.commit()
        assert await announce_published_exams(session) == 1
        await session.commit()
        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 2
            # Announced once: told once.
            assert await announce_published_exams(session) == 0
            assert (await worker.run_cycle()).claimed == 0

        (bare,) = hooks.at("/results")
        (full,) = hooks.at("/academy")
        assert hooks.at("/elsewhere") == []
        assert full.event["type"] == "exam_results.published"
        assert full.event["data"]["session"]["id"] == str(out.id)
        assert full.event["data"]["school"]["id"] == str(schools["a1"].id)
        (told,) = full.event["data"]["results"]
        assert (told["massar_code"], told["average"], told["decision"]) == (
            family.child.massar_code,
            "12.50",
            "admitted",
        )
        (plain,) = bare.event["data"]["results"]
        assert "massar_code" not in plain
        assert plain["pupil_id"] == str(family.child.id)
