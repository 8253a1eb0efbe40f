"""What integrators are told of marks: `marks.published`, with the published tests and their
marks, and `marks.corrected`, a published mark changed by an audited correction (its new and
previous value; never the reason, which may name the pupil). A mark is `results.read` (the
event's own scope); the pupil's Massar code rides along only for a client that also holds
`roster.read`, whose data it is."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Pupil, SchoolClass, Subject
from app.assessment.models import ClassTest, Mark, MarkCorrection
from app.assessment.scale import test_scale
from app.integrations.scopes import ApiScope
from app.organisation.models import School
from app.webhooks.events import Shown, emit
from app.webhooks.models import EventType


async def marks_published(
    session: AsyncSession, school_class: SchoolClass, semester: int, test_ids: Sequence[uuid.UUID]
) -> None:
    """Queue `marks.published` for the integrators that listen to the class's school."""

    async def build() -> dict[str, Any]:
        school_code = await session.scalar(
            select(School.code).where(School.id == school_class.school_id)
        )
        tests = (
            await session.execute(
                select(ClassTest, Subject.code, test_scale())
                .join(Subject, Subject.id == ClassTest.subject_id)
                .where(ClassTest.id.in_(test_ids), ClassTest.school_id == school_class.school_id)
                .order_by(ClassTest.test_date, ClassTest.id)
            )
        ).all()
        marks = (
            await session.execute(
                select(Mark.test_id, Mark.pupil_id, Mark.mark, Mark.absent, Pupil.massar_code)
                .join(Pupil, Pupil.id == Mark.pupil_id)
                .where(Mark.test_id.in_(test_ids), Mark.school_id == school_class.school_id)
                .order_by(Pupil.massar_code)
            )
        ).all()
        return {
            "school": {"id": str(school_class.school_id), "code": school_code},
            "class": {"id": str(school_class.id), "name": school_class.name},
            "school_year": school_class.school_year,
            "semester": semester,
            "tests": [
                {
                    "id": str(test.id),
                    "subject": subject_code,
                    "kind": test.kind.value,
                    "title": test.title,
                    "date": test.test_date.isoformat(),
                    "max_mark": max_mark,
                    "marks": [
                        {
                            "pupil_id": str(mark.pupil_id),
                            "massar_code": Shown(ApiScope.ROSTER_READ, mark.massar_code),
                            "mark": _text(mark.mark),
                            "absent": mark.absent,
                        }
                        for mark in marks
                        if mark.test_id == test.id
                    ],
                }
                for test, subject_code, max_mark in tests
            ],
        }

    await emit(session, EventType.MARKS_PUBLISHED, school_class.school_id, build)


async def mark_corrected(
    session: AsyncSession, school_class: SchoolClass, test: ClassTest, correction: MarkCorrection
) -> None:
    """Queue `marks.corrected`: a published mark changed through an audited correction (a
    mark that never left Massar is told when it is published)."""

    async def build() -> dict[str, Any]:
        school_code = await session.scalar(
            select(School.code).where(School.id == school_class.school_id)
        )
        subject_code = await session.scalar(
            select(Subject.code).where(Subject.id == test.subject_id)
        )
        mark = (
            await session.execute(
                select(Mark.pupil_id, Pupil.massar_code)
                .join(Pupil, Pupil.id == Mark.pupil_id)
                .where(Mark.id == correction.mark_id, Mark.school_id == correction.school_id)
            )
        ).one()
        return {
            "school": {"id": str(school_class.school_id), "code": school_code},
            "class": {"id": str(school_class.id), "name": school_class.name},
            "school_year": school_class.school_year,
            "semester": test.semester,
            "test": {"id": str(test.id), "subject": subject_code, "kind": test.kind.value},
            "mark": {
                "id": str(correction.mark_id),
                "pupil_id": str(mark.pupil_id),
                "massar_code": Shown(ApiScope.ROSTER_READ, mark.massar_code),
                "mark": _text(correction.new_mark),
                "absent": correction.new_absent,
                "previous_mark": _text(correction.old_mark),
                "previous_absent": correction.old_absent,
                "corrected_at": correction.corrected_at.isoformat(),
            },
        }

    await emit(session, EventType.MARKS_CORRECTED, school_class.school_id, build)


def _text(mark: Decimal | None) -> str | None:
    return None if mark is None else str(mark)
