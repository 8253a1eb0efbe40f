"""Diagnostic tests: definitions made by the ministry, academies and directorates; the teacher's
result grid (all or nothing); class summaries, progress after the post-test; mastery figures
for schools and steering units. Remedial groups are in `diagnostics_remedial`.

A competency is mastered when its score (out of 100) reaches the test's `mastery_threshold`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, current_year
from app.academics.models import Enrolment, Pupil, SchoolClass, Subject, TeachingAssignment
from app.academics.models import Level as SchoolLevel
from app.academics.teaching import TaughtClassInfo, check_pupils_of_class, current_pupils
from app.core.bulk import upsert
from app.core.listing import found, keyset_page, page_of, where_given
from app.core.ownership import owned_above, owned_by, owned_visible, owner_place
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import Conflict, InvalidInput, ProblemError, field_error, invalid
from app.modules.diagnostics.models import (
    DiagnosticCompetency,
    DiagnosticKind,
    DiagnosticResult,
    DiagnosticTest,
    RemedialGroup,
    RemedialGroupMember,
)
from app.modules.diagnostics.schemas import (
    ClassCompletion,
    ClassProgress,
    ClassSummary,
    CompetencyMastery,
    CompetencyOut,
    DiagnosticsFigures,
    DiagnosticTestIn,
    DiagnosticTestOut,
    GridIn,
    GridOut,
    GridRowOut,
    MasteryReport,
    MasteryRow,
    ProgressItem,
    PupilProgress,
    ScoreOut,
    TeacherTestOut,
)
from app.organisation.models import School
from app.organisation.schemas import UnitOut
from app.organisation.scopes import school_scope
from app.organisation.units import in_unit

_RATE = Decimal("0.0001")
_NEWEST_TESTS = (DiagnosticTest.created_at, DiagnosticTest.id)  # sorted descending


def rate(mastered: int, assessed: int) -> Decimal | None:
    """Mastered / assessed, 4 decimals half up; None when nothing was assessed."""
    if not assessed:
        return None
    return (Decimal(mastered) / assessed).quantize(_RATE, rounding=ROUND_HALF_UP)


def _mastered() -> ColumnElement[bool]:
    return DiagnosticResult.score >= DiagnosticTest.mastery_threshold


def base_test_id(test: DiagnosticTest) -> uuid.UUID:
    """The test whose competencies are assessed: a post-test's diagnostic, else itself."""
    return test.diagnostic_id or test.id


# ---- definitions ----------------------------------------------------------------------------


async def competencies_of(
    session: AsyncSession, test_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CompetencyOut]]:
    """The competencies of each (diagnostic) test, in rank order, in one statement."""
    rows = await session.scalars(
        select(DiagnosticCompetency)
        .where(DiagnosticCompetency.test_id.in_(set(test_ids)))
        .order_by(DiagnosticCompetency.test_id, DiagnosticCompetency.rank)
    )
    result: dict[uuid.UUID, list[CompetencyOut]] = defaultdict(list)
    for competency in rows:
        result[competency.test_id].append(CompetencyOut.model_validate(competency))
    return result


def _test_out(test: DiagnosticTest, competencies: list[CompetencyOut]) -> DiagnosticTestOut:
    return DiagnosticTestOut.of(test, owner_level=test.owner_level.value, competencies=competencies)


async def tests_out(
    session: AsyncSession, tests: Sequence[DiagnosticTest]
) -> list[DiagnosticTestOut]:
    """The tests with their competencies (a post-test's are its diagnostic's)."""
    competencies = await competencies_of(session, [base_test_id(t) for t in tests])
    return [_test_out(t, competencies.get(base_test_id(t), [])) for t in tests]


async def _check_reference(session: AsyncSession, new: DiagnosticTestIn) -> None:
    level = await session.scalar(select(SchoolLevel.code).where(SchoolLevel.code == new.level_code))
    subject = await session.scalar(select(Subject.id).where(Subject.id == new.subject_id))
    errors = []
    if level is None:
        errors.append(field_error("body.level_code", "unknown level", "unknown_level"))
    if subject is None:
        errors.append(field_error("body.subject_id", "unknown subject", "unknown_subject"))
    if errors:
        raise InvalidInput(errors)


async def _diagnostic_for_post_test(
    session: AsyncSession, principal: Principal, new: DiagnosticTestIn
) -> DiagnosticTest:
    """The diagnostic test a new post-test follows: owned by the caller's unit (a test has one
    post-test, and only its owner may define it), same level and subject, without a post-test
    yet."""
    diagnostic = await session.scalar(
        select(DiagnosticTest).where(
            DiagnosticTest.id == new.diagnostic_id,
            DiagnosticTest.kind == DiagnosticKind.DIAGNOSTIC,
            owned_by(principal, DiagnosticTest),
        )
    )
    if diagnostic is None:
        raise invalid("body.diagnostic_id", "not a diagnostic test of your unit", "unknown_test")
    if (diagnostic.level_code, diagnostic.subject_id) != (new.level_code, new.subject_id):
        raise invalid("body.diagnostic_id", "another level or subject", "mismatch")
    taken = await session.scalar(
        select(DiagnosticTest.id).where(DiagnosticTest.diagnostic_id == diagnostic.id)
    )
    if taken is not None:
        raise Conflict("diagnostics.post_test_exists")
    return diagnostic


async def create_test(
    session: AsyncSession, principal: Principal, new: DiagnosticTestIn
) -> DiagnosticTestOut:
    """Define a diagnostic test (with its competencies) or a post-test, owned by my unit."""
    await _check_reference(session, new)
    year = await current_school_year(session)
    if new.kind is DiagnosticKind.POST_TEST:
        year = (await _diagnostic_for_post_test(session, principal, new)).school_year
    test = DiagnosticTest(
        **owner_place(principal),
        **new.model_dump(exclude={"competencies"}),
        school_year=year,
        created_by=principal.user_id,
    )
    session.add(test)
    await session.flush()
    session.add_all(
        DiagnosticCompetency(test_id=test.id, rank=rank, **c.model_dump())
        for rank, c in enumerate(new.competencies, start=1)
    )
    await session.flush()
    await session.refresh(test)
    return (await tests_out(session, [test]))[0]


async def list_tests(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    level_code: str | None,
    subject_id: uuid.UUID | None,
    kind: DiagnosticKind | None,
) -> Page[DiagnosticTestOut]:
    """Tests made by my unit, beneath it or above it, newest first."""
    statement = where_given(
        select(DiagnosticTest).where(owned_visible(principal, DiagnosticTest)),
        {
            DiagnosticTest.level_code: level_code,
            DiagnosticTest.subject_id: subject_id,
            DiagnosticTest.kind: kind,
        },
    )
    rows, cursor = await keyset_page(session, statement, _NEWEST_TESTS, page, descending=True)
    return Page(items=await tests_out(session, [r[0] for r in rows]), next_cursor=cursor)


async def get_test(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID
) -> DiagnosticTestOut:
    """One test I can see."""
    test = found(
        await session.scalar(
            select(DiagnosticTest).where(
                DiagnosticTest.id == test_id, owned_visible(principal, DiagnosticTest)
            )
        )
    )
    return (await tests_out(session, [test]))[0]


# ---- the teacher's tests --------------------------------------------------------------------


def applicable(principal: Principal) -> Select[uuid.UUID, uuid.UUID]:
    """(test, class) pairs: this year's tests that reach the teacher's school, for the level
    of a class they teach and the subject they teach it."""
    return (
        select(DiagnosticTest.id.label("test_id"), SchoolClass.id.label("class_id"))
        .join(
            TeachingAssignment,
            and_(
                TeachingAssignment.subject_id == DiagnosticTest.subject_id,
                TeachingAssignment.teacher_id == principal.user_id,
                TeachingAssignment.school_id == principal.school_id,
                TeachingAssignment.school_year == DiagnosticTest.school_year,
            ),
        )
        .join(
            SchoolClass,
            and_(
                SchoolClass.id == TeachingAssignment.class_id,
                SchoolClass.level_code == DiagnosticTest.level_code,
            ),
        )
        .where(DiagnosticTest.school_year == current_year(), owned_above(principal, DiagnosticTest))
    )


async def teacher_tests(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    kind: DiagnosticKind | None,
) -> Page[TeacherTestOut]:
    """The tests that apply to my classes this year, with those classes."""
    pairs = applicable(principal).subquery()
    statement = where_given(
        select(DiagnosticTest).where(DiagnosticTest.id.in_(select(pairs.c.test_id))),
        {DiagnosticTest.kind: kind},
    )
    rows, cursor = await keyset_page(session, statement, _NEWEST_TESTS, page, descending=True)
    tests = await tests_out(session, [r[0] for r in rows])
    classes: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for test_id, class_id in await session.execute(
        select(pairs.c.test_id, pairs.c.class_id).where(pairs.c.test_id.in_([t.id for t in tests]))
    ):
        classes[test_id].append(class_id)
    items = [TeacherTestOut(**t.model_dump(), class_ids=classes[t.id]) for t in tests]
    return Page(items=items, next_cursor=cursor)


async def test_for_class(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, class_id: uuid.UUID
) -> tuple[DiagnosticTest, TaughtClassInfo]:
    """The test and the class, if the test applies to a class the teacher teaches (404 else)."""
    pairs = applicable(principal).subquery()
    row = found(
        (
            await session.execute(
                select(DiagnosticTest, SchoolClass)
                .join(pairs, pairs.c.test_id == DiagnosticTest.id)
                .join(SchoolClass, SchoolClass.id == pairs.c.class_id)
                .where(DiagnosticTest.id == test_id, SchoolClass.id == class_id)
            )
        ).first()
    )
    test, school_class = row
    info = TaughtClassInfo.of_class(school_class, frozenset({test.subject_id}))
    return test, info


# ---- the grid -------------------------------------------------------------------------------


async def _class_pupils(session: AsyncSession, class_id: uuid.UUID) -> list[Pupil]:
    return list(
        await session.scalars(
            select(Pupil)
            .where(Pupil.id.in_(current_pupils(class_id)))
            .order_by(Pupil.last_name, Pupil.first_name, Pupil.id)
        )
    )


async def _results(
    session: AsyncSession, school_id: uuid.UUID, test_ids: Sequence[uuid.UUID], class_id: uuid.UUID
) -> list[DiagnosticResult]:
    """Results of the class's current pupils on these tests."""
    return list(
        await session.scalars(
            select(DiagnosticResult).where(
                DiagnosticResult.school_id == school_id,
                DiagnosticResult.test_id.in_(test_ids),
                DiagnosticResult.pupil_id.in_(current_pupils(class_id)),
            )
        )
    )


async def get_grid(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, class_id: uuid.UUID
) -> GridOut:
    """The class's pupils × the test's competencies, with the scores entered so far."""
    test, taught = await test_for_class(session, principal, test_id, class_id)
    return await _grid(session, test, taught)


async def _grid(session: AsyncSession, test: DiagnosticTest, taught: TaughtClassInfo) -> GridOut:
    pupils = await _class_pupils(session, taught.id)
    results = await _results(session, taught.school_id, [test.id], taught.id)
    by_pupil: dict[uuid.UUID, list[DiagnosticResult]] = defaultdict(list)
    for result in results:
        by_pupil[result.pupil_id].append(result)
    test_out = (await tests_out(session, [test]))[0]
    rank = {c.id: c.rank for c in test_out.competencies}
    rows = []
    for pupil in pupils:
        mine = sorted(by_pupil[pupil.id], key=lambda r: rank.get(r.competency_id, 0))
        scores = [
            ScoreOut(
                competency_id=r.competency_id,
                score=r.score,
                mastered=r.score >= test.mastery_threshold,
            )
            for r in mine
            if r.score is not None
        ]
        rows.append(
            GridRowOut.of(
                pupil, pupil_id=pupil.id, absent=any(r.absent for r in mine), scores=scores
            )
        )
    return GridOut(test=test_out, class_id=taught.id, rows=rows)


def _check_rows(grid: GridIn, competency_ids: set[uuid.UUID]) -> None:
    """Each row's scores name competencies of the test, once; an absent pupil has none."""
    errors = []
    for index, row in enumerate(grid.rows):
        if row.absent and row.scores:
            where = f"body.rows.{index}.scores"
            errors.append(field_error(where, "an absent pupil has no scores", "absent_with_scores"))
        seen: set[uuid.UUID] = set()
        for position, score in enumerate(row.scores):
            where = f"body.rows.{index}.scores.{position}.competency_id"
            if score.competency_id not in competency_ids:
                errors.append(field_error(where, "not a competency of this test", "unknown"))
            elif score.competency_id in seen:
                errors.append(field_error(where, "this competency appears twice", "duplicate"))
            seen.add(score.competency_id)
    if errors:
        raise InvalidInput(errors)


async def save_grid(
    session: AsyncSession,
    principal: Principal,
    test_id: uuid.UUID,
    class_id: uuid.UUID,
    grid: GridIn,
) -> GridOut:
    """Set the given pupils' results in one transaction: every row valid, or nothing written.

    A row sent replaces that pupil's results on the test (competencies left out are cleared);
    pupils not sent are left as they are. A replay changes nothing.
    """
    test, taught = await test_for_class(session, principal, test_id, class_id)
    enrolled = set((await session.scalars(current_pupils(taught.id))).all())
    check_pupils_of_class([r.pupil_id for r in grid.rows], enrolled, "body.rows.{index}.pupil_id")
    competency_ids = set(
        (
            await session.scalars(
                select(DiagnosticCompetency.id).where(
                    DiagnosticCompetency.test_id == base_test_id(test)
                )
            )
        ).all()
    )
    _check_rows(grid, competency_ids)
    kept = [
        {
            "id": uuid.uuid4(),
            "school_id": taught.school_id,
            "test_id": test.id,
            "competency_id": competency_id,
            "pupil_id": row.pupil_id,
            "class_id": taught.id,
            "score": score,
            "absent": score is None,
            "updated_by": principal.user_id,
        }
        for row in grid.rows
        for competency_id, score in (
            [(c, None) for c in competency_ids]
            if row.absent
            else [(s.competency_id, s.score) for s in row.scores]
        )
    ]
    await _clear_left_out(session, taught.school_id, test.id, grid, kept)
    if kept:
        await session.execute(
            upsert(
                DiagnosticResult,
                kept,
                key=["school_id", "test_id", "competency_id", "pupil_id"],
                update=["score", "absent", "class_id", "updated_by"],
            )
        )
    return await _grid(session, test, taught)


async def _clear_left_out(
    session: AsyncSession,
    school_id: uuid.UUID,
    test_id: uuid.UUID,
    grid: GridIn,
    kept: list[dict[str, Any]],
) -> None:
    """Delete the sent pupils' results on competencies their row no longer has."""
    if not grid.rows:
        return
    statement = delete(DiagnosticResult).where(
        DiagnosticResult.school_id == school_id,
        DiagnosticResult.test_id == test_id,
        DiagnosticResult.pupil_id.in_([r.pupil_id for r in grid.rows]),
    )
    if kept:
        pairs = [(k["pupil_id"], k["competency_id"]) for k in kept]
        statement = statement.where(
            tuple_(DiagnosticResult.pupil_id, DiagnosticResult.competency_id).not_in(pairs)
        )
    await session.execute(statement)


# ---- summaries ------------------------------------------------------------------------------


def mastery_statement(*conditions: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """Scores and mastered scores per test and competency, for the results matching."""
    return (
        select(
            DiagnosticTest.id.label("test_id"),
            DiagnosticTest.title.label("test_title"),
            DiagnosticTest.kind,
            DiagnosticTest.level_code,
            DiagnosticTest.subject_id,
            DiagnosticCompetency.id.label("competency_id"),
            DiagnosticCompetency.code,
            DiagnosticCompetency.label_fr,
            DiagnosticCompetency.label_ar,
            func.count(DiagnosticResult.score).label("assessed"),
            func.count().filter(_mastered()).label("mastered"),
        )
        .select_from(DiagnosticResult)
        .join(DiagnosticTest, DiagnosticTest.id == DiagnosticResult.test_id)
        .join(DiagnosticCompetency, DiagnosticCompetency.id == DiagnosticResult.competency_id)
        .join(School, School.id == DiagnosticResult.school_id)
        .where(*conditions)
        .group_by(DiagnosticTest.id, DiagnosticCompetency.id)
        .order_by(DiagnosticTest.created_at, DiagnosticTest.id, DiagnosticCompetency.rank)
    )


async def mastery_report(
    session: AsyncSession, statement: Select[*tuple[Any, ...]]
) -> MasteryReport:
    """The rows of a `mastery_statement`, each with its rate."""
    rows = await session.execute(statement)
    return MasteryReport(
        items=[MasteryRow(**r._asdict(), rate=rate(r.mastered, r.assessed)) for r in rows.all()]
    )


async def class_summary(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, class_id: uuid.UUID
) -> ClassSummary:
    """Mastery rate per competency for a class I teach, and how many pupils have results."""
    test, taught = await test_for_class(session, principal, test_id, class_id)
    in_class = DiagnosticResult.pupil_id.in_(current_pupils(taught.id))
    counted = {
        r.competency_id: r
        for r in await session.execute(
            mastery_statement(
                DiagnosticResult.school_id == taught.school_id,
                DiagnosticResult.test_id == test.id,
                in_class,
            )
        )
    }
    pupils = await session.scalar(
        select(func.count()).select_from(current_pupils(taught.id).subquery())
    )
    entered = await session.scalar(
        select(func.count(DiagnosticResult.pupil_id.distinct())).where(
            DiagnosticResult.school_id == taught.school_id,
            DiagnosticResult.test_id == test.id,
            in_class,
        )
    )
    competencies = (await competencies_of(session, [base_test_id(test)]))[base_test_id(test)]
    lines = []
    for c in competencies:
        row = counted.get(c.id)
        assessed, mastered = (row.assessed, row.mastered) if row else (0, 0)
        lines.append(
            CompetencyMastery.of(
                c,
                competency_id=c.id,
                assessed=assessed,
                mastered=mastered,
                rate=rate(mastered, assessed),
            )
        )
    return ClassSummary(
        test_id=test.id,
        class_id=taught.id,
        pupils=pupils or 0,
        entered=entered or 0,
        competencies=lines,
    )


async def class_progress(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, class_id: uuid.UUID
) -> ClassProgress:
    """Per pupil and competency: post-test score minus diagnostic score (either test named)."""
    test, taught = await test_for_class(session, principal, test_id, class_id)
    diagnostic_id = base_test_id(test)
    post_test_id = test.id if test.diagnostic_id else None
    if post_test_id is None:
        post_test_id = await session.scalar(
            select(DiagnosticTest.id).where(
                DiagnosticTest.diagnostic_id == test.id, owned_visible(principal, DiagnosticTest)
            )
        )
    if post_test_id is None:
        raise ProblemError(409, "diagnostics.no_post_test", kind="no-post-test")
    results = await _results(session, taught.school_id, [diagnostic_id, post_test_id], taught.id)
    scores: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], int | None] = {
        (r.test_id, r.pupil_id, r.competency_id): r.score for r in results
    }
    competencies = (await competencies_of(session, [diagnostic_id]))[diagnostic_id]
    pupils = []
    for pupil in await _class_pupils(session, taught.id):
        items = []
        for c in competencies:
            before = scores.get((diagnostic_id, pupil.id, c.id))
            after = scores.get((post_test_id, pupil.id, c.id))
            progress = after - before if before is not None and after is not None else None
            items.append(
                ProgressItem(
                    competency_id=c.id,
                    diagnostic_score=before,
                    post_test_score=after,
                    progress=progress,
                )
            )
        pupils.append(PupilProgress.of(pupil, pupil_id=pupil.id, competencies=items))
    return ClassProgress(
        diagnostic_id=diagnostic_id, post_test_id=post_test_id, class_id=taught.id, pupils=pupils
    )


# ---- the school's screen --------------------------------------------------------------------


async def school_completion(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    test_id: uuid.UUID | None,
    class_id: uuid.UUID | None,
) -> Page[ClassCompletion]:
    """Each class of this year × each test of its level: pupils, results entered, mastery."""
    sizes = (
        select(Enrolment.class_id, func.count().label("pupils"))
        .where(Enrolment.left_on.is_(None), school_scope(principal, Enrolment.school_id))
        .group_by(Enrolment.class_id)
        .subquery()
    )
    entered = (
        select(
            DiagnosticResult.test_id,
            DiagnosticResult.class_id,
            func.count(DiagnosticResult.pupil_id.distinct()).label("entered"),
            func.count(DiagnosticResult.score).label("assessed"),
            func.count().filter(_mastered()).label("mastered"),
        )
        .join(DiagnosticTest, DiagnosticTest.id == DiagnosticResult.test_id)
        .where(school_scope(principal, DiagnosticResult.school_id))
        .group_by(DiagnosticResult.test_id, DiagnosticResult.class_id)
        .subquery()
    )
    statement = (
        select(
            SchoolClass.name,
            DiagnosticTest.id,
            SchoolClass.id.label("class_id"),
            DiagnosticTest.title,
            DiagnosticTest.kind,
            func.coalesce(sizes.c.pupils, 0).label("pupils"),
            func.coalesce(entered.c.entered, 0).label("entered"),
            func.coalesce(entered.c.assessed, 0).label("assessed"),
            func.coalesce(entered.c.mastered, 0).label("mastered"),
        )
        .select_from(SchoolClass)
        .join(
            DiagnosticTest,
            and_(
                DiagnosticTest.level_code == SchoolClass.level_code,
                DiagnosticTest.school_year == SchoolClass.school_year,
                owned_above(principal, DiagnosticTest),
            ),
        )
        .outerjoin(sizes, sizes.c.class_id == SchoolClass.id)
        .outerjoin(
            entered,
            and_(entered.c.test_id == DiagnosticTest.id, entered.c.class_id == SchoolClass.id),
        )
        .where(
            school_scope(principal, SchoolClass.school_id),
            SchoolClass.school_year == current_year(),
            SchoolClass.is_active,
        )
    )
    statement = where_given(statement, {DiagnosticTest.id: test_id, SchoolClass.id: class_id})
    keys = (SchoolClass.name, DiagnosticTest.id)
    return await page_of(session, statement, keys, page, _completion_out)


def _completion_out(row: Any) -> ClassCompletion:
    return ClassCompletion.of(
        row,
        class_name=row.name,
        test_id=row.id,
        test_title=row.title,
        rate=rate(row.mastered, row.assessed),
    )


async def scoped_mastery(
    session: AsyncSession,
    principal: Principal,
    *,
    level_code: str | None,
    subject_id: uuid.UUID | None,
    test_id: uuid.UUID | None,
) -> MasteryReport:
    """Mastery per test and competency over the schools of the caller's part of the tree."""
    statement = mastery_statement(
        school_scope(
            principal, School.id, province_id=School.province_id, academy_id=School.academy_id
        ),
        DiagnosticTest.school_year == current_year(),
    )
    statement = where_given(
        statement,
        {
            DiagnosticTest.level_code: level_code,
            DiagnosticTest.subject_id: subject_id,
            DiagnosticTest.id: test_id,
        },
    )
    return await mastery_report(session, statement)


# ---- steering overview ----------------------------------------------------------------------


async def steering_figure(session: AsyncSession, unit: UnitOut) -> DiagnosticsFigures:
    """This year's diagnostic results and remedial groups of the unit, in two statements."""
    scores = (
        await session.execute(
            select(
                func.count(DiagnosticResult.pupil_id.distinct())
                .filter(DiagnosticResult.score.is_not(None))
                .label("pupils"),
                func.count(DiagnosticResult.score).label("scores"),
                func.count().filter(_mastered()).label("mastered"),
            )
            .select_from(DiagnosticResult)
            .join(DiagnosticTest, DiagnosticTest.id == DiagnosticResult.test_id)
            .join(School, School.id == DiagnosticResult.school_id)
            .where(
                DiagnosticTest.kind == DiagnosticKind.DIAGNOSTIC,
                DiagnosticTest.school_year == current_year(),
                in_unit(unit),
            )
        )
    ).one()
    grouped = await session.scalar(
        select(func.count(RemedialGroupMember.pupil_id.distinct()))
        .select_from(RemedialGroupMember)
        .join(RemedialGroup, RemedialGroup.id == RemedialGroupMember.group_id)
        .join(DiagnosticTest, DiagnosticTest.id == RemedialGroup.test_id)
        .join(School, School.id == RemedialGroupMember.school_id)
        .where(DiagnosticTest.school_year == current_year(), in_unit(unit))
    )
    return DiagnosticsFigures(
        pupils_assessed=scores.pupils,
        scores=scores.scores,
        mastered=scores.mastered,
        mastery_rate=rate(scores.mastered, scores.scores),
        pupils_in_remedial_groups=grouped or 0,
    )
