"""Class councils and their decisions, the rollover of a school into the next year, and
orientation: the wishes' window, the pupils' ranked wishes, the council's decided stream and
September's re-orientation requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import InSchoolYear
from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked


class Decision(StrEnum):
    """What a class council decides for a pupil at the end of the year."""

    PROMOTED = "promoted"  # to the next level
    REPEATS = "repeats"  # the same level again
    ORIENTED = "oriented"  # to the next level, in the stream the orientation decided
    REDIRECTED = "redirected"  # to vocational training: leaves general education
    LEFT = "left"  # left school


# Decisions that take the pupil out of next year's rosters.
LEAVING = frozenset({Decision.REDIRECTED, Decision.LEFT})


class Outcome(StrEnum):
    """What the rollover did with a pupil."""

    PLACED = "placed"  # in one of next year's classes
    UNPLACED = "unplaced"  # no class of their level (and stream) yet: the school places them
    WITHDRAWN = "withdrawn"  # redirected or left
    COMPLETED = "completed"  # promoted from the last level: the school years are done
    ALREADY_ENROLLED = "already_enrolled"  # next year's enrolment existed already


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ClassCouncil(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A class's end-of-year council; once the director validates it its decisions are locked
    and change only by an audited correction."""

    __tablename__ = "class_councils"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint("school_id", "class_id"),
        UniqueConstraint("id", "school_id"),
    )

    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    validated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class CouncilDecision(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """One pupil's decision in a class council, with the annual average it was taken on."""

    __tablename__ = "council_decisions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["council_id", "school_id"], ["class_councils.id", "class_councils.school_id"]
        ),
        UniqueConstraint("school_id", "school_year", "pupil_id"),
        CheckConstraint(
            "decision <> 'oriented' OR stream_id IS NOT NULL", name="oriented_has_stream"
        ),
        CheckConstraint("annual_average >= 0 AND annual_average <= 20", name="average_range"),
    )

    council_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    decision: Mapped[Decision] = mapped_column(checked(Decision, "decision"))
    # Next year's stream, for a promotion into a level that has streams.
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    annual_average: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    remarks: Mapped[str | None] = mapped_column(String(500))
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    corrected_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    correction_reason: Mapped[str | None] = mapped_column(String(500))


class Rollover(UUIDPrimaryKey, Timestamps, Base):
    """A school's passage from one year into the next, done once from validated decisions."""

    __tablename__ = "rollovers"
    __table_args__ = (
        UniqueConstraint("school_id", "from_year"),
        UniqueConstraint("id", "school_id"),
        CheckConstraint("to_year = from_year + 1", name="next_year"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    from_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    to_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    done_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class RolloverPupil(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """Where the rollover put a pupil in the next year (`school_year`): the record of who is
    still to be placed."""

    __tablename__ = "rollover_pupils"
    __table_args__ = (
        ForeignKeyConstraint(["rollover_id", "school_id"], ["rollovers.id", "rollovers.school_id"]),
        UniqueConstraint("school_id", "school_year", "pupil_id"),
        Index(
            "ix_rollover_pupils_unplaced",
            "school_id",
            "school_year",
            postgresql_where=text("outcome = 'unplaced'"),
        ),
    )

    rollover_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    decision: Mapped[Decision] = mapped_column(checked(Decision, "decision"))
    outcome: Mapped[Outcome] = mapped_column(checked(Outcome, "outcome"))
    level_code: Mapped[str | None] = mapped_column(ForeignKey("levels.code"))
    stream_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streams.id"), index=True)
    class_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("classes.id"), index=True)


class OrientationWindow(Timestamps, Base):
    """When, in a school year, pupils state their wishes (spring) and ask for a
    re-orientation (September of the next year). Set by the ministry."""

    __tablename__ = "orientation_windows"
    __table_args__ = (
        CheckConstraint("wishes_from <= wishes_until", name="wishes_ordered"),
        CheckConstraint("reorientation_from <= reorientation_until", name="reorientation_ordered"),
    )

    school_year: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("school_years.year", ondelete="CASCADE"), primary_key=True
    )
    wishes_from: Mapped[date]
    wishes_until: Mapped[date]
    reorientation_from: Mapped[date]
    reorientation_until: Mapped[date]


class OrientationWish(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A pupil's wish for next year's stream, ranked (1 is the first choice)."""

    __tablename__ = "orientation_wishes"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "pupil_id", "rank"),
        UniqueConstraint("school_id", "school_year", "pupil_id", "stream_id"),
        CheckConstraint("rank BETWEEN 1 AND 10", name="rank_range"),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    rank: Mapped[int] = mapped_column(SmallInteger)
    stream_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streams.id"), index=True)


class Orientation(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """The orientation council's decision: the stream a pupil goes to next year."""

    __tablename__ = "orientations"
    __table_args__ = (UniqueConstraint("school_id", "school_year", "pupil_id"),)

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    stream_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streams.id"), index=True)
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)


class Reorientation(UUIDPrimaryKey, Timestamps, InSchoolYear, Base):
    """A pupil's September request to change stream, decided by the school."""

    __tablename__ = "reorientations"
    __table_args__ = (
        # One open request per pupil at a time.
        Index(
            "uq_reorientations_pending_pupil",
            "pupil_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"), index=True)
    stream_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("streams.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[RequestStatus] = mapped_column(
        checked(RequestStatus, "status"),
        default=RequestStatus.PENDING,
        server_default="pending",
    )
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))


class CouncilSummary(Base):
    """Per school and year, the validated decisions counted: what steering's promotion,
    repetition and dropout rates sum. Rebuilt at each validation and correction, the only
    events that change validated decisions."""

    __tablename__ = "council_summaries"

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    school_year: Mapped[int] = mapped_column(
        SmallInteger, ForeignKey("school_years.year"), primary_key=True
    )
    decided: Mapped[int] = mapped_column(server_default="0")
    promoted: Mapped[int] = mapped_column(server_default="0")  # promoted and oriented
    repeats: Mapped[int] = mapped_column(server_default="0")
    redirected: Mapped[int] = mapped_column(server_default="0")
    left: Mapped[int] = mapped_column(server_default="0")
