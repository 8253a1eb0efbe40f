"""The lesson log (cahier de textes) and syllabus progress."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field, model_validator

from app.schemas.common import Schema


class HomeworkIn(Schema):
    text: str = Field(min_length=1, max_length=4000)
    due_date: date


class LessonIn(Schema):
    subject_id: uuid.UUID
    date: date
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=20_000)
    unit_id: uuid.UUID | None = Field(
        default=None, description="The curriculum unit this lesson covers, for progress."
    )
    homework: HomeworkIn | None = None

    @model_validator(mode="after")
    def _homework_after_lesson(self) -> LessonIn:
        if self.homework and self.homework.due_date < self.date:
            raise ValueError("homework cannot be due before the lesson")
        return self


class HomeworkOut(Schema):
    text: str
    due_date: date


class LessonOut(Schema):
    id: uuid.UUID
    class_id: uuid.UUID
    subject_id: uuid.UUID
    unit_id: uuid.UUID | None
    date: date
    title: str
    content: str
    homework: HomeworkOut | None
    updated_at: datetime


class UnitProgress(Schema):
    unit_id: uuid.UUID
    rank: int
    title_fr: str
    title_ar: str
    lessons: int
    last_taught_on: date | None


class Progress(Schema):
    class_id: uuid.UUID
    subject_id: uuid.UUID
    level_code: str
    units_planned: int
    units_covered: int
    lessons_logged: int
    lessons_without_unit: int
    units: list[UnitProgress]
