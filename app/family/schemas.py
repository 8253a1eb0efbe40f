"""Pupils and parents as the API shows them: links, the school's control over them, and a pupil's
records.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import EmailStr, Field

from app.academics.models import Gender
from app.academics.schemas import ClassRef, SubjectRef
from app.accounts.schemas import PupilRef
from app.assessment.models import TestKind
from app.attendance.models import AttendanceStatus
from app.core.schemas import ClockTime, Patch, Schema, SchoolRef, UnitRef
from app.councils.models import Decision
from app.exams.models import ExamDecision, ExamKind, ExamRound
from app.family.models import Kinship, PhoneOperator, PhoneOwner


class Child(PupilRef):
    id: uuid.UUID = Field(description="The pupil's id: use it in /parent/children/{child_id}/…")
    kinship: Kinship
    school_name_fr: str
    school_name_ar: str
    school_class: ClassRef | None


class LinkChildIn(Schema):
    massar_code: str = Field(pattern=r"^[A-Za-z][0-9]{9}$", examples=["D130000001"])
    birth_date: date
    link_code: str = Field(min_length=6, max_length=20, examples=["7KQ4-M2XP"])
    kinship: Kinship


class LinkCodeOut(Schema):
    pupil_id: uuid.UUID
    code: str = Field(description="Shown once: hand it to the parent. It is stored hashed.")
    expires_at: datetime


class GuardianLinkOut(Schema):
    id: uuid.UUID
    parent_id: uuid.UUID
    parent_name: str
    parent_username: str
    pupil_id: uuid.UUID
    massar_code: str
    pupil_name: str
    kinship: Kinship
    verified_at: datetime | None
    created_at: datetime


class PupilProfile(PupilRef):
    birth_date: date
    birth_place: str | None
    birth_place_ar: str | None
    gender: Gender
    school_year: int | None
    school_class: ClassRef | None
    level_name_fr: str | None
    level_name_ar: str | None
    school: SchoolRef
    province: UnitRef
    academy: UnitRef


# A Moroccan number: 06/07 mobiles and 05 landlines, national or +212 form.
PHONE_PATTERN = r"^(\+212|0)[5-7][0-9]{8}$"


class Contact(Schema):
    phone: str | None
    operator: PhoneOperator | None
    phone_owner: PhoneOwner | None
    recovery_email: str | None


class ContactPatch(Patch):
    """Only the fields sent change; send null to erase one."""

    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, examples=["0612345678"])
    operator: PhoneOperator | None = None
    phone_owner: PhoneOwner | None = None
    recovery_email: EmailStr | None = None


class TestMark(Schema):
    test_id: uuid.UUID
    date: date
    mark: Decimal | None
    absent: bool


class ComponentRef(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str


class ComponentMarks(Schema):
    """A primary subject's component (Arabic: reading…) with its own tests and average."""

    component: ComponentRef
    tests: dict[TestKind, TestMark | None]
    average: Decimal | None


class SubjectMarks(Schema):
    subject: SubjectRef
    coefficient: Decimal
    status: Literal["published", "not_published"] = Field(
        description="`not_published` until the school publishes this subject's marks."
    )
    tests: dict[TestKind, TestMark | None] = Field(
        description="The tests on the whole subject (a subject marked by components has none)."
    )
    components: list[ComponentMarks] = Field(
        default_factory=list,
        description="A primary subject marked by components: each with its tests and average.",
    )
    remark: str | None
    average: Decimal | None = Field(
        description="The mean of the marks present; for a subject marked by components, the "
        "mean of the components' averages (and of the whole-subject tests' average, if any)."
    )
    class_average: Decimal | None


class MarksReport(Schema):
    school_year: int
    semester: int
    max_mark: int = Field(
        default=20, description="The scale of the class's level: 10 in primary, 20 above."
    )
    pass_mark: int = Field(default=10, description="The pass line: half the scale.")
    school_class: ClassRef | None
    subjects: list[SubjectMarks]
    semester_average: Decimal | None
    passed: bool | None = Field(
        default=None, description="The semester average is at or above the pass line."
    )
    left_out: list[str] = Field(description="Subjects without an average, not counted.")


class ExamSubjectOut(Schema):
    subject: SubjectRef
    mark: Decimal | None
    absent: bool


class ExamResultOut(Schema):
    session_id: uuid.UUID
    kind: ExamKind
    round: ExamRound = Field(description="The normal session, or the resit.")
    school_year: int
    level_code: str
    name_fr: str
    name_ar: str
    published_at: datetime
    candidate_number: str | None
    exam_average: Decimal | None = Field(description="The session's own average.")
    continuous_average: Decimal | None
    average: Decimal | None = Field(description="The certificate's general average.")
    decision: ExamDecision | None
    mention_fr: str | None
    mention_ar: str | None
    subjects: list[ExamSubjectOut]


class HistoryYear(Schema):
    school_year: int
    school: SchoolRef
    level_code: str
    class_name: str
    first_semester_average: Decimal | None
    second_semester_average: Decimal | None
    annual_average: Decimal | None
    decision: ExamDecision | None = Field(description="The year's exam decision, if any.")
    council_decision: Decision | None = Field(
        description="The class council's validated decision of the year."
    )


class AbsenceOut(Schema):
    id: uuid.UUID = Field(description="The attendance mark; quote it to justify the absence.")
    date: date
    start_time: ClockTime
    subject: SubjectRef
    status: AttendanceStatus
    minutes_late: int | None
    justification: Literal["none", "pending", "accepted", "rejected"]


class AbsencesReport(Schema):
    semester: int | None
    absences: int
    lateness: int
    unjustified: int
    items: list[AbsenceOut]


class HomeworkItem(Schema):
    lesson_id: uuid.UUID
    subject: SubjectRef
    given_on: date
    due_date: date
    text: str


class UpcomingTest(Schema):
    test_id: uuid.UUID
    subject: SubjectRef
    kind: TestKind
    semester: int
    date: date
    title: str
