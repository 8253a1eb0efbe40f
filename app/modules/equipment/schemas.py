"""Didactic equipment: the catalogue, a school's inventory and movements, requests to the
directorate, shortages and the steering figure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Query
from pydantic import ConfigDict, Field, StringConstraints

from app.core.params import on_the_loop
from app.core.schemas import Schema, SchoolRef
from app.modules.equipment.models import (
    CODE_MAX,
    COMMENT_MAX,
    LOCATION_MAX,
    NAME_MAX,
    NOTE_MAX,
    UNIT_MAX,
    EquipmentCondition,
    EquipmentRequestStatus,
    MovementKind,
)

MAX_REQUEST_LINES = 100
MAX_QUANTITY = 100_000


Location = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LOCATION_MAX),
    Field(examples=["Laboratoire SVT 1"]),
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NOTE_MAX)]
Comment = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=COMMENT_MAX)
]
Quantity = Annotated[int, Field(gt=0, le=MAX_QUANTITY)]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


# ---- catalogue ------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str


class CatalogueItemIn(_In):
    category_id: uuid.UUID
    code: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9-]+$", max_length=CODE_MAX
        ),
        Field(examples=["INFO-VP-LED"]),
    ]
    name_fr: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)
    ]
    name_ar: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)
    ]
    unit: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=UNIT_MAX),
        Field(examples=["pièce", "boîte", "kit"]),
    ]


class CatalogueItemOut(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    unit: str
    category: CategoryOut


class ItemRef(Schema):
    id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    unit: str


# ---- inventory and movements ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InventoryFilter:
    """What a school's inventory list is filtered by (query parameters); lines at zero only
    with `include_empty`."""

    item_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    condition: EquipmentCondition | None = None
    location: Annotated[str | None, Query(max_length=100)] = None
    include_empty: bool = False


@dataclass(frozen=True, slots=True)
class MovementFilter:
    """What a school's movement history is filtered by (query parameters): an article, a
    kind, the days `from` and `to` (inclusive)."""

    item_id: uuid.UUID | None = None
    kind: MovementKind | None = None
    from_date: Annotated[date | None, Query(alias="from")] = None
    to_date: Annotated[date | None, Query(alias="to")] = None


Inventory = Annotated[InventoryFilter, Depends(on_the_loop(InventoryFilter))]
Movements = Annotated[MovementFilter, Depends(on_the_loop(MovementFilter))]


class InventoryLineOut(Schema):
    """A line of the school's inventory (stays at zero once emptied, for the history)."""

    id: uuid.UUID
    item: ItemRef
    condition: EquipmentCondition
    location: str
    acquired_on: date | None
    quantity: int
    updated_at: datetime


class MovementIn(_In):
    """One movement. `received`: `item_id`, `location`, `condition` (default new) and
    `acquired_on` (default `occurred_on`). `moved`: `line_id` and the new `location`.
    `broken`: `line_id` (not already broken); the pieces go to the broken line at the same
    place. `written_off`: `line_id` (réforme: they leave the inventory)."""

    kind: MovementKind
    quantity: Quantity
    item_id: uuid.UUID | None = None
    line_id: uuid.UUID | None = None
    location: Location | None = None
    condition: EquipmentCondition | None = None
    acquired_on: date | None = None
    occurred_on: date | None = Field(default=None, description="Default: today.")
    note: Note | None = None


class LinePlace(Schema):
    line_id: uuid.UUID
    condition: EquipmentCondition
    location: str


class MovementOut(Schema):
    id: uuid.UUID
    kind: MovementKind
    item: ItemRef
    quantity: int
    source: LinePlace | None = Field(description="The line taken from (null for an entry).")
    target: LinePlace | None = Field(description="The line added to (null for a write-off).")
    request_id: uuid.UUID | None
    occurred_on: date
    note: str | None
    recorded_by: uuid.UUID
    recorded_at: datetime


# ---- requests -------------------------------------------------------------------------------


class RequestLineIn(_In):
    item_id: uuid.UUID
    quantity: Quantity
    reason: Note | None = None


class RequestIn(_In):
    lines: list[RequestLineIn] = Field(min_length=1, max_length=MAX_REQUEST_LINES)
    note: Comment | None = None


class AllocationLineIn(_In):
    line_id: uuid.UUID
    allocated_quantity: Annotated[int, Field(ge=0, le=MAX_QUANTITY)]


class AllocateIn(_In):
    """Every line of the request, with what the directorate gives (at most what was asked)."""

    lines: list[AllocationLineIn] = Field(min_length=1, max_length=MAX_REQUEST_LINES)
    comment: Comment | None = None


class EquipmentRequestRefusal(_In):
    comment: Comment


class DeliverIn(_In):
    location: Location = Field(
        default="Magasin", description="Where the delivered articles are stored."
    )
    delivered_on: date | None = Field(default=None, description="Default: today.")


class RequestLineOut(Schema):
    id: uuid.UUID
    item: ItemRef
    quantity: int
    reason: str | None
    allocated_quantity: int | None


class RequestOut(Schema):
    id: uuid.UUID
    school: SchoolRef
    status: EquipmentRequestStatus
    note: str | None
    submitted_by: uuid.UUID
    submitted_at: datetime
    decided_at: datetime | None
    decision_comment: str | None
    delivered_at: datetime | None
    lines: list[RequestLineOut]
    actions: list[str] = Field(description="What the caller may do now, for the app's buttons.")


# ---- steering -------------------------------------------------------------------------------


class ShortageRow(Schema):
    """A directorate (or a school, for a directorate's staff) and its requests of the period:
    quantities asked (every request but cancelled ones), allocated (allocated or delivered
    requests), delivered, and requests still open (submitted or allocated)."""

    unit_id: uuid.UUID
    code: str
    name_fr: str
    name_ar: str
    requested: int
    allocated: int
    delivered: int
    open_requests: int


class EquipmentFigures(Schema):
    """Inventory quantities by condition, open requests, and this school year's quantities
    requested (cancelled requests aside) and delivered."""

    new_or_good: int
    worn: int
    broken: int
    open_requests: int
    requested_this_year: int
    delivered_this_year: int
