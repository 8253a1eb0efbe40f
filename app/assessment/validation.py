"""Marks after the teacher: the director validates (locks) or returns them, publishes a class's
validated marks to pupils and parents, and corrects a validated mark only with a reason that is
kept. School staff reach only their own school's tests."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import SchoolClass
from app.academics.teaching import current_pupils
from app.assessment import events, snapshots
from app.assessment.marks import test_out
from app.assessment.models import ClassTest, Mark, MarkCorrection, TestStatus
from app.assessment.scale import above_scale, refused_above_scale, test_scale
from app.assessment.schemas import CorrectionIn, CorrectionOut, PublicationOut, TestOut
from app.core.listing import found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import InvalidInput, NotFound, ProblemError
from app.family.audience import family_accounts
from app.messaging.models import NotificationCategory
from app.messaging.notifications import NotificationTexts, notify
from app.organisation.scopes import school_scope

log = logging.getLogger(__name__)


def _mark_count() -> Any:
    return (
        select(func.count())
        .where(Mark.test_id == ClassTest.id, Mark.school_id == ClassTest.school_id)
        .scalar_subquery()
        .label("mark_count")
    )


async def list_tests(
    session: AsyncSession,
    principal: Principal,
    page: PageRequest,
    *,
    status: TestStatus | None,
    class_id: uuid.UUID | None,
) -> Page[TestOut]:
    """The school's tests of this year by status, a page at a time."""
    statement = select(ClassTest, _mark_count(), test_scale()).where(
        school_scope(principal, ClassTest.school_id)
    )
    statement = where_given(statement, {ClassTest.status: status, ClassTest.class_id: class_id})
    return await page_of(session, statement, (ClassTest.id,), page, lambda row: test_out(*row))


async def _school_test(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, *, expect: TestStatus
) -> tuple[ClassTest, int, int]:
    test, count, max_mark = await found_row(
        session,
        select(ClassTest, _mark_count(), test_scale())
        .where(ClassTest.id == test_id, school_scope(principal, ClassTest.school_id))
        .with_for_update(of=ClassTest),
    )
    if test.status is not expect:
        raise ProblemError(409, f"workflow.not_{expect.value}", kind=f"not-{expect.value}")
    return test, count, max_mark


async def validate_test(session: AsyncSession, principal: Principal, test_id: uuid.UUID) -> TestOut:
    """Lock a submitted test's marks: from now on only a correction changes them."""
    test, count, max_mark = await _school_test(
        session, principal, test_id, expect=TestStatus.SUBMITTED
    )
    test.status = TestStatus.VALIDATED
    test.validated_at = datetime.now(UTC)
    test.validated_by = principal.user_id
    await session.flush()
    await session.refresh(test)
    return test_out(test, count, max_mark)


async def return_test(
    session: AsyncSession, principal: Principal, test_id: uuid.UUID, reason: str
) -> TestOut:
    """Send a submitted test back to its teacher, who may change the marks again."""
    test, count, max_mark = await _school_test(
        session, principal, test_id, expect=TestStatus.SUBMITTED
    )
    test.status = TestStatus.DRAFT
    test.submitted_at = None
    test.return_reason = reason
    await session.flush()
    await session.refresh(test)
    await notify(
        session,
        [test.teacher_id],
        NotificationCategory.MARKS,
        NotificationTexts(
            title_ar="أعيدت إليكم النقط",
            title_fr="Notes renvoyées",
            body_ar=f"أعادت الإدارة نقط «{test.title}»: {reason}",
            body_fr=f"La direction vous renvoie les notes de « {test.title} » : {reason}",
        ),
        {"test_id": test.id},
    )
    return test_out(test, count, max_mark)


async def publish_class(
    session: AsyncSession, principal: Principal, class_id: uuid.UUID, semester: int
) -> PublicationOut:
    """Publish every validated test of a class and semester; pupils and parents are told."""
    school_class = await session.scalar(
        select(SchoolClass).where(
            SchoolClass.id == class_id, school_scope(principal, SchoolClass.school_id)
        )
    )
    if school_class is None:
        raise NotFound()
    published = (
        await session.scalars(
            update(ClassTest)
            .where(
                ClassTest.school_id == school_class.school_id,
                ClassTest.class_id == class_id,
                ClassTest.semester == semester,
                ClassTest.status == TestStatus.VALIDATED,
            )
            .values(status=TestStatus.PUBLISHED, published_at=func.now())
            .returning(ClassTest.id)
        )
    ).all()
    if not published:
        raise ProblemError(409, "workflow.nothing_to_publish", kind="nothing-to-publish")
    await snapshots.rebuild_class(session, school_class, semester)
    await events.marks_published(session, school_class, semester, published)
    audience = await family_accounts(session, current_pupils(class_id))
    await notify(
        session,
        audience,
        NotificationCategory.MARKS,
        NotificationTexts(
            title_ar="نقط جديدة",
            title_fr="Nouvelles notes",
            body_ar=f"نُشرت نقط جديدة لقسم {school_class.name} (الدورة {semester}).",
            body_fr=(
                f"De nouvelles notes de la classe {school_class.name} sont publiées "
                f"(semestre {semester})."
            ),
        ),
        {"class_id": class_id, "semester": semester},
    )
    log.info("published %d tests of class %s, semester %d", len(published), class_id, semester)
    return PublicationOut(
        class_id=class_id,
        semester=semester,
        tests_published=len(published),
        pupils_notified=len(audience),
    )


async def correct_mark(
    session: AsyncSession, principal: Principal, mark_id: uuid.UUID, correction: CorrectionIn
) -> CorrectionOut:
    """Change a validated or published mark, keeping the old value, the reason and the author."""
    mark, test, max_mark = await found_row(
        session,
        select(Mark, ClassTest, test_scale())
        .join(ClassTest, (ClassTest.id == Mark.test_id) & (ClassTest.school_id == Mark.school_id))
        .where(Mark.id == mark_id, school_scope(principal, Mark.school_id))
        .with_for_update(of=Mark),
    )
    if test.status not in (TestStatus.VALIDATED, TestStatus.PUBLISHED):
        raise ProblemError(409, "workflow.not_locked", kind="not-locked")
    if errors := above_scale([correction.mark], max_mark, "body.mark"):
        raise InvalidInput(errors)
    audit = MarkCorrection(
        school_id=mark.school_id,
        mark_id=mark.id,
        school_year=mark.school_year,
        old_mark=mark.mark,
        old_absent=mark.absent,
        new_mark=correction.mark,
        new_absent=correction.absent,
        reason=correction.reason,
        corrected_by=principal.user_id,
    )
    # The database lets a locked mark change only inside a correction that names it.
    await session.execute(
        select(func.set_config("massar.mark_correction", str(mark.id), literal(True)))
    )
    mark.mark, mark.absent = correction.mark, correction.absent
    mark.updated_by, mark.updated_at = principal.user_id, datetime.now(UTC)
    session.add(audit)
    with refused_above_scale("body.mark"):
        await session.flush()
    await session.refresh(audit)
    log.info("mark %s corrected by %s (correction %s)", mark.id, principal.user_id, audit.id)
    if test.status is TestStatus.PUBLISHED:
        # Class averages move with the mark: every pupil of the class gets a new document.
        school_class = await session.get_one(SchoolClass, test.class_id)
        await snapshots.rebuild_class(session, school_class, test.semester)
        await _tell_family_of_correction(session, mark.pupil_id, test)
        await events.mark_corrected(session, school_class, test, audit)
    return CorrectionOut.model_validate(audit)


async def _tell_family_of_correction(
    session: AsyncSession, pupil_id: uuid.UUID, test: ClassTest
) -> None:
    await notify(
        session,
        await family_accounts(session, [pupil_id]),
        NotificationCategory.MARKS,
        NotificationTexts(
            title_ar="تصحيح نقطة",
            title_fr="Note corrigée",
            body_ar=f"صُحّحت نقطة «{test.title}».",
            body_fr=f"La note de « {test.title} » a été corrigée.",
        ),
        {"pupil_id": pupil_id, "test_id": test.id},
    )
