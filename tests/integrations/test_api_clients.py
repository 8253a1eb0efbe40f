"""API clients: registered by the ministry and academies, their secret shown once, the
client-credentials grant as OAuth2 libraries speak it, and a client's token kept to its own
face, scopes and part of the tree."""

from __future__ import annotations

import base64

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.integrations.models import ApiClient
from tests.factories import PASSWORD, World

CLIENTS = "/api/v1/steering/api-clients"
TOKEN = "/api/v1/auth/token"


async def _register(
    client: httpx.AsyncClient, world: World, who: str = "central_staff", **body: object
) -> dict[str, object]:
    answer = await client.post(
        CLIENTS,
        json={"name": "Portail bourses", "scopes": ["roster.read", "results.read"], **body},
        headers=world.auth(who),
    )
    assert answer.status_code == 201, answer.text
    created: dict[str, object] = answer.json()
    return created


async def _token(
    client: httpx.AsyncClient, client_id: object, secret: object, **form: str
) -> httpx.Response:
    return await client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "client_id": str(client_id),
            "client_secret": str(secret),
            **form,
        },
    )


async def test_the_secret_is_shown_once_and_kept_as_a_digest(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    created = await _register(client, world)
    secret = str(created["client_secret"])
    assert len(secret) >= 40
    stored = await session.scalar(select(ApiClient).where(ApiClient.id == created["id"]))
    assert stored is not None
    assert secret.encode() not in stored.secret_digest
    read = await client.get(f"{CLIENTS}/{created['id']}", headers=world.auth("central_staff"))
    assert read.status_code == 200
    assert "client_secret" not in read.json()
    listed = await client.get(CLIENTS, headers=world.auth("central_staff"))
    assert [c["id"] for c in listed.json()["items"]] == [created["id"]]
    assert "client_secret" not in listed.json()["items"][0]


async def test_a_client_gets_a_token_by_body_and_by_basic(
    client: httpx.AsyncClient, world: World
) -> None:
    created = await _register(client, world)
    by_body = await _token(client, created["id"], created["client_secret"])
    assert by_body.status_code == 200, by_body.text
    token = by_body.json()
    assert token["token_type"] == "Bearer"
    assert 0 < token["expires_in"] <= 3600
    assert set(token["scope"].split()) == {"roster.read", "results.read"}
    assert "refresh_token" not in token
    assert by_body.headers["cache-control"] == "no-store"
    basic = base64.b64encode(f"{created['id']}:{created['client_secret']}".encode()).decode()
    by_basic = await client.post(
        TOKEN,
        data={
            "grant_type": "client_credentials",
            "scope": "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly",
        },
        headers={"Authorization": f"Basic {basic}"},
    )
    assert by_basic.status_code == 200, by_basic.text
    assert by_basic.json()["scope"].endswith("roster-core.readonly")


async def test_token_errors_follow_rfc_6749(client: httpx.AsyncClient, world: World) -> None:
    created = await _register(client, world)
    wrong = await _token(client, created["id"], "not-the-secret")
    assert wrong.status_code == 401
    assert wrong.json() == {
        "error": "invalid_client",
        "error_description": "client authentication failed",
    }
    basic = base64.b64encode(f"{created['id']}:nope".encode()).decode()
    by_basic = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert by_basic.status_code == 401
    assert by_basic.headers["www-authenticate"].startswith("Basic")
    scope = await _token(
        client, created["id"], created["client_secret"], scope="roster.demographics"
    )
    assert (scope.status_code, scope.json()["error"]) == (400, "invalid_scope")
    unknown = await _token(client, created["id"], created["client_secret"], scope="everything")
    assert unknown.json()["error"] == "invalid_scope"
    grant = await client.post(TOKEN, data={"grant_type": "authorization_code", "code": "x"})
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    both = await client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": "a", "client_secret": "b"},
        headers={"Authorization": "Basic " + base64.b64encode(b"a:b").decode()},
    )
    assert both.json()["error"] == "invalid_request"


async def test_the_password_login_is_unchanged(client: httpx.AsyncClient, world: World) -> None:
    user = world.users["teacher"]
    by_json = await client.post(TOKEN, json={"username": user.username, "password": PASSWORD})
    assert by_json.status_code == 200
    assert by_json.json()["refresh_token"]
    by_form = await client.post(
        TOKEN, data={"grant_type": "password", "username": user.username, "password": PASSWORD}
    )
    assert by_form.status_code == 200


async def test_rotation_and_revocation(client: httpx.AsyncClient, world: World) -> None:
    created = await _register(client, world)
    old = str(created["client_secret"])
    token = (await _token(client, created["id"], old)).json()["access_token"]
    rotated = await client.post(
        f"{CLIENTS}/{created['id']}/secret", headers=world.auth("central_staff")
    )
    assert rotated.status_code == 200
    new = rotated.json()["client_secret"]
    assert new != old
    assert (await _token(client, created["id"], old)).status_code == 401
    assert (await _token(client, created["id"], new)).status_code == 200
    schools = "/ims/oneroster/rostering/v1p2/schools"
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.get(schools, headers=auth)).status_code == 200
    revoked = await client.post(
        f"{CLIENTS}/{created['id']}/revoke", headers=world.auth("central_staff")
    )
    assert revoked.json()["revoked_at"] is not None
    # The live token dies with its client, and no new one is given.
    assert (await client.get(schools, headers=auth)).status_code == 401
    assert (await _token(client, created["id"], new)).status_code == 401


async def test_academy_staff_register_within_their_academy_only(
    client: httpx.AsyncClient, world: World
) -> None:
    own = await _register(client, world, "academy_staff")
    assert own["owner_level"] == "academy"
    directorate = await _register(
        client, world, "academy_staff", unit_id=str(world.users["province_staff"].province_id)
    )
    assert directorate["owner_level"] == "province"
    elsewhere = await client.post(
        CLIENTS,
        json={
            "name": "x",
            "scopes": ["roster.read"],
            "unit_id": str(world.schools["c"].academy_id),
        },
        headers=world.auth("academy_staff"),
    )
    assert elsewhere.status_code == 404
    school = await client.post(
        CLIENTS,
        json={"name": "x", "scopes": ["roster.read"], "unit_id": str(world.schools["a1"].id)},
        headers=world.auth("academy_staff"),
    )
    assert school.status_code == 422
    central = await _register(client, world)
    hidden = await client.get(f"{CLIENTS}/{central['id']}", headers=world.auth("academy_staff"))
    assert hidden.status_code == 404
    directorates = await client.get(CLIENTS, headers=world.auth("province_staff"))
    assert directorates.status_code == 403


async def test_a_client_token_opens_no_other_face(client: httpx.AsyncClient, world: World) -> None:
    created = await _register(client, world)
    token = (await _token(client, created["id"], created["client_secret"])).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    for path in (
        "/api/v1/me",
        "/api/v1/steering/overview",
        "/api/v1/school/classes",
        "/api/v1/student/marks",
        CLIENTS,
    ):
        assert (await client.get(path, headers=auth)).status_code == 401, path


async def test_the_registration_is_audited_without_the_secret(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    created = await _register(client, world)
    entries = (
        await session.scalars(select(AuditEntry).where(AuditEntry.entity == "api_clients"))
    ).all()
    [entry] = entries
    assert entry.actor_id == world.users["central_staff"].id
    assert "secret_digest" not in entry.changed
    assert str(created["client_secret"]) not in str(entry.changed)


async def test_jwks_is_absent_under_hs256(client: httpx.AsyncClient) -> None:
    assert (await client.get("/.well-known/jwks.json")).status_code == 404
