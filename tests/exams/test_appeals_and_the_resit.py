"""An appeal on the normal session accepted once the resit exists: the resit deliberates the
candidate again on the corrected mark (the better-of rule), in the same request, the family is
told once, and the history keeps the resit's decision; a candidate the correction admits at the
normal session, or takes below the resit's line, before sitting the resit is withdrawn from it.
Hand-worked figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.exams.models import ExamKind
from app.messaging.models import Notification
from tests.exams.test_sessions import (
    STEERING,
    Organiser,
    _cohort,
    _mark_all,
    _numbers,
    _ok,
    _sessions_seen,
    _subjects,
)
from tests.factories import World, create_exam_component


def _ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


@dataclass
class Bac:
    ministry: Organiser
    pupil: str
    subjects: dict[str, str]
    normal: str
    resit: str
    resit_number: str


async def _bac_at_the_resit(client: httpx.AsyncClient, session: AsyncSession, world: World) -> Bac:
    """The world's student at the bac: continuous 6, 1BAC regional 8; normal session MATH 6
    (coefficient 2) and FR 9: exam 7, general 1.5 + 2 + 3.5 = 7, the resit threshold: resit.
    Published an hour ago; the resit created and its candidates listed."""
    cohort = await _cohort(session, world, "2BAC", ["6"])
    pupil = cohort.pupils[0]
    await create_exam_component(
        session,
        pupil,
        kind=ExamKind.REGIONAL,
        level_code="1BAC",
        school_year=cohort.year - 1,
        exam_average=Decimal(8),
    )
    ministry = Organiser(client, STEERING, world.auth("central_staff"))
    normal = await ministry.create(
        level_code="2BAC",
        school_year=cohort.year,
        name_fr="Baccalauréat, session normale",
        name_ar="البكالوريا، الدورة العادية",
        resit_threshold=7,
        stream_ids=[cohort.stream_id],
        subjects=_subjects(cohort, MATH=2, FR=1),
    )
    number = _numbers(await ministry.post(normal["id"], "candidates"))[str(pupil.id)]
    await ministry.post(normal["id"], "marking")
    await _mark_all(ministry, normal["id"], cohort.subjects["MATH"], {number: 6})
    await _mark_all(ministry, normal["id"], cohort.subjects["FR"], {number: 9})
    await ministry.post(normal["id"], "deliberate")
    assert (await ministry.results(normal["id"]))[str(pupil.id)]["decision"] == "resit"
    await ministry.post(normal["id"], "publish", publish_at=_ago(2))
    resit = await ministry.create(
        level_code="2BAC",
        school_year=cohort.year,
        name_fr="Baccalauréat, session de rattrapage",
        name_ar="البكالوريا، الدورة الاستدراكية",
        round="resit",
        normal_session_id=normal["id"],
    )
    resit_number = _numbers(await ministry.post(resit["id"], "candidates"))[str(pupil.id)]
    return Bac(ministry, str(pupil.id), cohort.subjects, normal["id"], resit["id"], resit_number)


async def _appeal_accepted(
    client: httpx.AsyncClient, world: World, bac: Bac, subject: str, mark: int
) -> None:
    filed = await _ok(
        await client.post(
            f"/api/v1/student/exams/{bac.normal}/appeals",
            json={"subject_id": bac.subjects[subject]},
            headers=world.auth("student"),
        ),
        201,
    )
    await _ok(
        await client.post(
            f"{STEERING}/{bac.normal}/appeals/{filed['id']}/decision",
            json={"decision": "accept", "mark": mark},
            headers=bac.ministry.headers,
        )
    )


async def _resit_candidates(client: httpx.AsyncClient, bac: Bac) -> list[str]:
    """The pupils the resit lists, as its organiser reads them."""
    listed = await _ok(
        await client.get(f"{STEERING}/{bac.resit}/candidates", headers=bac.ministry.headers)
    )
    return [c["pupil_id"] for c in listed]


async def _appeal_notices(session: AsyncSession, world: World) -> Any:
    return await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == world.users["student"].id,
            Notification.data["appeal_id"].astext.is_not(None),
        )
    )


async def test_an_appeal_on_the_normal_session_reaches_the_published_resit(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    bac = await _bac_at_the_resit(client, session, world)
    ministry, resit = bac.ministry, bac.resit
    await ministry.post(resit, "marking")
    await _mark_all(ministry, resit, bac.subjects["MATH"], {bac.resit_number: 16})
    await _mark_all(ministry, resit, bac.subjects["FR"], {bac.resit_number: 5})
    await ministry.post(resit, "deliberate")
    # Better of the two: MATH 16, FR 9: exam 41 / 3 = 13.67; 1.5 + 2 + 6.835 = 10.34.
    before = (await ministry.results(resit))[bac.pupil]
    assert (before["average"], before["mention_fr"]) == ("10.34", "Passable")
    await ministry.post(resit, "publish", publish_at=_ago(1))

    # The normal session's French re-marked 19.
    await _appeal_accepted(client, world, bac, "FR", 19)
    # Normal: exam (12 + 19) / 3 = 10.33; 1.5 + 2 + 5.165 = 8.67, still the resit.
    normal = (await ministry.results(bac.normal))[bac.pupil]
    assert (normal["exam_average"], normal["average"], normal["decision"]) == (
        "10.33",
        "8.67",
        "resit",
    )
    # The resit again: MATH 16, FR 19 (not 9 any more): exam 51 / 3 = 17; 1.5 + 2 + 8.5 = 12,
    # Assez bien at its line.
    after = (await ministry.results(resit))[bac.pupil]
    assert (after["exam_average"], after["average"]) == ("17.00", "12.00")
    assert (after["decision"], after["mention_fr"]) == ("admitted", "Assez bien")
    # The family is told once, and reads the resit's new result and decision at once.
    assert await _appeal_notices(session, world) == 1
    seen = await _sessions_seen(client, world, "student")
    assert [(s["round"], s["average"], s["decision"]) for s in seen] == [
        ("resit", "12.00", "admitted"),
        ("normal", "8.67", "resit"),
    ]
    history = await _ok(await client.get("/api/v1/student/history", headers=world.auth("student")))
    assert history[0]["decision"] == "admitted"


@pytest.mark.parametrize(
    ("subject", "mark", "average", "decision", "mention"),
    [
        # Maths re-marked 15: exam (30 + 9) / 3 = 13; 1.5 + 2 + 6.5 = 10, the pass line.
        ("MATH", 15, "10.00", "admitted", "Passable"),
        # French re-marked 6: exam (12 + 6) / 3 = 6; 1.5 + 2 + 3 = 6.5, below the resit's 7.
        ("FR", 6, "6.50", "not_admitted", None),
    ],
    ids=["admitted", "below-the-resit-line"],
)
async def test_a_correction_that_no_longer_sends_to_the_resit_withdraws_from_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    subject: str,
    mark: int,
    average: str,
    decision: str,
    mention: str | None,
) -> None:
    bac = await _bac_at_the_resit(client, session, world)
    # The resit's candidates are listed, none of it sat yet.
    await _appeal_accepted(client, world, bac, subject, mark)
    normal = (await bac.ministry.results(bac.normal))[bac.pupil]
    assert (normal["average"], normal["decision"], normal["mention_fr"]) == (
        average,
        decision,
        mention,
    )
    assert await _resit_candidates(client, bac) == []
    assert await _appeal_notices(session, world) == 1
    seen = await _sessions_seen(client, world, "student")
    assert [(s["round"], s["decision"]) for s in seen] == [("normal", decision)]
    history = await _ok(await client.get("/api/v1/student/history", headers=world.auth("student")))
    assert history[0]["decision"] == decision


async def test_a_candidate_who_sat_the_resit_stays_on_it_whatever_the_correction(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    bac = await _bac_at_the_resit(client, session, world)
    ministry, resit = bac.ministry, bac.resit
    await ministry.post(resit, "marking")
    await _mark_all(ministry, resit, bac.subjects["MATH"], {bac.resit_number: 12})
    await _appeal_accepted(client, world, bac, "FR", 6)
    assert await _resit_candidates(client, bac) == [bac.pupil]
