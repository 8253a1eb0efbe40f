"""Exam sessions (local, provincial, regional, national), their candidates and their results,
hidden until published."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    Sequence,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import Gender
from app.core.db.base import (
    Base,
    InYearPartition,
    Timestamps,
    UUIDPrimaryKey,
    checked,
    part_of,
    year_partitioned,
)

# Candidate numbers: the year's two digits, then the rank drawn from a sequence, so two
# generations at once (two sessions, two academies) never draw the same one. The schools'
# candidates have nine digits; the independent candidates ten, a 9 after the year.
RANKS = 9_999_999
CANDIDATE_NUMBERS = Sequence(
    "exam_candidate_numbers", minvalue=1, maxvalue=RANKS, cycle=True, metadata=Base.metadata
)
INDEPENDENT_NUMBERS = Sequence(
    "independent_candidate_numbers",
    minvalue=1,
    maxvalue=RANKS,
    cycle=True,
    metadata=Base.metadata,
)


class ExamKind(StrEnum):
    """Who organises the session: the school, the directorate, the academy or the ministry."""

    LOCAL = "local"
    PROVINCIAL = "provincial"
    REGIONAL = "regional"
    NATIONAL = "national"


class ExamRound(StrEnum):
    """The normal session (June) or the resit (July), for those the normal one sent to it."""

    NORMAL = "normal"
    RESIT = "resit"


class ExamState(StrEnum):
    """A session's life: built, its candidates listed, marked, deliberated, published."""

    DRAFT = "draft"
    CANDIDATES = "candidates"
    MARKING = "marking"
    DELIBERATED = "deliberated"
    PUBLISHED = "published"


class ExamDecision(StrEnum):
    ADMITTED = "admitted"
    NOT_ADMITTED = "not_admitted"  # refused
    RESIT = "resit"


class ExamSession(UUIDPrimaryKey, Timestamps, Base):
    """An exam of one level and year, organised by a school (local), an academy (regional) or
    the ministry (national). Its results stay hidden until `publish_at`."""

    __tablename__ = "exam_sessions"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'local' AND school_id IS NOT NULL)"
            " OR (kind = 'provincial' AND province_id IS NOT NULL AND school_id IS NULL)"
            " OR (kind = 'regional' AND academy_id IS NOT NULL AND school_id IS NULL"
            " AND province_id IS NULL)"
            " OR (kind = 'national' AND academy_id IS NULL AND school_id IS NULL"
            " AND province_id IS NULL)",
            name="organiser_matches_kind",
        ),
        CheckConstraint(
            "(round = 'resit') = (normal_session_id IS NOT NULL)", name="resit_has_its_normal"
        ),
        # The worker's question each cycle: which published sessions are not announced yet?
        Index(
            "ix_exam_sessions_to_announce",
            "publish_at",
            postgresql_where=text("announced_at IS NULL"),
        ),
    )

    kind: Mapped[ExamKind] = mapped_column(checked(ExamKind, "kind"))
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    level_code: Mapped[str] = mapped_column(ForeignKey("levels.code"), index=True)
    name_fr: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str] = mapped_column(String(200))
    school_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("schools.id"), index=True)
    province_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("provinces.id"), index=True)
    academy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academies.id"), index=True)
    round: Mapped[ExamRound] = mapped_column(
        checked(ExamRound, "round"), server_default=ExamRound.NORMAL.value
    )
    # A resit session's normal session: its candidates and its marks (the better-of rule).
    normal_session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("exam_sessions.id"), index=True
    )
    state: Mapped[ExamState] = mapped_column(
        checked(ExamState, "state"), server_default=ExamState.DRAFT.value
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # The general average from which a candidate refused at the normal session may sit the
    # resit; set by the organiser (no resit when absent).
    resit_threshold: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    # The mentions, lowest first: [{"threshold": "10", "fr": "Passable", "ar": "مقبول"}, ...].
    mentions: Mapped[list[dict[str, str]]] = mapped_column(JSONB, server_default="[]")
    publish_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When pupils and parents were told the results are out (by the worker, once).
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ExamSessionStream(Base):
    """A stream (filière) a bac session examines: its candidates are the pupils of the
    level's classes of these streams, and its subjects' coefficients are per stream."""

    __tablename__ = "exam_session_streams"

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exam_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    stream_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streams.id"), primary_key=True, index=True
    )


class ExamSessionSubject(UUIDPrimaryKey, Base):
    """A subject of a session for one of its streams (or, `stream_id` NULL, for every
    candidate): its coefficient in the exam average, its sitting (day, start, duration)."""

    __tablename__ = "exam_session_subjects"
    __table_args__ = (
        UniqueConstraint(
            "session_id", "subject_id", "stream_id", postgresql_nulls_not_distinct=True
        ),
        CheckConstraint("coefficient > 0", name="coefficient_positive"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("(sits_on IS NULL) = (starts_at IS NULL)", name="sitting_day_and_hour"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    coefficient: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    # The sitting: its day (within the session's dates) and its local start time.
    sits_on: Mapped[date | None] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)


class IndependentCandidate(UUIDPrimaryKey, Timestamps, Base):
    """A candidat libre: registered for the bac of one year by an academy, with no school, no
    continuous assessment and no pupil account. `school_id` is the exam centre (a school of
    the academy), so the candidate's exam rows are keyed by a school like every exam row.

    The candidate reads their record, convocation and results with `candidate_number` and
    `birth_date`; the number is theirs in every session they sit (a series of its own, ten
    digits, that the schools' candidates, nine digits, never reach)."""

    __tablename__ = "independent_candidates"
    __table_args__ = (
        UniqueConstraint("id", "school_id"),
        # One registration a year per identity card.
        UniqueConstraint("school_year", "national_id"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    academy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academies.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    candidate_number: Mapped[str] = mapped_column(String(20), unique=True)
    national_id: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name_ar: Mapped[str] = mapped_column(String(100))
    last_name_ar: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str] = mapped_column(String(100))
    birth_place_ar: Mapped[str] = mapped_column(String(100))
    gender: Mapped[Gender] = mapped_column(checked(Gender, "gender"))
    stream_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streams.id"), index=True)


class ExamResult(InYearPartition, Timestamps, Base):
    """A candidate in a session and their result: a pupil, or an independent candidate.
    `school_id` is the school the pupil sat it from, or the independent candidate's exam
    centre. `average` is the certificate's general average, `exam_average` the session's own.

    The 0–20 checks are the widest scale; the level's own scale (`levels.max_mark`) is
    checked where marks come in and averages are computed."""

    __tablename__ = "exam_results"
    __table_args__ = (
        UniqueConstraint("school_id", "session_id", "pupil_id", "school_year"),
        UniqueConstraint("school_id", "session_id", "independent_candidate_id", "school_year"),
        UniqueConstraint("id", "school_id", "school_year"),
        CheckConstraint(
            "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)", name="one_candidate"
        ),
        ForeignKeyConstraint(
            ["independent_candidate_id", "school_id"],
            ["independent_candidates.id", "independent_candidates.school_id"],
        ),
        UniqueConstraint("session_id", "candidate_number", "school_year"),
        CheckConstraint("average >= 0 AND average <= 20", name="out_of_20"),
        CheckConstraint("exam_average >= 0 AND exam_average <= 20", name="exam_out_of_20"),
        CheckConstraint(
            "continuous_average >= 0 AND continuous_average <= 20", name="continuous_out_of_20"
        ),
        Index("ix_exam_results_pupil", "pupil_id"),
        *year_partitioned(),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    # The session's year: exam results are partitioned by it.
    school_year: Mapped[int] = mapped_column(SmallInteger)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pupils.id"))
    independent_candidate_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    candidate_number: Mapped[str | None] = mapped_column(String(20))
    # The exam centre (a school) and the room the candidate sits in.
    centre_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("schools.id"), index=True)
    room: Mapped[str | None] = mapped_column(String(40))
    # The candidate's stream when the session has streams: their subjects and coefficients.
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    exam_average: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    continuous_average: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    average: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    decision: Mapped[ExamDecision | None] = mapped_column(checked(ExamDecision, "decision"))
    mention_fr: Mapped[str | None] = mapped_column(String(40))
    mention_ar: Mapped[str | None] = mapped_column(String(40))


class ExamSubjectResult(InYearPartition, Timestamps, Base):
    """A pupil's mark in one subject of an exam."""

    __tablename__ = "exam_subject_results"
    __table_args__ = (
        part_of("result_id", "exam_results", same_year=True),
        UniqueConstraint("school_id", "result_id", "subject_id", "school_year"),
        CheckConstraint("mark >= 0 AND mark <= 20", name="out_of_20"),
        *year_partitioned(),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    result_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    absent: Mapped[bool] = mapped_column(default=False, server_default="false")


class PublishedExamResults(Base):
    """A pupil's published exam results, newest first: the JSON the pupil and parent apps
    read, rendered when a session's results are published.

    `valid_until` is the publication time of the pupil's next result still hidden: from then
    on the document is out of date and the read computes the results afresh until the
    publication rebuilds it. `version` never repeats and serves as the strong ETag."""

    __tablename__ = "published_exam_results"

    pupil_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), primary_key=True
    )
    # The pupil's school when the document was built.
    school_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("schools.id"), primary_key=True, index=True
    )
    version: Mapped[int] = mapped_column(BigInteger)
    document: Mapped[str] = mapped_column(Text)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


EXAM_HISTOGRAM_BINS = 20


class ExamSchoolSummary(Base):
    """A deliberated session's figures for one school (the pupils' school, or an independent
    candidate's centre), by gender and stream: rewritten at deliberation and at an accepted
    appeal, in their transaction (`app.exams.figures`), so that a directorate, an
    academy or the ministry sums school rows and never reads a result."""

    __tablename__ = "exam_school_summaries"
    __table_args__ = (
        CheckConstraint(
            f"cardinality(histogram) = {EXAM_HISTOGRAM_BINS}", name="histogram_has_every_bin"
        ),
        CheckConstraint("gender IN ('M', 'F')", name="gender_known"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exam_sessions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    # The stream's code, '' for a level without streams.
    stream_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    candidates: Mapped[int] = mapped_column(Integer)
    # Sat at least one subject.
    present: Mapped[int] = mapped_column(Integer)
    admitted: Mapped[int] = mapped_column(Integer)
    resit: Mapped[int] = mapped_column(Integer)
    refused: Mapped[int] = mapped_column(Integer)
    # The candidates with an average and their sum: the mean is total / averaged.
    averaged: Mapped[int] = mapped_column(Integer)
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # The averages in twentieths of the level's scale (the top mark in the last bin).
    histogram: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    # The admitted per mention, in the order of the session's mentions (lowest first).
    mentions: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AppealStatus(StrEnum):
    """A re-marking request: filed by the pupil or a parent, then accepted or rejected."""

    FILED = "filed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ExamAppeal(UUIDPrimaryKey, Timestamps, Base):
    """An appeal on one subject mark of a published result, once per subject. An accepted
    appeal is the mark's correction: the old and new marks, who decided and when."""

    __tablename__ = "exam_appeals"
    __table_args__ = (
        part_of("result_id", "exam_results", same_year=True),
        UniqueConstraint("result_id", "subject_id"),
        CheckConstraint("old_mark >= 0 AND old_mark <= 20", name="old_out_of_20"),
        CheckConstraint("new_mark >= 0 AND new_mark <= 20", name="new_out_of_20"),
        CheckConstraint(
            "(status = 'accepted') = (new_mark IS NOT NULL)", name="accepted_has_new_mark"
        ),
        CheckConstraint("status <> 'rejected' OR reason IS NOT NULL", name="rejected_says_why"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    result_id: Mapped[uuid.UUID] = mapped_column(index=True)
    # The result's year, in the key into the year-partitioned exam results.
    school_year: Mapped[int] = mapped_column(SmallInteger)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    filed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[AppealStatus] = mapped_column(
        checked(AppealStatus, "status"), server_default=AppealStatus.FILED.value
    )
    # The mark when the appeal was filed (None: absent), and the mark the re-marking gave.
    old_mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    new_mark: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CorrectionStatus(StrEnum):
    """A candidate's request to correct their record: asked, then accepted or refused."""

    FILED = "filed"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class CandidateRecordCorrection(UUIDPrimaryKey, Timestamps, Base):
    """Tadkik: a candidate checking their record before the exams asks for a correction (the
    fields and their right values); the organiser (the pupil's school, the independent
    candidate's academy) accepts it, and the record changes, or refuses it with a reason.
    `current` keeps the values the candidate saw."""

    __tablename__ = "candidate_record_corrections"
    __table_args__ = (
        CheckConstraint(
            "(pupil_id IS NULL) <> (independent_candidate_id IS NULL)", name="one_candidate"
        ),
        CheckConstraint("status <> 'refused' OR reason IS NOT NULL", name="refused_says_why"),
        ForeignKeyConstraint(
            ["independent_candidate_id", "school_id"],
            ["independent_candidates.id", "independent_candidates.school_id"],
            ondelete="CASCADE",
        ),
    )

    # The pupil's school when they asked (the school settles it), or the exam centre.
    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pupils.id", ondelete="CASCADE"), index=True
    )
    independent_candidate_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    changes: Mapped[dict[str, str]] = mapped_column(JSONB)
    current: Mapped[dict[str, str]] = mapped_column(JSONB)
    status: Mapped[CorrectionStatus] = mapped_column(
        checked(CorrectionStatus, "status"), server_default=CorrectionStatus.FILED.value
    )
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
