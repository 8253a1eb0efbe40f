"""Guardian links as the school sees them."""

from __future__ import annotations

import uuid
from datetime import datetime

from app.models.enums import Kinship
from app.schemas.common import Schema


class GuardianLinkOut(Schema):
    id: uuid.UUID
    parent_id: uuid.UUID
    parent_name: str
    parent_username: str
    pupil_id: uuid.UUID
    massar_code: str
    pupil_name: str
    kinship: Kinship
    verified_at: datetime | None
    created_at: datetime
