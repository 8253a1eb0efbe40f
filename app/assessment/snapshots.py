"""Published marks kept as snapshots: each pupil's marks and averages of a semester, rendered
by the same report the live view computes, when the class's marks are published or corrected.

Those are the only moments published marks change, so the pupil and parent apps read one row
by its key instead of recomputing averages on results day. What else a document shows (the
class a pupil sits in, the subjects taught, coefficients, names) is watched by triggers that
drop the documents it touches (migration `published_snapshots`); a pupil without a document is
served the live computation, which is always right, until the next publication.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, SchoolClass
from app.academics.reference import ReferenceData, load_reference
from app.assessment.models import ClassTest, PublishedMarks, TestStatus
from app.assessment.report_card import marks_report
from app.core.caching import json_bytes
from app.core.db.snapshots import store_snapshot

VERSIONS = "published_marks_versions"


async def rebuild_class(session: AsyncSession, school_class: SchoolClass, semester: int) -> int:
    """Render again the semester's published marks of every pupil who sits in the class (class
    averages change with any one pupil's mark); the number of documents written."""
    pupils = await session.scalars(
        select(Enrolment.pupil_id)
        .distinct()
        .where(Enrolment.class_id == school_class.id, Enrolment.school_id == school_class.school_id)
    )
    # Read afresh in the writer's transaction: what it has just changed counts.
    reference = await load_reference(session)
    built = 0
    for pupil_id in pupils.all():
        built += await rebuild(session, pupil_id, school_class, semester, reference)
    return built


async def rebuild(
    session: AsyncSession,
    pupil_id: uuid.UUID,
    school_class: SchoolClass,
    semester: int,
    reference: ReferenceData,
) -> int:
    """Render the pupil's document if they sit in the class that year (1), else leave it to
    the publications of the class they moved to (0)."""
    report = await marks_report(session, pupil_id, school_class.school_year, semester, reference)
    if report.school_class is None or report.school_class.id != school_class.id:
        return 0
    await store_snapshot(
        session,
        PublishedMarks,
        {"pupil_id": pupil_id, "school_year": school_class.school_year, "semester": semester},
        school_class.school_id,
        VERSIONS,
        {"class_id": school_class.id, "document": json_bytes(report).decode()},
    )
    return 1


async def render_all_published(session: AsyncSession) -> int:
    """Render the documents of every class semester with a published test (an upgrade)."""
    published = await session.execute(
        select(SchoolClass, ClassTest.semester)
        .join(
            ClassTest,
            (ClassTest.class_id == SchoolClass.id) & (ClassTest.school_id == SchoolClass.school_id),
        )
        .where(ClassTest.status == TestStatus.PUBLISHED)
        .distinct()
    )
    built = 0
    for school_class, semester in published.all():
        built += await rebuild_class(session, school_class, semester)
    return built
