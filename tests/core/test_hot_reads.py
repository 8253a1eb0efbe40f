"""The lean path of the hot reads (`app/core/hot_reads.py`): it answers what the route answers,
byte for byte in content, without a SQLAlchemy session; whatever it cannot answer plainly goes
to the route."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from fastapi import FastAPI

from app.academics.models import Gender
from app.academics.reference import ReferenceCache
from app.core.hot_reads import open_hot_pool
from app.core.schemas import Schema
from tests.conftest import ConnectionLender
from tests.factories import FamilyWorld


def _hot_reads(family: FamilyWorld) -> list[tuple[str, str]]:
    """Each hot read with a caller who may read it."""
    child = family.child.id
    class_id = family.teaching.classes["c1"].id
    return [
        ("student", "/api/v1/me"),
        ("teacher", "/api/v1/me"),
        ("student", "/api/v1/student/marks"),
        ("student", "/api/v1/student/exams"),
        ("student", "/api/v1/student/timetable"),
        ("student", "/api/v1/student/absences"),
        ("parent", "/api/v1/parent/children"),
        ("parent", f"/api/v1/parent/children/{child}/marks"),
        ("parent", f"/api/v1/parent/children/{child}/timetable"),
        ("parent", f"/api/v1/parent/children/{child}/absences"),
        ("teacher", "/api/v1/teacher/classes"),
        ("teacher", f"/api/v1/teacher/classes/{class_id}/pupils"),
    ]


@pytest.fixture
async def without_sessions(app: FastAPI) -> AsyncIterator[None]:
    """The app with no way to open a SQLAlchemy session: any route that needs one fails."""
    factory = app.state.session_factory

    def refuse() -> None:
        raise RuntimeError("no session on the lean path")

    app.state.session_factory = refuse
    yield
    app.state.session_factory = factory


async def test_a_hot_read_answers_as_its_route(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    for who, path in _hot_reads(family):
        lean = await client.get(path, headers=family.auth(who))
        # Any query string sends the request to the route.
        routed = await client.get(path, params={"via": "route"}, headers=family.auth(who))
        assert lean.status_code == routed.status_code == 200, (path, lean.text)
        assert lean.json() == routed.json(), path
        assert lean.headers.get("etag") == routed.headers.get("etag"), path
        assert lean.headers["content-type"] == routed.headers["content-type"], path
        assert lean.headers.get("cache-control") == routed.headers.get("cache-control"), path
        etag = lean.headers.get("etag")
        if etag is not None:
            held = {**family.auth(who), "If-None-Match": etag}
            again = await client.get(path, headers=held)
            assert again.status_code == 304, path
            assert again.content == b"", path
            assert again.headers["etag"] == etag


@pytest.mark.usefixtures("without_sessions")
async def test_a_hot_read_needs_no_session(
    app: FastAPI, client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    # The reference data held, as a serving process holds it, for the marks' semester.
    cache: ReferenceCache = app.state.reference_cache
    cache.listening()
    lean = {"/api/v1/student/timetable", "/api/v1/student/absences", "/api/v1/me"}
    for path in sorted(lean):
        answer = await client.get(path, headers=family.auth("student"))
        assert answer.status_code == 200, (path, answer.text)
    # A view without a lean path, and a hot read asked with a query, need their session.
    for path in ("/api/v1/student/profile", "/api/v1/student/timetable?week=2026-W01"):
        answer = await client.get(path, headers=family.auth("student"))
        assert answer.status_code == 500, path


async def test_what_the_lean_path_cannot_answer_the_route_refuses(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    stranger = family.stranger.id
    refused = [
        (None, "/api/v1/me", 401),
        ("parent", "/api/v1/student/timetable", 403),
        ("student", "/api/v1/parent/children", 403),
        ("parent", f"/api/v1/parent/children/{stranger}/timetable", 404),
        ("parent", f"/api/v1/parent/children/{family.unverified.id}/marks", 404),
        ("parent", "/api/v1/parent/children/not-an-id/marks", 422),
        ("teacher", f"/api/v1/teacher/classes/{stranger}/pupils", 404),
    ]
    for who, path, status in refused:
        headers = family.auth(who) if who else {}
        answer = await client.get(path, headers=headers)
        assert answer.status_code == status, (path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json", path


class _Shape(Schema):
    id: uuid.UUID
    name: str
    name_ar: str | None
    birth_date: date
    gender: Gender
    count: int


class _Nested(Schema):
    pupil: _Shape


async def test_records_are_written_as_their_models_would_be(hot_reads: ConnectionLender) -> None:
    """`Schema.json_of_records`, which the roster's lean path writes with, against Pydantic's
    own JSON of the models, on asyncpg's records (its UUIDs are a type of their own)."""
    records = await hot_reads.driver_connection.fetch(
        """
        SELECT gen_random_uuid() AS id, name, name_ar, date '2013-05-14' AS birth_date,
               'F' AS gender, 7 AS count
        FROM (VALUES ('Salma "S" \\ B', 'سلمى'), ('Émile', NULL)) AS names (name, name_ar)
        """
    )
    expected = b"[" + b",".join(_Shape.of_record(r).model_dump_json().encode() for r in records)
    assert _Shape.json_of_records(records) == expected + b"]"
    assert _Shape.json_of_records([]) == b"[]"
    with pytest.raises(TypeError):
        _Nested.json_of_records([])


async def test_the_hot_pool_lends_first_come_first_served(database_url: str) -> None:
    """Readers who wait for a connection get one in the order they asked, before a reader who
    asks as one comes back: asyncpg's pool alone would give it to the latecomer, and send the
    woken reader to the back of the line."""
    fair = await open_hot_pool(database_url, 1, 10)
    served: list[str] = []

    async def read(name: str) -> None:
        async with fair.acquire() as connection:
            served.append(name)
            await connection.fetchval("SELECT 1")

    async def arrive_later() -> asyncio.Task[None]:
        # Scheduled as the connection is given back, before the woken reader runs.
        return asyncio.create_task(read("latecomer"))

    try:
        async with fair.acquire():
            waiting = [asyncio.create_task(read(name)) for name in ("first", "second")]
            await asyncio.sleep(0.05)
            arrival = asyncio.create_task(arrive_later())
        await asyncio.gather(*waiting, await arrival)
    finally:
        await fair.pool.close()
    assert served == ["first", "second", "latecomer"]
