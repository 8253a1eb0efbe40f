"""What the academy sends and reads about independent candidates (candidats libres), and what
an independent candidate reads with their candidate number and birth date."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from app.academics.models import Gender
from app.academics.schemas import StreamRef, SubjectRef
from app.core.schemas import ClockTime, Schema
from app.exams.models import CorrectionStatus, ExamDecision, ExamRound
from app.exams.schemas import ExamSubjectMarkOut

# The national identity card (CNIE): one or two letters and up to eight digits.
NATIONAL_ID = r"^[A-Z]{1,2}[0-9]{1,8}$"


class CandidateIdentity(Schema):
    """The candidate record's civil part: what the candidate checks before the exams."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    first_name_ar: str = Field(min_length=1, max_length=100)
    last_name_ar: str = Field(min_length=1, max_length=100)
    birth_date: date
    birth_place: str = Field(min_length=1, max_length=100)
    birth_place_ar: str = Field(min_length=1, max_length=100)


class IndependentCandidateIn(CandidateIdentity):
    """A candidat libre registered by the academy on the bac sessions they sit (the ministry's
    2BAC national session, the academy's own 1BAC regional session), of one school year."""

    national_id: str = Field(pattern=NATIONAL_ID, description="The national identity card.")
    gender: Gender
    stream_id: uuid.UUID = Field(description="The 2BAC stream the candidate sits.")
    centre_id: uuid.UUID = Field(description="The exam centre: a school of the academy.")
    session_ids: list[uuid.UUID] = Field(min_length=1, max_length=2)


class CandidateRecord(Schema):
    """The record as it is read: the number, the year and the civil part."""

    candidate_number: str
    school_year: int
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    birth_date: date
    birth_place: str
    birth_place_ar: str


class IndependentCandidateOut(CandidateRecord):
    id: uuid.UUID
    national_id: str
    gender: Gender
    stream_id: uuid.UUID
    centre_id: uuid.UUID = Field(description="The exam centre, the school its rows are keyed by.")
    academy_id: uuid.UUID
    session_ids: list[uuid.UUID]


class CandidateCredentials(Schema):
    """How an independent candidate is recognised: no account, their number and birth date."""

    candidate_number: str = Field(min_length=1, max_length=20)
    birth_date: date


class CentreRef(Schema):
    code: str
    name_fr: str
    name_ar: str


class CandidateRecordOut(CandidateRecord):
    """The independent candidate's record, as they check it (tadkik)."""

    stream_code: str
    stream_fr: str
    stream_ar: str
    centre: CentreRef


class ConvocationSubject(Schema):
    """A subject the candidate sits (those of their stream) and its sitting."""

    subject: SubjectRef
    duration_minutes: int
    sits_on: date | None
    starts_at: ClockTime | None = Field(description="Local time (Africa/Casablanca), `HH:MM:SS`.")


class CandidateConvocationOut(Schema):
    """Where and when the candidate sits one session."""

    session_id: uuid.UUID
    name_fr: str
    name_ar: str
    round: ExamRound
    candidate_number: str
    starts_on: date | None
    ends_on: date | None
    centre: CentreRef
    room: str | None
    stream: StreamRef | None = Field(description="The candidate's stream in this session.")
    subjects: list[ConvocationSubject] = Field(description="By sitting, then subject code.")


class CandidateResultsOut(Schema):
    """One published session's result of the candidate."""

    session_id: uuid.UUID
    name_fr: str
    name_ar: str
    round: ExamRound
    published_at: datetime
    exam_average: Decimal | None
    average: Decimal | None
    decision: ExamDecision | None
    mention_fr: str | None
    mention_ar: str | None
    stream: StreamRef | None = Field(description="The candidate's stream in this session.")
    subjects: list[ExamSubjectMarkOut]


class RecordCorrectionIn(Schema):
    """The fields of the record that are wrong, with their right values (at least one)."""

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    first_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    last_name_ar: str | None = Field(default=None, min_length=1, max_length=100)
    birth_date: date | None = None
    birth_place: str | None = Field(default=None, min_length=1, max_length=100)
    birth_place_ar: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _asks_something(self) -> RecordCorrectionIn:
        if not self.model_dump(exclude_none=True):
            raise ValueError("a correction names at least one field")
        return self


class CandidateCorrectionIn(CandidateCredentials):
    """An independent candidate's correction, with their number and birth date."""

    correction: RecordCorrectionIn


class CorrectionDecisionIn(Schema):
    decision: Literal["accept", "refuse"]
    reason: str | None = Field(default=None, max_length=1000, description="Why, to refuse.")

    @model_validator(mode="after")
    def _refusal_says_why(self) -> CorrectionDecisionIn:
        if self.decision == "refuse" and not (self.reason and self.reason.strip()):
            raise ValueError("a refused correction says why")
        return self


class RecordCorrectionOut(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID | None
    independent_candidate_id: uuid.UUID | None
    changes: dict[str, str] = Field(description="The fields asked for, with their new values.")
    current: dict[str, str] = Field(description="The values when the candidate asked.")
    status: CorrectionStatus
    reason: str | None
    filed_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None


class PupilCandidateRecordOut(Schema):
    """A pupil's candidate record, as they check it before the exams (tadkik)."""

    massar_code: str
    first_name: str
    last_name: str
    first_name_ar: str
    last_name_ar: str
    birth_date: date
    birth_place: str | None
    birth_place_ar: str | None
    stream_code: str | None
    corrections: list[RecordCorrectionOut]
