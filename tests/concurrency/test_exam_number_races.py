"""Candidate numbers generated at the same moment for two sessions (two organisers at work on
the same day): each session numbers every candidate, and no number is given twice, as the
largest number plus one gave it when both read the same largest number."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import FamilyWorld

SCHOOL = "/api/v1/school/exams"


async def _session(client: httpx.AsyncClient, family: FamilyWorld, name: str) -> str:
    created = await client.post(
        SCHOOL,
        json={
            "level_code": "1AC",
            "school_year": family.teaching.year,
            "name_fr": name,
            "name_ar": name,
            "subjects": [
                {
                    "subject_id": str(family.teaching.subjects["MATH"].id),
                    "coefficient": 1,
                    "duration_minutes": 60,
                }
            ],
        },
        headers=family.auth("school_staff"),
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_two_sessions_generated_at_once_never_share_a_candidate_number(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    headers = live_family.auth("school_staff")
    for attempt in range(3):
        exams = [await _session(live_client, live_family, f"Local {attempt} {n}") for n in (1, 2)]
        answers = await asyncio.gather(
            *(live_client.post(f"{SCHOOL}/{exam}/candidates", headers=headers) for exam in exams)
        )
        numbers, seated = [], []
        for answer in answers:
            assert answer.status_code == 200, answer.text
            candidates = answer.json()
            seated.append({c["pupil_id"] for c in candidates})
            numbers += [c["candidate_number"] for c in candidates]
        # The school's 1AC pupils in both (c1's, and those other tests enrolled).
        assert seated[0] == seated[1]
        assert len(seated[0]) > 1
        assert len(set(numbers)) == len(numbers) == 2 * len(seated[0])
        year = live_family.teaching.year % 100
        assert all(len(n) == 9 and n.startswith(f"{year:02d}") for n in numbers)
