"""Roll calls (one sheet per lesson, one mark per pupil) and parents' justifications of absences."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.academics.models import InSchoolYear
from app.core.db.base import (
    Base,
    InYearPartition,
    Timestamps,
    UUIDPrimaryKey,
    checked,
    part_of,
    year_partitioned,
)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"


class AttendanceSheet(InYearPartition, Timestamps, InSchoolYear, Base):
    """One lesson's roll call: a class, a subject, a date and a start time."""

    __tablename__ = "attendance_sheets"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        UniqueConstraint(
            "school_id", "class_id", "lesson_date", "starts_at", "subject_id", "school_year"
        ),
        UniqueConstraint("id", "school_id", "school_year"),
        *year_partitioned(),
    )

    class_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    lesson_date: Mapped[date]
    starts_at: Mapped[time] = mapped_column(Time)


class AttendanceMark(InYearPartition, Base):
    """A pupil's status in one lesson: present, absent, or late by some minutes."""

    __tablename__ = "attendance_marks"
    __table_args__ = (
        part_of("sheet_id", "attendance_sheets", same_year=True),
        UniqueConstraint("school_id", "sheet_id", "pupil_id", "school_year"),
        # Referenced with the school by the justifications that cover an absence.
        UniqueConstraint("id", "school_id", "school_year"),
        CheckConstraint("minutes_late IS NULL OR status = 'late'", name="minutes_only_when_late"),
        CheckConstraint("minutes_late IS NULL OR minutes_late BETWEEN 1 AND 240", name="minutes"),
        Index("ix_attendance_marks_pupil_year", "pupil_id", "school_year"),
        *year_partitioned(),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger)
    sheet_id: Mapped[uuid.UUID] = mapped_column(index=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"))
    status: Mapped[AttendanceStatus] = mapped_column(checked(AttendanceStatus, "status"))
    minutes_late: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


REASON_MAX = 1000
DOCUMENT_KEY_MAX = 100
DOCUMENT_TYPE_MAX = 64


class JustificationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Justification(UUIDPrimaryKey, Timestamps, Base):
    """A parent's reason (and, for illness, a document) for some absences of their child.

    `school_id` is the school that recorded the absences: its staff decide.
    """

    __tablename__ = "justifications"
    __table_args__ = (
        # Referenced by the covered absences with the status, which the database copies onto
        # them (ON UPDATE CASCADE) so that a partial unique index can see it.
        UniqueConstraint("id", "school_id", "status"),
        # The parent app's list: one child's justifications, newest first.
        Index("ix_justifications_pupil_id_created_at", "pupil_id", "created_at"),
        # The school's queue: one status, newest first, page after page.
        Index(
            "ix_justifications_school_id_status_created_at",
            "school_id",
            "status",
            text("created_at DESC"),
            text("id DESC"),
        ),
        CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL) "
            "AND (status = 'pending') = (decided_by IS NULL)",
            name="decided_unless_pending",
        ),
        CheckConstraint(
            "status <> 'rejected' OR decision_reason IS NOT NULL", name="reason_when_rejected"
        ),
        CheckConstraint(
            "(document_key IS NULL) = (document_type IS NULL) "
            "AND (document_key IS NULL) = (document_size IS NULL)",
            name="document_whole",
        ),
        CheckConstraint("document_size > 0", name="document_size"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    pupil_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pupils.id"))
    submitted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    status: Mapped[JustificationStatus] = mapped_column(
        checked(JustificationStatus, "status"), server_default=JustificationStatus.PENDING.value
    )
    decision_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Where the document sits in the document store: a key the server made, never a file name.
    document_key: Mapped[str | None] = mapped_column(String(DOCUMENT_KEY_MAX), unique=True)
    document_type: Mapped[str | None] = mapped_column(String(DOCUMENT_TYPE_MAX))
    document_size: Mapped[int | None] = mapped_column(Integer)


class JustifiedAbsence(Base):
    """One absence (an attendance mark) covered by a justification."""

    __tablename__ = "justified_absences"
    __table_args__ = (
        ForeignKeyConstraint(
            ["justification_id", "school_id", "status"],
            ["justifications.id", "justifications.school_id", "justifications.status"],
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        # A teacher who corrects a roll call may drop the mark: the justification keeps the rest.
        part_of("attendance_mark_id", "attendance_marks", same_year=True),
        # An absence is in at most one pending or accepted justification; after a rejection
        # the parent may justify it again.
        Index(
            "uq_justified_absences_open",
            "school_id",
            "attendance_mark_id",
            unique=True,
            postgresql_where=text("status <> 'rejected'"),
        ),
    )

    justification_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    attendance_mark_id: Mapped[uuid.UUID] = mapped_column(primary_key=True, index=True)
    school_id: Mapped[uuid.UUID]
    # The absence's year, in the key into the year-partitioned attendance marks.
    school_year: Mapped[int] = mapped_column(SmallInteger)
    # The justification's status, kept equal to it by the foreign key's ON UPDATE CASCADE.
    status: Mapped[JustificationStatus] = mapped_column(
        checked(JustificationStatus, "status"), server_default=JustificationStatus.PENDING.value
    )
