"""Transfers between schools."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from app.models.enums import TransferStatus
from app.schemas.common import Schema


class TransferIn(Schema):
    pupil_id: uuid.UUID
    to_school_code: str = Field(min_length=5, max_length=12, examples=["25002B"])
    reason: str | None = Field(default=None, max_length=500)


class AcceptIn(Schema):
    class_id: uuid.UUID = Field(description="The receiving school's class for the pupil.")


class RefuseIn(Schema):
    reason: str = Field(min_length=3, max_length=500)


class TransferOut(Schema):
    id: uuid.UUID
    pupil_id: uuid.UUID
    massar_code: str
    pupil_name: str
    from_school_code: str
    to_school_code: str
    status: TransferStatus
    reason: str | None
    refusal_reason: str | None
    requested_at: datetime
    decided_at: datetime | None
