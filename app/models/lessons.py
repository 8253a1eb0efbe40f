"""The lesson log (cahier de textes): what was taught, and the homework set."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, ForeignKeyConstraint, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamps, UUIDPrimaryKey


class Lesson(UUIDPrimaryKey, Timestamps, Base):
    """One entry of a class's lesson log for a subject."""

    __tablename__ = "lessons"
    __table_args__ = (
        ForeignKeyConstraint(["class_id", "school_id"], ["classes.id", "classes.school_id"]),
        Index("ix_lessons_class_subject_date", "class_id", "subject_id", "lesson_date"),
        Index("ix_lessons_homework_due", "class_id", "homework_due_on"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"), index=True)
    school_year: Mapped[int] = mapped_column(SmallInteger, ForeignKey("school_years.year"))
    class_id: Mapped[uuid.UUID]
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("subjects.id"), index=True)
    teacher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("curriculum_units.id"), index=True)
    lesson_date: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    homework_text: Mapped[str | None] = mapped_column(Text)
    homework_due_on: Mapped[date | None] = mapped_column(Date)
