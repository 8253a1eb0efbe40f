"""Tests and marks: scheduling, entry (all or nothing), submission to the director, and
statistics. Teachers reach only the tests of their own classes and subjects."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from sqlalchemy import Select, delete, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Level
from app.academics.teaching import (
    assignments_of,
    check_pupils_of_class,
    current_pupils,
    taught_class,
)
from app.assessment.models import ClassTest, Mark, SubjectComponent, TestStatus
from app.assessment.scale import above_scale, refused_above_scale, test_scale
from app.assessment.schemas import (
    MarkIn,
    MarkOut,
    TestChanges,
    TestIn,
    TestMarks,
    TestOut,
    TestPatch,
    TestStatistics,
)
from app.core.bulk import upsert
from app.core.db.faults import refused_by
from app.core.listing import found_row
from app.core.security.principal import Principal
from app.errors import Conflict, InvalidInput, ProblemError, invalid
from app.organisation.models import Cycle
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, deleted_ids


def _readable_tests(principal: Principal) -> Select[ClassTest, int, int]:
    """The teacher's tests (their classes × subjects this year) with their mark counts and
    their scale."""
    mark_count = (
        select(func.count())
        .where(Mark.test_id == ClassTest.id, Mark.school_id == ClassTest.school_id)
        .scalar_subquery()
    )
    return select(ClassTest, mark_count.label("mark_count"), test_scale()).where(
        ClassTest.school_id == principal.school_id,
        tuple_(ClassTest.class_id, ClassTest.subject_id).in_(assignments_of(principal)),
    )


def test_out(test: ClassTest, mark_count: int, max_mark: int) -> TestOut:
    """A test as the API shows it, with how many marks it holds and its scale."""
    return TestOut.of(
        test,
        date=test.test_date,
        mark_count=mark_count,
        max_mark=max_mark,
        pass_mark=max_mark // 2,
    )


async def _get(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, *, lock: bool = False
) -> tuple[ClassTest, int, int]:
    """One of the teacher's tests; `lock` holds its row until the transaction ends, so that
    no marks write (whose trigger takes the row FOR SHARE) slips between a check and a change
    of status."""
    statement = _readable_tests(principal).where(ClassTest.id == test_id)
    if lock:
        statement = statement.with_for_update(of=ClassTest)
    test, count, max_mark = await found_row(session, statement)
    return test, count, max_mark


def _marks_locked() -> ProblemError:
    return ProblemError(409, "assessment.locked", kind="marks-locked")


def _require_draft(test: ClassTest) -> None:
    if test.status is not TestStatus.DRAFT:
        raise _marks_locked()


@contextmanager
def _refused_when_locked() -> Iterator[None]:
    """A write that passed `_require_draft` but lost the race with a submission or a
    validation: the database's trigger refused it, and the client hears why."""
    try:
        yield
    except IntegrityError as error:
        if refused_by(error) == "marks_follow_their_test":
            raise _marks_locked() from None
        raise


async def create_test(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, new: TestIn
) -> TestOut:
    """Schedule a test (or the integrated-activities mark) for a class and subject."""
    school_class = await taught_class(session, principal, class_id, new.subject_id)
    max_mark = await scale_with_component(
        session, school_class.level_code, new.subject_id, new.component_id
    )
    exists = await session.scalar(
        select(ClassTest.id).where(
            ClassTest.school_id == school_class.school_id,
            ClassTest.class_id == class_id,
            ClassTest.subject_id == new.subject_id,
            ClassTest.component_id.is_not_distinct_from(new.component_id),
            ClassTest.semester == new.semester,
            ClassTest.kind == new.kind,
        )
    )
    if exists is not None:
        raise Conflict("assessment.kind_taken")
    test = ClassTest(
        **school_class.written_by(principal, new.subject_id),
        component_id=new.component_id,
        semester=new.semester,
        kind=new.kind,
        test_date=new.date,
        title=new.title,
        status=TestStatus.DRAFT,
    )
    session.add(test)
    await session.flush()
    await session.refresh(test)
    return test_out(test, 0, max_mark)


async def scale_with_component(
    session: AsyncSession,
    level_code: str,
    subject_id: uuid.UUID,
    component_id: uuid.UUID | None,
    field: str = "body.component_id",
) -> int:
    """The level's scale; a component, when named, must be one of the subject's and the
    level a primary one (components are primary's way of marking)."""
    level = await session.get_one(Level, level_code)
    if component_id is None:
        return level.max_mark
    component = await session.scalar(
        select(SubjectComponent.id).where(
            SubjectComponent.id == component_id, SubjectComponent.subject_id == subject_id
        )
    )
    if component is None:
        raise invalid(field, "not a component of this subject", "not_found")
    if level.cycle is not Cycle.PRIMARY:
        raise invalid(field, "components are marked in primary only", "invalid")
    return level.max_mark


async def list_tests(
    session: AsyncSession,
    principal: Principal,
    *,
    class_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    semester: int | None = None,
    updated_since: datetime | None = None,
) -> list[TestOut]:
    """The teacher's tests this year, newest first, filtered inside their scope."""
    statement = _readable_tests(principal)
    if class_id is not None:
        statement = statement.where(ClassTest.class_id == class_id)
    if subject_id is not None:
        statement = statement.where(ClassTest.subject_id == subject_id)
    if semester is not None:
        statement = statement.where(ClassTest.semester == semester)
    if updated_since is not None:
        statement = statement.where(ClassTest.updated_at >= updated_since)
    rows = await session.execute(statement.order_by(ClassTest.test_date.desc(), ClassTest.kind))
    return [test_out(*row) for row in rows]


async def deleted_tests(
    session: AsyncSession, principal: Principal, since: datetime
) -> list[uuid.UUID]:
    """Ids of the teacher's tests (their classes × subjects this year) deleted since then."""
    taught = tuple_(Tombstone.container_id, Tombstone.subject_id).in_(assignments_of(principal))
    return await deleted_ids(session, Kind.TEST, since, principal.school_id, taught)


async def test_changes(session: AsyncSession, principal: Principal, since: datetime) -> TestChanges:
    """The teacher's tests changed since then, and those deleted."""
    deleted = await deleted_tests(session, principal, since)
    return TestChanges(
        items=await list_tests(session, principal, updated_since=since), deleted=deleted
    )


async def get_test(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> TestOut:
    """One of the teacher's tests."""
    return test_out(*await _get(session, principal, test_id))


async def update_test(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, patch: TestPatch
) -> TestOut:
    """Change a draft test's date or title."""
    test, count, max_mark = await _get(session, principal, test_id)
    _require_draft(test)
    changes = patch.changes()
    test.test_date = changes.get("date", test.test_date)
    test.title = changes.get("title", test.title)
    await session.flush()
    await session.refresh(test)
    return test_out(test, count, max_mark)


async def delete_test(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> None:
    """Remove a test that has no mark yet."""
    test, count, _ = await _get(session, principal, test_id)
    if count:
        raise Conflict("assessment.has_marks")
    _require_draft(test)
    await session.delete(test)
    await session.flush()


async def save_marks(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, rows: Sequence[MarkIn]
) -> TestMarks:
    """Set the given pupils' marks in one transaction: every row valid, or nothing written.

    Rows not sent are left as they are; a row with no mark, no absence and no remark clears it.
    """
    test, _, max_mark = await _get(session, principal, test_id)
    _require_draft(test)
    enrolled = set((await session.scalars(current_pupils(test.class_id))).all())
    errors = above_scale([row.mark for row in rows], max_mark, "body.{index}.mark")
    try:
        check_pupils_of_class([row.pupil_id for row in rows], enrolled, "body.{index}.pupil_id")
    except InvalidInput as bad_pupils:
        errors = (bad_pupils.errors or []) + errors
    if errors:
        raise InvalidInput(errors)
    entries = {row.pupil_id: None if row.is_empty else row for row in rows}
    with refused_above_scale("body"):
        await write_marks(session, test, entries, principal.user_id)
    return await _with_marks(session, test, max_mark)


class MarkEntry(Protocol):
    """A pupil's entry in a test, however it came in: the app, the grade sheet or sync."""

    @property
    def mark(self) -> Decimal | None: ...
    @property
    def absent(self) -> bool: ...
    @property
    def remark(self) -> str | None: ...


async def write_marks(
    session: AsyncSession,
    test: ClassTest,
    entries: Mapping[uuid.UUID, MarkEntry | None],
    author_id: uuid.UUID,
) -> tuple[int, int]:
    """Set the test's marks of these pupils (None clears a pupil's row): one upsert and one
    delete at most. Returns how many rows were written and cleared."""
    cleared = [pupil_id for pupil_id, entry in entries.items() if entry is None]
    kept = [
        {
            "id": uuid.uuid4(),
            "school_id": test.school_id,
            "school_year": test.school_year,
            "test_id": test.id,
            "pupil_id": pupil_id,
            "mark": entry.mark,
            "absent": entry.absent,
            "remark": entry.remark,
            "updated_by": author_id,
        }
        for pupil_id, entry in entries.items()
        if entry is not None
    ]
    with _refused_when_locked():
        if cleared:
            await session.execute(
                delete(Mark).where(
                    Mark.school_id == test.school_id,
                    Mark.test_id == test.id,
                    Mark.pupil_id.in_(cleared),
                )
            )
        if kept:
            await session.execute(
                upsert(
                    Mark,
                    kept,
                    key=["school_id", "test_id", "pupil_id", "school_year"],
                    update=["mark", "absent", "remark"],
                )
            )
    return len(kept), len(cleared)


async def list_marks(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> TestMarks:
    """A test with all its marks."""
    test, _, max_mark = await _get(session, principal, test_id)
    return await _with_marks(session, test, max_mark)


async def _with_marks(session: AsyncSession, test: ClassTest, max_mark: int) -> TestMarks:
    marks = (
        await session.scalars(
            select(Mark).where(Mark.school_id == test.school_id, Mark.test_id == test.id)
        )
    ).all()
    return TestMarks(
        test=test_out(test, len(marks), max_mark),
        marks=[MarkOut.model_validate(m) for m in marks],
    )


async def submit_test(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> TestOut:
    """Hand the marks to the director; the teacher can no longer change them."""
    # Locked first: the check that every pupil has a mark must judge the marks submitted.
    test, count, max_mark = await _get(session, principal, test_id, lock=True)
    _require_draft(test)
    enrolled = current_pupils(test.class_id).subquery()
    missing = await session.scalar(
        select(func.count())
        .select_from(
            enrolled.outerjoin(
                Mark,
                (Mark.pupil_id == enrolled.c.pupil_id)
                & (Mark.test_id == test.id)
                & (Mark.school_id == test.school_id),
            )
        )
        .where(Mark.id.is_(None))
    )
    if missing:
        raise ProblemError(409, "assessment.marks_missing", kind="marks-missing")
    test.status = TestStatus.SUBMITTED
    test.submitted_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(test)
    return test_out(test, count, max_mark)


async def test_statistics(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID
) -> TestStatistics:
    """Mean, spread, passes and a histogram of a test on its scale, computed in SQL."""
    test, _, max_mark = await _get(session, principal, test_id)
    pass_mark = max_mark // 2
    pupils = current_pupils(test.class_id).subquery()
    marks = select(Mark).where(Mark.test_id == test.id, Mark.school_id == test.school_id).subquery()
    summary = (
        await session.execute(
            select(
                func.count(pupils.c.pupil_id).label("pupils"),
                func.count(marks.c.mark).label("marked"),
                func.count().filter(marks.c.absent.is_(True)).label("absent"),
                func.count().filter(marks.c.id.is_(None)).label("missing"),
                func.count().filter(marks.c.mark >= pass_mark).label("passed"),
                func.avg(marks.c.mark).label("mean"),
                func.min(marks.c.mark).label("min"),
                func.max(marks.c.mark).label("max"),
            ).select_from(pupils.outerjoin(marks, marks.c.pupil_id == pupils.c.pupil_id))
        )
    ).one()
    # One bin per point of the scale: [0,1), [1,2), … the last one closed ([9,10] in primary).
    bins = func.least(func.floor(marks.c.mark), max_mark - 1)
    histogram = [0] * max_mark
    for bin_index, count in await session.execute(
        select(bins, func.count()).where(marks.c.mark.is_not(None)).group_by(bins)
    ):
        histogram[int(bin_index)] = count
    return TestStatistics(
        test_id=test.id,
        pupils=summary.pupils,
        marked=summary.marked,
        absent=summary.absent,
        missing=summary.missing,
        passed=summary.passed,
        max_mark=max_mark,
        pass_mark=pass_mark,
        mean=_two_decimals(summary.mean),
        min=summary.min,
        max=summary.max,
        histogram=histogram,
    )


def _two_decimals(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
