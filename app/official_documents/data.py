"""What each kind of document shows, read from the records as a `Draft`: plain values, already
formatted as printed, so that the same data is the same document (its SHA-256) and the
rendering processes receive nothing but a dictionary.

The report card reads the marks through the same report as the pupil and parent apps
(`assessment/report_card.py`), averages included; nothing is computed twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import current_school_year
from app.academics.models import Enrolment, Level, Pupil, SchoolClass, Semester
from app.academics.reference import ReferenceData
from app.assessment.averages import WeightedSubject, semester_average
from app.assessment.report_card import marks_report
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus
from app.errors import ProblemError
from app.family.pupil_records import placement
from app.official_documents.models import WHOLE_YEAR, DocumentKind
from app.organisation.models import Academy, Province, School

SEMESTER_AR = {1: "الأولى", 2: "الثانية"}


@dataclass(frozen=True, slots=True)
class Draft:
    """A document before it is issued: whose, of which period, and what it shows."""

    kind: DocumentKind
    pupil_id: uuid.UUID
    school_id: uuid.UUID
    school_year: int
    period: int
    initials: str
    file_name: str
    data: dict[str, Any]

    @property
    def sha256(self) -> str:
        """The data's fingerprint: equal data, equal document."""
        canonical = json.dumps([self.kind.value, self.data], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _mark(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def _coefficient(value: Decimal) -> str:
    return format(value.normalize(), "f")


def year_label(year: int) -> str:
    # A slash: the bidirectional algorithm keeps "2025/2026" whole inside Arabic text.
    return f"{year}/{year + 1}"


async def _pupil(session: AsyncSession, pupil_id: uuid.UUID) -> tuple[dict[str, str], str]:
    pupil = await session.get_one(Pupil, pupil_id)
    identity = {
        "massar_code": pupil.massar_code,
        "name_fr": f"{pupil.last_name.upper()} {pupil.first_name}",
        "name_ar": f"{pupil.first_name_ar} {pupil.last_name_ar}",
        "birth_date": _day(pupil.birth_date),
        "birth_place_fr": pupil.birth_place or "",
        "birth_place_ar": pupil.birth_place_ar or "",
    }
    initials = f"{pupil.first_name[:1]}. {pupil.last_name[:1]}.".upper()
    return identity, initials


async def _authority(session: AsyncSession, school_id: uuid.UUID) -> dict[str, dict[str, str]]:
    """The school, its directorate and its academy, as the letterhead names them."""
    province, academy = aliased(Province), aliased(Academy)
    school, directorate, region = (
        await session.execute(
            select(School, province, academy)
            .join(province, province.id == School.province_id)
            .join(academy, academy.id == School.academy_id)
            .where(School.id == school_id)
        )
    ).one()
    return {
        "school": {
            "school_code": school.code,
            "school_fr": school.name_fr,
            "school_ar": school.name_ar,
        },
        "authority": {
            "academy_fr": region.name_fr,
            "academy_ar": region.name_ar,
            "directorate_fr": directorate.name_fr,
            "directorate_ar": directorate.name_ar,
        },
    }


async def _absences(
    session: AsyncSession, pupil_id: uuid.UUID, year: int, semester: int
) -> dict[str, int]:
    """Absences and lateness recorded in the semester's dates."""
    rows = await session.execute(
        select(AttendanceMark.status, func.count())
        .join(
            AttendanceSheet,
            (AttendanceSheet.id == AttendanceMark.sheet_id)
            & (AttendanceSheet.school_id == AttendanceMark.school_id),
        )
        .join(
            Semester,
            (Semester.school_year == AttendanceMark.school_year) & (Semester.number == semester),
        )
        .where(
            AttendanceMark.pupil_id == pupil_id,
            AttendanceMark.school_year == year,
            AttendanceMark.status != AttendanceStatus.PRESENT,
            AttendanceSheet.lesson_date.between(Semester.starts_on, Semester.ends_on),
        )
        .group_by(AttendanceMark.status)
    )
    counts = {status: count for status, count in rows.all()}  # noqa: C416  (rows, not pairs)
    return {
        "absences": counts.get(AttendanceStatus.ABSENT, 0),
        "lateness": counts.get(AttendanceStatus.LATE, 0),
    }


def not_published() -> ProblemError:
    return ProblemError(409, "documents.not_published", kind="not-published")


async def report_card(
    session: AsyncSession,
    pupil_id: uuid.UUID,
    year: int,
    semester: int,
    reference: ReferenceData,
) -> Draft:
    """The semester's report card: it exists once every subject taught in the pupil's class
    has its marks published (409 `not-published` before)."""
    place = await placement(session, pupil_id, year)
    if place is None:
        raise not_published()
    report = await marks_report(session, pupil_id, year, semester, reference)
    if not report.subjects or any(line.status != "published" for line in report.subjects):
        raise not_published()
    level = await session.get_one(Level, place.level_code)
    kinds = [kind for line in report.subjects for kind, mark in line.tests.items() if mark]
    subjects = [
        {
            "code": line.subject.code,
            "name_fr": line.subject.name_fr,
            "name_ar": line.subject.name_ar,
            "coefficient": _coefficient(line.coefficient),
            "marks": {
                kind.value: "Abs." if mark.absent else _mark(mark.mark)
                for kind, mark in line.tests.items()
                if mark is not None
            },
            "average": _mark(line.average),
            "class_average": _mark(line.class_average),
        }
        for line in report.subjects
    ]
    # The class's semester average: its subjects' class averages, weighted the same way.
    class_average = semester_average(
        [
            WeightedSubject(line.subject.code, line.class_average, line.coefficient)
            for line in report.subjects
        ]
    )
    pupil, initials = await _pupil(session, pupil_id)
    pupil |= {
        "level_fr": level.name_fr,
        "level_ar": level.name_ar,
        "class_name": place.class_name,
    }
    data = {
        **await _authority(session, place.school_id),
        "pupil": pupil,
        "school_year": year,
        "year_label": year_label(year),
        "semester": semester,
        "semester_ar": SEMESTER_AR[semester],
        "max_mark": level.max_mark,
        "test_kinds": sorted({kind.value for kind in kinds}),
        "subjects": subjects,
        "semester_average": _mark(report.semester_average),
        "class_average": _mark(class_average.value),
        **await _absences(session, pupil_id, year, semester),
    }
    return Draft(
        kind=DocumentKind.REPORT_CARD,
        pupil_id=pupil_id,
        school_id=place.school_id,
        school_year=year,
        period=semester,
        initials=initials,
        file_name=f"bulletin-{pupil['massar_code']}-{year}-{year + 1}-S{semester}.pdf",
        data=data,
    )


async def school_certificate(
    session: AsyncSession, pupil_id: uuid.UUID, year: int | None = None
) -> Draft:
    """The certificate of enrolment of a year (this one by default): 409 `not-enrolled` when
    the pupil sits in no class that year, or has left it."""
    year = year if year is not None else await current_school_year(session)
    row = (
        await session.execute(
            select(Enrolment, SchoolClass, Level)
            .join(SchoolClass, SchoolClass.id == Enrolment.class_id)
            .join(Level, Level.code == SchoolClass.level_code)
            .where(
                Enrolment.pupil_id == pupil_id,
                Enrolment.school_year == year,
                Enrolment.left_on.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        raise ProblemError(409, "documents.not_enrolled", kind="not-enrolled")
    enrolment, school_class, level = row
    pupil, initials = await _pupil(session, pupil_id)
    data = {
        **await _authority(session, enrolment.school_id),
        "pupil": pupil,
        "school_year": year,
        "year_label": year_label(year),
        "level_fr": level.name_fr,
        "level_ar": level.name_ar,
        "class_name": school_class.name,
        "enrolled_on": _day(enrolment.enrolled_on),
    }
    return Draft(
        kind=DocumentKind.SCHOOL_CERTIFICATE,
        pupil_id=pupil_id,
        school_id=enrolment.school_id,
        school_year=year,
        period=WHOLE_YEAR,
        initials=initials,
        file_name=f"certificat-scolarite-{pupil['massar_code']}-{year}-{year + 1}.pdf",
        data=data,
    )


async def current_draft(
    session: AsyncSession,
    kind: DocumentKind,
    pupil_id: uuid.UUID,
    year: int,
    period: int,
    reference: ReferenceData,
) -> Draft:
    """What a document of this kind and period would show today."""
    if kind is DocumentKind.REPORT_CARD:
        return await report_card(session, pupil_id, year, period, reference)
    return await school_certificate(session, pupil_id, year)
