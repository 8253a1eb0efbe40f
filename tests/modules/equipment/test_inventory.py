"""Didactic equipment: the catalogue, a school's inventory and the movements that keep it
consistent (never below zero), the school face's guards."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.modules.equipment.models import InventoryLine
from app.organisation.reference import reference_id
from tests.factories import World

MICROSCOPE = str(reference_id("equipment_item", "OPT-MICRO"))
BEAKER = str(reference_id("equipment_item", "VER-BECH-250"))
PROJECTOR = str(reference_id("equipment_item", "INFO-VP"))
INFO = str(reference_id("equipment_category", "INFO"))
BASE = "/api/v1/school/equipment"


async def move(
    client: httpx.AsyncClient, world: World, who: str = "school_staff", **body: Any
) -> httpx.Response:
    return await client.post(f"{BASE}/movements", json=body, headers=world.auth(who))


async def receive(
    client: httpx.AsyncClient, world: World, item: str, quantity: int, location: str
) -> dict[str, Any]:
    response = await move(
        client, world, kind="received", item_id=item, quantity=quantity, location=location
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def inventory(client: httpx.AsyncClient, world: World, **params: Any) -> list[Any]:
    response = await client.get(
        f"{BASE}/inventory", params=params, headers=world.auth("school_staff")
    )
    assert response.status_code == 200, response.text
    return [
        (line["item"]["code"], line["condition"], line["location"], line["quantity"])
        for line in response.json()["items"]
    ]


# ---- catalogue ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["school_staff", "province_staff", "academy_staff", "central_staff"]
)
async def test_every_staff_member_reads_the_catalogue(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    found = await client.get(
        "/api/v1/equipment/catalogue", params={"q": "microscope"}, headers=world.auth(who)
    )
    assert found.status_code == 200, found.text
    codes = [item["code"] for item in found.json()["items"]]
    assert codes == ["OPT-MICRO", "OPT-MICRO-BIN"]
    info = await client.get(
        "/api/v1/equipment/catalogue",
        params={"category_id": INFO, "limit": 3},
        headers=world.auth(who),
    )
    first = info.json()
    assert len(first["items"]) == 3
    rest = await client.get(
        "/api/v1/equipment/catalogue",
        params={"category_id": INFO, "limit": 200, "cursor": first["next_cursor"]},
        headers=world.auth(who),
    )
    codes = [i["code"] for i in first["items"] + rest.json()["items"]]
    assert codes == sorted(codes)
    assert len(codes) == 9
    assert {i["category"]["code"] for i in rest.json()["items"]} == {"INFO"}


@pytest.mark.parametrize("who", ["teacher", "student", "parent"])
async def test_the_catalogue_is_for_staff(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    for path in ("/api/v1/equipment/catalogue", "/api/v1/equipment/categories"):
        assert (await client.get(path, headers=world.auth(who))).status_code == 403


async def test_only_central_staff_add_to_the_catalogue(
    client: httpx.AsyncClient, world: World
) -> None:
    new = {
        "category_id": INFO,
        "code": "info-vp-led",
        "name_fr": "Vidéoprojecteur LED",
        "name_ar": "جهاز عرض ضوئي LED",
        "unit": "pièce",
    }
    for who in ("school_staff", "province_staff", "academy_staff"):
        response = await client.post(
            "/api/v1/equipment/catalogue", json=new, headers=world.auth(who)
        )
        assert response.status_code == 403
    created = await client.post(
        "/api/v1/equipment/catalogue", json=new, headers=world.auth("central_staff")
    )
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "INFO-VP-LED"
    again = await client.post(
        "/api/v1/equipment/catalogue", json=new, headers=world.auth("central_staff")
    )
    assert again.status_code == 409
    bad = await client.post(
        "/api/v1/equipment/catalogue",
        json={**new, "code": "bad code!", "extra": 1},
        headers=world.auth("central_staff"),
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.code", "body.extra"}


# ---- movements keep the inventory consistent ------------------------------------------------


async def test_movements_keep_the_inventory_consistent(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    entry = await receive(client, world, MICROSCOPE, 10, "Laboratoire SVT 1")
    line_id = entry["target"]["line_id"]
    await receive(client, world, MICROSCOPE, 2, "Laboratoire SVT 1")  # same line, adds up
    await receive(client, world, PROJECTOR, 3, "Salle informatique")

    moved = await move(
        client, world, kind="moved", line_id=line_id, quantity=4, location="Laboratoire SVT 2"
    )
    assert moved.status_code == 201, moved.text
    assert moved.json()["source"]["line_id"] == line_id
    broken = await move(client, world, kind="broken", line_id=line_id, quantity=1)
    assert broken.status_code == 201, broken.text
    assert broken.json()["target"]["condition"] == "broken"
    broken_line = broken.json()["target"]["line_id"]
    off = await move(
        client, world, kind="written_off", line_id=broken_line, quantity=1, note="Irréparable"
    )
    assert off.status_code == 201, off.text
    assert off.json()["target"] is None

    assert await inventory(client, world) == [
        ("INFO-VP", "new", "Salle informatique", 3),
        ("OPT-MICRO", "new", "Laboratoire SVT 1", 7),
        ("OPT-MICRO", "new", "Laboratoire SVT 2", 4),
    ]
    with_empty = await inventory(client, world, include_empty="true", item_id=MICROSCOPE)
    assert ("OPT-MICRO", "broken", "Laboratoire SVT 1", 0) in with_empty
    assert await inventory(client, world, location="Laboratoire SVT 2") == [
        ("OPT-MICRO", "new", "Laboratoire SVT 2", 4)
    ]
    # Every movement is a row, and the audit trigger saw each of them.
    audited = await session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.entity == "equipment_movements", AuditEntry.entity_id == off.json()["id"]
        )
    )
    assert audited is not None


async def test_the_inventory_never_goes_below_zero(
    client: httpx.AsyncClient, world: World, session: AsyncSession
) -> None:
    line_id = (await receive(client, world, BEAKER, 5, "Laboratoire PC"))["target"]["line_id"]
    too_many = await move(client, world, kind="written_off", line_id=line_id, quantity=6)
    assert too_many.status_code == 422
    error = too_many.json()["errors"][0]
    assert error["field"] == "body.quantity"
    assert error["code"] == "insufficient_quantity"
    assert "only 5 left" in error["message"]
    negative = await move(client, world, kind="received", item_id=BEAKER, quantity=-3, location="X")
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "body.quantity"
    assert await inventory(client, world) == [("VER-BECH-250", "new", "Laboratoire PC", 5)]
    # The CHECK is the last guard, should a statement ever bypass the service.
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(
                update(InventoryLine).where(InventoryLine.id == line_id).values(quantity=-1)
            )


async def test_each_kind_asks_for_its_own_fields(client: httpx.AsyncClient, world: World) -> None:
    line_id = (await receive(client, world, BEAKER, 5, "Laboratoire PC"))["target"]["line_id"]
    cases = [
        ({"kind": "received", "item_id": BEAKER, "quantity": 1}, {"body.location"}),
        (
            {"kind": "moved", "quantity": 1, "item_id": BEAKER, "location": "Magasin"},
            {"body.line_id", "body.item_id"},
        ),
        ({"kind": "moved", "line_id": line_id, "quantity": 1}, {"body.location"}),
        (
            {"kind": "moved", "line_id": line_id, "quantity": 1, "location": "Laboratoire PC"},
            {"body.location"},
        ),
        (
            {"kind": "written_off", "line_id": line_id, "quantity": 1, "location": "Magasin"},
            {"body.location"},
        ),
        (
            {
                "kind": "received",
                "item_id": BEAKER,
                "quantity": 1,
                "location": "Magasin",
                "occurred_on": "2999-01-01",
            },
            {"body.occurred_on"},
        ),
        (
            {
                "kind": "received",
                "item_id": MICROSCOPE[:-4] + "0000",
                "quantity": 1,
                "location": "Magasin",
            },
            {"body.item_id"},
        ),
    ]
    for body, fields in cases:
        response = await move(client, world, **body)
        assert response.status_code == 422, body
        assert {e["field"] for e in response.json()["errors"]} == fields, body
    broken = await move(client, world, kind="broken", line_id=line_id, quantity=1)
    again = await move(
        client, world, kind="broken", line_id=broken.json()["target"]["line_id"], quantity=1
    )
    assert again.status_code == 422
    assert await inventory(client, world) == [
        ("VER-BECH-250", "broken", "Laboratoire PC", 1),
        ("VER-BECH-250", "new", "Laboratoire PC", 4),
    ]


async def test_history_pages_and_filters(client: httpx.AsyncClient, world: World) -> None:
    line_id = (await receive(client, world, BEAKER, 5, "Laboratoire PC"))["target"]["line_id"]
    await receive(client, world, MICROSCOPE, 2, "Laboratoire SVT 1")
    await move(
        client,
        world,
        kind="moved",
        line_id=line_id,
        quantity=2,
        location="Magasin",
        occurred_on="2025-10-01",
    )
    headers = world.auth("school_staff")
    first = (await client.get(f"{BASE}/movements", params={"limit": 2}, headers=headers)).json()
    second = (
        await client.get(
            f"{BASE}/movements",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=headers,
        )
    ).json()
    kinds = [m["kind"] for m in first["items"] + second["items"]]
    assert kinds == ["received", "received", "moved"]  # newest date first
    assert second["next_cursor"] is None
    only = await client.get(
        f"{BASE}/movements", params={"kind": "received", "item_id": BEAKER}, headers=headers
    )
    assert [m["item"]["code"] for m in only.json()["items"]] == ["VER-BECH-250"]
    october = await client.get(
        f"{BASE}/movements", params={"from": "2025-10-01", "to": "2025-10-31"}, headers=headers
    )
    assert [m["kind"] for m in october.json()["items"]] == ["moved"]
    wrong = await client.get(
        f"{BASE}/movements", params={"from": "2025-10-31", "to": "2025-10-01"}, headers=headers
    )
    assert wrong.status_code == 422


# ---- scope and roles ------------------------------------------------------------------------


async def test_another_schools_line_is_not_found(client: httpx.AsyncClient, world: World) -> None:
    line_id = (await receive(client, world, BEAKER, 5, "Laboratoire PC"))["target"]["line_id"]
    mine = await client.get(f"{BASE}/inventory/{line_id}", headers=world.auth("school_staff"))
    assert mine.json()["quantity"] == 5
    theirs = await client.get(
        f"{BASE}/inventory/{line_id}", headers=world.auth("other_school_staff")
    )
    assert theirs.status_code == 404
    assert "quantity" not in theirs.json()
    taken = await move(
        client, world, "other_school_staff", kind="written_off", line_id=line_id, quantity=1
    )
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["code"] == "unknown_line"
    listed = await client.get(f"{BASE}/inventory", headers=world.auth("other_school_staff"))
    assert listed.json()["items"] == []
    history = await client.get(f"{BASE}/movements", headers=world.auth("other_school_staff"))
    assert history.json()["items"] == []


@pytest.mark.parametrize(
    "who", ["teacher", "student", "parent", "province_staff", "academy_staff", "central_staff"]
)
async def test_the_school_face_is_for_school_staff(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    headers = world.auth(who)
    assert (await client.get(f"{BASE}/inventory", headers=headers)).status_code == 403
    assert (await client.get(f"{BASE}/movements", headers=headers)).status_code == 403
    assert (await client.get(f"{BASE}/requests", headers=headers)).status_code == 403
    posted = await move(
        client, world, who, kind="received", item_id=BEAKER, quantity=1, location="X"
    )
    assert posted.status_code == 403
