"""Didactic equipment (matériel didactique): the national catalogue, each school's inventory, the
movements that change it, and the schools' requests to their directorate.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db.base import Base, Timestamps, UUIDPrimaryKey, checked

CODE_MAX = 32
NAME_MAX = 200
UNIT_MAX = 32
LOCATION_MAX = 100
NOTE_MAX = 500
COMMENT_MAX = 1000


class EquipmentCondition(StrEnum):
    """État du matériel."""

    NEW = "new"
    GOOD = "good"
    WORN = "worn"
    BROKEN = "broken"


class MovementKind(StrEnum):
    """Entrée (received), déplacement (moved), casse (broken), réforme (written_off)."""

    RECEIVED = "received"
    MOVED = "moved"
    BROKEN = "broken"
    WRITTEN_OFF = "written_off"


class EquipmentRequestStatus(StrEnum):
    SUBMITTED = "submitted"
    ALLOCATED = "allocated"
    REFUSED = "refused"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class EquipmentCategory(UUIDPrimaryKey, Timestamps, Base):
    """A family of the national catalogue (verrerie de laboratoire, informatique, sport...)."""

    __tablename__ = "equipment_categories"

    code: Mapped[str] = mapped_column(String(CODE_MAX), unique=True)
    name_fr: Mapped[str] = mapped_column(String(NAME_MAX))
    name_ar: Mapped[str] = mapped_column(String(NAME_MAX))


class EquipmentItem(UUIDPrimaryKey, Timestamps, Base):
    """An article of the national catalogue, counted in its unit (pièce, boîte, kit...)."""

    __tablename__ = "equipment_items"

    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("equipment_categories.id"), index=True
    )
    code: Mapped[str] = mapped_column(String(CODE_MAX), unique=True)
    name_fr: Mapped[str] = mapped_column(String(NAME_MAX))
    name_ar: Mapped[str] = mapped_column(String(NAME_MAX))
    unit: Mapped[str] = mapped_column(String(UNIT_MAX))
    # Null for the reference list loaded by the migration.
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class InventoryLine(UUIDPrimaryKey, Timestamps, Base):
    """How many of one article a school holds in one condition at one place. Changed only by
    movements; a line that reaches zero stays, so the history can still point at it."""

    __tablename__ = "equipment_inventory"
    __table_args__ = (
        UniqueConstraint("school_id", "item_id", "condition", "location"),
        # Referenced by movements with their school and article, so neither can disagree.
        UniqueConstraint("id", "school_id", "item_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("length(trim(location)) > 0", name="location_not_blank"),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("equipment_items.id"), index=True)
    condition: Mapped[EquipmentCondition] = mapped_column(checked(EquipmentCondition, "condition"))
    location: Mapped[str] = mapped_column(String(LOCATION_MAX))
    acquired_on: Mapped[date | None] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)


class EquipmentRequest(UUIDPrimaryKey, Timestamps, Base):
    """A school's request to its directorate (demande de matériel)."""

    __tablename__ = "equipment_requests"
    __table_args__ = (
        UniqueConstraint("id", "school_id"),
        # The school's list and the steering list: newest first, by status.
        Index("ix_equipment_requests_school_id_submitted_at", "school_id", "submitted_at", "id"),
        Index("ix_equipment_requests_status_submitted_at", "status", "submitted_at", "id"),
        CheckConstraint(
            "(status IN ('submitted', 'cancelled')) = (decided_at IS NULL)",
            name="decided_unless_submitted_or_cancelled",
        ),
        CheckConstraint(
            "(status = 'delivered') = (delivered_at IS NOT NULL)", name="delivered_when_delivered"
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    status: Mapped[EquipmentRequestStatus] = mapped_column(
        checked(EquipmentRequestStatus, "status"),
        default=EquipmentRequestStatus.SUBMITTED,
        server_default="submitted",
    )
    note: Mapped[str | None] = mapped_column(String(COMMENT_MAX))
    submitted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(String(COMMENT_MAX))
    delivered_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EquipmentRequestLine(UUIDPrimaryKey, Base):
    """One article asked for, and what the directorate allocated (at most what was asked)."""

    __tablename__ = "equipment_request_lines"
    __table_args__ = (
        UniqueConstraint("school_id", "request_id", "item_id"),
        ForeignKeyConstraint(
            ["request_id", "school_id"],
            ["equipment_requests.id", "equipment_requests.school_id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "allocated_quantity IS NULL OR allocated_quantity BETWEEN 0 AND quantity",
            name="allocated_within_requested",
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    request_id: Mapped[uuid.UUID] = mapped_column(index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("equipment_items.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    allocated_quantity: Mapped[int | None] = mapped_column(Integer)


class EquipmentMovement(UUIDPrimaryKey, Base):
    """One change of a school's inventory, applied in the same transaction: an entry adds to
    a line, a write-off takes from one, a move or a breakage takes from one and adds to
    another. The composite keys keep the lines in the movement's school and article."""

    __tablename__ = "equipment_movements"
    __table_args__ = (
        ForeignKeyConstraint(
            ["from_line_id", "school_id", "item_id"],
            [
                "equipment_inventory.id",
                "equipment_inventory.school_id",
                "equipment_inventory.item_id",
            ],
        ),
        ForeignKeyConstraint(
            ["to_line_id", "school_id", "item_id"],
            [
                "equipment_inventory.id",
                "equipment_inventory.school_id",
                "equipment_inventory.item_id",
            ],
        ),
        ForeignKeyConstraint(
            ["request_id", "school_id"], ["equipment_requests.id", "equipment_requests.school_id"]
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "(kind = 'received' AND from_line_id IS NULL AND to_line_id IS NOT NULL)"
            " OR (kind IN ('moved', 'broken') AND from_line_id IS NOT NULL"
            " AND to_line_id IS NOT NULL AND from_line_id <> to_line_id)"
            " OR (kind = 'written_off' AND from_line_id IS NOT NULL AND to_line_id IS NULL)",
            name="lines_match_kind",
        ),
        # The school's history: newest first, page after page.
        Index(
            "ix_equipment_movements_school_id_occurred_on",
            "school_id",
            text("occurred_on DESC"),
            text("created_at DESC"),
            text("id DESC"),
        ),
    )

    school_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("schools.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("equipment_items.id"), index=True)
    kind: Mapped[MovementKind] = mapped_column(checked(MovementKind, "kind"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    from_line_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    to_line_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    recorded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
