"""A teacher's marks written at the moment the test is submitted (the app open on two phones,
a retried request): either the write comes first and the submission judges the marks it left,
or the submission comes first and the write is refused. Never a submitted test with marks
changed behind it, such as a pupil's mark cleared after the check that every pupil has one."""

from __future__ import annotations

import asyncio
import itertools

import httpx

from tests.factories import FamilyWorld

KINDS = ("test_1", "test_2", "test_3", "test_4", "integrated_activities")


async def _filled_test(
    client: httpx.AsyncClient, family: FamilyWorld, class_name: str, kind: str
) -> tuple[str, list[str]]:
    """A draft test of the second semester with a mark for every pupil of the class."""
    teaching = family.teaching
    headers = teaching.auth("teacher")
    created = await client.post(
        f"/api/v1/teacher/classes/{teaching.classes[class_name].id}/tests",
        json={
            "subject_id": str(teaching.subjects["MATH"].id),
            "semester": 2,
            "kind": kind,
            "date": "2027-03-10",
            "title": f"Contrôle {kind}",
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    test_id = created.json()["id"]
    pupils = [str(p.id) for p in teaching.pupils[class_name]]
    rows = [{"pupil_id": pupil, "mark": 12} for pupil in pupils]
    filled = await client.put(f"/api/v1/teacher/tests/{test_id}/marks", json=rows, headers=headers)
    assert filled.status_code == 200, filled.text
    return test_id, pupils


async def test_a_mark_cleared_while_the_test_is_submitted_never_leaves_it_incomplete(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    headers = live_family.teaching.auth("teacher")
    for class_name, kind in itertools.product(("c1", "c2"), KINDS):
        test_id, pupils = await _filled_test(live_client, live_family, class_name, kind)
        cleared, submitted = await asyncio.gather(
            live_client.put(
                f"/api/v1/teacher/tests/{test_id}/marks",
                json=[{"pupil_id": pupils[0]}],  # no mark, no absence, no remark: cleared
                headers=headers,
            ),
            live_client.post(f"/api/v1/teacher/tests/{test_id}/submit", headers=headers),
        )
        outcome = (cleared.status_code, submitted.status_code)
        # The write first (the submission then finds a pupil without a mark), or the
        # submission first (the write is refused): nothing else.
        assert outcome in {(200, 409), (409, 200)}, (cleared.text, submitted.text)
        loser, why = (
            (cleared, "marks-locked") if outcome[0] == 409 else (submitted, "marks-missing")
        )
        assert loser.json()["type"].endswith(f"/{why}"), loser.text
        answer = await live_client.get(f"/api/v1/teacher/tests/{test_id}/marks", headers=headers)
        test = answer.json()
        marked = {mark["pupil_id"] for mark in test["marks"] if mark["mark"] is not None}
        if test["test"]["status"] == "submitted":
            assert marked == set(pupils), f"submitted without a mark for {set(pupils) - marked}"
        else:
            assert marked == set(pupils[1:])
