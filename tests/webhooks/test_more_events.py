"""The events after publication, delivered by the worker to a real receiver on loopback: a
published mark corrected, a document revoked, and the rollover's withdrawals as
`enrolments.changed`; each queued in the change's transaction, only for live endpoints of
clients whose unit holds the school, each payload cut to the client's scopes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.assessment.models import Mark, TestStatus
from app.integrations.scopes import ApiScope
from app.webhooks.delivery import webhook_worker
from tests.councils.conftest import YearEnd
from tests.councils.test_councils import _hold_council, _orient_first_pupil
from tests.factories import (
    FamilyWorld,
    Integrator,
    TeachingWorld,
    World,
    create_api_client,
    create_test_with_marks,
)
from tests.official_documents.test_revocation import SCHOOL, _certificate
from tests.webhooks.receiver import receiver
from tests.webhooks.test_webhooks import (
    MARKS,
    Sessions,
    publish_c1,
    subscribe,
    worker_settings,
)

API = "/api/v1"


async def _client(
    session: AsyncSession, world: World, scopes: frozenset[ApiScope], school: str | None = None
) -> Integrator:
    """A client of the ministry, or of the academy of `school`."""
    place = {} if school is None else {"academy_id": world.schools[school].academy_id}
    created = await create_api_client(session, world.users["central_staff"], scopes, **place)
    await session.commit()
    return created


async def _correct(client: httpx.AsyncClient, teaching: TeachingWorld, mark_id: Any) -> None:
    corrected = await client.post(
        f"{API}/school/marks/{mark_id}/correction",
        json={"mark": "14.75", "reason": "Erreur de saisie"},
        headers=teaching.auth("school_staff"),
    )
    assert corrected.status_code == 201, corrected.text


async def test_a_published_mark_corrected_is_told_to_the_unit_with_its_scopes(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    teaching: TeachingWorld,
) -> None:
    world = teaching.world
    full = await _client(session, world, MARKS, "a1")
    results_only = await _client(session, world, frozenset({ApiScope.RESULTS_READ}))
    elsewhere = await _client(session, world, MARKS, "c")
    event = ["marks.corrected"]
    with receiver() as hooks:
        for who, path in ((full, "/full"), (results_only, "/bare"), (elsewhere, "/elsewhere")):
            await subscribe(client, who, hooks.url + path, event)
        await publish_c1(client, session, teaching)
        pupil = teaching.pupils["c1"][1]
        published = await session.scalar(
            select(Mark).where(Mark.pupil_id == pupil.id).order_by(Mark.updated_at.desc())
        )
        assert published is not None
        # A validated mark not yet published never left Massar: its correction is not told.
        c2 = teaching.classes["c2"]
        kept_in = await create_test_with_marks(
            session,
            c2,
            teaching.subjects["MATH"],
            world.users["teacher"],
            {p: Decimal(9) for p in teaching.pupils["c2"]},
            status=TestStatus.VALIDATED,
        )
        await session.commit()
        unpublished = await session.scalar(select(Mark.id).where(Mark.test_id == kept_in.id))
        await _correct(client, teaching, unpublished)
        await _correct(client, teaching, published.id)

        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 2
        assert hooks.at("/elsewhere") == []
        (told,) = hooks.at("/full")
        (bare,) = hooks.at("/bare")

    assert told.event["type"] == "marks.corrected"
    data = told.event["data"]
    assert data["class"]["id"] == str(teaching.classes["c1"].id)
    assert data["test"]["id"] == str(published.test_id)
    assert data["mark"] | {"corrected_at": None} == {
        "id": str(published.id),
        "pupil_id": str(pupil.id),
        "massar_code": pupil.massar_code,
        "mark": "14.75",
        "absent": False,
        "previous_mark": "12.50",
        "previous_absent": False,
        "corrected_at": None,
    }
    assert "reason" not in str(told.event)
    assert "massar_code" not in bare.event["data"]["mark"]
    assert bare.event["data"]["mark"]["mark"] == "14.75"


async def test_a_revoked_document_is_told_to_clients_that_verify_documents(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    family: FamilyWorld,
) -> None:
    world = family.teaching.world
    portal = await _client(session, world, frozenset({ApiScope.DOCUMENTS_VERIFY}), "a1")
    roster_only = await _client(session, world, frozenset({ApiScope.ROSTER_READ}), "a1")
    refused = await client.post(
        f"{API}/integrations/webhooks",
        json={"url": "http://127.0.0.1:9/in", "events": ["documents.revoked"]},
        headers=roster_only.headers,
    )
    assert refused.status_code == 403
    with receiver() as hooks:
        await subscribe(client, portal, hooks.url + "/portal", ["documents.revoked"])
        code = await _certificate(client, family)
        revoked = await client.post(
            f"{SCHOOL}/documents/{code}/revoke",
            json={"reason": "Émis par erreur"},
            headers=family.auth("school_staff"),
        )
        assert revoked.status_code == 200, revoked.text
        # Issued again: a new version, nothing revoked by that (the last one already was).
        fresh = await _certificate(client, family)
        async with webhook_worker(session_factory, worker_settings()) as worker:
            assert (await worker.run_cycle()).delivered == 1
        (told,) = hooks.received

    assert told.event["type"] == "documents.revoked"
    document = told.event["data"]["document"]
    assert (document["code"], document["kind"]) == (code, "school_certificate")
    assert document["revoked_at"] is not None
    assert told.event["data"]["school"]["id"] == str(world.schools["a1"].id)
    # The Massar code is roster.read's.
    assert "massar_code" not in told.event["data"]
    assert fresh != code


async def test_the_rollovers_withdrawals_are_enrolments_changed(
    client: httpx.AsyncClient,
    session: AsyncSession,
    session_factory: Sessions,
    year_end: YearEnd,
) -> None:
    end = year_end
    roster = await _client(session, end.world, frozenset({ApiScope.ROSTER_READ}), "a1")
    with receiver() as hooks:
        await subscribe(client, roster, hooks.url, ["enrolments.changed"])
        await _orient_first_pupil(client, end)
        await _hold_council(client, end)  # pupils 2 and 3 leave
        validated = await client.post(
            f"{API}/school/councils/{end.third.id}/validate", headers=end.auth("school_staff")
        )
        assert validated.status_code == 200, validated.text
        for _ in range(2):  # a replay closes nothing more, and tells nothing more
            rolled = await client.post(
                f"{API}/school/rollovers",
                json={"from_year": end.year},
                headers=end.auth("school_staff"),
            )
            assert rolled.status_code == 200, rolled.text
        assert rolled.json()["counts"]["withdrawn"] == 2
        async with webhook_worker(session_factory, worker_settings()) as worker:
            await worker.run_cycle()
        changes = [
            (received.event["data"]["school_year"], change)
            for received in hooks.received
            for change in received.event["data"]["changes"]
        ]

    left = {change["pupil"]["id"]: year for year, change in changes if change["change"] == "left"}
    assert left == {str(end.pupils[2].id): end.year, str(end.pupils[3].id): end.year}
    codes = {change["pupil"]["massar_code"] for _, change in changes if change["change"] == "left"}
    expected = await session.scalars(
        select(Pupil.massar_code).where(Pupil.id.in_([end.pupils[2].id, end.pupils[3].id]))
    )
    assert codes == set(expected)
