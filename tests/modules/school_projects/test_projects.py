"""Integrated school projects (PEI), the school's face: the plan, its validation, the locks
of the review workflow and the scope."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.messaging.models import Notification, NotificationCategory
from tests.factories import World, ensure_current_year

BASE = "/api/v1/school/projects"


@pytest.fixture
async def year(session: AsyncSession, world: World) -> int:
    """The current school year, which a PEI belongs to."""
    number = await ensure_current_year(session)
    await session.commit()
    return number


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def build_project(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    actions: list[dict[str, Any]] | None = None,
    indicators: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A project with one axis and one objective, and the given actions and indicators."""
    project = await ok(
        await client.post(BASE, json={"title": "PEI 2025-2026"}, headers=headers), 201
    )
    pid = project["id"]
    axis = await ok(
        await client.post(
            f"{BASE}/{pid}/axes", json={"title": "Amélioration des apprentissages"}, headers=headers
        ),
        201,
    )
    objective = await ok(
        await client.post(
            f"{BASE}/{pid}/axes/{axis['id']}/objectives",
            json={"title": "Réduire le taux de redoublement en 1AC"},
            headers=headers,
        ),
        201,
    )
    ids: dict[str, Any] = {"id": pid, "axis": axis["id"], "objective": objective["id"]}
    ids["actions"] = [
        (
            await ok(
                await client.post(
                    f"{BASE}/{pid}/objectives/{objective['id']}/actions",
                    json=action_body(**a),
                    headers=headers,
                ),
                201,
            )
        )["id"]
        for a in actions or [{}]
    ]
    ids["indicators"] = [
        (
            await ok(
                await client.post(
                    f"{BASE}/{pid}/objectives/{objective['id']}/indicators",
                    json=indicator,
                    headers=headers,
                ),
                201,
            )
        )["id"]
        for indicator in indicators or []
    ]
    return ids


def action_body(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Cours de soutien en mathématiques",
        "owner_label": "Cellule de veille",
        "starts_on": "2025-10-01",
        "ends_on": "2026-05-31",
        "budget": "1000.00",
        **fields,
    }


RATE = {"name": "Taux de redoublement 1AC", "unit": "%", "baseline": "18.5", "target": "12"}


async def test_the_school_builds_and_reads_its_project(
    client: httpx.AsyncClient, world: World, year: int
) -> None:
    headers = world.auth("school_staff")
    teacher = world.users["teacher"]
    ids = await build_project(
        client,
        headers,
        actions=[
            {"owner_user_id": str(teacher.id), "owner_label": None, "budget": "2500.50"},
            {"budget": "700", "status": "done", "progress": 100},
            {"budget": "300", "status": "cancelled", "progress": 10},
        ],
        indicators=[RATE, {**RATE, "name": "Taux de réussite", "baseline": "60", "target": "75"}],
    )
    again = await client.post(BASE, json={"title": "Encore"}, headers=headers)
    assert again.status_code == 409
    second_axis = await ok(
        await client.post(
            f"{BASE}/{ids['id']}/axes", json={"title": "Vie scolaire"}, headers=headers
        ),
        201,
    )
    assert second_axis["position"] == 2
    await ok(
        await client.patch(
            f"{BASE}/{ids['id']}/indicators/{ids['indicators'][0]}",
            json={"actual": "11.9"},
            headers=headers,
        )
    )
    await ok(
        await client.patch(
            f"{BASE}/{ids['id']}", json={"diagnosis": "Redoublement élevé en 1AC."}, headers=headers
        )
    )

    project = await ok(await client.get(f"{BASE}/{ids['id']}", headers=headers))
    assert project["school_year"] == year
    assert project["status"] == "draft"
    assert project["actions"] == ["submit"]
    assert project["diagnosis"] == "Redoublement élevé en 1AC."
    assert [a["title"] for a in project["axes"]] == [
        "Amélioration des apprentissages",
        "Vie scolaire",
    ]
    objective = project["axes"][0]["objectives"][0]
    assert objective["title"] == "Réduire le taux de redoublement en 1AC"
    assert len(objective["actions"]) == 3
    owned = next(a for a in objective["actions"] if a["owner_user"])
    assert owned["owner_user"]["id"] == str(teacher.id)
    assert [i["on_target"] for i in objective["indicators"]] == [True, None]
    assert project["totals"] == {
        "actions": 2,
        "budget_planned": "3200.50",
        "budget_done": "700.00",
        "mean_progress": "50.0",
        "indicators": 2,
        "indicators_on_target": 1,
    }
    listed = await ok(await client.get(BASE, headers=headers))
    assert [p["id"] for p in listed["items"]] == [ids["id"]]
    assert listed["next_cursor"] is None
    current = await ok(await client.get(f"{BASE}/current", headers=headers))
    assert current == project
    none_yet = await client.get(f"{BASE}/current", headers=world.auth("other_school_staff"))
    assert none_yet.status_code == 404


async def test_deleting_an_axis_takes_what_is_under_it(
    client: httpx.AsyncClient, world: World, year: int
) -> None:
    headers = world.auth("school_staff")
    ids = await build_project(client, headers, indicators=[RATE])
    response = await client.delete(f"{BASE}/{ids['id']}/axes/{ids['axis']}", headers=headers)
    assert response.status_code == 204
    project = await ok(await client.get(f"{BASE}/{ids['id']}", headers=headers))
    assert project["axes"] == []
    assert project["totals"]["actions"] == 0
    gone = await client.patch(
        f"{BASE}/{ids['id']}/actions/{ids['actions'][0]}", json={"progress": 5}, headers=headers
    )
    assert gone.status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ends_on": "2025-09-01"}, "body.ends_on"),
        ({"budget": "-1"}, "body.budget"),
        ({"budget": "12345678901.00"}, "body.budget"),
        ({"progress": 101}, "body.progress"),
        ({"status": "ongoing"}, "body.status"),
        ({"owner_user_id": "9b2f1b7e-6a3c-4f2e-9c1d-2b1f0e3a4c5d"}, "body"),  # two owners
        ({"owner_label": None}, "body"),  # no owner
        ({"title": ""}, "body.title"),
        ({"colour": "blue"}, "body.colour"),
    ],
)
async def test_an_invalid_action_is_refused(
    client: httpx.AsyncClient, world: World, year: int, body: dict[str, Any], field: str
) -> None:
    headers = world.auth("school_staff")
    ids = await build_project(client, headers)
    response = await client.post(
        f"{BASE}/{ids['id']}/objectives/{ids['objective']}/actions",
        json=action_body(**body),
        headers=headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_an_action_owner_must_belong_to_the_school(
    client: httpx.AsyncClient, world: World, year: int, session: AsyncSession
) -> None:
    headers = world.auth("school_staff")
    ids = await build_project(client, headers)
    url = f"{BASE}/{ids['id']}/actions/{ids['actions'][0]}"
    for stranger in ("other_school_staff", "student", "parent"):
        response = await client.patch(
            url, json={"owner_user_id": str(world.users[stranger].id)}, headers=headers
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.owner_user_id"
    moved = await client.patch(url, json={"ends_on": "2025-01-01"}, headers=headers)
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "body.ends_on"
    nulled = await client.patch(url, json={"budget": None}, headers=headers)
    assert nulled.status_code == 422
    owner = world.users["school_staff"]
    changed = await ok(
        await client.patch(url, json={"owner_user_id": str(owner.id)}, headers=headers)
    )
    assert changed["owner_user"]["id"] == str(owner.id)
    assert changed["owner_label"] is None
    # An owner who leaves the school does not block the follow-up of their action.
    teacher = world.users["teacher"]
    await ok(await client.patch(url, json={"owner_user_id": str(teacher.id)}, headers=headers))
    teacher.is_active = False
    await session.commit()
    followed = await ok(await client.patch(url, json={"progress": 25}, headers=headers))
    assert followed["owner_user"]["id"] == str(teacher.id)


async def test_an_empty_project_cannot_be_submitted(
    client: httpx.AsyncClient, world: World, year: int
) -> None:
    headers = world.auth("school_staff")
    project = await ok(await client.post(BASE, json={"title": "PEI"}, headers=headers), 201)
    response = await client.post(f"{BASE}/{project['id']}/submit", headers=headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"axes", "objectives", "actions"}
    await ok(
        await client.post(f"{BASE}/{project['id']}/axes", json={"title": "Axe"}, headers=headers),
        201,
    )
    response = await client.post(f"{BASE}/{project['id']}/submit", headers=headers)
    assert {e["field"] for e in response.json()["errors"]} == {"objectives", "actions"}


async def test_the_plan_locks_while_submitted_and_after_approval(
    client: httpx.AsyncClient, world: World, year: int, session: AsyncSession
) -> None:
    headers = world.auth("school_staff")
    ids = await build_project(client, headers, indicators=[RATE])
    pid, action, indicator = ids["id"], ids["actions"][0], ids["indicators"][0]
    submitted = await ok(
        await client.post(f"{BASE}/{pid}/submit", json={"comment": "Pour avis"}, headers=headers)
    )
    assert submitted["status"] == "submitted"
    assert submitted["actions"] == []
    again = await client.post(f"{BASE}/{pid}/submit", headers=headers)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/workflow-not-allowed")

    locked = [
        client.post(f"{BASE}/{pid}/axes", json={"title": "Nouvel axe"}, headers=headers),
        client.patch(f"{BASE}/{pid}", json={"title": "Autre"}, headers=headers),
        client.patch(f"{BASE}/{pid}/actions/{action}", json={"budget": "9"}, headers=headers),
        # Under review even the follow-up waits.
        client.patch(f"{BASE}/{pid}/actions/{action}", json={"progress": 30}, headers=headers),
        client.delete(f"{BASE}/{pid}/objectives/{ids['objective']}", headers=headers),
    ]
    for request in locked:
        response = await request
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/plan-locked")

    province = world.auth("province_staff")
    approved = await ok(
        await client.post(
            f"/api/v1/steering/projects/{pid}/approve",
            json={"comment": "Bon projet"},
            headers=province,
        )
    )
    assert approved["status"] == "approved"
    # Follow-up: progress and actual values.
    followed = await ok(
        await client.patch(
            f"{BASE}/{pid}/actions/{action}",
            json={"status": "in_progress", "progress": 40},
            headers=headers,
        )
    )
    assert followed["progress"] == 40
    measured = await ok(
        await client.patch(
            f"{BASE}/{pid}/indicators/{indicator}", json={"actual": "14"}, headers=headers
        )
    )
    assert measured["on_target"] is False
    for request in (
        client.patch(
            f"{BASE}/{pid}/actions/{action}", json={"budget": "9", "progress": 50}, headers=headers
        ),
        client.patch(
            f"{BASE}/{pid}/indicators/{indicator}", json={"target": "10"}, headers=headers
        ),
        client.delete(f"{BASE}/{pid}/actions/{action}", headers=headers),
        client.post(
            f"{BASE}/{pid}/objectives/{ids['objective']}/indicators", json=RATE, headers=headers
        ),
    ):
        response = await request
        assert response.status_code == 409, response.text
    notified = await session.scalars(
        select(Notification.category).where(Notification.user_id == world.users["school_staff"].id)
    )
    assert list(notified) == [NotificationCategory.SCHOOL_PROJECT]


async def test_a_returned_project_is_reworked_and_submitted_again(
    client: httpx.AsyncClient, world: World, year: int
) -> None:
    headers = world.auth("school_staff")
    province = world.auth("province_staff")
    ids = await build_project(client, headers)
    pid = ids["id"]
    await ok(await client.post(f"{BASE}/{pid}/submit", headers=headers))
    no_comment = await client.post(
        f"/api/v1/steering/projects/{pid}/return", json={}, headers=province
    )
    assert no_comment.status_code == 422
    assert no_comment.json()["errors"][0]["field"] == "body.comment"
    returned = await ok(
        await client.post(
            f"/api/v1/steering/projects/{pid}/return",
            json={"comment": "Chiffrer les actions de l'axe 1."},
            headers=province,
        )
    )
    assert returned["status"] == "returned"
    await ok(
        await client.patch(
            f"{BASE}/{pid}/actions/{ids['actions'][0]}", json={"budget": "1500"}, headers=headers
        )
    )
    resubmitted = await ok(await client.post(f"{BASE}/{pid}/submit", headers=headers))
    assert resubmitted["status"] == "submitted"
    history = await ok(await client.get(f"{BASE}/{pid}/reviews", headers=headers))
    assert [(r["action"], r["comment"]) for r in history["items"]] == [
        ("submit", None),
        ("return", "Chiffrer les actions de l'axe 1."),
        ("submit", None),
    ]
    assert history["items"][1]["by"]["id"] == str(world.users["province_staff"].id)
    first = await ok(await client.get(f"{BASE}/{pid}/reviews?limit=2", headers=headers))
    rest = await ok(
        await client.get(
            f"{BASE}/{pid}/reviews",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=headers,
        )
    )
    assert [r["id"] for r in first["items"] + rest["items"]] == [r["id"] for r in history["items"]]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "province_staff"])
async def test_other_roles_get_403_on_the_school_face(
    client: httpx.AsyncClient, world: World, year: int, who: str
) -> None:
    ids = await build_project(client, world.auth("school_staff"))
    for request in (
        client.get(BASE, headers=world.auth(who)),
        client.get(f"{BASE}/{ids['id']}", headers=world.auth(who)),
        client.post(BASE, json={"title": "PEI"}, headers=world.auth(who)),
        client.post(f"{BASE}/{ids['id']}/submit", headers=world.auth(who)),
    ):
        assert (await request).status_code == 403


async def test_another_schools_project_is_not_found(
    client: httpx.AsyncClient, world: World, year: int
) -> None:
    mine = await build_project(client, world.auth("school_staff"), indicators=[RATE])
    other = world.auth("other_school_staff")
    theirs = await build_project(client, other)
    pid = mine["id"]
    for request in (
        client.get(f"{BASE}/{pid}", headers=other),
        client.get(f"{BASE}/{pid}/reviews", headers=other),
        client.patch(f"{BASE}/{pid}", json={"title": "x"}, headers=other),
        client.post(f"{BASE}/{pid}/submit", headers=other),
        client.post(f"{BASE}/{pid}/axes", json={"title": "x"}, headers=other),
        client.delete(f"{BASE}/{pid}/actions/{mine['actions'][0]}", headers=other),
        # Our objects through their own project: not found either.
        client.post(
            f"{BASE}/{theirs['id']}/axes/{mine['axis']}/objectives",
            json={"title": "x"},
            headers=other,
        ),
        client.post(
            f"{BASE}/{theirs['id']}/objectives/{mine['objective']}/actions",
            json=action_body(),
            headers=other,
        ),
        client.patch(
            f"{BASE}/{theirs['id']}/actions/{mine['actions'][0]}",
            json={"progress": 1},
            headers=other,
        ),
        client.patch(
            f"{BASE}/{theirs['id']}/indicators/{mine['indicators'][0]}",
            json={"actual": "1"},
            headers=other,
        ),
        client.patch(
            f"{BASE}/{theirs['id']}/objectives/{mine['objective']}",
            json={"title": "x"},
            headers=other,
        ),
    ):
        response = await request
        assert response.status_code == 404, response.text
        assert "Réduire" not in response.text
    listed = await ok(await client.get(BASE, headers=other))
    assert [p["id"] for p in listed["items"]] == [theirs["id"]]
