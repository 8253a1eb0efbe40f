"""The teacher who carries an action of the school project follows it and reports progress."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import TeachingWorld, ensure_current_year
from tests.modules.school_projects.test_projects import BASE, build_project, ok

MINE = "/api/v1/teacher/projects/actions"


@pytest.fixture
async def project(
    client: httpx.AsyncClient, teaching: TeachingWorld, session: AsyncSession
) -> dict[str, Any]:
    """A draft PEI with an action the maths teacher carries and one a committee carries."""
    await ensure_current_year(session)
    teacher = teaching.world.users["teacher"]
    return await build_project(
        client,
        teaching.auth("school_staff"),
        actions=[
            {
                "title": "Soutien en mathématiques",
                "owner_user_id": str(teacher.id),
                "owner_label": None,
            },
            {},
        ],
    )


async def test_the_owner_sees_and_reports_their_action(
    client: httpx.AsyncClient, teaching: TeachingWorld, project: dict[str, Any]
) -> None:
    teacher = teaching.auth("teacher")
    actions = await ok(await client.get(MINE, headers=teacher))
    assert [a["title"] for a in actions] == ["Soutien en mathématiques"]
    mine = actions[0]
    assert mine["project_status"] == "draft"
    assert mine["axis_title"] == "Amélioration des apprentissages"
    assert mine["objective_title"] == "Réduire le taux de redoublement en 1AC"

    reported = await ok(
        await client.patch(
            f"{MINE}/{mine['id']}", json={"progress": 40, "status": "in_progress"}, headers=teacher
        )
    )
    assert (reported["progress"], reported["status"]) == (40, "in_progress")
    school = await ok(
        await client.get(f"{BASE}/{project['id']}", headers=teaching.auth("school_staff"))
    )
    assert 40 in [
        a["progress"] for axis in school["axes"] for o in axis["objectives"] for a in o["actions"]
    ]


async def test_reports_wait_while_the_directorate_reviews(
    client: httpx.AsyncClient, teaching: TeachingWorld, project: dict[str, Any]
) -> None:
    teacher = teaching.auth("teacher")
    action = project["actions"][0]
    await ok(
        await client.post(f"{BASE}/{project['id']}/submit", headers=teaching.auth("school_staff"))
    )
    locked = await client.patch(f"{MINE}/{action}", json={"progress": 10}, headers=teacher)
    assert locked.status_code == 409
    assert locked.json()["type"].endswith("/plan-locked")
    await ok(
        await client.post(
            f"/api/v1/steering/projects/{project['id']}/approve",
            json={},
            headers=teaching.auth("province_staff"),
        )
    )
    done = await ok(
        await client.patch(
            f"{MINE}/{action}", json={"status": "done", "progress": 100}, headers=teacher
        )
    )
    assert (done["status"], done["progress"], done["project_status"]) == ("done", 100, "approved")


async def test_anothers_action_is_not_found_and_bad_reports_are_422(
    client: httpx.AsyncClient, teaching: TeachingWorld, project: dict[str, Any]
) -> None:
    mine, committee = project["actions"]
    colleague = teaching.auth("teacher_fr")
    assert await ok(await client.get(MINE, headers=colleague)) == []
    for who, action in (("teacher_fr", mine), ("teacher_other", mine), ("teacher", committee)):
        response = await client.patch(
            f"{MINE}/{action}", json={"progress": 5}, headers=teaching.auth(who)
        )
        assert response.status_code == 404
        assert "Soutien" not in response.text
    for body in ({"progress": 120}, {"progress": None}, {"budget": "1"}):
        response = await client.patch(f"{MINE}/{mine}", json=body, headers=teaching.auth("teacher"))
        assert response.status_code == 422, body


@pytest.mark.parametrize("who", ["student", "parent", "school_staff", "province_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, project: dict[str, Any], who: str
) -> None:
    action = project["actions"][0]
    assert (await client.get(MINE, headers=teaching.auth(who))).status_code == 403
    patch = await client.patch(f"{MINE}/{action}", json={"progress": 5}, headers=teaching.auth(who))
    assert patch.status_code == 403
