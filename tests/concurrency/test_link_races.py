"""Wrong link codes sent at once by one parent get no more tries than sent one by one."""

from __future__ import annotations

import asyncio

import httpx

from app.family.links import MAX_FAILED_LINKS
from tests.factories import FamilyWorld

BURST = 15


async def test_wrong_codes_at_once_are_counted_one_after_the_other(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    pupil = live_family.stranger
    body = {
        "massar_code": pupil.massar_code,
        "birth_date": pupil.birth_date.isoformat(),
        "link_code": "ZZZZ-ZZZZ",
        "kinship": "father",
    }
    headers = live_family.auth("parent")
    answers = await asyncio.gather(
        *(
            live_client.post("/api/v1/parent/children", json=body, headers=headers)
            for _ in range(BURST)
        )
    )
    codes = [answer.status_code for answer in answers]
    assert codes.count(422) == MAX_FAILED_LINKS
    assert codes.count(429) == BURST - MAX_FAILED_LINKS
