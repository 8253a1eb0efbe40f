"""The per-school summaries (`app.steering.models`): built from the figures' definitions
(`app.steering.figures`) for one school, some schools or all of them.

How they stay current: triggers on the tables the figures read (marks and tests, roll calls,
enrolments, classes, teachers, justifications, transfers, the current year) queue the school
(and, for a roll call, the lesson's day) in `summary_queue`, in the writing transaction, so no
write path can forget it and a write costs one small insert per statement. The worker
(`run`) takes queued changes in batches and recomputes each school's figures once per batch,
however many events it had: a school that publishes 40 tests in a minute is summed once. The
figures are therefore as current as the queue is short, and every answer says how current
(`as_of`, see `app.steering.rollup`). `rebuild` recomputes every school, after a bulk load.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.academics.models import SchoolYear
from app.assessment.completion import completion_of
from app.attendance.models import AttendanceSheet
from app.core.loops import every
from app.organisation.models import School
from app.settings import Settings
from app.steering import figures
from app.steering.figures import Schools
from app.steering.models import (
    COMPLETION_COUNTS,
    HISTOGRAM_BINS,
    ProvinceSubjectAverage,
    SchoolAttendanceDay,
    SchoolDraftTests,
    SchoolSubjectAverage,
    SchoolSummary,
    SummaryChange,
    SummaryPart,
)

log = logging.getLogger(__name__)

BATCH = 500
# The per-pupil averages of many schools at once hash in memory rather than spill to disk.
_WORK_MEM = "SET LOCAL work_mem = '64MB'"


# ---- the school's figures -------------------------------------------------------------------


async def refresh_schools(session: AsyncSession, school_ids: Collection[uuid.UUID] | None) -> None:
    """Recompute the figures of the year (all but roll calls) of these schools (None: all)."""
    year = await session.scalar(select(SchoolYear.year).where(SchoolYear.is_current))
    if year is None:  # no year open: nothing of the year to count
        return
    schools = true() if school_ids is None else School.id.in_(list(school_ids))
    await session.execute(text(_WORK_MEM))
    of_schools = select(School.id).where(schools)
    for table in (SchoolSummary, SchoolDraftTests, SchoolSubjectAverage):
        await session.execute(
            delete(table).where(table.school_id.in_(of_schools), table.school_year == year)
        )
    rows = await _school_rows(session, schools, year)
    if rows:
        await session.execute(insert(SchoolSummary), rows)
    draft = figures.draft_tests(schools).add_columns(literal(year))
    await session.execute(
        insert(SchoolDraftTests).from_select(
            ["school_id", "test_date", "tests", "school_year"], draft
        )
    )
    await session.execute(_insert_averages(schools, year))
    await _refresh_province_averages(session, schools, year)


async def _school_rows(session: AsyncSession, schools: Schools, year: int) -> list[dict[str, Any]]:
    """One `school_summaries` row per school, from the figures grouped by school."""
    key = School.id
    ids = list(await session.scalars(select(School.id).where(schools)))
    classes = await figures.count_classes(session, schools, key)
    pupils = await figures.pupils(session, schools, key)
    teachers = await figures.teachers(session, schools, key)
    justifications = await figures.pending_justifications(session, schools, key)
    transfers = await figures.pending_transfers(session, schools, key)
    completion = {r.key: completion_of(r) for r in await figures.completion(session, schools, key)}
    rows = []
    for school_id in ids:
        counts = pupils.get(school_id, figures.pupil_figures({}))
        staff = teachers.get(school_id, figures.no_teachers())
        grade_entry = completion.get(school_id)
        rows.append(
            {
                "school_id": school_id,
                "school_year": year,
                "classes": classes.get(school_id, 0),
                "pupils": counts.total,
                **{f"pupils_{g}": n for g, n in counts.by_gender},
                **{f"pupils_{c}": n for c, n in counts.by_cycle},
                "teachers": staff.total,
                **{f"teachers_{c}": n for c, n in staff.by_cycle},
                "pending_justifications": justifications.get(school_id, 0),
                "pending_transfers": transfers.get(school_id, 0),
                **{
                    field: getattr(grade_entry, field, 0) if grade_entry else 0
                    for field in COMPLETION_COUNTS
                },
            }
        )
    return rows


def _insert_averages(schools: Schools, year: int) -> Any:
    """The schools' averages by semester, level and subject, the bins folded into an array."""
    bins = figures.average_bins(schools, per_school=True)
    groups = (bins.c.school_id, bins.c.semester, bins.c.level_code, bins.c.subject_id)
    histogram = array(
        [
            func.coalesce(func.sum(bins.c.pupils).filter(bins.c.bin == b), 0)
            for b in range(HISTOGRAM_BINS)
        ]
    )
    statement = select(
        *groups,
        literal(year),
        func.sum(bins.c.pupils),
        func.sum(bins.c.total),
        cast(histogram, ARRAY(Integer)),
    ).group_by(*groups)
    return insert(SchoolSubjectAverage).from_select(
        [*(c.name for c in groups), "school_year", "pupils", "total", "histogram"],
        statement,
    )


async def _refresh_province_averages(session: AsyncSession, schools: Schools, year: int) -> None:
    """Re-sum the averages of the directorates of these schools from their schools' rows.
    Each directorate's lock is taken after the schools' (in one order: no deadlock), so the
    statements below see every school row committed before it: the last writer sums the
    latest rows of every school of the directorate."""
    provinces = sorted(await session.scalars(select(School.province_id).where(schools).distinct()))
    for province_id in provinces:
        await _advisory_lock(session, f"summary-province:{province_id}")
    line, province = SchoolSubjectAverage, ProvinceSubjectAverage
    await session.execute(
        delete(province).where(province.province_id.in_(provinces), province.school_year == year)
    )
    groups = (School.province_id, line.semester, line.level_code, line.subject_id)
    histogram = array([func.sum(line.histogram[b + 1]) for b in range(HISTOGRAM_BINS)])
    statement = (
        select(
            *groups,
            literal(year),
            func.sum(line.pupils),
            func.sum(line.total),
            cast(histogram, ARRAY(Integer)),
        )
        .join(School, School.id == line.school_id)
        .where(School.province_id.in_(provinces), line.school_year == year)
        .group_by(*groups)
    )
    await session.execute(
        insert(province).from_select(
            [
                "province_id",
                "semester",
                "level_code",
                "subject_id",
                "school_year",
                "pupils",
                "total",
                "histogram",
            ],
            statement,
        )
    )


# ---- roll calls -----------------------------------------------------------------------------


async def refresh_days(session: AsyncSession, days: Collection[tuple[uuid.UUID, date]]) -> None:
    """Recompute the roll-call days given as (school, day)."""
    if not days:
        return
    pairs = list(days)
    await _refresh_attendance(
        session,
        tuple_(SchoolAttendanceDay.school_id, SchoolAttendanceDay.lesson_date).in_(pairs),
        tuple_(AttendanceSheet.school_id, AttendanceSheet.lesson_date).in_(pairs),
    )


async def _refresh_attendance(session: AsyncSession, rows: Any, lessons: Any) -> None:
    """Replace the day rows `rows` by those recomputed from the roll calls of `lessons`."""
    await session.execute(delete(SchoolAttendanceDay).where(rows))
    day = AttendanceSheet.lesson_date
    statement = (
        figures.attendance_counts(true(), lessons)
        .add_columns(School.id, day)
        .group_by(School.id, day)
    )
    await session.execute(
        insert(SchoolAttendanceDay).from_select(
            ["marks", "present", "late", "absent", "school_id", "lesson_date"], statement
        )
    )


# ---- the queue and the full rebuild ---------------------------------------------------------


async def rebuild(session: AsyncSession) -> None:
    """Recompute every school's summaries (after a bulk load, or to repair); the changes
    queued so far are covered and taken off the queue."""
    await session.execute(delete(SummaryChange))
    await refresh_schools(session, None)
    await _refresh_attendance(session, true(), true())
    # Every row was just replaced: without fresh statistics the first overviews are planned
    # for empty tables (a sort spilled to disk instead of a hash, measured 4× slower).
    tables = (SchoolSummary, SchoolDraftTests, SchoolSubjectAverage, ProvinceSubjectAverage)
    await session.execute(text(f"ANALYZE {', '.join(t.__tablename__ for t in tables)}"))
    await session.execute(text(f"ANALYZE {SchoolAttendanceDay.__tablename__}"))


async def refresh_school(session: AsyncSession, school_id: uuid.UUID) -> None:
    """Recompute one school's summaries, every day of its roll calls included."""
    await _lock_schools(session, {school_id})
    await session.execute(delete(SummaryChange).where(SummaryChange.school_id == school_id))
    await refresh_schools(session, [school_id])
    await _refresh_attendance(
        session,
        SchoolAttendanceDay.school_id == school_id,
        AttendanceSheet.school_id == school_id,
    )


async def refresh_queued(session: AsyncSession, batch: int = BATCH) -> int:
    """Take up to `batch` queued changes and recompute what they touched; how many were taken.
    Several workers may run: each takes changes no other holds, and each school's recompute
    waits for another's on the same school, so the last one to commit read the latest rows."""
    queue = SummaryChange
    taken = select(queue.school_id, queue.id).limit(batch).with_for_update(skip_locked=True)
    changes = list(
        await session.execute(
            delete(queue)
            .where(tuple_(queue.school_id, queue.id).in_(taken))
            .returning(queue.school_id, queue.part, queue.day)
        )
    )
    schools = {c.school_id for c in changes if c.part == SummaryPart.SCHOOL}
    days = {(c.school_id, c.day) for c in changes if c.part == SummaryPart.ATTENDANCE}
    await _lock_schools(session, schools | {school for school, _ in days})
    if schools:
        await refresh_schools(session, schools)
    await refresh_days(session, days)
    return len(changes)


async def _lock_schools(session: AsyncSession, school_ids: set[uuid.UUID]) -> None:
    """Hold each school's summary lock until commit, taken in one order (no deadlock)."""
    for school_id in sorted(school_ids):
        await _advisory_lock(session, f"summary:{school_id}")


async def _advisory_lock(session: AsyncSession, name: str) -> None:
    """A lock on `name` held until commit."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))


async def refresh_until_empty(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Take the queue in batches, each its own transaction, until it is empty."""
    total = 0
    while True:
        async with session_factory() as session, session.begin():
            taken = await refresh_queued(session)
        total += taken
        if taken < BATCH:
            return total


async def run(
    session_factory: async_sessionmaker[AsyncSession], settings: Settings, stop: asyncio.Event
) -> None:
    """Summarise queued changes every `summaries_interval_seconds`, until `stop` is set."""

    async def chore() -> None:
        await refresh_until_empty(session_factory)

    await every("summary refresh", chore, stop, seconds=settings.summaries_interval_seconds)
