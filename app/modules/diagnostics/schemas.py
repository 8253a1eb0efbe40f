"""Diagnostic and remedial tests: definitions, the teacher's grid, groups and sessions, what pupils
and parents read, and the mastery figures of schools and steering units.  Scores are whole
numbers out of 100 per competency; a competency is mastered (acquise) when the score reaches the
test's `mastery_threshold`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from app.core.schemas import ClockTime, Schema
from app.modules.diagnostics.models import DiagnosticKind, RemedialGroupStatus

Score = Annotated[int, Field(ge=0, le=100)]
Threshold = Annotated[int, Field(ge=1, le=100)]
Rate = Annotated[
    Decimal | None, Field(description="Mastered / assessed, 4 decimals; null when none assessed.")
]


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- definitions ----------------------------------------------------------------------------


class CompetencyIn(InputSchema):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.-]+$")
    label_fr: str = Field(min_length=1, max_length=200)
    label_ar: str = Field(min_length=1, max_length=200)


class DiagnosticTestIn(InputSchema):
    """A diagnostic test with its competencies, or a post-test of an existing diagnostic test
    (which reuses its competencies and so sends none)."""

    kind: DiagnosticKind
    level_code: str = Field(min_length=1, max_length=8)
    subject_id: uuid.UUID
    title: str = Field(min_length=1, max_length=200)
    mastery_threshold: Threshold = 50
    diagnostic_id: uuid.UUID | None = None
    competencies: list[CompetencyIn] = Field(default_factory=list, max_length=40)

    @model_validator(mode="after")
    def _shape_of_kind(self) -> DiagnosticTestIn:
        if self.kind is DiagnosticKind.DIAGNOSTIC:
            if self.diagnostic_id is not None:
                raise ValueError("a diagnostic test has no diagnostic_id")
            if not self.competencies:
                raise ValueError("a diagnostic test needs competencies")
            codes = [c.code for c in self.competencies]
            if len(set(codes)) != len(codes):
                raise ValueError("competency codes must be distinct")
        elif self.diagnostic_id is None or self.competencies:
            raise ValueError("a post-test names its diagnostic_id and sends no competencies")
        return self


class CompetencyOut(Schema):
    id: uuid.UUID
    rank: int
    code: str
    label_fr: str
    label_ar: str


class DiagnosticTestOut(Schema):
    id: uuid.UUID
    kind: DiagnosticKind
    owner_level: str
    school_year: int
    level_code: str
    subject_id: uuid.UUID
    title: str
    mastery_threshold: int
    diagnostic_id: uuid.UUID | None
    competencies: list[CompetencyOut]
    created_at: datetime


class TeacherTestOut(DiagnosticTestOut):
    class_ids: list[uuid.UUID] = Field(description="My classes this test applies to.")


# ---- the grid -------------------------------------------------------------------------------


class ScoreIn(InputSchema):
    competency_id: uuid.UUID
    score: Score


class GridRowIn(InputSchema):
    """One pupil's scores; `absent` with no scores; no scores and not absent clears the row."""

    pupil_id: uuid.UUID
    absent: bool = False
    scores: list[ScoreIn] = Field(default_factory=list, max_length=40)


class GridIn(InputSchema):
    rows: list[GridRowIn] = Field(max_length=60)


class ScoreOut(Schema):
    competency_id: uuid.UUID
    score: int
    mastered: bool


class GridRowOut(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    absent: bool
    scores: list[ScoreOut]


class GridOut(Schema):
    test: DiagnosticTestOut
    class_id: uuid.UUID
    rows: list[GridRowOut]


class CompetencyMastery(Schema):
    competency_id: uuid.UUID
    code: str
    label_fr: str
    label_ar: str
    assessed: int = Field(description="Pupils with a score (absent ones not counted).")
    mastered: int
    rate: Rate


class ClassSummary(Schema):
    test_id: uuid.UUID
    class_id: uuid.UUID
    pupils: int = Field(description="Pupils in the class now.")
    entered: int = Field(description="Pupils with a result (a score or an absence).")
    competencies: list[CompetencyMastery]


class ProgressItem(Schema):
    competency_id: uuid.UUID
    diagnostic_score: int | None
    post_test_score: int | None
    progress: int | None = Field(description="Post-test minus diagnostic; null if one is missing.")


class PupilProgress(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    competencies: list[ProgressItem]


class ClassProgress(Schema):
    diagnostic_id: uuid.UUID
    post_test_id: uuid.UUID
    class_id: uuid.UUID
    pupils: list[PupilProgress]


# ---- remedial groups ------------------------------------------------------------------------


class PupilBrief(Schema):
    pupil_id: uuid.UUID
    massar_code: str
    first_name: str
    last_name: str
    score: int | None = None


class ProposedGroup(Schema):
    competency_id: uuid.UUID
    code: str
    label_fr: str
    name: str = Field(description="A suggested name; the teacher may change it.")
    pupils: list[PupilBrief] = Field(description="Scored below the threshold, lowest first.")


class Proposal(Schema):
    test_id: uuid.UUID
    class_id: uuid.UUID
    mastery_threshold: int
    groups: list[ProposedGroup]


class RemedialGroupIn(InputSchema):
    """A proposed group as the teacher confirms it (pupils possibly edited)."""

    test_id: uuid.UUID
    class_id: uuid.UUID
    competency_id: uuid.UUID
    name: str = Field(min_length=1, max_length=120)
    pupil_ids: list[uuid.UUID] = Field(min_length=1, max_length=60)


class RemedialSessionIn(InputSchema):
    date: date
    starts_at: ClockTime
    ends_at: ClockTime
    place: str = Field(min_length=1, max_length=120)

    @model_validator(mode="after")
    def _times_ordered(self) -> RemedialSessionIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class RemedialSessionOut(Schema):
    id: uuid.UUID
    group_id: uuid.UUID
    date: date
    starts_at: ClockTime
    ends_at: ClockTime
    place: str
    present: int
    absent: int


class RemedialGroupOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    test_id: uuid.UUID
    competency_id: uuid.UUID
    competency_label_fr: str
    competency_label_ar: str
    name: str
    status: RemedialGroupStatus
    actions: list[str]
    pupils: list[PupilBrief]
    sessions: list[RemedialSessionOut]
    created_at: datetime


class RemedialAttendanceRowIn(InputSchema):
    pupil_id: uuid.UUID
    present: bool


class RemedialAttendanceIn(InputSchema):
    rows: list[RemedialAttendanceRowIn] = Field(min_length=1, max_length=60)


class RemedialAttendanceRowOut(Schema):
    pupil_id: uuid.UUID
    present: bool | None = Field(description="Null while not recorded.")


class SessionAttendanceOut(Schema):
    session: RemedialSessionOut
    rows: list[RemedialAttendanceRowOut]


# ---- pupils and parents ---------------------------------------------------------------------


class PupilCompetencyOutcome(Schema):
    competency_id: uuid.UUID
    code: str
    label_fr: str
    label_ar: str
    score: int | None
    absent: bool
    mastered: bool


class PupilTestOutcome(Schema):
    test_id: uuid.UUID
    kind: DiagnosticKind
    title: str
    subject_id: uuid.UUID
    mastery_threshold: int
    competencies: list[PupilCompetencyOutcome]


class UpcomingSession(Schema):
    date: date
    starts_at: ClockTime
    ends_at: ClockTime
    place: str


class PupilGroup(Schema):
    group_id: uuid.UUID
    name: str
    status: RemedialGroupStatus
    competency_label_fr: str
    competency_label_ar: str
    upcoming_sessions: list[UpcomingSession]


class PupilDiagnostics(Schema):
    tests: list[PupilTestOutcome]
    groups: list[PupilGroup]


# ---- school and steering --------------------------------------------------------------------


class ClassCompletion(Schema):
    class_id: uuid.UUID
    class_name: str
    test_id: uuid.UUID
    test_title: str
    kind: DiagnosticKind
    pupils: int
    entered: int = Field(description="Pupils of the class with a result.")
    assessed: int = Field(description="Competency scores entered (absences not counted).")
    mastered: int
    rate: Rate


class MasteryRow(Schema):
    test_id: uuid.UUID
    test_title: str
    kind: DiagnosticKind
    level_code: str
    subject_id: uuid.UUID
    competency_id: uuid.UUID
    code: str
    label_fr: str
    label_ar: str
    assessed: int
    mastered: int
    rate: Rate


class MasteryReport(Schema):
    items: list[MasteryRow]


class DiagnosticsFigures(Schema):
    """This year's diagnostic tests (post-tests not counted) in the unit."""

    pupils_assessed: int = Field(description="Pupils with at least one score.")
    scores: int
    mastered: int
    mastery_rate: Rate
    pupils_in_remedial_groups: int = Field(description="In a confirmed or closed group.")
