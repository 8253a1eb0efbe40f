"""A OneRoster collection as one statement: the rows of the caller's part of the tree with the
standard's fields as labelled columns, wrapped so the client's filter and sort apply inside
the scope, and a page read with its total in one round trip (`count(*) OVER ()`).

The live rows are `active`; the deleted tests, marks and enrolments join their collections'
statements as rows of `status = 'tobedeleted'` read from the deletion tombstones (a UNION ALL
beside the live rows, in the same scope), so the filter, the sort, the paging and the total
read them like any other row."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import NotFound
from app.integrations.callers import ApiCaller
from app.oneroster.query import (
    FieldType,
    Filterable,
    order_of,
    refuse_stale_delta,
    selection,
    where_of,
)

ROSTERING = "/ims/oneroster/rostering/v1p2"
GRADEBOOK = "/ims/oneroster/gradebook/v1p2"
# The status of a live row; `tobedeleted` is a tombstone's (see above).
ACTIVE = "active"
TOBEDELETED = "tobedeleted"


@dataclass(frozen=True, slots=True)
class Context:
    """What shaping a row needs: the caller, and the service's base URL for the `href`s."""

    caller: ApiCaller
    base_url: str

    def ref(self, path: str, sourced_id: Any, kind: str) -> dict[str, str]:
        """A GUIDRef: the object's URL, its sourcedId and its type."""
        return {
            "href": f"{self.base_url}{path}/{sourced_id}",
            "sourcedId": str(sourced_id),
            "type": kind,
        }


Shape = Callable[[Mapping[str, Any], Context], dict[str, Any]]
Within = Callable[[Subquery], ColumnElement[bool]]


@dataclass(frozen=True)
class Collection:
    """One of the standard's collections: its wrapper names, its statement, the fields a
    client may filter and sort on, how a row becomes the standard's shape, and how a
    sourcedId finds one row on an index."""

    plural: str
    singular: str
    statement: Callable[[ApiCaller], Select[Any]]
    filterable: Mapping[str, FieldType]
    shape: Shape
    fields: frozenset[str]
    lookup: Callable[[Subquery, str], ColumnElement[bool] | None] = field(
        default=lambda q, sourced_id: by_uuid(q, sourced_id)
    )
    # The default order, unique: the tables' keys where they have them, so that a page is read
    # along their index rather than sorting the whole scope by text.
    order: tuple[str, ...] = ("_id",)


def by_uuid(q: Subquery, sourced_id: str) -> ColumnElement[bool] | None:
    """The row whose `_id` is this UUID (an index lookup); None when it is no UUID."""
    try:
        return q.c._id == uuid.UUID(sourced_id)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ListParams:
    limit: int
    offset: int
    sort: str | None
    order_by: str | None
    filter: str | None
    fields: str | None


@dataclass(frozen=True, slots=True)
class Listing:
    items: list[dict[str, Any]]
    total: int


async def read_list(
    session: AsyncSession,
    collection: Collection,
    context: Context,
    params: ListParams,
    within: Within | None = None,
) -> Listing:
    """One page of the collection in the caller's scope, filtered and sorted as asked."""
    chosen = selection(params.fields, collection.fields)
    refuse_stale_delta(params.filter)
    q = collection.statement(context.caller).subquery()
    fields = {name: Filterable(q.c[name], kind) for name, kind in collection.filterable.items()}
    statement = select(q, func.count().over().label("_total"))
    condition = where_of(params.filter, fields)
    if condition is not None:
        statement = statement.where(condition)
    if within is not None:
        statement = statement.where(within(q))
    order = order_of(params.sort, params.order_by, fields)
    keys = [*([order] if order is not None else []), *(q.c[name] for name in collection.order)]
    statement = statement.order_by(*keys).limit(params.limit).offset(params.offset)
    rows = (await session.execute(statement)).mappings().all()
    total = rows[0]["_total"] if rows else await _count(session, statement)
    return Listing([_chosen(collection.shape(dict(row), context), chosen) for row in rows], total)


async def _count(session: AsyncSession, statement: Select[Any]) -> int:
    """The total when the page is past the end (no row carried it)."""
    counted = statement.limit(None).offset(None).order_by(None).subquery()
    return int(await session.scalar(select(func.count()).select_from(counted)) or 0)


async def read_one(
    session: AsyncSession,
    collection: Collection,
    context: Context,
    sourced_id: str,
    fields: str | None = None,
) -> dict[str, Any]:
    """The object of this sourcedId in the caller's scope; 404 for any other."""
    chosen = selection(fields, collection.fields)
    row = await find_row(session, collection, context.caller, sourced_id)
    return _chosen(collection.shape(row, context), chosen)


async def find_row(
    session: AsyncSession, collection: Collection, caller: ApiCaller, sourced_id: str
) -> Mapping[str, Any]:
    q = collection.statement(caller).subquery()
    condition = collection.lookup(q, sourced_id)
    if condition is None:
        raise NotFound()
    row = (await session.execute(select(q).where(condition).limit(1))).mappings().first()
    if row is None:
        raise NotFound()
    return dict(row)


def _chosen(item: dict[str, Any], chosen: list[str] | None) -> dict[str, Any]:
    return item if chosen is None else {name: item.get(name) for name in chosen}


# ---- values in the standard's formats ------------------------------------------------------


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC, to the millisecond, with `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def base(row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields every object carries."""
    return {
        "sourcedId": row["sourcedId"],
        "status": row["status"],
        "dateLastModified": timestamp(row["dateLastModified"]),
    }


BASE_FILTERS: dict[str, FieldType] = {
    "sourcedId": FieldType.TEXT,
    "status": FieldType.TEXT,
    "dateLastModified": FieldType.DATETIME,
}
