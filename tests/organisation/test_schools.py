"""The first scoped resource: each staff level sees its part of the tree and nothing else."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import World

# Which of the world's schools each caller sees.
VISIBLE = {
    "school_staff": {"a1"},
    "other_school_staff": {"c"},
    "province_staff": {"a1", "a2"},
    "academy_staff": {"a1", "a2", "b"},
    "central_staff": {"a1", "a2", "b", "c"},
}
ALL_SCHOOLS = ("a1", "a2", "b", "c")


def _codes(world: World, names: set[str]) -> set[str]:
    return {world.schools[n].code for n in names}


@pytest.mark.parametrize("who", list(VISIBLE))
async def test_list_shows_exactly_the_schools_in_scope(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    response = await client.get("/api/v1/schools", headers=world.auth(who))
    assert response.status_code == 200
    codes = {item["code"] for item in response.json()["items"]}
    # Other tests' rows are rolled back, so the world's schools are all there is.
    assert codes == _codes(world, VISIBLE[who])


@pytest.mark.parametrize("who", list(VISIBLE))
@pytest.mark.parametrize("school", ALL_SCHOOLS)
async def test_get_answers_404_outside_the_scope(
    client: httpx.AsyncClient, world: World, who: str, school: str
) -> None:
    target = world.schools[school]
    response = await client.get(f"/api/v1/schools/{target.id}", headers=world.auth(who))
    if school in VISIBLE[who]:
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == str(target.id)
        assert body["province"]["id"] == str(target.province_id)
        assert body["academy"]["id"] == str(target.academy_id)
    else:
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert target.code not in response.text
        assert target.name_fr not in response.text


async def test_unknown_school_and_foreign_school_look_the_same(
    client: httpx.AsyncClient, world: World
) -> None:
    foreign = await client.get(
        f"/api/v1/schools/{world.schools['c'].id}", headers=world.auth("school_staff")
    )
    unknown = await client.get(
        "/api/v1/schools/00000000-0000-4000-8000-000000000000", headers=world.auth("school_staff")
    )
    strip = lambda r: {k: v for k, v in r.json().items() if k not in ("instance", "request_id")}  # noqa: E731
    assert foreign.status_code == unknown.status_code == 404
    assert strip(foreign) == strip(unknown)


@pytest.mark.parametrize("who", ["student", "parent", "teacher"])
@pytest.mark.parametrize("path", ["/api/v1/schools", "/api/v1/schools/{id}"])
async def test_pupils_parents_and_teachers_get_403(
    client: httpx.AsyncClient, world: World, who: str, path: str
) -> None:
    url = path.format(id=world.schools["a1"].id)
    response = await client.get(url, headers=world.auth(who))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert world.schools["a1"].code not in response.text


async def test_anonymous_gets_401(client: httpx.AsyncClient, world: World) -> None:
    assert (await client.get("/api/v1/schools")).status_code == 401


async def test_filters_apply_inside_the_scope(client: httpx.AsyncClient, world: World) -> None:
    # A province filter naming another directorate cannot widen the scope.
    other = world.schools["b"].province_id
    response = await client.get(
        "/api/v1/schools", params={"province_id": str(other)}, headers=world.auth("province_staff")
    )
    assert response.json()["items"] == []
    central = await client.get(
        "/api/v1/schools", params={"province_id": str(other)}, headers=world.auth("central_staff")
    )
    assert {i["code"] for i in central.json()["items"]} == _codes(world, {"b"})


async def test_filter_by_cycle_and_sector(client: httpx.AsyncClient, world: World) -> None:
    headers = world.auth("central_staff")
    by_cycle = await client.get("/api/v1/schools", params={"cycle": "primary"}, headers=headers)
    assert by_cycle.json()["items"] == []
    by_sector = await client.get("/api/v1/schools", params={"sector": "public"}, headers=headers)
    assert len(by_sector.json()["items"]) == 4


async def test_pages_follow_the_cursor_in_code_order(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.auth("central_staff")
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = (await client.get("/api/v1/schools", params=params, headers=headers)).json()
        assert len(body["items"]) <= 3
        seen += [item["code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(_codes(world, set(ALL_SCHOOLS)))


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cycle": "university"}])
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, world: World, params: dict[str, object]
) -> None:
    response = await client.get(
        "/api/v1/schools", params=params, headers=world.auth("central_staff")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("query.")


async def test_a_forged_cursor_is_400(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(
        "/api/v1/schools", params={"cursor": "!!not-base64"}, headers=world.auth("central_staff")
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
