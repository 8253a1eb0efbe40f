"""The authorization matrix, generated from the route table: every operation is called with
the token of every role its guards turn away, and must answer 403 before anything else.

An operation with no role guard must be one of the few open to any caller (logins, the
public site, health) or to any logged-in caller (the caller's own account and inbox): a new
route that is neither fails here until it gets a guard or joins one of those lists."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import TITLE_DUTIES, Duty, Role, StaffTitle
from app.integrations.scopes import ApiScope
from app.main import create_app
from tests.api.route_table import OPERATIONS, TOKEN_OF, Operation
from tests.factories import World, access_token, create_api_client, create_user

# Open to anyone: logging in and the public site (and the probes, outside the API).
ANONYMOUS = {
    "auth-token",
    "auth-refresh",
    "auth-logout",
    "auth-activate",
    "auth-mfa",
    "auth-mfa-enrol",
    "health-alive",
    "health-ready",
    "auth-jwks",
}
ANONYMOUS_PREFIXES = ("public-",)


def test_every_operation_is_guarded_or_declared_open() -> None:
    loose = [
        f"{op.method} {op.path} ({op.operation_id})"
        for op in OPERATIONS
        if op.allowed is None
        and not op.reads_principal
        and op.operation_id not in ANONYMOUS
        and not op.operation_id.startswith(ANONYMOUS_PREFIXES)
    ]
    assert not loose, "operations without a role guard nor a login:\n" + "\n".join(loose)


def test_the_matrix_covers_the_published_contract() -> None:
    served = {op.operation_id for op in OPERATIONS}
    published = {
        operation["operationId"]
        for item in create_app().openapi()["paths"].values()
        for operation in item.values()
    }
    assert published <= served


GUARDED = [op for op in OPERATIONS if op.allowed is not None]


@pytest.mark.parametrize("operation", GUARDED, ids=[op.operation_id for op in GUARDED])
async def test_roles_outside_the_guard_get_403(
    client: httpx.AsyncClient, world: World, operation: Operation
) -> None:
    assert operation.allowed is not None
    for role in sorted(set(Role) - operation.allowed):
        answer = await client.request(
            operation.method, operation.url(), json={}, headers=world.auth(TOKEN_OF[role])
        )
        assert answer.status_code == 403, (
            f"{operation.method} {operation.path} as {role.value}: {answer.status_code}"
        )
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_guards_are_seen() -> None:
    # A walk that saw no guard would make the matrix above empty, and pass.
    assert len(GUARDED) > 250
    assert {op.allowed for op in GUARDED} >= {
        frozenset({Role.TEACHER}),
        frozenset({Role.STUDENT}),
        frozenset({Role.PARENT}),
        frozenset({Role.SCHOOL_STAFF}),
    }


# ---- API clients: a caller of their own kind -----------------------------------------------

FOR_CLIENTS = [op for op in OPERATIONS if op.for_clients]
# What a client manages of its own (its webhook endpoints) needs no scope of its own: an
# endpoint's events do, checked when it is registered or changed (tests/webhooks).
SCOPED_FOR_CLIENTS = [op for op in FOR_CLIENTS if op.scopes]
FOR_PEOPLE = [op for op in GUARDED if not op.for_clients]


def test_the_integrators_face_is_seen() -> None:
    # Every person is turned away there (403, by the loop above), and each route names the
    # scope it needs.
    assert len(FOR_CLIENTS) > 30
    oneroster = [op for op in FOR_CLIENTS if op.path.startswith("/ims/oneroster/")]
    assert all(len(op.scopes) == 1 for op in oneroster)
    others = [op for op in FOR_CLIENTS if op not in oneroster]
    # Their own webhook endpoints need no scope of their own; the feeds in `/api/v1` one each.
    own = [op for op in others if op.path.startswith("/api/v1/integrations/webhooks")]
    assert own
    assert all(not op.scopes for op in own)
    feeds = [op for op in others if op not in own]
    assert {op.path.split("/")[4] for op in feeds} == {"documents", "absences"}
    assert all(len(op.scopes) == 1 for op in feeds)


@pytest.mark.parametrize(
    "operation", SCOPED_FOR_CLIENTS, ids=[op.operation_id for op in SCOPED_FOR_CLIENTS]
)
async def test_a_client_without_the_routes_scope_gets_403(
    client: httpx.AsyncClient, session: AsyncSession, world: World, operation: Operation
) -> None:
    lacking = await create_api_client(
        session, world.users["central_staff"], frozenset(ApiScope) - operation.scopes
    )
    await session.commit()
    answer = await client.get(operation.url(), headers=lacking.headers)
    assert answer.status_code == 403, f"{operation.path}: {answer.status_code}"
    assert answer.json()["type"].endswith("/insufficient-scope")


async def test_a_client_token_opens_no_face_of_people(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    integrator = await create_api_client(session, world.users["central_staff"])
    await session.commit()
    opened = []
    for operation in [*FOR_PEOPLE, *(op for op in OPERATIONS if op.allowed is None)]:
        if not operation.reads_principal and operation.allowed is None:
            continue  # open to anyone: a token changes nothing
        answer = await client.request(
            operation.method, operation.url(), json={}, headers=integrator.headers
        )
        if answer.status_code != 401:
            opened.append(f"{operation.method} {operation.path}: {answer.status_code}")
    assert not opened, "a client's token was taken by:\n" + "\n".join(opened)


# ---- the school's posts: the staff duties matrix --------------------------------------------

# School writes any post may make: the threads a staff member answers are addressed to them.
OPEN_TO_EVERY_POST = {"school-reply"}

WITH_DUTY = [op for op in OPERATIONS if op.duties]


@pytest.fixture
async def posts(session: AsyncSession, world: World) -> dict[StaffTitle, dict[str, str]]:
    """A staff account of every post at the world's school, with its headers."""
    headers = {}
    for title in StaffTitle:
        user = await create_user(
            session, Role.SCHOOL_STAFF, school=world.schools["a1"], title=title
        )
        headers[title] = {"Authorization": f"Bearer {await access_token(session, user)}"}
    await session.commit()
    return headers


@pytest.mark.parametrize("operation", WITH_DUTY, ids=[op.operation_id for op in WITH_DUTY])
async def test_posts_without_the_duty_get_403_title_not_allowed(
    client: httpx.AsyncClient, posts: dict[StaffTitle, dict[str, str]], operation: Operation
) -> None:
    refused = [title for title in StaffTitle if not operation.duties <= TITLE_DUTIES[title]]
    assert refused, f"{operation.operation_id}: every post has {set(operation.duties)}"
    for title in refused:
        answer = await client.request(
            operation.method, operation.url(), json={}, headers=posts[title]
        )
        assert answer.status_code == 403, f"{operation.path} as {title}: {answer.status_code}"
        assert answer.json()["type"].endswith("/title-not-allowed")


def test_every_school_write_names_its_duty() -> None:
    # A new write on the school's face without a duty would be open to every post: it fails
    # here until it names the work it is, or joins the few every post may do.
    loose = [
        op.operation_id
        for op in OPERATIONS
        if op.path.startswith("/api/v1/school/")
        and op.method != "GET"
        and not op.duties
        and op.operation_id not in OPEN_TO_EVERY_POST
    ]
    assert not loose, "school writes without a duty: " + ", ".join(loose)


def test_the_duties_are_seen() -> None:
    assert {duty for op in WITH_DUTY for duty in op.duties} == set(Duty)
    assert len(WITH_DUTY) > 100  # the back office counts, reads included


async def test_the_secretary_registers_pupils_and_cannot_lock_marks(
    client: httpx.AsyncClient, posts: dict[StaffTitle, dict[str, str]]
) -> None:
    secretary = posts[StaffTitle.SECRETARY]
    registered = await client.post(
        "/api/v1/school/pupils",
        json={
            "massar_code": "S130000777",
            "first_name": "Salma",
            "last_name": "Idrissi",
            "first_name_ar": "سلمى",
            "last_name_ar": "الإدريسي",
            "gender": "F",
            "birth_date": "2013-04-02",
        },
        headers=secretary,
    )
    assert registered.status_code == 201, registered.text
    for path in ("tests/{id}/validate", "classes/{id}/publish", "marks/{id}/correction"):
        url = "/api/v1/school/" + path.replace("{id}", "00000000-0000-4000-8000-000000000000")
        refused = await client.post(url, json={}, headers=secretary)
        assert refused.status_code == 403
        assert refused.json()["type"].endswith("/title-not-allowed")
