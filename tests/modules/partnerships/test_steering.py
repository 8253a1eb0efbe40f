"""Partnerships steered from a directorate: scope down and up the tree, expiring agreements,
filters and pages, signed documents, and the figure on the steering overview."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from tests.factories import World
from tests.modules.partnerships.helpers import (
    PDF,
    SCHOOL,
    STEERING,
    Callers,
    act,
    active_agreement,
    days,
    make_callers,
    new_agreement,
    new_partner,
    stored_files,
    use_document_dir,
)


@pytest.fixture
async def callers(session: AsyncSession, world: World) -> Callers:
    return await make_callers(session, world)


@pytest.fixture
def documents(app: FastAPI, tmp_path: Path) -> Path:
    return use_document_dir(app, tmp_path)


async def test_directorate_agreement_reaches_the_schools_it_concerns(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    directorate = callers("province_staff")
    schools = callers.world.schools
    commune = await new_partner(
        client, STEERING, directorate, kind="local_authority", name="Commune de Rabat"
    )
    assert commune["owner"]["level"] == "province"
    outside = await new_agreement(
        client,
        STEERING,
        directorate,
        commune["id"],
        school_ids=[str(schools["a1"].id), str(schools["c"].id)],
    )
    assert outside.status_code == 422
    assert [e["field"] for e in outside.json()["errors"]] == ["body.school_ids.1"]

    created = await new_agreement(
        client,
        STEERING,
        directorate,
        commune["id"],
        domain="school_transport",
        school_ids=[str(schools["a1"].id), str(schools["a2"].id)],
    )
    assert created.status_code == 201, created.text
    agreement_id = created.json()["id"]
    assert {s["id"] for s in created.json()["schools"]} == {
        str(schools["a1"].id),
        str(schools["a2"].id),
    }
    director = callers("school_staff")
    school_url = f"{SCHOOL}/agreements/{agreement_id}"
    # A draft of the directorate stays with the directorate.
    assert (await client.get(school_url, headers=director)).status_code == 404

    await act(client, STEERING, directorate, agreement_id, "activate", days(-30))
    seen = await client.get(school_url, headers=director)
    assert seen.status_code == 200
    assert seen.json()["manageable"] is False
    assert seen.json()["actions"] == []
    assert (await act(client, SCHOOL, director, agreement_id, "suspend")).status_code == 404
    listed = await client.get(f"{SCHOOL}/agreements", headers=director)
    assert [a["id"] for a in listed.json()["items"]] == [agreement_id]

    # The directorate's partner reaches the school, which may sign with it too.
    partners = await client.get(f"{SCHOOL}/partners", headers=director)
    assert [p["id"] for p in partners.json()["items"]] == [commune["id"]]
    own = await new_agreement(client, SCHOOL, director, commune["id"])
    assert own.status_code == 201

    # Neither another school nor another directorate sees it; the academy reads it.
    assert (await client.get(school_url, headers=callers("other_school_staff"))).status_code == 404
    steering_url = f"{STEERING}/agreements/{agreement_id}"
    assert (await client.get(steering_url, headers=callers("anfa_staff"))).status_code == 404
    anfa_list = await client.get(f"{STEERING}/agreements", headers=callers("anfa_staff"))
    assert anfa_list.json()["items"] == []
    academy = await client.get(steering_url, headers=callers("academy_staff"))
    assert academy.status_code == 200
    assert academy.json()["manageable"] is False
    academy_act = await act(client, STEERING, callers("academy_staff"), agreement_id, "end")
    assert academy_act.status_code == 404
    # The directorate reads the school's own agreement but does not manage it.
    school_own = await client.get(f"{STEERING}/agreements/{own.json()['id']}", headers=directorate)
    assert school_own.status_code == 200
    assert school_own.json()["manageable"] is False


async def _province_portfolio(client: httpx.AsyncClient, callers: Callers) -> dict[str, Any]:
    """Agreements of the Rabat directorate and of school a1 in several states."""
    directorate, director = callers("province_staff"), callers("school_staff")
    a1 = str(callers.world.schools["a1"].id)
    enabel = await new_partner(
        client, STEERING, directorate, kind="foreign_cooperation", name="Enabel"
    )
    zakoura = await new_partner(client, SCHOOL, director)
    made = {
        "digital": await active_agreement(
            client,
            STEERING,
            directorate,
            enabel["id"],
            domain="digital",
            end_date=days(20),
            school_ids=[a1],
        ),
        "health": await active_agreement(
            client, STEERING, directorate, enabel["id"], domain="health", end_date=days(45)
        ),
        "training": await active_agreement(
            client,
            STEERING,
            directorate,
            enabel["id"],
            domain="training",
            end_date=days(200),
            contributions=[{"party": "ministry", "kind": "money", "amount": "5000.50"}],
        ),
        "school": await active_agreement(
            client, SCHOOL, director, zakoura["id"], end_date=days(10)
        ),
        "expired": await active_agreement(
            client, STEERING, directorate, enabel["id"], domain="digital", end_date=days(-5)
        ),
    }
    draft = await new_agreement(client, STEERING, directorate, enabel["id"], domain="other")
    made["draft"] = draft.json()
    ended = await active_agreement(client, STEERING, directorate, enabel["id"], domain="health")
    made["ended"] = (await act(client, STEERING, directorate, ended["id"], "end")).json()
    return made


async def test_expiring_lists_filters_and_pages(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    made = await _province_portfolio(client, callers)
    directorate, director = callers("province_staff"), callers("school_staff")

    expiring = await client.get(f"{STEERING}/expiring", headers=directorate)
    assert [a["id"] for a in expiring.json()["items"]] == [
        made[k]["id"] for k in ("school", "digital", "health")
    ]
    soon = await client.get(f"{STEERING}/expiring", params={"within_days": 15}, headers=directorate)
    assert [a["id"] for a in soon.json()["items"]] == [made["school"]["id"]]
    # The school sees its own and the directorate's agreement that concerns it.
    at_school = await client.get(f"{SCHOOL}/expiring", headers=director)
    assert [a["id"] for a in at_school.json()["items"]] == [
        made["school"]["id"],
        made["digital"]["id"],
    ]
    assert (
        await client.get(f"{SCHOOL}/expiring", params={"within_days": -1}, headers=director)
    ).status_code == 422

    async def ids(**params: Any) -> set[str]:
        page = await client.get(f"{STEERING}/agreements", params=params, headers=directorate)
        assert page.status_code == 200, page.text
        return {a["id"] for a in page.json()["items"]}

    assert await ids(domain="health") == {made["health"]["id"], made["ended"]["id"]}
    assert await ids(status="draft") == {made["draft"]["id"]}
    assert await ids(owner_level="school") == {made["school"]["id"]}
    assert await ids(partner_kind="ngo") == {made["school"]["id"]}
    assert await ids(expired="true") == {made["expired"]["id"]}
    expired = await client.get(
        f"{STEERING}/agreements/{made['expired']['id']}", headers=directorate
    )
    assert expired.json()["expired"] is True

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(f"{STEERING}/agreements", params=params, headers=directorate)
        ).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == len(made)
    bad = await client.get(
        f"{STEERING}/agreements", params={"cursor": "nonsense"}, headers=directorate
    )
    assert bad.status_code == 400


async def test_overview_counts_running_agreements(
    client: httpx.AsyncClient, callers: Callers
) -> None:
    await _province_portfolio(client, callers)
    overview = await client.get("/api/v1/steering/overview", headers=callers("province_staff"))
    assert overview.status_code == 200, overview.text
    figures = overview.json()["modules"]["partnerships"]
    # Running today: digital, health, training (directorate) and the school's own.
    assert figures["active"] == 4
    assert figures["expiring_within_60_days"] == 3
    assert Decimal(figures["money_total"]) == Decimal("365000.50")
    assert {d: n for d, n in figures["by_domain"].items() if n} == {
        "digital": 1,
        "health": 1,
        "training": 1,
        "pedagogical_support": 1,
    }
    elsewhere = await client.get("/api/v1/steering/overview", headers=callers("anfa_staff"))
    assert elsewhere.json()["modules"]["partnerships"]["active"] == 0
    school_unit = await client.get(
        f"/api/v1/steering/units/{callers.world.schools['a1'].id}",
        headers=callers("academy_staff"),
    )
    assert school_unit.json()["modules"]["partnerships"]["active"] == 1


async def test_signed_document_upload_and_download(
    client: httpx.AsyncClient, callers: Callers, documents: Path
) -> None:
    directorate = callers("province_staff")
    a1 = str(callers.world.schools["a1"].id)
    partner = await new_partner(client, STEERING, directorate, kind="university", name="UM5")
    agreement = await active_agreement(
        client, STEERING, directorate, partner["id"], school_ids=[a1]
    )
    url = f"{STEERING}/agreements/{agreement['id']}/documents"

    def form(content: bytes, name: str = "convention.pdf") -> dict[str, Any]:
        return {
            "files": {"document": (name, content, "application/pdf")},
            "data": {"title": "Convention signée"},
        }

    renamed = await client.post(url, headers=directorate, **form(b"\x89PNG\r\n\x1a\n..."))
    assert renamed.status_code == 415
    huge = await client.post(url, headers=directorate, **form(PDF + b"0" * (5 * 1024 * 1024)))
    assert huge.status_code == 413
    assert not stored_files(documents)

    uploaded = await client.post(url, headers=directorate, **form(PDF))
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["size"] == len(PDF)
    listed = await client.get(url, headers=directorate)
    assert [d["id"] for d in listed.json()["items"]] == [uploaded.json()["id"]]

    # The school concerned reads and downloads it, but may not add to it.
    school_url = f"{SCHOOL}/agreements/{agreement['id']}/documents"
    download = await client.get(
        f"{school_url}/{uploaded.json()['id']}", headers=callers("school_staff")
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    refused = await client.post(school_url, headers=callers("school_staff"), **form(PDF))
    assert refused.status_code == 404
    for who, base in (("other_school_staff", SCHOOL), ("anfa_staff", STEERING)):
        path = f"{base}/agreements/{agreement['id']}/documents/{uploaded.json()['id']}"
        assert (await client.get(path, headers=callers(who))).status_code == 404


async def test_a_page_costs_the_same_statements_whatever_its_size(
    client: httpx.AsyncClient, callers: Callers, engine: AsyncEngine
) -> None:
    """Contributions and schools are loaded for the whole page at once, never per row."""
    directorate = callers("province_staff")
    a1 = str(callers.world.schools["a1"].id)
    partner = await new_partner(client, STEERING, directorate, kind="company", name="SCTS")
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    async def statements_for_one_page() -> int:
        statements.clear()
        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            page = await client.get(f"{STEERING}/agreements", headers=directorate)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
        assert page.status_code == 200
        return len(statements)

    await new_agreement(client, STEERING, directorate, partner["id"], school_ids=[a1])
    one = await statements_for_one_page()
    for _ in range(5):
        await new_agreement(client, STEERING, directorate, partner["id"], school_ids=[a1])
    assert await statements_for_one_page() == one
    assert one <= 8  # the caller, the page, its contributions and its schools
