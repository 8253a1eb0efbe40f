"""Demo of diagnostic and remedial tests: the ministry's start-of-year diagnostic test for 1AC
mathematics (four competencies) and its post-test; teacher.demo enters the results of 1AC-1
and confirms a remedial group on fractions, with Salma Berrada (D130000001) in it, two sessions
held and two to come. Written through the services the apps use."""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_year, school_today
from app.academics.models import Pupil, SchoolClass, Subject
from app.academics.teaching import current_pupils
from app.accounts.models import User
from app.core.security.principal import Principal
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics import remedial as diagnostics_remedial
from app.modules.diagnostics.models import DiagnosticKind
from app.modules.diagnostics.schemas import (
    CompetencyIn,
    DiagnosticTestIn,
    DiagnosticTestOut,
    GridIn,
    GridRowIn,
    RemedialAttendanceIn,
    RemedialAttendanceRowIn,
    RemedialGroupIn,
    RemedialSessionIn,
    ScoreIn,
)

CENTRAL = "central.demo@men.gov.ma"
TEACHER = "teacher.demo@taalim.ma"
DEMO_PUPIL_CODE = "D130000001"
COMPETENCIES = (
    CompetencyIn(code="M1AC-1", label_fr="Nombres décimaux", label_ar="الأعداد العشرية"),
    CompetencyIn(code="M1AC-2", label_fr="Fractions", label_ar="الكسور"),
    CompetencyIn(code="M1AC-3", label_fr="Proportionnalité", label_ar="التناسبية"),
    CompetencyIn(code="M1AC-4", label_fr="Géométrie plane", label_ar="الهندسة المستوية"),
)
FRACTIONS = 1  # index in COMPETENCIES of the group's competency


async def seed_diagnostics(session: AsyncSession, users: dict[str, User]) -> None:
    """The national 1AC maths diagnostic, 1AC-1's results and a remedial group on fractions."""
    rng = random.Random(2026)  # noqa: S311  (the same demo on every machine; not a secret)
    test = await _define_tests(session, Principal.acting_as(users[CENTRAL]))
    teacher = Principal.acting_as(users[TEACHER])
    class_id = await session.scalar(
        select(SchoolClass.id).where(
            SchoolClass.school_id == teacher.school_id,
            SchoolClass.name == "1AC-1",
            SchoolClass.school_year == current_year(),
        )
    )
    assert class_id is not None  # made by demo_teaching
    pupils = list(
        await session.scalars(
            select(Pupil).where(Pupil.id.in_(current_pupils(class_id))).order_by(Pupil.massar_code)
        )
    )
    await diagnostics.save_grid(
        session, teacher, test.id, class_id, GridIn(rows=[_row(rng, test, p) for p in pupils])
    )
    await _remedial_group(session, teacher, test, class_id)


async def _define_tests(session: AsyncSession, central: Principal) -> DiagnosticTestOut:
    math = await session.scalar(select(Subject.id).where(Subject.code == "MATH"))
    assert math is not None  # reference data, loaded by a migration
    test = await diagnostics.create_test(
        session,
        central,
        DiagnosticTestIn(
            kind=DiagnosticKind.DIAGNOSTIC,
            level_code="1AC",
            subject_id=math,
            title="Évaluation diagnostique de début d'année – Mathématiques 1AC",
            mastery_threshold=50,
            competencies=list(COMPETENCIES),
        ),
    )
    await diagnostics.create_test(
        session,
        central,
        DiagnosticTestIn(
            kind=DiagnosticKind.POST_TEST,
            level_code="1AC",
            subject_id=math,
            title="Évaluation post-remédiation – Mathématiques 1AC",
            mastery_threshold=50,
            diagnostic_id=test.id,
        ),
    )
    return test


def _row(rng: random.Random, test: DiagnosticTestOut, pupil: Pupil) -> GridRowIn:
    """Scores out of 100; one pupil in fifteen absent; the demo pupil weak on fractions."""
    if pupil.massar_code != DEMO_PUPIL_CODE and rng.random() < 1 / 15:
        return GridRowIn(pupil_id=pupil.id, absent=True)
    scores = []
    for index, competency in enumerate(test.competencies):
        score = min(100, max(0, round(rng.gauss(60, 20))))
        if pupil.massar_code == DEMO_PUPIL_CODE:
            score = 35 if index == FRACTIONS else max(score, 65)
        scores.append(ScoreIn(competency_id=competency.id, score=score))
    return GridRowIn(pupil_id=pupil.id, scores=scores)


async def _remedial_group(
    session: AsyncSession, teacher: Principal, test: DiagnosticTestOut, class_id: uuid.UUID
) -> None:
    """The proposal's fractions group, confirmed as is, with its sessions."""
    proposal = await diagnostics_remedial.propose(session, teacher, test.id, class_id)
    fractions = test.competencies[FRACTIONS].id
    proposed = next(g for g in proposal.groups if g.competency_id == fractions)
    group = await diagnostics_remedial.confirm_group(
        session,
        teacher,
        RemedialGroupIn(
            test_id=test.id,
            class_id=class_id,
            competency_id=fractions,
            name="Soutien fractions – 1AC-1",
            pupil_ids=[p.pupil_id for p in proposed.pupils],
        ),
    )
    today = school_today()
    for days in (-9, -2, 5, 12):
        remedial = await diagnostics_remedial.add_session(
            session,
            teacher,
            group.id,
            RemedialSessionIn(
                date=today + timedelta(days=days),
                starts_at=time(15, 0),
                ends_at=time(16, 0),
                place="Salle 12",
            ),
        )
        if days < 0:
            rows = [
                RemedialAttendanceRowIn(pupil_id=p.pupil_id, present=i % 6 != 5)
                for i, p in enumerate(proposed.pupils)
            ]
            await diagnostics_remedial.save_attendance(
                session, teacher, remedial.id, RemedialAttendanceIn(rows=rows)
            )
