"""School announcements."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, model_validator

from app.models.enums import Audience
from app.schemas.common import Schema


class AnnouncementIn(Schema):
    audience: Audience
    level_code: str | None = Field(default=None, description="For audience `level`.")
    class_id: uuid.UUID | None = Field(default=None, description="For audience `class`.")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _target_matches_audience(self) -> AnnouncementIn:
        if (self.audience is Audience.LEVEL) != (self.level_code is not None):
            raise ValueError("level_code is given for, and only for, audience `level`")
        if (self.audience is Audience.CLASS) != (self.class_id is not None):
            raise ValueError("class_id is given for, and only for, audience `class`")
        return self


class AnnouncementOut(Schema):
    id: uuid.UUID
    audience: Audience
    level_code: str | None
    class_id: uuid.UUID | None
    title: str
    body: str
    published_at: datetime
