"""Integrated school projects (PEI), steering's face: the list in the caller's part of the
tree, the directorate's decision, the summary by unit and the overview figure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.roles import Role
from app.messaging.models import Notification, NotificationCategory
from tests.factories import World, access_token, create_school, create_user
from tests.modules.school_projects.test_projects import (
    RATE,
    action_body,
    build_project,
    ok,
    year,
)

__all__ = ["year"]  # the fixture, used by every test here

STEERING = "/api/v1/steering/projects"
OVERVIEW = "/api/v1/steering/overview"


@pytest.fixture
async def projects(
    client: httpx.AsyncClient, session: AsyncSession, world: World, year: int
) -> dict[str, dict[str, Any]]:
    """PEIs of a1 (submitted), a2 (draft, Rabat), b (draft, Salé) and c (draft, Casablanca).

    a1: actions of 1000 (done, 100 %), 500 (in progress, 40 %), 300 (cancelled, 0 %);
    indicators: a rate to lower reached (11.9 <= 12), one not yet measured.
    a2: one action of 2000 at 10 %; an indicator to raise, not reached (70 < 75).
    """
    for name in ("a2", "b"):
        staff = await create_user(session, Role.SCHOOL_STAFF, school=world.schools[name])
        world.tokens[f"staff_{name}"] = await access_token(session, staff)
    await session.commit()
    built = {
        "a1": await build_project(
            client,
            world.auth("school_staff"),
            actions=[
                {"budget": "1000", "status": "done", "progress": 100},
                {"budget": "500", "status": "in_progress", "progress": 40},
                {"budget": "300", "status": "cancelled", "progress": 0},
            ],
            indicators=[{**RATE, "actual": "11.9"}, RATE],
        ),
        "a2": await build_project(
            client,
            world.auth("staff_a2"),
            actions=[{"budget": "2000", "progress": 10}],
            indicators=[{**RATE, "baseline": "60", "target": "75", "actual": "70"}],
        ),
        "b": await build_project(client, world.auth("staff_b")),
        "c": await build_project(client, world.auth("other_school_staff")),
    }
    await ok(
        await client.post(
            f"/api/v1/school/projects/{built['a1']['id']}/submit",
            headers=world.auth("school_staff"),
        )
    )
    return built


async def _ids(client: httpx.AsyncClient, world: World, who: str, **params: Any) -> list[str]:
    page = await ok(await client.get(STEERING, params=params, headers=world.auth(who)))
    return [p["id"] for p in page["items"]]


async def test_each_level_lists_its_part_of_the_tree(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    ids = {name: p["id"] for name, p in projects.items()}
    assert set(await _ids(client, world, "province_staff")) == {ids["a1"], ids["a2"]}
    assert set(await _ids(client, world, "academy_staff")) == {ids["a1"], ids["a2"], ids["b"]}
    assert set(await _ids(client, world, "central_staff")) == set(ids.values())
    assert await _ids(client, world, "central_staff", status="submitted") == [ids["a1"]]
    salé = str(world.schools["b"].province_id)
    assert await _ids(client, world, "academy_staff", province_id=salé) == [ids["b"]]
    assert await _ids(client, world, "central_staff", school_year=2001) == []


async def test_the_list_pages_by_school_code(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    headers = world.auth("central_staff")
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await ok(await client.get(STEERING, params=params, headers=headers))
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    codes = [p["school"]["code"] for p in seen]
    assert codes == sorted(codes)
    assert len(seen) == 4


async def test_a_project_outside_the_tree_is_not_found(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    salé = projects["b"]["id"]
    for request in (
        client.get(f"{STEERING}/{salé}", headers=world.auth("province_staff")),
        client.get(f"{STEERING}/{salé}/reviews", headers=world.auth("province_staff")),
        client.post(f"{STEERING}/{salé}/approve", headers=world.auth("province_staff")),
    ):
        response = await request
        assert response.status_code == 404
        assert "Réduire" not in response.text
    academy = await ok(await client.get(f"{STEERING}/{salé}", headers=world.auth("academy_staff")))
    assert academy["axes"][0]["objectives"][0]["title"].startswith("Réduire")
    assert academy["actions"] == []


@pytest.mark.parametrize("who", ["academy_staff", "central_staff"])
async def test_only_the_directorate_decides(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]], who: str
) -> None:
    pid = projects["a1"]["id"]
    readable = await ok(await client.get(f"{STEERING}/{pid}", headers=world.auth(who)))
    assert readable["status"] == "submitted"
    for action, body in (("approve", {}), ("return", {"comment": "Non"})):
        response = await client.post(
            f"{STEERING}/{pid}/{action}", json=body, headers=world.auth(who)
        )
        assert response.status_code == 403


async def test_the_directorate_reviews_a_submitted_project(
    client: httpx.AsyncClient,
    world: World,
    session: AsyncSession,
    projects: dict[str, dict[str, Any]],
) -> None:
    province = world.auth("province_staff")
    a1, a2 = projects["a1"]["id"], projects["a2"]["id"]
    # The submission told the Rabat directorate.
    told = await session.scalars(
        select(Notification.data).where(
            Notification.user_id == world.users["province_staff"].id,
            Notification.category == NotificationCategory.SCHOOL_PROJECT,
        )
    )
    assert [d["project_id"] for d in told] == [a1]
    shown = await ok(await client.get(f"{STEERING}/{a1}", headers=province))
    assert shown["actions"] == ["approve", "return"]
    draft = await client.post(f"{STEERING}/{a2}/approve", headers=province)
    assert draft.status_code == 409
    assert draft.json()["type"].endswith("/workflow-not-allowed")
    approved = await ok(await client.post(f"{STEERING}/{a1}/approve", headers=province))
    assert approved["status"] == "approved"
    assert approved["actions"] == []
    twice = await client.post(f"{STEERING}/{a1}/return", json={"comment": "x"}, headers=province)
    assert twice.status_code == 409
    history = await ok(await client.get(f"{STEERING}/{a1}/reviews", headers=province))
    assert [r["action"] for r in history["items"]] == ["approve", "submit"]


async def test_school_staff_get_403_on_the_steering_face(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    pid = projects["a1"]["id"]
    for who in ("school_staff", "teacher", "student", "parent"):
        for request in (
            client.get(STEERING, headers=world.auth(who)),
            client.get(f"{STEERING}/summary", headers=world.auth(who)),
            client.get(f"{STEERING}/{pid}", headers=world.auth(who)),
            client.post(f"{STEERING}/{pid}/approve", headers=world.auth(who)),
        ):
            assert (await request).status_code == 403


def _figures(**fields: Any) -> dict[str, Any]:
    empty = {
        "schools_with_project": 0,
        "by_status": {"draft": 0, "submitted": 0, "approved": 0, "returned": 0},
        "budget_planned": "0.00",
        "mean_progress": None,
        "budget_done": "0.00",
        "indicators": 0,
        "indicators_on_target": 0,
    }
    return empty | fields


A1 = _figures(
    schools_with_project=1,
    by_status={"draft": 0, "submitted": 1, "approved": 0, "returned": 0},
    budget_planned="1500.00",
    mean_progress="70.0",
    budget_done="1000.00",
    indicators=2,
    indicators_on_target=1,
)
A2 = _figures(
    schools_with_project=1,
    by_status={"draft": 1, "submitted": 0, "approved": 0, "returned": 0},
    budget_planned="2000.00",
    mean_progress="10.0",
    indicators=1,
)
B = _figures(
    schools_with_project=1,
    by_status={"draft": 1, "submitted": 0, "approved": 0, "returned": 0},
    budget_planned="1000.00",
    mean_progress="0.0",
)


async def test_the_directorate_summary_by_school(
    client: httpx.AsyncClient, world: World, year: int, projects: dict[str, dict[str, Any]]
) -> None:
    summary = await ok(
        await client.get(f"{STEERING}/summary", headers=world.auth("province_staff"))
    )
    assert summary["unit"]["level"] == "province"
    assert summary["school_year"] == year
    by_school = {item["unit"]["id"]: item["figures"] for item in summary["items"]}
    assert by_school == {
        str(world.schools["a1"].id): A1,
        str(world.schools["a2"].id): A2,
    }
    assert summary["total"] == _figures(
        schools_with_project=2,
        by_status={"draft": 1, "submitted": 1, "approved": 0, "returned": 0},
        budget_planned="3500.00",
        mean_progress="50.0",  # (100 + 40 + 10) / 3
        budget_done="1000.00",
        indicators=3,
        indicators_on_target=1,
    )
    other_year = await ok(
        await client.get(
            f"{STEERING}/summary",
            params={"school_year": year - 1},
            headers=world.auth("province_staff"),
        )
    )
    assert other_year["total"] == _figures()


async def test_the_academy_summary_by_directorate(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    summary = await ok(await client.get(f"{STEERING}/summary", headers=world.auth("academy_staff")))
    by_province = {item["unit"]["code"]: item["figures"] for item in summary["items"]}
    assert by_province["RSK-SALE"] == B
    assert by_province["RSK-RABAT"]["schools_with_project"] == 2
    assert by_province["RSK-RABAT"]["budget_planned"] == "3500.00"
    assert all(
        f == _figures() for code, f in by_province.items() if code not in ("RSK-SALE", "RSK-RABAT")
    )
    assert summary["total"]["schools_with_project"] == 3
    assert summary["total"]["mean_progress"] == "37.5"  # (100 + 40 + 10 + 0) / 4


async def test_the_overview_shows_this_years_projects(
    client: httpx.AsyncClient, world: World, projects: dict[str, dict[str, Any]]
) -> None:
    central = await ok(
        await client.get("/api/v1/steering/overview", headers=world.auth("central_staff"))
    )
    assert central["modules"]["school_projects"] == {
        "schools_with_project": 4,
        "by_status": {"draft": 3, "submitted": 1, "approved": 0, "returned": 0},
        "budget_planned": "5500.00",
        "mean_progress": "30.0",  # (100 + 40 + 10 + 0 + 0) / 5
    }
    school = await ok(
        await client.get(
            f"/api/v1/steering/units/{world.schools['a2'].id}", headers=world.auth("province_staff")
        )
    )
    assert school["modules"]["school_projects"]["budget_planned"] == "2000.00"


@pytest.fixture
def statements(connection: AsyncConnection) -> Iterator[list[str]]:
    """The SQL statements sent on the test's connection, as they go."""
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(args[2])

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    yield sent
    event.remove(connection.sync_connection, "before_cursor_execute", record)


async def _statements_for(
    client: httpx.AsyncClient, statements: list[str], url: str, headers: dict[str, str]
) -> int:
    statements.clear()
    await ok(await client.get(url, headers=headers))
    return len(statements)


async def test_reads_cost_the_same_whatever_the_size(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    projects: dict[str, dict[str, Any]],
    statements: list[str],
) -> None:
    school, province = world.auth("staff_a2"), world.auth("province_staff")
    tree = f"/api/v1/school/projects/{projects['a2']['id']}"
    reads = (tree, school), (f"{STEERING}/summary", province), (OVERVIEW, province)
    before = [await _statements_for(client, statements, url, who) for url, who in reads]

    # Five more actions and indicators in a2, and one more school of Rabat with a PEI.
    objective = projects["a2"]["objective"]
    for n in range(5):
        body = action_body(budget=str(n))
        url = f"{tree}/objectives/{objective}/actions"
        await ok(await client.post(url, json=body, headers=school), 201)
        url = f"{tree}/objectives/{objective}/indicators"
        await ok(await client.post(url, json=RATE, headers=school), 201)
    newcomer = await create_school(session, province_code="RSK-RABAT")
    staff = await create_user(session, Role.SCHOOL_STAFF, school=newcomer)
    token = {"Authorization": f"Bearer {await access_token(session, staff)}"}
    await session.commit()
    await build_project(client, token, actions=[{}, {}], indicators=[RATE])

    after = [await _statements_for(client, statements, url, who) for url, who in reads]
    assert after == before
