"""One-time codes are stored as an HMAC under a server secret, never as a plain hash that a
copy of the database alone would let anyone reverse."""

from __future__ import annotations

import hashlib

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import AccountCode
from app.core.security.one_time_codes import hash_code, keyed_hash, new_code
from app.settings import get_settings
from tests.factories import FamilyWorld


def test_the_stored_value_depends_on_the_server_secret() -> None:
    code = new_code()
    assert keyed_hash(b"one secret", code) != keyed_hash(b"another secret", code)
    assert hash_code(code) == keyed_hash(get_settings().code_hash_secret, code)


def test_dashes_spaces_and_case_do_not_matter() -> None:
    assert hash_code("abcd-efgh") == hash_code(" ABCDEFGH")


async def test_an_issued_code_is_not_stored_as_its_plain_hash(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    issued = await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/account-code",
        headers=family.auth("school_staff"),
    )
    assert issued.status_code == 201, issued.text
    code = issued.json()["code"]
    stored = await session.scalar(
        select(AccountCode.code_hash).where(AccountCode.code_hash == hash_code(code))
    )
    assert stored is not None
    plain = hashlib.sha256(code.replace("-", "").upper().encode()).digest()
    assert stored != plain
