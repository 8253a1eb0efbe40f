"""The `massar` command, on the test database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import create_async_engine
from typer.testing import CliRunner

from app import cli
from app.accounts.models import User
from app.core.security.passwords import verify_password
from app.settings import Environment, Settings


@pytest.fixture
def test_settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = Settings(environment=Environment.TEST, database_url=database_url)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    return settings


def _user(database_url: str, username: str, *, remove: bool = False) -> User | None:
    async def run() -> User | None:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as conn:
                row = (await conn.execute(select(User).where(User.username == username))).first()
                if remove:
                    await conn.execute(delete(User).where(User.username == username))
                return User(**row._mapping) if row else None
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_create_user_reads_the_password_from_stdin(
    test_settings: Settings, database_url: str
) -> None:
    username = "cli.created@men.gov.ma"
    try:
        result = CliRunner().invoke(
            cli.cli,
            [
                "create-user",
                "--username",
                "CLI.Created@men.gov.ma",
                "--role",
                "academy_staff",
                "--first-name",
                "Samira",
                "--last-name",
                "Ouazzani",
                "--academy-code",
                "FM",
                "--password-stdin",
            ],
            input="a-long-enough-password\n",
        )
        assert result.exit_code == 0, result.output
        assert "a-long-enough-password" not in result.output
        user = _user(database_url, username)
        assert user is not None
        assert user.role == "academy_staff"
        assert user.academy_id is not None
        assert asyncio.run(verify_password(user.password_hash, "a-long-enough-password"))[0]
    finally:
        _user(database_url, username, remove=True)


def test_create_user_refuses_a_pupil_login_that_is_not_a_massar_code(
    test_settings: Settings,
) -> None:
    result = CliRunner().invoke(
        cli.cli,
        [
            "create-user",
            "--username",
            "someone@taalim.ma",
            "--role",
            "student",
            "--first-name",
            "A",
            "--last-name",
            "B",
            "--school-code",
            "25001A",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 2
    assert "username" in result.output


def test_export_openapi_writes_the_document(tmp_path: Path) -> None:
    target = tmp_path / "v1.json"
    result = CliRunner().invoke(cli.cli, ["export-openapi", "--output", str(target)])
    assert result.exit_code == 0
    assert '"openapi"' in target.read_text()


def test_purge_applies_the_retention_rules_once(test_settings: Settings) -> None:
    result = CliRunner().invoke(cli.cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "refresh_tokens" in result.output
    assert "sync_operations" in result.output


def test_render_snapshots_renders_what_is_published(test_settings: Settings) -> None:
    # The test database holds nothing published: the command runs and says so.
    result = CliRunner().invoke(cli.cli, ["render-snapshots"])
    assert result.exit_code == 0, result.output
    assert "rendered 0 marks documents and 0 exam results documents" in result.output
