"""Partnerships on the school face: partners, an agreement's life, roles and validation."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import World
from tests.modules.partnerships.helpers import (
    SCHOOL,
    STEERING,
    Callers,
    act,
    days,
    make_callers,
    new_agreement,
    new_partner,
)


@pytest.fixture
async def callers(session: AsyncSession, world: World) -> Callers:
    return await make_callers(session, world)


async def test_school_agreement_from_draft_to_end(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    director = callers("school_staff")
    partner = await new_partner(client, SCHOOL, director, ice=None, phone="+212 537 00 00 00")
    assert partner["owner"]["level"] == "school"
    assert partner["manageable"] is True

    created = await new_agreement(client, SCHOOL, director, partner["id"])
    assert created.status_code == 201, created.text
    agreement = created.json()
    school = callers.world.schools["a1"]
    assert agreement["status"] == "draft"
    assert agreement["actions"] == ["activate"]
    assert [s["code"] for s in agreement["schools"]] == [school.code]
    assert agreement["money_total"] == "120000.00"
    assert [c["kind"] for c in agreement["contributions"]] == ["money", "in_kind", "in_kind"]
    assert agreement["owner"]["name_fr"] == school.name_fr
    assert agreement["partner"] == {"id": partner["id"], "kind": "ngo", "name": "Fondation Zakoura"}

    # A draft may be rewritten; activation needs a signature date, not in the future.
    rewritten = await new_agreement(client, SCHOOL, director, partner["id"])
    draft_id = rewritten.json()["id"]
    body = {
        "partner_id": partner["id"],
        "title": "Cantine scolaire",
        "domain": "social_support",
        "start_date": days(0),
        "end_date": days(100),
    }
    put = await client.put(f"{SCHOOL}/agreements/{draft_id}", json=body, headers=director)
    assert put.status_code == 200, put.text
    assert put.json()["contributions"] == []
    assert put.json()["money_total"] == "0"

    agreement_id = agreement["id"]
    missing = await act(client, SCHOOL, director, agreement_id, "activate")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.signed_on"
    future = await act(client, SCHOOL, director, agreement_id, "activate", days(3))
    assert future.status_code == 422

    active = await act(client, SCHOOL, director, agreement_id, "activate", days(-2))
    assert active.status_code == 200, active.text
    assert active.json()["status"] == "active"
    assert active.json()["signed_on"] == days(-2)
    assert active.json()["actions"] == ["suspend", "end"]
    assert active.json()["expired"] is False

    again = await act(client, SCHOOL, director, agreement_id, "activate", days(-2))
    assert again.status_code == 409
    assert again.json()["type"].endswith("workflow-not-allowed")
    signed = await client.put(f"{SCHOOL}/agreements/{agreement_id}", json=body, headers=director)
    assert signed.status_code == 409

    for action, state in (("suspend", "suspended"), ("resume", "active"), ("end", "ended")):
        moved = await act(client, SCHOOL, director, agreement_id, action)
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == state
    assert (await act(client, SCHOOL, director, agreement_id, "resume")).status_code == 409
    assert (await act(client, SCHOOL, director, agreement_id, "nope")).status_code == 422

    # The school's other staff heard of its start and its end; the actor did not.
    inbox = await client.get("/api/v1/me/notifications", headers=callers("deputy"))
    partnership_news = [n for n in inbox.json()["items"] if n["category"] == "partnerships"]
    assert len(partnership_news) == 2
    mine = await client.get("/api/v1/me/notifications", headers=director)
    assert not [n for n in mine.json()["items"] if n["category"] == "partnerships"]


async def test_partner_names_are_unique_per_unit(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    director = callers("school_staff")
    first = await new_partner(
        client, SCHOOL, director, name="Commune de Rabat", kind="local_authority"
    )
    twin = await client.post(
        f"{SCHOOL}/partners",
        json={"kind": "local_authority", "name": "  COMMUNE  de   rabat "},
        headers=director,
    )
    assert twin.status_code == 409
    # Another unit may register the same partner (its own record).
    other = await client.post(
        f"{SCHOOL}/partners",
        json={"kind": "local_authority", "name": "Commune de Rabat"},
        headers=callers("other_school_staff"),
    )
    assert other.status_code == 201
    renamed = await client.put(
        f"{SCHOOL}/partners/{first['id']}",
        json={"kind": "local_authority", "name": "Commune de Rabat", "email": "contact@rabat.ma"},
        headers=director,
    )
    assert renamed.status_code == 200
    assert renamed.json()["email"] == "contact@rabat.ma"
    # The other school's partner is neither visible nor editable here.
    foreign = await client.get(f"{SCHOOL}/partners/{other.json()['id']}", headers=director)
    assert foreign.status_code == 404
    edit = await client.put(
        f"{SCHOOL}/partners/{other.json()['id']}",
        json={"kind": "ngo", "name": "Pris"},
        headers=director,
    )
    assert edit.status_code == 404
    listed = await client.get(f"{SCHOOL}/partners", params={"q": "rabat"}, headers=director)
    assert [p["id"] for p in listed.json()["items"]] == [first["id"]]


async def test_invalid_input_names_the_field(client: httpx.AsyncClient, callers: Callers) -> None:
    director = callers("school_staff")
    bad_partner = await client.post(
        f"{SCHOOL}/partners",
        json={"kind": "company", "name": "Société X", "ice": "12AB", "extra": 1},
        headers=director,
    )
    assert bad_partner.status_code == 422
    fields = {e["field"] for e in bad_partner.json()["errors"]}
    assert {"body.ice", "body.extra"} <= fields
    partner = await new_partner(client, SCHOOL, director)

    backwards = await new_agreement(
        client, SCHOOL, director, partner["id"], start_date=days(10), end_date=days(1)
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "body.end_date"
    no_amount = await new_agreement(
        client,
        SCHOOL,
        director,
        partner["id"],
        contributions=[{"party": "partner", "kind": "money"}],
    )
    assert no_amount.status_code == 422
    assert no_amount.json()["errors"][0]["field"].startswith("body.contributions.0")
    negative = await new_agreement(
        client,
        SCHOOL,
        director,
        partner["id"],
        contributions=[{"party": "partner", "kind": "money", "amount": "-1"}],
    )
    assert negative.status_code == 422
    # A school's agreement concerns that school only.
    other_school = callers.world.schools["a2"]
    elsewhere = await new_agreement(
        client, SCHOOL, director, partner["id"], school_ids=[str(other_school.id)]
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"][0]["field"] == "body.school_ids.0"
    # A partner of another school cannot be named.
    foreign = await new_partner(client, SCHOOL, callers("other_school_staff"), name="Amicale")
    unknown = await new_agreement(client, SCHOOL, director, foreign["id"])
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.partner_id"


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "province_staff"])
async def test_school_face_refuses_other_roles(
    client: httpx.AsyncClient, callers: Callers, who: str
) -> None:
    for path in ("/partners", "/agreements", "/expiring"):
        response = await client.get(f"{SCHOOL}{path}", headers=callers(who))
        assert response.status_code == 403, (who, path)
    created = await client.post(
        f"{SCHOOL}/partners", json={"kind": "ngo", "name": "Fondation"}, headers=callers(who)
    )
    assert created.status_code == 403


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "school_staff"])
async def test_steering_face_refuses_other_roles(
    client: httpx.AsyncClient, callers: Callers, who: str
) -> None:
    for path in ("/partners", "/agreements", "/expiring"):
        response = await client.get(f"{STEERING}{path}", headers=callers(who))
        assert response.status_code == 403, (who, path)


async def test_another_schools_agreement_is_not_found(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    other = callers("other_school_staff")
    partner = await new_partner(client, SCHOOL, other)
    created = (await new_agreement(client, SCHOOL, other, partner["id"])).json()
    director = callers("school_staff")
    url = f"{SCHOOL}/agreements/{created['id']}"
    assert (await client.get(url, headers=director)).status_code == 404
    assert (await client.put(url, json={}, headers=director)).status_code == 422
    moved = await act(client, SCHOOL, director, created["id"], "activate", days(-1))
    assert moved.status_code == 404
    assert "Soutien scolaire" not in moved.text
    docs = await client.get(f"{url}/documents", headers=director)
    assert docs.status_code == 404
    listed = await client.get(f"{SCHOOL}/agreements", headers=director)
    assert listed.json()["items"] == []
