"""The migration that narrows the audit scrubs what the audit already held: message bodies,
free-text reasons and phone numbers written before it are gone after it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import alembic_config
from app.core.db.runtime import temporary_database

BEFORE = "4d1e2f3a5b01"
SCRUB = "4d1e2f3a5b02"
BODY = "Mon fils est malade, appelez-moi au 0612345678"


@pytest.fixture
def database(server_url: str) -> Iterator[str]:
    with temporary_database(server_url, "massar_scrub") as url:
        yield url


def _run(url: str, statement: str, **params: str) -> list[str]:
    async def run() -> list[str]:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        try:
            async with engine.begin() as conn:
                rows = await conn.execute(text(statement), params)
                return [str(row[0]) for row in rows] if rows.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_the_audit_written_before_is_scrubbed(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, BEFORE)
    # A row written by the former trigger, which copied every column.
    _run(
        database,
        "INSERT INTO audit_log (actor_role, action, entity, entity_id, changed) VALUES "
        "('parent', 'insert', 'messages', gen_random_uuid(), "
        " jsonb_build_object('body', CAST(:body AS text), 'thread_id', gen_random_uuid())),"
        "('student', 'update', 'pupil_contacts', gen_random_uuid(), jsonb_build_object("
        " 'phone', jsonb_build_array(null, CAST(:phone AS text)),"
        " 'operator', jsonb_build_array(null, 'iam')))",
        body=BODY,
        phone="0661234567",
    )
    command.upgrade(config, SCRUB)
    after = _run(database, "SELECT changed::text FROM audit_log ORDER BY entity")
    assert len(after) == 2
    assert not any(BODY in row or "0661234567" in row for row in after)
    messages = next(row for row in after if "thread_id" in row)
    assert "sha256:" in messages
    contact = next(row for row in after if "operator" in row)
    assert '"phone": "[withheld]"' in contact
    assert '"operator": [null, "iam"]' in contact
