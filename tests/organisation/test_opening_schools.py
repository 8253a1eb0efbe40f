"""Directorates and academies open, correct and close the schools of their part of the tree."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import TeachingWorld, World

SCHOOLS = "/api/v1/steering/schools"


def new_school(world: World, school: str, code: str) -> dict[str, Any]:
    """A new school in the directorate of the world's `school`."""
    return {
        "code": code,
        "name_fr": "Collège Al Amal",
        "name_ar": "إعدادية الأمل",
        "cycles": ["lycee", "college"],
        "sector": "private",
        "area": "rural",
        "commune": "Sidi Yahya",
        "province_id": str(world.schools[school].province_id),
    }


@pytest.mark.parametrize(
    ("who", "where", "status"),
    [
        ("province_staff", "a1", 201),
        ("province_staff", "b", 422),  # the neighbouring directorate
        ("academy_staff", "b", 201),
        ("academy_staff", "c", 422),  # another academy
    ],
)
async def test_a_school_opens_only_in_the_callers_part_of_the_tree(
    client: httpx.AsyncClient, world: World, who: str, where: str, status: int
) -> None:
    answer = await client.post(
        SCHOOLS, json=new_school(world, where, "99001X"), headers=world.auth(who)
    )
    assert answer.status_code == status, answer.text
    if status == 201:
        school = answer.json()
        assert school["cycles"] == ["college", "lycee"]
        assert (school["sector"], school["area"], school["is_active"]) == ("private", "rural", True)
        assert school["academy"]["id"] == str(world.schools[where].academy_id)
        seen = await client.get(f"/api/v1/schools/{school['id']}", headers=world.auth(who))
        assert seen.status_code == 200


async def test_a_code_is_one_schools(client: httpx.AsyncClient, world: World) -> None:
    taken = new_school(world, "a1", world.schools["a2"].code)
    answer = await client.post(SCHOOLS, json=taken, headers=world.auth("province_staff"))
    assert answer.status_code == 409


@pytest.mark.parametrize("who", ["central_staff", "school_staff", "teacher", "parent"])
async def test_only_directorates_and_academies_open_schools(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    answer = await client.post(
        SCHOOLS, json=new_school(world, "a1", "99002X"), headers=world.auth(who)
    )
    assert answer.status_code == 403


@pytest.mark.parametrize(
    ("who", "school", "status"),
    [
        ("province_staff", "a1", 200),
        ("province_staff", "b", 404),
        ("academy_staff", "b", 200),
        ("academy_staff", "c", 404),
    ],
)
async def test_a_school_is_corrected_and_closed_within_the_scope(
    client: httpx.AsyncClient, world: World, who: str, school: str, status: int
) -> None:
    school_id = world.schools[school].id
    corrected = await client.patch(
        f"{SCHOOLS}/{school_id}",
        json={"name_fr": "Collège Al Amal", "commune": None},
        headers=world.auth(who),
    )
    assert corrected.status_code == status, corrected.text
    closed = await client.post(f"{SCHOOLS}/{school_id}/close", headers=world.auth(who))
    assert closed.status_code == status
    if status == 200:
        assert corrected.json()["name_fr"] == "Collège Al Amal"
        assert corrected.json()["commune"] is None
        assert closed.json()["is_active"] is False


async def test_a_closed_school_keeps_its_pupils_and_takes_no_new_one(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    world = teaching.world
    school_id = world.schools["a1"].id
    closed = await client.post(f"{SCHOOLS}/{school_id}/close", headers=world.auth("province_staff"))
    assert closed.status_code == 200
    director = world.auth("school_staff")
    pupils = await client.get("/api/v1/school/pupils", headers=director)
    assert len(pupils.json()) == 8  # its history stays
    enrolled = await client.post(
        "/api/v1/school/pupils",
        json={
            "massar_code": "Z123456789",
            "first_name": "Amine",
            "last_name": "Alaoui",
            "first_name_ar": "أمين",
            "last_name_ar": "العلوي",
            "birth_date": "2013-05-02",
            "gender": "M",
            "class_id": str(teaching.classes["c1"].id),
        },
        headers=director,
    )
    assert enrolled.status_code == 409, enrolled.text
    assert enrolled.json()["type"].endswith("school-closed")
