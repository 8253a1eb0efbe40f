"""The role that serves requests owns nothing: it reads and writes rows, and the audit trigger
still records its writes, but it cannot forge, change or erase the audit, disable or drop a
trigger, or alter a table."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.core.db.runtime import Database, grant_serving_role, run_admin_sql
from tests.factories import current_school_year_number


@pytest.fixture(scope="module")
def serving(database_url: str) -> Iterator[Database]:
    """A login role of its own, granted like the serving role of a deployment."""
    role = f"massar_serving_{uuid.uuid4().hex[:8]}"
    run_admin_sql(database_url, f"CREATE ROLE {role} LOGIN")
    url = make_url(database_url).set(username=role).render_as_string(hide_password=False)
    db = Database(url=url, owner_url=database_url)
    grant_serving_role(db)
    try:
        yield db
    finally:
        run_admin_sql(database_url, f"DROP OWNED BY {role}; DROP ROLE {role}")


def _as_serving(db: Database, *statements: str) -> None:
    url = make_url(db.url)

    async def run() -> None:
        conn = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database
        )
        try:
            async with conn.transaction():
                for statement in statements:
                    await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor_role = 'nobody'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "INSERT INTO audit_log (actor_role, action, entity, changed) "
        "VALUES ('system', 'insert', 'marks', '{}')",
        "ALTER TABLE marks DISABLE TRIGGER audit_marks",
        "DROP TRIGGER audit_marks ON marks",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE users ADD COLUMN backdoor text",
        "DROP TABLE messages",
        "CREATE TABLE shadow (id int)",
        "SELECT audit_filter('insert', '{}', '{}', '{}')",
        "DELETE FROM audit_log_default",
        f"INSERT INTO marks_y{current_school_year_number()} SELECT * FROM marks LIMIT 0",  # noqa: S608
    ],
    ids=[
        "update-audit",
        "delete-audit",
        "truncate-audit",
        "forge-audit",
        "disable-trigger",
        "drop-trigger",
        "disable-append-only",
        "alter-table",
        "drop-table",
        "create-table",
        "call-audit-function",
        "delete-audit-partition",
        "write-a-partition",
    ],
)
def test_the_serving_role_is_refused(serving: Database, statement: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        _as_serving(serving, statement)


def test_the_serving_role_writes_rows_and_the_audit_records_them(serving: Database) -> None:
    url = make_url(serving.url)
    account = uuid.uuid4()

    async def run() -> int:
        conn = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database
        )
        try:
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO users (id, username, password_hash, role, first_name, last_name,"
                    " is_active) VALUES ($1, $2, 'x', 'central_staff', 'Test', 'Test', true)",
                    account,
                    f"{account.hex}@men.gov.ma",
                )
                await conn.execute("DELETE FROM users WHERE id = $1", account)
            recorded: int = await conn.fetchval(
                "SELECT count(*) FROM audit_log WHERE entity = 'users' AND entity_id = $1", account
            )
            return recorded
        finally:
            await conn.close()

    assert asyncio.run(run()) == 2  # the insert and the delete, written by the trigger
