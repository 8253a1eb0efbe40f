"""The lean path of the hot reads (`app/core/hot_reads.py`): it answers what the route answers,
byte for byte in content, without a SQLAlchemy session; whatever it cannot answer plainly goes
to the route."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.academics.reference import ReferenceCache
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
