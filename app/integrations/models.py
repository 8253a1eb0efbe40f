"""API clients: the service accounts of third-party integrators, each owned by a unit of the
tree (the ministry, an academy or a directorate) and limited to its scopes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    LargeBinary,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey
from app.core.ownership import OwnedByUnit, owner_unit_constraints

CLIENT_NAME_MAX = 120


class ApiClient(UUIDPrimaryKey, Timestamps, OwnedByUnit, Base):
    """An integrator's client. Its id is the OAuth2 `client_id`; its secret is kept only as a
    digest. A revoked client can no longer get a token, and its live tokens stop working."""

    __tablename__ = "api_clients"
    __table_args__ = (
        *owner_unit_constraints(),
        # Clients belong to the steering units: a school's data reaches an integrator only
        # through its directorate, academy or the ministry.
        CheckConstraint("owner_level <> 'school'", name="owned_above_schools"),
        CheckConstraint("cardinality(scopes) > 0", name="has_scopes"),
    )

    name: Mapped[str] = mapped_column(String(CLIENT_NAME_MAX))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    secret_digest: Mapped[bytes] = mapped_column(LargeBinary(32))
    secret_set_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
