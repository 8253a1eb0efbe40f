"""Limits hold under requests at the same moment: a training session's capacity when its
organiser approves registrations at once, and a school's stock when movements take from one
inventory line at once."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import FamilyWorld
from tests.modules.equipment.test_inventory import MICROSCOPE
from tests.modules.trainings.helpers import (
    REGISTRATIONS,
    programme,
    teacher_registers,
    training_session,
)


async def test_two_approvals_at_once_fill_one_place_once(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    world = live_family.teaching.world
    offered = await programme(live_client, world)
    one_place = await training_session(live_client, world, offered["id"], capacity=1)
    registrations = []
    for who in ("teacher", "teacher_fr"):
        registered = await teacher_registers(live_client, world, one_place["id"], who)
        assert registered.status_code == 201, registered.text
        registrations.append(registered.json()["id"])
    answers = await asyncio.gather(
        *(
            live_client.post(f"{REGISTRATIONS}/{r}/approve", headers=world.auth("province_staff"))
            for r in registrations
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["type"].endswith("/session-full")


async def test_movements_at_once_never_take_more_than_the_stock(
    live_client: httpx.AsyncClient, live_family: FamilyWorld
) -> None:
    world = live_family.teaching.world
    movements = "/api/v1/school/equipment/movements"
    staff = world.auth("school_staff")
    received = await live_client.post(
        movements,
        json={
            "kind": "received",
            "item_id": MICROSCOPE,
            "quantity": 3,
            "location": "Laboratoire des courses",
        },
        headers=staff,
    )
    assert received.status_code == 201, received.text
    line_id = received.json()["target"]["line_id"]
    answers = await asyncio.gather(
        *(
            live_client.post(
                movements,
                json={"kind": "written_off", "line_id": line_id, "quantity": 2, "note": "Perdu"},
                headers=staff,
            )
            for _ in range(3)
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 422, 422]
    stock = await live_client.get(
        "/api/v1/school/equipment/inventory",
        params={"location": "Laboratoire des courses", "include_empty": "true"},
        headers=staff,
    )
    assert [line["quantity"] for line in stock.json()["items"]] == [1]
