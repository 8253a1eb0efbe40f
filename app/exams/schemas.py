"""What organisers send and read about exam sessions, candidates and results."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query
from pydantic import Field, model_validator

from app.academics.schemas import SubjectRef
from app.assessment.schemas import MarkValue
from app.core.schemas import ClockTime, Schema
from app.exams.models import AppealStatus, ExamDecision, ExamKind, ExamRound, ExamState
from app.organisation.schemas import UnitOut


class ExamMentionIn(Schema):
    """A mention and the general average from which it is given (on the level's scale)."""

    threshold: MarkValue = Field(description="The general average from which it is given.")
    fr: str = Field(max_length=40)
    ar: str = Field(max_length=40)


class ExamMentionOut(Schema):
    threshold: Decimal
    fr: str
    ar: str


class ExamSubjectIn(Schema):
    """A subject of the session, for one of its streams (or all), and its sitting."""

    subject_id: uuid.UUID
    stream_id: uuid.UUID | None = Field(
        default=None,
        description="The stream whose coefficient this is (one of the session's streams);"
        " none: every candidate of the session sits it with this coefficient.",
    )
    coefficient: Decimal = Field(gt=0, max_digits=4, decimal_places=2)
    duration_minutes: int = Field(gt=0, le=600)
    sits_on: date | None = Field(
        default=None, description="The day of the sitting, within the session's dates."
    )
    starts_at: ClockTime | None = Field(
        default=None,
        description="The sitting's start, local time (Africa/Casablanca) as `HH:MM:SS`,"
        " with no zone; given with `sits_on`.",
    )

    @model_validator(mode="after")
    def _day_and_hour(self) -> ExamSubjectIn:
        if (self.sits_on is None) != (self.starts_at is None):
            raise ValueError("a sitting has its day and its start time, or neither")
        return self


class ExamSubjectLine(Schema):
    subject: SubjectRef
    stream_id: uuid.UUID | None
    coefficient: Decimal
    duration_minutes: int
    sits_on: date | None
    starts_at: ClockTime | None = Field(description="Local time (Africa/Casablanca), `HH:MM:SS`.")


class ExamSessionIn(Schema):
    """A new session. The organiser is the caller's unit; a resit names its normal session
    and takes its streams, subjects, coefficients and mentions (its `subjects`, if sent, give
    its own sittings)."""

    level_code: str = Field(max_length=8)
    school_year: int = Field(ge=2000, le=2100)
    name_fr: str = Field(min_length=1, max_length=200)
    name_ar: str = Field(min_length=1, max_length=200)
    round: ExamRound = ExamRound.NORMAL
    normal_session_id: uuid.UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    resit_threshold: MarkValue | None = Field(
        default=None,
        description="General average from which a refused candidate sits the resit (none: no"
        " resit). The organiser sets it; there is no default.",
    )
    mentions: list[ExamMentionIn] | None = Field(
        default=None,
        description="Lowest first. Omitted: Passable, Assez bien, Bien, Très bien from half the"
        " scale upwards in steps of a tenth of the scale.",
    )
    stream_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=30,
        description="The level's streams the session examines: required for the bac (a 1BAC"
        " regional or 2BAC national session); a resit takes its normal session's.",
    )
    subjects: list[ExamSubjectIn] = Field(default_factory=list, max_length=120)

    @model_validator(mode="after")
    def _resit_names_its_normal(self) -> ExamSessionIn:
        if (self.round is ExamRound.RESIT) != (self.normal_session_id is not None):
            raise ValueError("a resit session names its normal session, and only a resit does")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("the session ends before it starts")
        return self


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """What a list of sessions is filtered by (query parameters): a school year, who organises
    them, a level."""

    school_year: Annotated[int | None, Query(ge=2000, le=2100)] = None
    kind: ExamKind | None = None
    level_code: Annotated[str | None, Query(max_length=8, examples=["2BAC"])] = None


class ExamSessionOut(Schema):
    id: uuid.UUID
    kind: ExamKind
    round: ExamRound
    normal_session_id: uuid.UUID | None
    state: ExamState
    school_year: int
    level_code: str
    name_fr: str
    name_ar: str
    school_id: uuid.UUID | None
    province_id: uuid.UUID | None
    academy_id: uuid.UUID | None
    starts_on: date | None
    ends_on: date | None
    resit_threshold: Decimal | None
    mentions: list[ExamMentionOut]
    publish_at: datetime | None
    stream_ids: list[uuid.UUID]
    subjects: list[ExamSubjectLine]


class ExamCandidateOut(Schema):
    """A candidate of a session: a pupil (with their Massar code) or an independent
    candidate (`independent_candidate_id`, no Massar code)."""

    candidate_number: str | None
    pupil_id: uuid.UUID | None
    independent_candidate_id: uuid.UUID | None = None
    massar_code: str | None
    last_name: str
    first_name: str
    last_name_ar: str
    first_name_ar: str
    birth_date: date
    school_id: uuid.UUID
    centre_id: uuid.UUID | None
    room: str | None
    stream_id: uuid.UUID | None = Field(description="The candidate's stream, at the bac.")


class ExamCentreIn(Schema):
    """Where a candidate sits: an exam centre (a school in the organiser's unit) and a room."""

    candidate_number: str = Field(max_length=20)
    centre_id: uuid.UUID
    room: str | None = Field(default=None, max_length=40)


class ExamMarkIn(Schema):
    """A candidate's mark in a subject, or their absence; neither clears the mark."""

    candidate_number: str = Field(max_length=20)
    mark: MarkValue | None = None
    absent: bool = False

    @model_validator(mode="after")
    def _absent_has_no_mark(self) -> ExamMarkIn:
        if self.absent and self.mark is not None:
            raise ValueError("a candidate marked absent has no mark")
        return self


class ExamSubjectMarkOut(Schema):
    subject_id: uuid.UUID
    mark: Decimal | None
    absent: bool


class CandidateResultOut(Schema):
    candidate_number: str | None
    pupil_id: uuid.UUID | None
    independent_candidate_id: uuid.UUID | None
    school_id: uuid.UUID
    stream_id: uuid.UUID | None = Field(description="The candidate's stream, at the bac.")
    exam_average: Decimal | None
    continuous_average: Decimal | None
    average: Decimal | None
    decision: ExamDecision | None
    mention_fr: str | None
    mention_ar: str | None
    subjects: list[ExamSubjectMarkOut]


class ExamMarksReport(Schema):
    subject_id: uuid.UUID
    written: int
    cleared: int


class ExamPublishIn(Schema):
    publish_at: datetime = Field(description="When the results become visible (with zone).")


class ExamAppealIn(Schema):
    """A re-marking request on one subject of a published result."""

    subject_id: uuid.UUID


class ExamAppealDecisionIn(Schema):
    """Accept with the re-marked mark, or reject with a reason."""

    decision: Literal["accept", "reject"]
    mark: MarkValue | None = Field(default=None, description="The new mark, to accept.")
    reason: str | None = Field(default=None, max_length=1000, description="Why, to reject.")

    @model_validator(mode="after")
    def _each_with_its_field(self) -> ExamAppealDecisionIn:
        if self.decision == "accept" and self.mark is None:
            raise ValueError("an accepted appeal gives the new mark")
        if self.decision == "reject" and not (self.reason and self.reason.strip()):
            raise ValueError("a rejected appeal says why")
        return self


class ExamAppealOut(Schema):
    id: uuid.UUID
    session_id: uuid.UUID
    candidate_number: str | None
    pupil_id: uuid.UUID
    subject_id: uuid.UUID
    status: AppealStatus
    old_mark: Decimal | None = Field(description="The mark appealed (none: absent).")
    new_mark: Decimal | None
    reason: str | None
    filed_by: uuid.UUID
    filed_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None


class ExamAppealFigures(Schema):
    filed: int
    pending: int
    accepted: int
    rejected: int
    marks_raised: int = Field(description="Accepted appeals whose new mark is above the old.")


class ExamCounts(Schema):
    """Candidates and their decisions; `pass_rate` is admitted / present (4 decimals, None
    when no one sat), decisions only in sessions that award a certificate."""

    candidates: int
    present: int
    admitted: int
    resit: int
    refused: int
    pass_rate: Decimal | None


class ExamGroupFigures(Schema):
    """The counts of one gender (`M`, `F`) or one stream (its code, '' without one)."""

    key: str
    counts: ExamCounts


class ExamUnitFigures(Schema):
    unit: UnitOut
    counts: ExamCounts


class ExamMentionCount(Schema):
    threshold: str
    fr: str
    ar: str
    admitted: int


class ExamFigures(Schema):
    """A deliberated session's figures over one unit, summed from the per-school summaries;
    every figure counts the results as of `as_of` (None: no candidate in the unit)."""

    session_id: uuid.UUID
    unit: UnitOut
    as_of: datetime | None
    counts: ExamCounts
    by_gender: list[ExamGroupFigures]
    by_stream: list[ExamGroupFigures]
    # The units one level down with candidates (academies, directorates or schools).
    by_unit: list[ExamUnitFigures]
    mentions: list[ExamMentionCount]
    mean: Decimal | None
    # The averages in 20 bins of equal width over the level's scale (the top mark in the last).
    histogram: list[int]
    bin_width: Decimal
