"""OneRoster 1.2 over HTTP with client credentials: the collections' wrappers and shapes, the
scope of the client's unit, the scopes of its token, the list parameters and their errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import TestKind, TestStatus
from app.integrations.scopes import ApiScope
from app.oneroster.collections import timestamp
from app.organisation.models import Province
from tests.factories import (
    Integrator,
    TeachingWorld,
    World,
    create_api_client,
    create_test_with_marks,
)

ROSTERING = "/ims/oneroster/rostering/v1p2"
GRADEBOOK = "/ims/oneroster/gradebook/v1p2"
SINGULAR = {"classes": "class", "categories": "category"}
# Within the sync window: an older delta is refused (test_tobedeleted.py).
A_DAY_AGO = timestamp(datetime.now(UTC) - timedelta(days=1))
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
async def marked(session: AsyncSession, teaching: TeachingWorld) -> TeachingWorld:
    """A published MATH test of c1 (one pupil absent) and a draft one."""
    c1 = teaching.classes["c1"]
    pupils = teaching.pupils["c1"]
    teacher = teaching.world.users["teacher"]
    marks: dict[object, Decimal | str | None] = {p: Decimal("12.5") for p in pupils[1:]}
    marks[pupils[0]] = "absent"
    await create_test_with_marks(session, c1, teaching.subjects["MATH"], teacher, marks)  # type: ignore[arg-type]
    await create_test_with_marks(
        session,
        c1,
        teaching.subjects["MATH"],
        teacher,
        {pupils[1]: Decimal(3)},
        kind=TestKind.TEST_2,
        status=TestStatus.DRAFT,
    )
    return teaching


async def _client(
    session: AsyncSession,
    teaching: TeachingWorld,
    scopes: frozenset[ApiScope] = frozenset(ApiScope),
    **place: object,
) -> Integrator:
    return await create_api_client(session, teaching.world.users["central_staff"], scopes, **place)  # type: ignore[arg-type]


async def test_the_done_condition(
    client: httpx.AsyncClient, session: AsyncSession, marked: TeachingWorld
) -> None:
    """A client of the ministry, registered over HTTP, reads an academy's schools, classes,
    enrollments and results; another academy's client does not find them; a client without
    results.read is refused them."""
    world = marked.world
    a1 = world.schools["a1"]
    created = await client.post(
        "/api/v1/steering/api-clients",
        json={"name": "Portail", "scopes": ["roster.read", "results.read"]},
        headers=world.auth("central_staff"),
    )
    token = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created.json()["id"],
            "client_secret": created.json()["client_secret"],
        },
    )
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    schools = await client.get(f"{ROSTERING}/schools", headers=auth)
    assert schools.status_code == 200, schools.text
    assert str(a1.id) in {o["sourcedId"] for o in schools.json()["orgs"]}
    classes = await client.get(f"{ROSTERING}/schools/{a1.id}/classes", headers=auth)
    assert len(classes.json()["classes"]) == 3  # c1 MATH, c1 FR, c2 MATH
    class_id = next(
        c["sourcedId"]
        for c in classes.json()["classes"]
        if c["classCode"] == marked.classes["c1"].name
        and c["subjects"] == [marked.subjects["MATH"].name_fr]
    )
    enrollments = await client.get(f"{ROSTERING}/schools/{a1.id}/enrollments", headers=auth)
    # 5 pupils × 2 subjects in c1, 3 pupils in c2, and the three teachers' assignments.
    assert len(enrollments.json()["enrollments"]) == 10 + 3 + 3
    results = await client.get(f"{GRADEBOOK}/classes/{class_id}/results", headers=auth)
    assert results.status_code == 200
    assert len(results.json()["results"]) == 5  # the published test only

    elsewhere = await _client(session, marked, academy_id=world.schools["c"].academy_id)
    await session.commit()
    for path in (
        f"{ROSTERING}/schools/{a1.id}",
        f"{ROSTERING}/schools/{a1.id}/classes",
        f"{ROSTERING}/classes/{class_id}",
        f"{GRADEBOOK}/classes/{class_id}/results",
        f"{ROSTERING}/enrollments/{enrollments.json()['enrollments'][0]['sourcedId']}",
        f"{GRADEBOOK}/results/{results.json()['results'][0]['sourcedId']}",
    ):
        answer = await client.get(path, headers=elsewhere.headers)
        assert answer.status_code == 404, path
    listed = await client.get(f"{ROSTERING}/schools", headers=elsewhere.headers)
    assert str(a1.id) not in {o["sourcedId"] for o in listed.json()["orgs"]}

    roster_only = await _client(session, marked, frozenset({ApiScope.ROSTER_READ}))
    await session.commit()
    refused = await client.get(f"{GRADEBOOK}/results", headers=roster_only.headers)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/insufficient-scope")
    assert "insufficient_scope" in refused.headers["www-authenticate"]


async def test_shapes_and_enumerations(
    client: httpx.AsyncClient, session: AsyncSession, marked: TeachingWorld
) -> None:
    integrator = await _client(session, marked)
    await session.commit()
    expected = {
        f"{ROSTERING}/orgs": ("orgs", {"name", "type", "identifier"}),
        f"{ROSTERING}/academicSessions": (
            "academicSessions",
            {"title", "type", "startDate", "endDate", "schoolYear"},
        ),
        f"{ROSTERING}/courses": ("courses", {"title", "org"}),
        f"{ROSTERING}/classes": ("classes", {"title", "course", "school", "terms"}),
        f"{ROSTERING}/users": ("users", {"enabledUser", "givenName", "familyName", "roles"}),
        f"{ROSTERING}/students": ("users", {"identifier", "roles"}),
        f"{ROSTERING}/teachers": ("users", {"roles"}),
        f"{ROSTERING}/enrollments": ("enrollments", {"user", "class", "school", "role"}),
        f"{GRADEBOOK}/categories": ("categories", {"title"}),
        f"{GRADEBOOK}/lineItems": (
            "lineItems",
            {"title", "assignDate", "dueDate", "class", "school", "category", "resultValueMax"},
        ),
        f"{GRADEBOOK}/results": ("results", {"lineItem", "student", "scoreStatus", "scoreDate"}),
    }
    seen: dict[str, list[dict[str, object]]] = {}
    for path, (wrapper, required) in expected.items():
        answer = await client.get(path, headers=integrator.headers)
        assert answer.status_code == 200, f"{path}: {answer.text}"
        items = answer.json()[wrapper]
        assert items, path
        for item in items:
            assert {"sourcedId", "status", "dateLastModified"} <= item.keys()
            assert item["status"] in ("active", "tobedeleted")
            assert ISO_UTC.match(str(item["dateLastModified"])), item["dateLastModified"]
            assert required <= {k for k, v in item.items() if v is not None}, (path, item)
        seen[path] = items
        one = await client.get(f"{path}/{items[0]['sourcedId']}", headers=integrator.headers)
        assert one.status_code == 200, f"{path}/{items[0]['sourcedId']}: {one.text}"
        assert set(one.json()) == {SINGULAR.get(wrapper, wrapper[:-1])}
    assert {o["type"] for o in seen[f"{ROSTERING}/orgs"]} == {
        "national",
        "state",
        "district",
        "school",
    }
    assert {s["type"] for s in seen[f"{ROSTERING}/academicSessions"]} == {"schoolYear", "semester"}
    assert {u["roles"][0]["role"] for u in seen[f"{ROSTERING}/users"]} == {"student", "teacher"}
    assert {e["role"] for e in seen[f"{ROSTERING}/enrollments"]} == {"student", "teacher"}
    scores = {(r["scoreStatus"], r["score"]) for r in seen[f"{GRADEBOOK}/results"]}
    assert scores == {("fully graded", 12.5), ("not submitted", None)}
    assert len(seen[f"{GRADEBOOK}/lineItems"]) == 1  # the draft stays in Massar


async def test_demographics_need_their_scope(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    roster = await _client(session, teaching, frozenset({ApiScope.ROSTER_READ}))
    both = await _client(
        session, teaching, frozenset({ApiScope.ROSTER_READ, ApiScope.ROSTER_DEMOGRAPHICS})
    )
    await session.commit()
    plain = (await client.get(f"{ROSTERING}/students", headers=roster.headers)).json()["users"]
    assert all("metadata" not in u for u in plain)
    assert all(u["identifier"] and u["givenName"] for u in plain)
    full = (await client.get(f"{ROSTERING}/students", headers=both.headers)).json()["users"]
    assert all(u["metadata"]["birthDate"] for u in full)


async def test_a_directorate_client_sees_its_directorate(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    rabat = await session.scalar(select(Province).where(Province.code == "RSK-RABAT"))
    integrator = await _client(session, teaching, province=rabat)
    await session.commit()
    orgs = (await client.get(f"{ROSTERING}/orgs", headers=integrator.headers)).json()["orgs"]
    world = teaching.world
    ids = {o["sourcedId"] for o in orgs}
    assert {str(world.schools["a1"].id), str(world.schools["a2"].id)} <= ids
    assert str(world.schools["b"].id) not in ids
    assert {o["type"] for o in orgs} == {"district", "school"}


async def test_paging_filter_sort_and_fields(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    integrator = await _client(session, teaching)
    await session.commit()
    url = f"{ROSTERING}/students"
    first = await client.get(url, params={"limit": 3}, headers=integrator.headers)
    assert first.headers["x-total-count"] == "10"
    assert len(first.json()["users"]) == 3
    assert 'rel="next"' in first.headers["link"]
    assert "offset=9" in first.headers["link"]  # the last page
    last = await client.get(url, params={"limit": 3, "offset": 9}, headers=integrator.headers)
    assert len(last.json()["users"]) == 1
    assert 'rel="next"' not in last.headers["link"]
    beyond = await client.get(url, params={"offset": 50}, headers=integrator.headers)
    assert beyond.json()["users"] == []
    assert beyond.headers["x-total-count"] == "10"

    pupil = teaching.pupils["c1"][0]
    by_code = await client.get(
        url, params={"filter": f"identifier='{pupil.massar_code}'"}, headers=integrator.headers
    )
    assert [u["sourcedId"] for u in by_code.json()["users"]] == [str(pupil.id)]
    other = teaching.pupils["c3"][0].massar_code
    either = await client.get(
        url,
        params={"filter": f"identifier='{pupil.massar_code}' OR identifier='{other}'"},
        headers=integrator.headers,
    )
    assert len(either.json()["users"]) == 2
    recent = await client.get(
        url,
        params={"filter": f"dateLastModified>'{A_DAY_AGO}' AND status='active'"},
        headers=integrator.headers,
    )
    assert recent.headers["x-total-count"] == "10"
    injected = await client.get(
        url, params={"filter": "givenName~'x'' OR 1=1 --'"}, headers=integrator.headers
    )
    assert injected.status_code == 200
    assert injected.json()["users"] == []
    ordered = await client.get(
        url, params={"sort": "identifier", "orderBy": "desc"}, headers=integrator.headers
    )
    codes = [u["identifier"] for u in ordered.json()["users"]]
    assert codes == sorted(codes, reverse=True)
    chosen = await client.get(
        url, params={"fields": "sourcedId,givenName"}, headers=integrator.headers
    )
    assert all(set(u) == {"sourcedId", "givenName"} for u in chosen.json()["users"])


@pytest.mark.parametrize(
    ("params", "minor"),
    [
        ({"filter": "password='x'"}, "invalid_filter_field"),
        ({"filter": "givenName = unquoted"}, "invalid_filter_field"),
        ({"filter": "dateLastModified>'yesterday'"}, "invalid_filter_field"),
        ({"filter": "givenName='a' AND"}, "invalid_filter_field"),
        ({"fields": "sourcedId,secret"}, "invalid_selection_field"),
        ({"sort": "secret"}, "invalid_sort_field"),
    ],
)
async def test_bad_parameters_answer_the_imsx_payload(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    params: dict[str, str],
    minor: str,
) -> None:
    integrator = await create_api_client(session, world.users["central_staff"])
    await session.commit()
    answer = await client.get(f"{ROSTERING}/users", params=params, headers=integrator.headers)
    assert answer.status_code == 400
    body = answer.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] == "error"
    assert body["imsx_description"]
    [field] = body["imsx_CodeMinor"]["imsx_codeMinorField"]
    assert field["imsx_codeMinorFieldValue"] == minor


async def test_people_tokens_are_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    for who in ("student", "teacher", "central_staff"):
        answer = await client.get(f"{ROSTERING}/schools", headers=teaching.auth(who))
        assert answer.status_code == 403
        assert answer.json()["type"].endswith("/clients-only")
    assert (await client.get(f"{ROSTERING}/schools")).status_code == 401


async def test_datetime_is_iso_utc() -> None:
    assert (
        timestamp(datetime.fromisoformat("2026-12-06T14:20:00+01:00")) == "2026-12-06T13:20:00.000Z"
    )
