"""The parent app: verified children only; linking with a school's one-time code."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assessment.models import TestStatus
from app.family.models import GuardianLink
from tests.factories import FamilyWorld, create_test_with_marks

VIEWS = ["profile", "timetable", "marks", "exams", "history", "absences", "homework", "tests"]


async def test_children_lists_only_verified_links(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    response = await client.get("/api/v1/parent/children", headers=family.auth("parent"))
    assert response.status_code == 200
    ids = {c["id"] for c in response.json()}
    assert ids == {str(family.child.id), str(family.sibling.id)}
    classes = {c["school_class"]["name"] for c in response.json()}
    assert classes == {family.teaching.classes["c1"].name, family.teaching.classes["c2"].name}


@pytest.mark.parametrize("view", VIEWS)
async def test_a_childs_views_work(
    client: httpx.AsyncClient, family: FamilyWorld, view: str
) -> None:
    url = f"/api/v1/parent/children/{family.sibling.id}/{view}"
    assert (await client.get(url, headers=family.auth("parent"))).status_code == 200


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("whose", ["unverified", "stranger"])
async def test_another_familys_or_unverified_child_is_404(
    client: httpx.AsyncClient, family: FamilyWorld, view: str, whose: str
) -> None:
    pupil = getattr(family, whose)
    response = await client.get(
        f"/api/v1/parent/children/{pupil.id}/{view}", headers=family.auth("parent")
    )
    assert response.status_code == 404
    assert pupil.massar_code not in response.text
    assert pupil.last_name not in response.text


async def test_parent_sees_the_same_marks_as_the_pupil(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    t = family.teaching
    await create_test_with_marks(
        session,
        t.classes["c1"],
        t.subjects["MATH"],
        t.world.users["teacher"],
        {family.child: D("16")},
    )
    await create_test_with_marks(
        session,
        t.classes["c1"],
        t.subjects["FR"],
        t.world.users["teacher_fr"],
        {family.child: D("4")},
        status=TestStatus.VALIDATED,
    )
    await session.commit()
    as_parent = await client.get(
        f"/api/v1/parent/children/{family.child.id}/marks", headers=family.auth("parent")
    )
    as_pupil = await client.get("/api/v1/student/marks", headers=family.auth("student"))
    assert as_parent.json() == as_pupil.json()
    assert '"4.00"' not in as_parent.text  # validated but not yet published


async def test_unlink_a_child(client: httpx.AsyncClient, family: FamilyWorld) -> None:
    headers = family.auth("parent")
    url = f"/api/v1/parent/children/{family.sibling.id}"
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert (await client.get(f"{url}/profile", headers=headers)).status_code == 404
    assert (
        await client.delete(f"/api/v1/parent/children/{family.stranger.id}", headers=headers)
    ).status_code == 404


async def _issue_code(
    client: httpx.AsyncClient, family: FamilyWorld, who: str = "school_staff"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/school/pupils/{family.stranger.id}/link-codes", headers=family.auth(who)
    )


def _link_body(family: FamilyWorld, code: str, **overrides: str) -> dict[str, str]:
    return {
        "massar_code": family.stranger.massar_code,
        "birth_date": family.stranger.birth_date.isoformat(),
        "link_code": code,
        "kinship": "father",
    } | overrides


async def test_link_a_child_with_the_schools_code(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    issued = await _issue_code(client, family)
    assert issued.status_code == 201
    code = issued.json()["code"]
    linked = await client.post(
        "/api/v1/parent/children",
        json=_link_body(family, code.lower()),
        headers=family.auth("parent"),
    )
    assert linked.status_code == 201, linked.text
    assert linked.json()["id"] == str(family.stranger.id)
    # The code is single use.
    again = await client.post(
        "/api/v1/parent/children", json=_link_body(family, code), headers=family.auth("parent")
    )
    assert again.status_code == 422


@pytest.mark.parametrize("wrong", ["massar_code", "birth_date", "link_code"])
async def test_a_wrong_detail_gets_no_hint(
    client: httpx.AsyncClient, family: FamilyWorld, wrong: str
) -> None:
    code = (await _issue_code(client, family)).json()["code"]
    bad = {"massar_code": "Z999999999", "birth_date": "2001-01-01", "link_code": "XXXX-XXXX"}[wrong]
    response = await client.post(
        "/api/v1/parent/children",
        json=_link_body(family, code, **{wrong: bad}),
        headers=family.auth("parent"),
    )
    assert response.status_code == 422
    body = response.json()
    assert "errors" not in body
    assert body["type"].endswith("/link-refused")


async def test_repeated_failures_are_throttled(
    client: httpx.AsyncClient, family: FamilyWorld, session: AsyncSession
) -> None:
    code = (await _issue_code(client, family)).json()["code"]
    wrong = _link_body(family, "AAAA-AAAA")
    for _ in range(5):
        response = await client.post(
            "/api/v1/parent/children", json=wrong, headers=family.auth("parent")
        )
        assert response.status_code == 422
    # Even the right code is refused now: guessing must not pay.
    blocked = await client.post(
        "/api/v1/parent/children", json=_link_body(family, code), headers=family.auth("parent")
    )
    assert blocked.status_code == 429
    assert blocked.headers["retry-after"] == "900"
    links = await session.scalar(
        select(func.count())
        .select_from(GuardianLink)
        .where(GuardianLink.pupil_id == family.stranger.id)
    )
    assert links == 0


async def test_link_codes_are_issued_only_in_the_staffs_own_school(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    # c3 is in another school: its director cannot issue for a1's pupil, and vice versa.
    assert (await _issue_code(client, family, "other_school_staff")).status_code == 404
    other_pupil = family.teaching.pupils["c3"][0]
    response = await client.post(
        f"/api/v1/school/pupils/{other_pupil.id}/link-codes", headers=family.auth("school_staff")
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "province_staff"])
async def test_only_school_staff_issue_link_codes(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    assert (await _issue_code(client, family, who)).status_code == 403


@pytest.mark.parametrize("who", ["student", "teacher", "school_staff", "central_staff"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, family: FamilyWorld, who: str
) -> None:
    headers = family.auth(who)
    assert (await client.get("/api/v1/parent/children", headers=headers)).status_code == 403
    assert (
        await client.get(f"/api/v1/parent/children/{family.child.id}/marks", headers=headers)
    ).status_code == 403
