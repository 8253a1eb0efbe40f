"""Equipment requests: the school asks, its directorate allocates or refuses, delivery fills
the inventory; shortages and the steering figure count them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.roles import Role
from app.messaging.models import Notification
from app.organisation.models import Province
from app.organisation.reference import reference_id
from tests.factories import World, access_token, create_user, ensure_current_year

MICROSCOPE = str(reference_id("equipment_item", "OPT-MICRO"))
BALL = str(reference_id("equipment_item", "EPS-FOOT"))
MAP = str(reference_id("equipment_item", "GEO-MAROC"))
SCHOOL = "/api/v1/school/equipment"
STEERING = "/api/v1/steering/equipment"


@pytest.fixture
async def eq(session: AsyncSession, world: World) -> World:
    """The world with a current school year, staff of school b (Salé) and of the Salé
    directorate."""
    await ensure_current_year(session)
    sale = await session.scalar(select(Province).where(Province.code == "RSK-SALE"))
    extra = {
        "b_staff": await create_user(session, Role.SCHOOL_STAFF, school=world.schools["b"]),
        "sale_staff": await create_user(session, Role.PROVINCE_STAFF, province=sale),
    }
    for name, user in extra.items():
        world.users[name] = user
        world.tokens[name] = await access_token(session, user)
    await session.commit()
    return world


async def submit(
    client: httpx.AsyncClient, world: World, who: str = "school_staff", **quantities: int
) -> dict[str, Any]:
    items = {"microscope": MICROSCOPE, "ball": BALL, "map": MAP}
    lines = [
        {"item_id": items[name], "quantity": n, "reason": "Nouvelle salle"}
        for name, n in quantities.items()
    ]
    response = await client.post(
        f"{SCHOOL}/requests",
        json={"lines": lines, "note": "Rentrée scolaire"},
        headers=world.auth(who),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def act(
    client: httpx.AsyncClient,
    world: World,
    who: str,
    face: str,
    request_id: str,
    action: str,
    body: dict[str, Any] | None = None,
) -> httpx.Response:
    return await client.post(
        f"{face}/requests/{request_id}/{action}", json=body or {}, headers=world.auth(who)
    )


def allocation(request: dict[str, Any], *quantities: int) -> dict[str, Any]:
    lines = sorted(request["lines"], key=lambda line: line["item"]["code"])
    return {
        "lines": [
            {"line_id": line["id"], "allocated_quantity": n}
            for line, n in zip(lines, quantities, strict=True)
        ],
        "comment": "Dotation selon le budget",
    }


async def inbox(session: AsyncSession, world: World, who: str) -> list[str]:
    titles = await session.scalars(
        select(Notification.title_fr).where(
            Notification.user_id == world.users[who].id, Notification.category == "equipment"
        )
    )
    return sorted(titles)


async def test_a_request_from_submission_to_delivery(
    client: httpx.AsyncClient, eq: World, session: AsyncSession
) -> None:
    request = await submit(client, eq, microscope=6, ball=10)
    assert request["status"] == "submitted"
    assert request["actions"] == ["cancel"]
    assert await inbox(session, eq, "province_staff") == ["Nouvelle demande de matériel didactique"]
    assert await inbox(session, eq, "sale_staff") == []

    listed = await client.get(
        f"{STEERING}/requests", params={"status": "submitted"}, headers=eq.auth("province_staff")
    )
    assert [r["id"] for r in listed.json()["items"]] == [request["id"]]
    assert listed.json()["items"][0]["actions"] == ["allocate", "refuse"]

    # Ball (EPS-FOOT) sorts before microscope (OPT-MICRO): 10 balls asked, 4 microscopes of 6.
    allocated = await act(
        client,
        eq,
        "province_staff",
        STEERING,
        request["id"],
        "allocate",
        allocation(request, 10, 4),
    )
    assert allocated.status_code == 200, allocated.text
    assert allocated.json()["status"] == "allocated"
    assert {
        line["item"]["code"]: line["allocated_quantity"] for line in allocated.json()["lines"]
    } == {
        "EPS-FOOT": 10,
        "OPT-MICRO": 4,
    }
    assert allocated.json()["actions"] == ["deliver"]

    delivered = await act(
        client,
        eq,
        "school_staff",
        SCHOOL,
        request["id"],
        "deliver",
        {"location": "Magasin central"},
    )
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["actions"] == []
    assert await inbox(session, eq, "school_staff") == [
        "Demande de matériel : dotation accordée",
        "Matériel livré et entré en inventaire",
    ]
    stock = await client.get(f"{SCHOOL}/inventory", headers=eq.auth("school_staff"))
    assert [
        (line["item"]["code"], line["condition"], line["location"], line["quantity"])
        for line in stock.json()["items"]
    ] == [("EPS-FOOT", "new", "Magasin central", 10), ("OPT-MICRO", "new", "Magasin central", 4)]
    movements = await client.get(
        f"{SCHOOL}/movements", params={"kind": "received"}, headers=eq.auth("school_staff")
    )
    assert {m["request_id"] for m in movements.json()["items"]} == {request["id"]}
    assert sorted(m["quantity"] for m in movements.json()["items"]) == [4, 10]


async def test_moves_the_state_does_not_allow_answer_409(
    client: httpx.AsyncClient, eq: World
) -> None:
    request = await submit(client, eq, microscope=2)
    deliver = await act(client, eq, "province_staff", STEERING, request["id"], "deliver")
    assert deliver.status_code == 409
    assert deliver.json()["type"].endswith("workflow-not-allowed")
    assert deliver.json()["state"] == "submitted"
    give = allocation(request, 2)
    assert (
        await act(client, eq, "province_staff", STEERING, request["id"], "allocate", give)
    ).status_code == 200
    for who, face, action, body in (
        ("province_staff", STEERING, "allocate", give),
        ("province_staff", STEERING, "refuse", {"comment": "Budget épuisé"}),
        ("school_staff", SCHOOL, "cancel", None),
    ):
        response = await act(client, eq, who, face, request["id"], action, body)
        assert response.status_code == 409, (action, response.text)

    refused = await submit(client, eq, ball=3)
    answer = await act(
        client,
        eq,
        "province_staff",
        STEERING,
        refused["id"],
        "refuse",
        {"comment": "Budget épuisé"},
    )
    assert answer.json()["status"] == "refused"
    assert answer.json()["decision_comment"] == "Budget épuisé"
    assert (
        await act(client, eq, "school_staff", SCHOOL, refused["id"], "deliver")
    ).status_code == 409

    cancelled = await submit(client, eq, map=1)
    assert (await act(client, eq, "school_staff", SCHOOL, cancelled["id"], "cancel")).json()[
        "status"
    ] == "cancelled"
    assert (
        await act(
            client,
            eq,
            "province_staff",
            STEERING,
            cancelled["id"],
            "allocate",
            allocation(cancelled, 1),
        )
    ).status_code == 409


async def test_allocations_are_checked_line_by_line(client: httpx.AsyncClient, eq: World) -> None:
    request = await submit(client, eq, microscope=6, ball=10)
    over = await act(
        client,
        eq,
        "province_staff",
        STEERING,
        request["id"],
        "allocate",
        allocation(request, 11, 4),
    )
    assert over.status_code == 422
    assert [e["field"] for e in over.json()["errors"]] == ["body.lines.0.allocated_quantity"]
    partial = allocation(request, 10, 4)
    partial["lines"] = partial["lines"][:1]
    missing = await act(client, eq, "province_staff", STEERING, request["id"], "allocate", partial)
    assert [e["field"] for e in missing.json()["errors"]] == ["body.lines"]
    nothing = await act(
        client, eq, "province_staff", STEERING, request["id"], "allocate", allocation(request, 0, 0)
    )
    assert nothing.status_code == 422
    twice = await client.post(
        f"{SCHOOL}/requests",
        json={"lines": [{"item_id": MAP, "quantity": 1}, {"item_id": MAP, "quantity": 2}]},
        headers=eq.auth("school_staff"),
    )
    assert [e["field"] for e in twice.json()["errors"]] == ["body.lines.1.item_id"]
    empty = await client.post(
        f"{SCHOOL}/requests", json={"lines": []}, headers=eq.auth("school_staff")
    )
    assert empty.status_code == 422


async def test_who_reads_and_who_acts(client: httpx.AsyncClient, eq: World) -> None:
    request = await submit(client, eq, microscope=2)
    rid = request["id"]
    # Another school: 404 on its face; another directorate: 404 on the steering face.
    assert (
        await client.get(f"{SCHOOL}/requests/{rid}", headers=eq.auth("b_staff"))
    ).status_code == 404
    assert (await act(client, eq, "b_staff", SCHOOL, rid, "cancel")).status_code == 404
    theirs = await client.get(f"{STEERING}/requests/{rid}", headers=eq.auth("sale_staff"))
    assert theirs.status_code == 404
    assert "lines" not in theirs.json()
    assert (
        await act(client, eq, "sale_staff", STEERING, rid, "refuse", {"comment": "Non"})
    ).status_code == 404
    listed = await client.get(f"{STEERING}/requests", headers=eq.auth("sale_staff"))
    assert listed.json()["items"] == []
    # The academy and the ministry read, and may not act.
    for who in ("academy_staff", "central_staff"):
        seen = await client.get(f"{STEERING}/requests/{rid}", headers=eq.auth(who))
        assert seen.status_code == 200
        assert seen.json()["actions"] == []
        refused = await act(client, eq, who, STEERING, rid, "refuse", {"comment": "Non"})
        assert refused.status_code == 403
    # The world's "other school" is in another academy: out of this academy's sight.
    other = await submit(client, eq, "other_school_staff", ball=1)
    academy = await client.get(
        f"{STEERING}/requests/{other['id']}", headers=eq.auth("academy_staff")
    )
    assert academy.status_code == 404
    filtered = await client.get(
        f"{STEERING}/requests",
        params={"school_id": str(eq.schools["c"].id)},
        headers=eq.auth("central_staff"),
    )
    assert [r["id"] for r in filtered.json()["items"]] == [other["id"]]


@pytest.mark.parametrize("who", ["school_staff", "teacher", "student", "parent"])
async def test_the_steering_face_is_for_steering_staff(
    client: httpx.AsyncClient, eq: World, who: str
) -> None:
    assert (await client.get(f"{STEERING}/requests", headers=eq.auth(who))).status_code == 403
    assert (await client.get(f"{STEERING}/shortages", headers=eq.auth(who))).status_code == 403


async def test_requests_page_newest_first(client: httpx.AsyncClient, eq: World) -> None:
    made = [(await submit(client, eq, map=n))["id"] for n in (1, 2, 3)]
    headers = eq.auth("school_staff")
    first = (await client.get(f"{SCHOOL}/requests", params={"limit": 2}, headers=headers)).json()
    rest = (
        await client.get(
            f"{SCHOOL}/requests",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=headers,
        )
    ).json()
    assert [r["id"] for r in first["items"] + rest["items"]] == made[::-1]
    assert rest["next_cursor"] is None


async def _history(client: httpx.AsyncClient, eq: World) -> None:
    """School a1: one delivered (6 asked, 4 given), one refused (3), one open (2), one
    cancelled (7); school a2 (same directorate): one open (5); school b (Salé): allocated
    (2 of 2)."""
    done = await submit(client, eq, microscope=6)
    await act(client, eq, "province_staff", STEERING, done["id"], "allocate", allocation(done, 4))
    await act(client, eq, "province_staff", STEERING, done["id"], "deliver")
    refused = await submit(client, eq, ball=3)
    await act(client, eq, "province_staff", STEERING, refused["id"], "refuse", {"comment": "Non"})
    await submit(client, eq, map=2)
    cancelled = await submit(client, eq, ball=7)
    await act(client, eq, "school_staff", SCHOOL, cancelled["id"], "cancel")
    await submit(client, eq, "a2_staff", ball=5)
    sale = await submit(client, eq, "b_staff", map=2)
    await act(client, eq, "sale_staff", STEERING, sale["id"], "allocate", allocation(sale, 2))


@pytest.fixture
async def history(client: httpx.AsyncClient, eq: World, session: AsyncSession) -> World:
    a2_staff = await create_user(session, Role.SCHOOL_STAFF, school=eq.schools["a2"])
    eq.users["a2_staff"] = a2_staff
    eq.tokens["a2_staff"] = await access_token(session, a2_staff)
    await session.commit()
    await _history(client, eq)
    return eq


def _row(rows: list[dict[str, Any]], code: str) -> tuple[int, int, int, int]:
    row = next(r for r in rows if r["code"] == code)
    return row["requested"], row["allocated"], row["delivered"], row["open_requests"]


async def test_shortages_per_school_and_per_directorate(
    client: httpx.AsyncClient, history: World
) -> None:
    province = await client.get(f"{STEERING}/shortages", headers=history.auth("province_staff"))
    rows = province.json()["items"]
    a1, a2 = history.schools["a1"].code, history.schools["a2"].code
    assert {r["code"] for r in rows} >= {a1, a2}
    assert history.schools["b"].code not in {r["code"] for r in rows}
    assert _row(rows, a1) == (11, 4, 4, 1)
    assert _row(rows, a2) == (5, 0, 0, 1)

    academy = await client.get(f"{STEERING}/shortages", headers=history.auth("academy_staff"))
    rows = academy.json()["items"]
    assert _row(rows, "RSK-RABAT") == (16, 4, 4, 2)
    assert _row(rows, "RSK-SALE") == (2, 2, 0, 1)
    assert "CS-ANFA" not in {r["code"] for r in rows}

    balls = await client.get(
        f"{STEERING}/shortages", params={"item_id": BALL}, headers=history.auth("academy_staff")
    )
    assert _row(balls.json()["items"], "RSK-RABAT") == (8, 0, 0, 1)

    first = await client.get(
        f"{STEERING}/shortages", params={"limit": 50}, headers=history.auth("central_staff")
    )
    following = await client.get(
        f"{STEERING}/shortages",
        params={"limit": 200, "cursor": first.json()["next_cursor"]},
        headers=history.auth("central_staff"),
    )
    rows = first.json()["items"] + following.json()["items"]
    assert len(rows) == len({r["unit_id"] for r in rows}) > 50
    assert _row(rows, "RSK-RABAT") == (16, 4, 4, 2)


async def test_the_steering_overview_counts_equipment(
    client: httpx.AsyncClient, history: World
) -> None:
    a1 = history.auth("school_staff")
    lines = (await client.get(f"{SCHOOL}/inventory", headers=a1)).json()["items"]
    await client.post(
        f"{SCHOOL}/movements",
        json={"kind": "broken", "line_id": lines[0]["id"], "quantity": 1},
        headers=a1,
    )
    await client.post(
        f"{SCHOOL}/movements",
        json={
            "kind": "received",
            "item_id": MAP,
            "quantity": 2,
            "condition": "worn",
            "location": "Salle 12",
        },
        headers=a1,
    )
    overview = await client.get("/api/v1/steering/overview", headers=history.auth("province_staff"))
    assert overview.status_code == 200, overview.text
    assert overview.json()["modules"]["equipment"] == {
        "new_or_good": 3,
        "worn": 2,
        "broken": 1,
        "open_requests": 2,
        "requested_this_year": 16,
        "delivered_this_year": 4,
    }
    academy = await client.get("/api/v1/steering/overview", headers=history.auth("academy_staff"))
    figures = academy.json()["modules"]["equipment"]
    assert (figures["open_requests"], figures["requested_this_year"]) == (3, 18)
