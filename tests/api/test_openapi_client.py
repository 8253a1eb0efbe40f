"""The apps' client is generated from the committed document with every model and operation,
and drives a pupil's session through the service: log in, read the marks, refresh, log out."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import PASSWORD, FamilyWorld, create_test_with_marks

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "v1.json"
PACKAGE = "massar_client"


def _file_media_types(document: dict[str, Any]) -> set[str]:
    """The media types of the files the API serves: PDF, images, spreadsheets."""
    return {
        media
        for operations in document["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
        for media in response.get("content", {})
        if not (media == "application/json" or media.endswith("+json"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The client generated from the committed document (a minute of work: once), and what
    the generator said."""
    # The generator reads JSON, text and octet-stream bodies only: a file download is bytes to it.
    root = tmp_path_factory.mktemp("generated")
    files = _file_media_types(json.loads(DOCUMENT.read_text()))
    config = root / "config.json"
    config.write_text(
        json.dumps(
            {
                "post_hooks": [],
                "content_type_overrides": dict.fromkeys(files, "application/octet-stream"),
            }
        )
    )
    generated = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate"),
            *("--path", str(DOCUMENT), "--output-path", str(root / PACKAGE)),
            *("--meta", "none", "--config", str(config), "--fail-on-warning"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    sys.path.insert(0, str(root))
    yield root / PACKAGE, output
    sys.path.remove(str(root))
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_the_generated_client_has_every_model_and_the_login(generated: tuple[Path, str]) -> None:
    # Any warning (a duplicate or missing model, an operation left out) fails the test.
    client, output = generated
    assert "Warning" not in output, output
    login = client / "api" / "auth" / "auth_token.py"
    assert "LoginRequest" in login.read_text()


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


async def test_a_pupil_session_through_the_generated_client(
    generated: tuple[Path, str], app: FastAPI, family: FamilyWorld, session: AsyncSession
) -> None:
    t = family.teaching
    await create_test_with_marks(
        session,
        t.classes["c1"],
        t.subjects["MATH"],
        t.world.users["teacher"],
        {family.child: Decimal("14.5")},
    )
    await session.commit()
    transport = {"transport": httpx.ASGITransport(app=app)}
    models = _module("models")
    anonymous = _module("client").Client(base_url="http://test", httpx_args=transport)
    username = t.world.users["student"].username

    login = await _module("api.auth.auth_token").asyncio(
        client=anonymous, body=models.LoginRequest(username=username, password=PASSWORD)
    )
    assert isinstance(login, models.TokenPair), login
    pupil = _module("client").AuthenticatedClient(
        base_url="http://test", token=login.access_token, httpx_args=transport
    )
    report = await _module("api.student.student_marks").asyncio(client=pupil, semester=1)
    assert isinstance(report, models.MarksReport), report
    assert "14.5" in json.dumps(report.to_dict())

    refresh = _module("api.auth.auth_refresh")
    renewed = await refresh.asyncio(
        client=anonymous, body=models.RefreshRequest(refresh_token=login.refresh_token)
    )
    assert isinstance(renewed, models.TokenPair), renewed
    ended = await _module("api.auth.auth_logout").asyncio_detailed(
        client=anonymous, body=models.RefreshRequest(refresh_token=renewed.refresh_token)
    )
    assert ended.status_code == 204
    # The login is over: its refresh token is refused, as the contract's problem.
    refused = await refresh.asyncio(
        client=anonymous, body=models.RefreshRequest(refresh_token=renewed.refresh_token)
    )
    assert isinstance(refused, models.Problem)
    assert refused.status == 401
