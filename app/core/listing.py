"""Reading what a request asks for: one page of any list (equality filters that apply only
when given, and keyset pagination on the list's own sort keys, or for the apps' newest-first
lists on a timestamp and an id: every list filters and pages this one way, with no OFFSET
scans however deep the page), or the one record it names (404 when there is none)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.core.pagination import PageRequest, encode_cursor, split_page
from app.core.schemas import Page
from app.errors import NotFound, ProblemError

_Ts = TypeVarTuple("_Ts")
_Item = TypeVar("_Item")
_Found = TypeVar("_Found")
Column = InstrumentedAttribute[Any] | ColumnElement[Any]

# How a cursor's JSON value is read back into the sort key's Python type.
_READERS: dict[type, Callable[[Any], Any]] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    uuid.UUID: uuid.UUID,
    Decimal: Decimal,
}


def where_given(statement: Select[*_Ts], filters: Mapping[Column, Any]) -> Select[*_Ts]:
    """Add `column = value` for each filter the caller gave (None: not filtered)."""
    for column, value in filters.items():
        if value is not None:
            statement = statement.where(column == value)
    return statement


def _read(column: Column, value: Any) -> Any:
    """A cursor's value as the sort key's type: only the JSON scalar this module wrote for it
    (sort keys are never null; a list or an object is no key)."""
    python_type = column.type.python_type
    if not isinstance(value, str | int | float) or (
        isinstance(value, bool) and python_type is not bool
    ):
        raise TypeError("not a sort key")
    return _READERS.get(python_type, python_type)(value)


def _position(keys: Sequence[Column], after: Mapping[str, Any]) -> list[Any]:
    values = after.get("k")
    if not isinstance(values, list) or len(values) != len(keys):
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor")
    try:
        return [_read(key, value) for key, value in zip(keys, values, strict=True)]
    except (TypeError, ValueError, ArithmeticError, AttributeError):
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor") from None


async def keyset_page(
    session: AsyncSession,
    statement: Select[*_Ts],
    keys: Sequence[Column],
    page: PageRequest,
    *,
    descending: bool = False,
) -> tuple[list[Row[*_Ts]], str | None]:
    """The page of rows the request asks for, sorted by `keys` (not null; the last one unique,
    usually the id), and the cursor of the next page (None on the last one).

    Each key is selected by the statement, or is an attribute of an entity it selects."""
    return await _keyset(session, statement, keys, page.limit, page.position(), descending)


async def _keyset(
    session: AsyncSession,
    statement: Select[*_Ts],
    keys: Sequence[Column],
    limit: int,
    after: Mapping[str, Any] | None,
    descending: bool,
) -> tuple[list[Row[*_Ts]], str | None]:
    position = None if after is None else _position(keys, after)
    rows, more = await _rows_after(session, statement, keys, limit, position, descending)
    if not more:
        return rows, None
    return rows, encode_cursor({"k": [_key_value(rows[-1], key) for key in keys]})


async def _rows_after(
    session: AsyncSession,
    statement: Select[*_Ts],
    keys: Sequence[Column],
    limit: int,
    position: Sequence[Any] | None,
    descending: bool,
) -> tuple[list[Row[*_Ts]], bool]:
    """Up to `limit` rows past `position` in the order of `keys`, and whether more follow."""
    if position is not None:
        row_keys, bound = tuple_(*keys), tuple_(*position)
        statement = statement.where(row_keys < bound if descending else row_keys > bound)
    statement = statement.order_by(*(key.desc() if descending else key.asc() for key in keys))
    return split_page(list((await session.execute(statement.limit(limit + 1))).all()), limit)


def _key_value(row: Row[*tuple[Any, ...]], key: Column) -> Any:
    """A sort key's value: a selected column, or an attribute of the selected entity it
    belongs to (the row's first entity when the key names no class)."""
    try:
        return row._mapping[key]
    except KeyError:
        owner = getattr(key, "class_", None)
        entity = next((item for item in row if owner and isinstance(item, owner)), row[0])
        return getattr(entity, str(key.key))


async def page_of(
    session: AsyncSession,
    statement: Select[*_Ts],
    keys: Sequence[Column],
    page: PageRequest,
    item: Callable[[Row[*_Ts]], _Item],
    *,
    descending: bool = False,
) -> Page[_Item]:
    """The page the request asks for, each row made into an item of the answer by `item`."""
    rows, cursor = await keyset_page(session, statement, keys, page, descending=descending)
    return Page(items=[item(row) for row in rows], next_cursor=cursor)


def found(record: _Found | None) -> _Found:
    """The record a request names; 404 when there is none, whether it does not exist or is
    outside the caller's scope (the same answer, so ids cannot be probed)."""
    if record is None:
        raise NotFound()
    return record


async def found_row(session: AsyncSession, statement: Select[*_Ts]) -> Row[*_Ts]:
    """The one row the statement selects; 404 when there is none (see `found`)."""
    return found((await session.execute(statement)).one_or_none())


async def timestamp_page(
    session: AsyncSession,
    statement: Select[*_Ts],
    at: Column,
    row_id: Column,
    page: PageRequest,
) -> tuple[list[Row[*_Ts]], str | None]:
    """Newest first by (a timestamp, a unique id): the rows the request asks for, and the next
    page's cursor, `{"at": …, "id": …}` as the apps already hold it."""
    after = page.position()
    position = None if after is None else _timestamp_position(row_id, after)
    keys = (at, row_id)
    rows, more = await _rows_after(session, statement, keys, page.limit, position, True)
    if not more:
        return rows, None
    last_at, last_id = (_key_value(rows[-1], key) for key in keys)
    return rows, encode_cursor({"at": last_at.isoformat(), "id": last_id})


def _timestamp_position(row_id: Column, after: Mapping[str, Any]) -> tuple[datetime, Any]:
    """The (timestamp, id) a timestamp cursor carries; 400 for any other cursor."""
    try:
        at = datetime.fromisoformat(after["at"])
        last_id = _read(row_id, after["id"])
    except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor") from None
    if at.tzinfo is None:
        raise ProblemError(400, "error.bad_cursor", kind="bad-cursor")
    return at, last_id
