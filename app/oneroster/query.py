"""The standard's list parameters: `filter` (`field op 'value'`, joined by AND and OR), `sort`
and `orderBy`, `fields`, `limit` and `offset`; each field checked against the collection's
own, and every value bound as a parameter, never written into the SQL. A bad filter, sort or
field answers the standard's status payload (`imsx_codeMajor` failure) with 400."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, or_

from app.errors import ProblemError
from app.sync.tombstones import window_passed

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 100_000_000


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"


class CodeMinor(StrEnum):
    """The standard's minor codes this service answers."""

    INVALID_FILTER_FIELD = "invalid_filter_field"
    INVALID_SELECTION_FIELD = "invalid_selection_field"
    INVALID_SORT_FIELD = "invalid_sort_field"
    # A delta from before the sync window: the request is well formed, the data to answer it
    # truthfully (the deletions since then) may be gone.
    INVALID_DATA = "invaliddata"


class ImsxFailure(ProblemError):
    """A failure (400 unless said) with the OneRoster status payload beside the problem's
    members."""

    def __init__(
        self, minor: CodeMinor, description: str, detail_key: str, status: int = 400
    ) -> None:
        super().__init__(
            status,
            detail_key,
            kind=minor.value.replace("_", "-"),
            extensions={
                "imsx_codeMajor": "failure",
                "imsx_severity": "error",
                "imsx_description": description,
                "imsx_CodeMinor": {
                    "imsx_codeMinorField": [
                        {
                            "imsx_codeMinorFieldName": "TargetEndSystem",
                            "imsx_codeMinorFieldValue": minor.value,
                        }
                    ]
                },
            },
        )


def bad_filter(description: str) -> ImsxFailure:
    return ImsxFailure(CodeMinor.INVALID_FILTER_FIELD, description, "oneroster.invalid_filter")


# field, operator, quoted value (a quote inside is doubled), then AND / OR or the end.
_PREDICATE = re.compile(
    r"\s*(?P<field>[A-Za-z][A-Za-z0-9_.]*)\s*(?P<op>!=|>=|<=|=|>|<|~)\s*"
    r"'(?P<value>(?:[^']|'')*)'\s*(?:(?P<logic>AND|OR)\s+|$)"
)
_MAX_PREDICATES = 8


@dataclass(frozen=True, slots=True)
class Predicate:
    field: str
    op: str
    value: str


def parse_filter(text: str) -> list[list[Predicate]]:
    """The filter as OR-ed groups of AND-ed predicates (AND binds tighter, as in SQL)."""
    groups: list[list[Predicate]] = [[]]
    position, count = 0, 0
    while position < len(text):
        match = _PREDICATE.match(text, position)
        if match is None or count >= _MAX_PREDICATES:
            raise bad_filter(f"cannot read the filter at character {position + 1}")
        groups[-1].append(Predicate(match["field"], match["op"], match["value"].replace("''", "'")))
        count += 1
        position = match.end()
        if match["logic"] == "OR":
            groups.append([])
        elif match["logic"] is None and position < len(text):
            raise bad_filter(f"cannot read the filter at character {position + 1}")
    if not groups[-1]:
        raise bad_filter("the filter ends with a logical operator")
    return groups


# The field a delta reads, and the bounds that make a filter a delta from that moment.
_DELTA_FIELD = "dateLastModified"
_LOWER_BOUNDS = frozenset({">", ">="})


def refuse_stale_delta(text: str | None) -> None:
    """410 for a filter that asks for what changed since a moment older than the sync window:
    the deletions since then may be purged, so the answer would silently miss them; the
    client syncs in full (no `dateLastModified` lower bound) instead."""
    if not text:
        return
    for predicate in (p for group in parse_filter(text) for p in group):
        if predicate.field != _DELTA_FIELD or predicate.op not in _LOWER_BOUNDS:
            continue
        if window_passed(_typed(predicate, FieldType.DATETIME)):
            raise ImsxFailure(
                CodeMinor.INVALID_DATA,
                f"{_DELTA_FIELD} is older than the sync window: deletions since then may be"
                " forgotten; read the collection in full, without that filter",
                "sync.window_passed",
                status=410,
            )


@dataclass(frozen=True, slots=True)
class Filterable:
    """A field a client may filter and sort on: its SQL and the type of its values."""

    column: ColumnElement[Any]
    type: FieldType = FieldType.TEXT


def where_of(text: str | None, fields: Mapping[str, Filterable]) -> ColumnElement[bool] | None:
    """The filter as a WHERE clause on the collection's fields; None when there is none."""
    if not text:
        return None
    groups = parse_filter(text)
    return or_(*(and_(*(_condition(p, fields) for p in group)) for group in groups))


def _condition(predicate: Predicate, fields: Mapping[str, Filterable]) -> ColumnElement[bool]:
    field = fields.get(predicate.field)
    if field is None:
        raise bad_filter(f"no filter on the field {predicate.field}")
    column = field.column
    if predicate.op == "~":
        # Contains, case-insensitively; the value's own wildcards are taken literally.
        escaped = re.sub(r"([\\%_])", r"\\\1", predicate.value)
        return column.cast(Text).ilike(f"%{escaped}%", escape="\\")
    value = _typed(predicate, field.type)
    operations = {
        "=": column.__eq__,
        "!=": column.__ne__,
        ">": column.__gt__,
        ">=": column.__ge__,
        "<": column.__lt__,
        "<=": column.__le__,
    }
    condition: ColumnElement[bool] = operations[predicate.op](value)
    return condition


def _typed(predicate: Predicate, kind: FieldType) -> Any:
    try:
        match kind:
            case FieldType.DATE:
                return date.fromisoformat(predicate.value)
            case FieldType.DATETIME:
                moment = datetime.fromisoformat(predicate.value.replace("Z", "+00:00"))
                if moment.tzinfo is None:
                    raise ValueError("no time zone")
                return moment
            case FieldType.NUMBER:
                return Decimal(predicate.value)
            case _:
                return predicate.value
    except (ValueError, InvalidOperation):
        raise bad_filter(f"{predicate.field} takes a {kind.value} value") from None


def order_of(
    sort: str | None, order_by: str | None, fields: Mapping[str, Filterable]
) -> ColumnElement[Any] | None:
    """The client's sort field, ascending unless `orderBy=desc`; None for the default order."""
    if not sort:
        return None
    field = fields.get(sort)
    if field is None:
        raise ImsxFailure(
            CodeMinor.INVALID_SORT_FIELD,
            f"no sort on the field {sort}",
            "oneroster.invalid_selection",
        )
    return field.column.desc() if order_by == "desc" else field.column.asc()


def selection(fields: str | None, known: frozenset[str]) -> list[str] | None:
    """The fields the client asked for, each one the collection has; None for them all."""
    if not fields:
        return None
    names = [name.strip() for name in fields.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise ImsxFailure(
            CodeMinor.INVALID_SELECTION_FIELD,
            f"no such field: {', '.join(unknown) or fields}",
            "oneroster.invalid_selection",
        )
    return names
