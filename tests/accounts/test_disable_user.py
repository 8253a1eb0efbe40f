"""Disabling an account ends its logins at once: refresh and access tokens alike."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from typer.testing import CliRunner

from app import cli
from app.accounts import logins as auth
from app.accounts.models import AuthSession, User
from app.errors import NotFound
from app.settings import Environment, Settings
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.usefixtures("world")


async def _pair(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200
    pair: dict[str, str] = response.json()
    return pair


async def test_disabling_revokes_every_refresh_token(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    user = world.users["teacher"]
    phone = await _pair(client, user.username)
    tablet = await _pair(client, user.username)

    disabled = await auth.disable_user(session, user.username.upper())
    await session.commit()
    assert disabled.id == user.id
    await session.refresh(user)
    assert user.is_active is False
    assert user.disabled_at is not None
    reasons = (
        await session.scalars(
            select(AuthSession.revoked_reason).where(AuthSession.user_id == user.id)
        )
    ).all()
    assert set(reasons) == {"account_disabled"}

    for pair in (phone, tablet):
        refresh = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert refresh.status_code == 401
        me = await client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
        )
        assert me.status_code == 401
    # Other accounts are untouched.
    assert (await client.get("/api/v1/me", headers=world.auth("student"))).status_code == 200


async def test_disabling_an_unknown_account_is_not_found(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await auth.disable_user(session, "nobody.here@taalim.ma")


def _run(database_url: str, work: str, username: str) -> User | None:
    async def run() -> User | None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as conn:
                if work == "delete":
                    await conn.execute(delete(User).where(User.username == username))
                    return None
                if work == "create":
                    await conn.execute(
                        User.__table__.insert().values(
                            id=uuid.uuid4(),
                            username=username,
                            password_hash="x",
                            role="central_staff",
                            first_name="Cli",
                            last_name="Disabled",
                        )
                    )
                row = (await conn.execute(select(User).where(User.username == username))).first()
                return User(**row._mapping) if row else None
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def cli_settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = Settings(environment=Environment.TEST, database_url=database_url)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    return settings


@pytest.mark.usefixtures("cli_settings")
def test_cli_disable_user(database_url: str) -> None:
    username = "cli.disabled@men.gov.ma"
    _run(database_url, "create", username)
    try:
        result = CliRunner().invoke(cli.cli, ["disable-user", "--username", username])
        assert result.exit_code == 0, result.output
        assert "revoked" in result.output
        user = _run(database_url, "read", username)
        assert user is not None
        assert user.is_active is False
        assert user.disabled_at is not None
    finally:
        _run(database_url, "delete", username)


@pytest.mark.usefixtures("cli_settings")
def test_cli_disable_user_unknown() -> None:
    result = CliRunner().invoke(cli.cli, ["disable-user", "--username", "nobody@men.gov.ma"])
    assert result.exit_code == 2
    assert "no such account" in result.output
