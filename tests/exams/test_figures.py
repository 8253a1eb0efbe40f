"""A session's figures from the per-school summaries, against the same figures computed live
from the results; and the units above the organiser reading its session, never writing it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil
from app.core.roles import Role
from app.exams.models import ExamResult
from app.organisation.models import Academy, Province
from tests.exams.test_sessions import (
    STEERING,
    Organiser,
    _cohort,
    _mark_all,
    _numbers,
    _ok,
    _subjects,
)
from tests.factories import World, access_token, create_user


async def _deliberated_6ap(
    client: httpx.AsyncClient, session: AsyncSession, world: World, *, deliberate: bool = True
) -> tuple[dict[str, Any], Organiser]:
    """The directorate's 6AP session of five pupils of school a1 (one absent from every
    subject), deliberated after each has their school's local exam."""
    cohort = await _cohort(session, world, "6AP", ["8", "4", "6", "7", "9"])
    school = Organiser(client, "/api/v1/school/exams", world.auth("school_staff"))
    local = await school.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Local",
        name_ar="محلي",
        subjects=_subjects(cohort, MATH=1),
    )
    numbers = _numbers(await school.post(local["id"], "candidates"))
    await school.post(local["id"], "marking")
    await _mark_all(
        school, local["id"], cohort.subjects["MATH"], dict.fromkeys(numbers.values(), 7)
    )
    await school.post(local["id"], "deliberate")

    directorate = Organiser(client, STEERING, world.auth("province_staff"))
    exam = await directorate.create(
        level_code="6AP",
        school_year=cohort.year,
        name_fr="Provincial",
        name_ar="إقليمي",
        resit_threshold="4",
        subjects=_subjects(cohort, MATH=2, FR=1),
    )
    numbers = _numbers(await directorate.post(exam["id"], "candidates"))
    await directorate.post(exam["id"], "marking")
    ordered = [numbers[str(p.id)] for p in cohort.pupils]
    maths = dict(zip(ordered, [9, 2, 6, 8, "absent"], strict=True))
    french = dict(zip(ordered, [8, 3, 5, 10, "absent"], strict=True))
    await _mark_all(directorate, exam["id"], cohort.subjects["MATH"], maths)
    await _mark_all(directorate, exam["id"], cohort.subjects["FR"], french)
    if deliberate:
        await directorate.post(exam["id"], "deliberate")
    return exam, directorate


def _rate(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _counts(rows: list[tuple[ExamResult, Pupil]]) -> dict[str, Any]:
    present = sum(1 for r, _ in rows if r.exam_average is not None)
    admitted = sum(1 for r, _ in rows if r.decision == "admitted")
    return {
        "candidates": len(rows),
        "present": present,
        "admitted": admitted,
        "resit": sum(1 for r, _ in rows if r.decision == "resit"),
        "refused": sum(1 for r, _ in rows if r.decision == "not_admitted"),
        "pass_rate": _rate(admitted, present),
    }


async def _live(session: AsyncSession, exam: dict[str, Any]) -> dict[str, Any]:
    """The figures computed from the results themselves."""
    rows = list(
        (
            await session.execute(
                select(ExamResult, Pupil)
                .join(Pupil, Pupil.id == ExamResult.pupil_id)
                .where(ExamResult.session_id == exam["id"])
                .execution_options(populate_existing=True)
            )
        ).all()
    )
    averages = [r.average for r, _ in rows if r.average is not None]
    histogram = [0] * 20
    for average in averages:
        histogram[min(int(average * 20 / 10), 19)] += 1
    mean = sum(averages, Decimal(0)) / len(averages)
    genders = sorted({p.gender for _, p in rows})
    return {
        "counts": _counts(rows),
        "by_gender": [
            {"key": g, "counts": _counts([(r, p) for r, p in rows if p.gender == g])}
            for g in genders
        ],
        "by_stream": [{"key": "", "counts": _counts(rows)}],
        "mentions": [sum(1 for r, _ in rows if r.mention_fr == m["fr"]) for m in exam["mentions"]],
        "histogram": histogram,
        "mean": str(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
    }


def _figures_of(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "counts": answer["counts"],
        "by_gender": answer["by_gender"],
        "by_stream": answer["by_stream"],
        "mentions": [m["admitted"] for m in answer["mentions"]],
        "histogram": answer["histogram"],
        "mean": answer["mean"],
    }


async def test_the_figures_from_the_summaries_are_those_of_the_results(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    exam, directorate = await _deliberated_6ap(client, session, world)
    figures = f"{STEERING}/{exam['id']}/figures"
    mine = await _ok(await client.get(figures, headers=directorate.headers))
    live = await _live(session, exam)
    assert _figures_of(mine) == live
    # Hand-worked: the 6AP certificate's 50/25/25 weights, out of 10 with a pass at 5.
    assert live["counts"] == {
        "candidates": 5,
        "present": 4,
        "admitted": 3,
        "resit": 1,
        "refused": 1,
        "pass_rate": "0.7500",
    }
    assert mine["as_of"] is not None
    assert mine["unit"]["level"] == "province"
    assert [u["unit"]["id"] for u in mine["by_unit"]] == [str(world.schools["a1"].id)]
    assert mine["by_unit"][0]["counts"] == live["counts"]
    assert mine["bin_width"] == "0.5"

    # The academy and the ministry read the same, over their unit and over the school.
    for who in ("academy_staff", "central_staff"):
        theirs = await _ok(await client.get(figures, headers=world.auth(who)))
        assert _figures_of(theirs) == live, who
        school = await _ok(
            await client.get(
                figures, params={"unit_id": str(world.schools["a1"].id)}, headers=world.auth(who)
            )
        )
        assert school["counts"] == live["counts"]
        assert school["by_unit"] == []
    # Another directorate's school is not in the directorate's part of the tree.
    elsewhere = await client.get(
        figures, params={"unit_id": str(world.schools["c"].id)}, headers=directorate.headers
    )
    assert elsewhere.status_code == 404


async def test_a_deliberation_again_rewrites_the_figures_and_a_session_not_deliberated_has_none(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    exam, directorate = await _deliberated_6ap(client, session, world, deliberate=False)
    figures = f"{STEERING}/{exam['id']}/figures"
    early = await client.get(figures, headers=directorate.headers)
    assert early.status_code == 409
    await directorate.post(exam["id"], "deliberate")
    # Marked again, deliberated again: the summaries follow in the same transaction.
    await directorate.post(exam["id"], "marking")
    results = await directorate.results(exam["id"])
    low = next(r for r in results.values() if r["decision"] == "resit")
    await _mark_all(
        directorate, exam["id"], next(iter(_subject_ids(low))), {low["candidate_number"]: 10}
    )
    await directorate.post(exam["id"], "deliberate")
    after = await _ok(await client.get(figures, headers=directorate.headers))
    assert _figures_of(after) == await _live(session, exam)


def _subject_ids(result: dict[str, Any]) -> list[str]:
    return [s["subject_id"] for s in result["subjects"]]


async def test_the_units_above_read_the_session_and_only_the_organiser_writes(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    exam, _ = await _deliberated_6ap(client, session, world)
    one = f"{STEERING}/{exam['id']}"
    for who in ("academy_staff", "central_staff"):
        headers = world.auth(who)
        listed = await _ok(await client.get(STEERING, headers=headers))
        assert exam["id"] in [s["id"] for s in listed["items"]], who
        assert (await _ok(await client.get(one, headers=headers)))["id"] == exam["id"]
        assert len(await _ok(await client.get(f"{one}/candidates", headers=headers))) == 5
        await _ok(await client.get(f"{one}/appeals/figures", headers=headers))
        for action in ("candidates", "marking", "deliberate"):
            answer = await client.post(f"{one}/{action}", headers=headers)
            assert answer.status_code == 404, (who, action)
        published = await client.post(
            f"{one}/publish", json={"publish_at": "2030-01-01T00:00:00Z"}, headers=headers
        )
        assert published.status_code == 404, who
        assert (await client.get(f"{one}/results", headers=headers)).status_code == 404

    # A sibling academy and another directorate see nothing of it.
    anfa = (await session.execute(select(Province).where(Province.code == "CS-ANFA"))).scalar_one()
    sibling_academy = (
        await session.execute(select(Academy).where(Academy.id == anfa.academy_id))
    ).scalar_one()
    strangers = [
        await create_user(session, Role.PROVINCE_STAFF, province=anfa),
        await create_user(session, Role.ACADEMY_STAFF, academy_id=sibling_academy.id),
    ]
    for stranger in strangers:
        headers = {"Authorization": f"Bearer {await access_token(session, stranger)}"}
        for path in (one, f"{one}/candidates", f"{one}/figures", f"{one}/appeals/figures"):
            assert (await client.get(path, headers=headers)).status_code == 404, path
        listed = await _ok(await client.get(STEERING, headers=headers))
        assert exam["id"] not in [s["id"] for s in listed["items"]]
    # Nor does a school's staff, and a pupil's token is turned away.
    for path in (one, f"{one}/figures"):
        pupil = await client.get(path, headers=world.auth("student"))
        assert pupil.status_code == 403
    school = await client.get(
        f"/api/v1/school/exams/{exam['id']}", headers=world.auth("school_staff")
    )
    assert school.status_code == 404


async def test_the_sessions_beneath_are_listed_a_page_at_a_time_and_filtered(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _deliberated_6ap(client, session, world, deliberate=False)
    headers = world.auth("central_staff")

    async def listed(**params: Any) -> Any:
        return await _ok(await client.get(STEERING, params=params, headers=headers))

    first = await listed(limit=1)
    second = await listed(limit=1, cursor=first["next_cursor"])
    assert sorted(s["kind"] for s in first["items"] + second["items"]) == ["local", "provincial"]
    assert second["next_cursor"] is None
    assert [s["kind"] for s in (await listed(kind="local"))["items"]] == ["local"]
    assert len((await listed(level_code="6AP"))["items"]) == 2
    assert (await listed(level_code="3AC", kind="provincial"))["items"] == []
    refused = await client.get(STEERING, params={"kind": "weekly"}, headers=headers)
    assert refused.status_code == 422


async def test_publication_leaves_the_figures_as_the_deliberation_wrote_them(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    exam, directorate = await _deliberated_6ap(client, session, world)
    rows = text("SELECT ctid::text FROM exam_school_summaries WHERE session_id = :id ORDER BY 1")

    async def written() -> list[str]:
        return list((await session.scalars(rows, {"id": exam["id"]})).all())

    before = await written()
    await directorate.post(exam["id"], "publish", publish_at="2030-01-01T00:00:00Z")
    assert before
    assert await written() == before  # the same rows, not written again
    figures = await _ok(
        await client.get(f"{STEERING}/{exam['id']}/figures", headers=directorate.headers)
    )
    assert _figures_of(figures) == await _live(session, exam)
