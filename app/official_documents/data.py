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
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.academics.calendar import current_school_year
from app.academics.models import Enrolment, Level, Pupil, SchoolClass, Semester, Stream, Subject
from app.academics.reference import ReferenceData
from app.assessment.averages import WeightedSubject, semester_average
from app.assessment.report_card import marks_report
from app.attendance.models import AttendanceMark, AttendanceSheet, AttendanceStatus
from app.councils.published import year_decision
from app.errors import NotFound, ProblemError
from app.exams.deliberation import better_of
from app.exams.models import (
    ExamResult,
    ExamRound,
    ExamSession,
    ExamSessionSubject,
    ExamState,
    ExamSubjectResult,
    IndependentCandidate,
)
from app.exams.organising import for_stream, sitting_order
from app.family.pupil_records import placement
from app.official_documents.models import WHOLE_YEAR, DocumentKind
from app.organisation.models import Academy, Province, School

SEMESTER_AR = {1: "الأولى", 2: "الثانية"}


@dataclass(frozen=True, slots=True)
class Draft:
    """A document before it is issued: whose, of which period, and what it shows."""

    kind: DocumentKind
    # Whose: a pupil, or an independent candidate (their exam documents only).
    pupil_id: uuid.UUID | None
    school_id: uuid.UUID
    school_year: int
    period: int
    initials: str
    file_name: str
    data: dict[str, Any]
    # The exam session of a transcript or a convocation.
    exam_session_id: uuid.UUID | None = None
    independent_candidate_id: uuid.UUID | None = None

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


LAST_SEMESTER = 2


async def _year_end(session: AsyncSession, pupil_id: uuid.UUID, year: int) -> dict[str, str] | None:
    """The class council's decision on the year's last report card, once the director has
    validated the council (its validation changes the card's data: a new version)."""
    decision = await year_decision(session, pupil_id, year)
    if decision is None:
        return None
    return {
        "decision": decision.decision.value,
        "annual_average": _mark(decision.annual_average),
        "stream_fr": decision.stream.name_fr if decision.stream else "",
        "stream_ar": decision.stream.name_ar if decision.stream else "",
        "remarks": decision.remarks or "",
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
        "year_end": await _year_end(session, pupil_id, year) if semester == LAST_SEMESTER else None,
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


# ---- exams: the transcript and the convocation of one session ---------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """Whose exam documents: a pupil's or an independent candidate's (exactly one)."""

    pupil_id: uuid.UUID | None = None
    independent_id: uuid.UUID | None = None

    def results(self) -> Any:
        if self.pupil_id is not None:
            return ExamResult.pupil_id == self.pupil_id
        return ExamResult.independent_candidate_id == self.independent_id


async def _candidate(
    session: AsyncSession, whose: Candidate, exam_session_id: uuid.UUID
) -> tuple[ExamSession, ExamResult, Level]:
    """The session and the candidacy in it; 404 when they are no candidate."""
    row = (
        await session.execute(
            select(ExamSession, ExamResult, Level)
            .join(ExamResult, ExamResult.session_id == ExamSession.id)
            .join(Level, Level.code == ExamSession.level_code)
            .where(ExamSession.id == exam_session_id, whose.results())
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return row[0], row[1], row[2]


async def _independent(
    session: AsyncSession, candidate_id: uuid.UUID
) -> tuple[dict[str, str], str]:
    """An independent candidate's identity as their documents print it (no Massar code)."""
    candidate = await session.get_one(IndependentCandidate, candidate_id)
    identity = {
        "massar_code": "—",
        "name_fr": f"{candidate.last_name.upper()} {candidate.first_name}",
        "name_ar": f"{candidate.first_name_ar} {candidate.last_name_ar}",
        "birth_date": _day(candidate.birth_date),
        "birth_place_fr": candidate.birth_place,
        "birth_place_ar": candidate.birth_place_ar,
    }
    initials = f"{candidate.first_name[:1]}. {candidate.last_name[:1]}.".upper()
    return identity, initials


async def _stream_of(session: AsyncSession, exam: ExamSession, result: ExamResult) -> Stream | None:
    """The candidate's stream: the session's record of it, else the pupil's class's."""
    if result.stream_id is not None:
        return await session.get(Stream, result.stream_id)
    if result.pupil_id is None:
        return None
    place = await placement(session, result.pupil_id, exam.school_year)
    return await session.get(Stream, place.stream_id) if place and place.stream_id else None


async def _candidate_fields(
    session: AsyncSession, exam: ExamSession, result: ExamResult, level: Level
) -> tuple[dict[str, Any], str]:
    """The candidate's box and the session's heading, shared by both documents."""
    if result.pupil_id is not None:
        pupil, initials = await _pupil(session, result.pupil_id)
    else:
        assert result.independent_candidate_id is not None  # one candidate a result
        pupil, initials = await _independent(session, result.independent_candidate_id)
    stream = await _stream_of(session, exam, result)
    pupil |= {
        "candidate_number": result.candidate_number or "",
        "level_fr": f"{level.name_fr} — {stream.name_fr}" if stream else level.name_fr,
        "level_ar": f"{level.name_ar} — {stream.name_ar}" if stream else level.name_ar,
    }
    fields = {
        **await _authority(session, result.school_id),
        "pupil": pupil,
        "school_year": exam.school_year,
        "year_label": year_label(exam.school_year),
        "session_fr": exam.name_fr,
        "session_ar": exam.name_ar,
        "resit": exam.round is ExamRound.RESIT,
        "max_mark": level.max_mark,
    }
    return fields, initials


async def _subjects(session: AsyncSession, exam: ExamSession, result: ExamResult) -> list[Any]:
    """The subjects the candidate sits (those of their stream) with their coefficients and
    sittings, in the order they are sat."""
    rows = await session.execute(
        select(ExamSessionSubject, Subject)
        .join(Subject, Subject.id == ExamSessionSubject.subject_id)
        .where(ExamSessionSubject.session_id == exam.id, for_stream(result.stream_id))
        .order_by(*sitting_order())
    )
    return list(rows.all())


async def _marks(session: AsyncSession, result_id: uuid.UUID) -> dict[uuid.UUID, Decimal | None]:
    rows = await session.execute(
        select(ExamSubjectResult.subject_id, ExamSubjectResult.mark).where(
            ExamSubjectResult.result_id == result_id
        )
    )
    return dict(rows.all())


async def _marks_retained(
    session: AsyncSession, exam: ExamSession, result: ExamResult
) -> dict[uuid.UUID, Decimal | None]:
    """The marks the deliberation counted: a resit's, per subject the better of its own and
    the normal session's (`exams.deliberation.better_of`)."""
    marks = await _marks(session, result.id)
    if exam.round is not ExamRound.RESIT or exam.normal_session_id is None:
        return marks
    whose = Candidate(result.pupil_id, result.independent_candidate_id)
    normal = await session.scalar(
        select(ExamResult.id).where(
            ExamResult.session_id == exam.normal_session_id, whose.results()
        )
    )
    return better_of(marks, await _marks(session, normal) if normal else {})


def exam_not_published() -> ProblemError:
    return ProblemError(409, "documents.exam_not_published", kind="not-published")


async def exam_transcript(
    session: AsyncSession, whose: Candidate, exam_session_id: uuid.UUID
) -> Draft:
    """The candidate's transcript (relevé de notes) of a session, once its results are
    published (409 `not-published` before). Its data holds every mark, so a corrected mark
    is a new version and revokes the one before."""
    exam, result, level = await _candidate(session, whose, exam_session_id)
    published = exam.state is ExamState.PUBLISHED and exam.publish_at is not None
    if not published or exam.publish_at > datetime.now(UTC):  # type: ignore[operator]
        raise exam_not_published()
    fields, initials = await _candidate_fields(session, exam, result, level)
    marks = await _marks_retained(session, exam, result)
    subjects = [
        {
            "code": subject.code,
            "name_fr": subject.name_fr,
            "name_ar": subject.name_ar,
            "coefficient": _coefficient(line.coefficient),
            "mark": _mark(marks[subject.id]) if marks.get(subject.id) is not None else "Abs.",
        }
        for line, subject in await _subjects(session, exam, result)
    ]
    data = {
        **fields,
        "subjects": subjects,
        "exam_average": _mark(result.exam_average),
        "average": _mark(result.average),
        "decision": result.decision.value if result.decision else "",
        "mention_fr": result.mention_fr or "",
        "mention_ar": result.mention_ar or "",
    }
    return Draft(
        kind=DocumentKind.EXAM_TRANSCRIPT,
        pupil_id=whose.pupil_id,
        independent_candidate_id=whose.independent_id,
        school_id=result.school_id,
        school_year=exam.school_year,
        period=WHOLE_YEAR,
        initials=initials,
        file_name=f"releve-{result.candidate_number}-{exam.school_year}-{exam.round}.pdf",
        data=data,
        exam_session_id=exam.id,
    )


async def exam_convocation(
    session: AsyncSession, whose: Candidate, exam_session_id: uuid.UUID
) -> Draft:
    """The candidate's convocation: centre, room, the session's dates and its subjects with
    their durations; 409 `not-convoked` until the candidate has a number, centre and room."""
    exam, result, level = await _candidate(session, whose, exam_session_id)
    if result.candidate_number is None or result.centre_id is None or result.room is None:
        raise ProblemError(409, "documents.not_convoked", kind="not-convoked")
    fields, initials = await _candidate_fields(session, exam, result, level)
    centre = await session.get_one(School, result.centre_id)
    data = {
        **fields,
        "centre_code": centre.code,
        "centre_fr": centre.name_fr,
        "centre_ar": centre.name_ar,
        "room": result.room,
        "starts_on": _day(exam.starts_on),
        "ends_on": _day(exam.ends_on),
        "subjects": [
            {
                "code": subject.code,
                "name_fr": subject.name_fr,
                "name_ar": subject.name_ar,
                "day": _day(line.sits_on),
                "time": line.starts_at.strftime("%H:%M") if line.starts_at else "",
                "duration": f"{line.duration_minutes // 60}h{line.duration_minutes % 60:02d}",
            }
            for line, subject in await _subjects(session, exam, result)
        ],
    }
    return Draft(
        kind=DocumentKind.EXAM_CONVOCATION,
        pupil_id=whose.pupil_id,
        independent_candidate_id=whose.independent_id,
        school_id=result.school_id,
        school_year=exam.school_year,
        period=WHOLE_YEAR,
        initials=initials,
        file_name=f"convocation-{result.candidate_number}-{exam.school_year}-{exam.round}.pdf",
        data=data,
        exam_session_id=exam.id,
    )


async def current_draft(
    session: AsyncSession,
    kind: DocumentKind,
    whose: Candidate,
    year: int,
    period: int,
    reference: ReferenceData,
    exam_session_id: uuid.UUID | None = None,
) -> Draft:
    """What a document of this kind and period (or exam session) would show today."""
    if kind is DocumentKind.EXAM_TRANSCRIPT and exam_session_id is not None:
        return await exam_transcript(session, whose, exam_session_id)
    if kind is DocumentKind.EXAM_CONVOCATION and exam_session_id is not None:
        return await exam_convocation(session, whose, exam_session_id)
    pupil_id = whose.pupil_id
    if pupil_id is None:
        raise NotFound()  # an independent candidate has exam documents only
    if kind is DocumentKind.REPORT_CARD:
        return await report_card(session, pupil_id, year, period, reference)
    return await school_certificate(session, pupil_id, year)
