"""Operations: Prometheus metrics by route template, JSON access lines, and logs that never
carry a secret."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.core import metrics
from app.core.logs import (
    ACCESS,
    Access,
    AccessLines,
    JsonLogFormatter,
    JsonLogHandler,
    RequestIdLogFilter,
    access_fields,
)
from app.core.roles import Role
from app.core.security import totp as otp
from app.main import create_app
from app.settings import get_settings
from tests.accounts.test_mfa import _activate as activate_mfa
from tests.conftest import ConnectionLender
from tests.factories import PASSWORD, FamilyWorld, TeachingWorld, World
from tests.processes import free_port, massar_serve

ROSTER = "/api/v1/teacher/classes/{class_id}/pupils"


def _operated_app(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    database_url: str,
    hot_reads: ConnectionLender,
) -> FastAPI:
    settings = get_settings().model_copy(update={"metrics_port": 1, "log_format": "json"})
    app = create_app(settings, database_url=database_url)
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.hot_reads = hot_reads  # the hot reads take their lean path, as served
    return app


@pytest.fixture
async def operated(
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
    database_url: str,
    hot_reads: ConnectionLender,
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with metrics and JSON access lines on."""
    app = _operated_app(engine, session_factory, database_url, hot_reads)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


class Lines(logging.Handler):
    """Every record, formatted both ways the service writes them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdLogFilter())
        self.json = JsonLogFormatter()
        self.text = logging.Formatter("%(levelname)s [%(request_id)s] %(name)s: %(message)s")
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.json.format(record))
        self.lines.append(self.text.format(record))

    def access(self) -> list[dict[str, object]]:
        entries = [json.loads(line) for line in self.lines if line.startswith("{")]
        return [entry for entry in entries if entry["logger"] == "massar.access"]


@pytest.fixture
def logs() -> Iterator[Lines]:
    """Everything logged at DEBUG and above, by every logger (SQLAlchemy's included)."""
    handler = Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_requests_are_counted_by_route_template_and_status(
    operated: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    class_id = str(teaching.classes["c1"].id)
    labels = {"method": "GET", "route": ROSTER}
    before = _sample("massar_http_requests_total", **labels, status="200")
    timed = _sample("massar_http_request_duration_seconds_count", **labels, status_class="2xx")
    missing = _sample("massar_http_requests_total", method="GET", route="unmatched", status="404")

    path = f"/api/v1/teacher/classes/{class_id}/pupils"
    assert (await operated.get(path, headers=teaching.auth("teacher"))).status_code == 200
    assert (await operated.get("/api/v1/no-such-thing")).status_code == 404

    assert _sample("massar_http_requests_total", **labels, status="200") == before + 1
    assert (
        _sample("massar_http_request_duration_seconds_count", **labels, status_class="2xx")
        == timed + 1
    )
    assert (
        _sample("massar_http_requests_total", method="GET", route="unmatched", status="404")
        == missing + 1
    )
    # The template, never the path: one series per route, not one per class.
    assert class_id not in generate_latest(REGISTRY).decode()


async def test_logins_and_lockouts_are_counted(operated: httpx.AsyncClient, world: World) -> None:
    username = world.users["teacher"].username
    succeeded = _sample("massar_logins_total", outcome="success")
    failed = _sample("massar_logins_total", outcome="failure")
    locked = _sample("massar_login_lockouts_total", locked="account")
    throttled = _sample("massar_logins_total", outcome="throttled")

    body = {"username": username, "password": PASSWORD}
    assert (await operated.post("/api/v1/auth/token", json=body)).status_code == 200
    limit = get_settings().login_max_failures_per_account
    for _ in range(limit + 1):
        await operated.post("/api/v1/auth/token", json=body | {"password": "not-the-password"})

    assert _sample("massar_logins_total", outcome="success") == succeeded + 1
    assert _sample("massar_logins_total", outcome="failure") == failed + limit
    assert _sample("massar_login_lockouts_total", locked="account") == locked + 1
    assert _sample("massar_logins_total", outcome="throttled") == throttled + 1


async def test_the_pool_in_use_is_measured(operated: httpx.AsyncClient, database_url: str) -> None:
    from app.core.db.runtime import asyncpg_url
    from app.core.db.session import create_engine

    engine = create_engine(get_settings(), asyncpg_url(database_url))
    metrics.watch_pool(engine)
    try:
        lent = _sample("massar_db_pool_connections_in_use")
        async with engine.connect():
            assert _sample("massar_db_pool_connections_in_use") == lent + 1
        assert _sample("massar_db_pool_connections_in_use") == lent
    finally:
        metrics.unwatch_pool(engine)
        await engine.dispose()


async def test_a_json_access_line_names_the_caller_and_the_route(
    operated: httpx.AsyncClient, teaching: TeachingWorld, logs: Lines
) -> None:
    path = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/pupils"
    response = await operated.get(
        path, headers=teaching.auth("teacher") | {"X-Request-ID": "request-0001"}
    )
    assert response.status_code == 200
    (line,) = [entry for entry in logs.access() if entry["request_id"] == "request-0001"]
    assert line["route"] == ROSTER
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["principal_id"] == str(teaching.world.users["teacher"].id)
    assert line["role"] == "teacher"
    assert isinstance(line["duration_ms"], float)
    assert str(teaching.classes["c1"].id) not in json.dumps(line)


@pytest.fixture
def served_json() -> Iterator[io.StringIO]:
    """The access lines as `massar serve` writes them in JSON (`cli.logging_config`): through
    its stream's handler, here the only one that sees them, so they take the straight way."""
    stream = io.StringIO()
    handler = JsonLogHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(RequestIdLogFilter())
    logger = logging.getLogger("massar.access")
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)
        handler.flush()


async def test_the_served_access_line_goes_straight_to_the_json_stream(
    operated: httpx.AsyncClient, teaching: TeachingWorld, served_json: io.StringIO, logs: Lines
) -> None:
    path = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/pupils"
    headers = teaching.auth("teacher") | {"X-Request-ID": "request-0002"}
    assert (await operated.get(path, headers=headers)).status_code == 200
    assert (await operated.get("/api/v1/no-such-thing")).status_code == 404
    logging.getLogger("massar.access").handlers[0].flush()

    lines = [json.loads(line) for line in served_json.getvalue().splitlines()]
    (line,) = [entry for entry in lines if entry["request_id"] == "request-0002"]
    assert line["route"] == ROSTER
    assert line["status"] == 200
    assert line["principal_id"] == str(teaching.world.users["teacher"].id)
    assert line["role"] == "teacher"
    assert isinstance(line["duration_ms"], float)
    assert any(entry["route"] == "unmatched" and entry["role"] is None for entry in lines)
    # No record was made for them: nothing reached the root's handlers.
    assert logs.access() == []


@pytest.mark.parametrize(
    ("method", "route", "status", "principal"),
    [
        ("GET", ROSTER, 200, SimpleNamespace(user_id=uuid.uuid4(), role=Role.TEACHER)),
        ("POST", "/api/v1/auth/token", 401, None),
        ('GE"T\\', "unmatched", 405, None),  # a method is the client's word: escaped
        ("GET", "/api/v1/école/{id}", 500, SimpleNamespace(user_id=uuid.uuid4(), role=Role.PARENT)),
    ],
)
def test_the_straight_line_is_the_formatters_line(
    method: str, route: str, status: int, principal: object
) -> None:
    """Key for key what `JsonLogFormatter` writes for the access record, in the same order."""
    seconds = 0.012345
    access = Access(method, route, status, seconds, principal, "request-0003")
    line = AccessLines().line(access)
    record = logging.LogRecord(
        "massar.access", logging.INFO, __file__, 1, "%s %s %s %.1fms",
        (method, route, status, seconds * 1000), None,
    )  # fmt: skip
    setattr(record, ACCESS, access_fields(access))
    record.request_id = "request-0003"
    expected = json.loads(JsonLogFormatter().format(record))
    written = json.loads(line)
    assert list(written) == list(expected)
    assert line.replace(written["time"], expected["time"]) == JsonLogFormatter().format(record)
    assert {k: v for k, v in written.items() if k != "time"} == {
        k: v for k, v in expected.items() if k != "time"
    }
    assert abs(datetime.fromisoformat(written["time"]) - datetime.now(UTC)).total_seconds() < 5


async def test_the_lines_of_a_loop_turn_are_written_at_once_and_before_a_record() -> None:
    stream = io.StringIO()
    handler = JsonLogHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.write_line('{"n": 1}')
    handler.write_line('{"n": 2}')
    assert stream.getvalue() == ""  # gathered until the event loop turns
    await asyncio.sleep(0)
    assert stream.getvalue().splitlines() == ['{"n": 1}', '{"n": 2}']

    handler.write_line('{"n": 3}')
    handler.emit(logging.LogRecord("massar", logging.WARNING, __file__, 1, "four", (), None))
    assert stream.getvalue().splitlines()[2:] == ['{"n": 3}', "four"]


async def test_no_secret_reaches_the_logs(
    operated: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession, logs: Lines
) -> None:
    """Logins, refreshes, the second factor, one-time codes and activation driven through the
    API with every logger at DEBUG: none of the secrets shows in any line."""
    client, world = operated, family.teaching.world
    secrets: list[str] = [PASSWORD, "not-the-password"]

    # A password login, a wrong one, a refresh and a logout.
    username = world.users["teacher"].username
    await client.post(
        "/api/v1/auth/token", json={"username": username, "password": "not-the-password"}
    )
    pair = (
        await client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    ).json()
    renewed = (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    ).json()
    await client.post("/api/v1/auth/logout", json={"refresh_token": renewed["refresh_token"]})
    secrets += [
        pair["access_token"],
        pair["refresh_token"],
        renewed["access_token"],
        renewed["refresh_token"],
    ]

    # A staff login with the second factor: the challenge, a TOTP code, a recovery code.
    staff = world.users["school_staff"]
    totp_secret, recovery = await activate_mfa(session, staff)
    for code in (otp.totp_at(totp_secret, datetime.now(UTC)), recovery[0]):
        challenge = (
            await client.post(
                "/api/v1/auth/token", json={"username": staff.username, "password": PASSWORD}
            )
        ).json()
        tokens = (
            await client.post(
                "/api/v1/auth/mfa", json={"challenge": challenge["challenge"], "code": code}
            )
        ).json()
        assert "access_token" in tokens, tokens
        secrets += [challenge["challenge"], code, tokens["access_token"], tokens["refresh_token"]]
    secrets += [totp_secret, *recovery]

    # An activation code issued by the school, used to set a password, then that password.
    pupil = family.stranger
    issued = (
        await client.post(
            f"/api/v1/school/pupils/{pupil.id}/account-code", headers=family.auth("school_staff")
        )
    ).json()
    new_password = "pupil-own-secret-77"
    activated = await client.post(
        "/api/v1/auth/activate",
        json={"username": issued["username"], "code": issued["code"], "new_password": new_password},
    )
    assert activated.status_code == 204, activated.text
    logged_in = (
        await client.post(
            "/api/v1/auth/token", json={"username": issued["username"], "password": new_password}
        )
    ).json()
    secrets += [issued["code"], new_password, logged_in["access_token"], logged_in["refresh_token"]]

    text = "\n".join(logs.lines)
    assert logs.access(), "the requests were logged"
    for secret in secrets:
        assert secret not in text, f"a secret reached the logs: {secret[:4]}…"


def test_massar_serve_serves_metrics_on_its_own_port(database_url: str) -> None:
    """`massar serve` with two workers: the metrics port answers the sum of both workers."""
    port, metrics_port = free_port(), free_port()
    env = {
        **os.environ,
        "MASSAR_DATABASE_URL": database_url,
        "MASSAR_PORT": str(port),
        "MASSAR_WORKERS": "2",
        "MASSAR_METRICS_PORT": str(metrics_port),
        "MASSAR_LOG_FORMAT": "json",
    }
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as stderr:
        with massar_serve(env, port, stderr=stderr), httpx.Client(base_url=base) as client:
            for _ in range(20):
                assert client.get("/api/v1/no-such-thing").status_code == 404
            scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
            # The API's own port does not serve them.
            assert client.get("/metrics").status_code == 404
        stderr.seek(0)
        logged = stderr.read().decode()
    # 20 misses, whichever worker took them, summed across the workers.
    line = next(
        row
        for row in scraped.splitlines()
        if row.startswith("massar_http_requests_total{")
        and 'route="unmatched"' in row
        and 'status="404"' in row
    )
    assert float(line.rsplit(" ", 1)[1]) == 20
    assert "massar_db_pool_capacity" in scraped
    json_lines = [line for line in logged.splitlines() if line.startswith("{")]
    assert any(json.loads(line).get("route") == "unmatched" for line in json_lines)
