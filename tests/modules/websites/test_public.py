"""School websites, the public face: no login, only published rows of a published site,
only public fields, ETags and a five-minute public cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.factories import FamilyWorld, World
from tests.modules.websites.test_editing import (
    SITE,
    SITE_IN,
    event_in,
    news_in,
    post,
    published_news,
)

PUBLIC = "/api/v1/public/schools"


async def online_site(client: httpx.AsyncClient, world: World) -> str:
    """School a1's site, published; its code."""
    written = await client.put(SITE, json=SITE_IN, headers=world.auth("school_staff"))
    assert written.status_code == 200, written.text
    assert (await post(client, world, "/publish")).status_code == 200
    return world.schools["a1"].code


async def test_published_site_is_public_without_a_token(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    world = family.teaching.world
    code = await online_site(client, world)
    response = await client.get(f"{PUBLIC}/{code}")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["etag"].startswith('W/"')
    page = response.json()
    # Only public fields: the school, its place, and what its staff wrote for the public.
    assert set(page) == {
        "code",
        "name_fr",
        "name_ar",
        "cycles",
        "commune",
        "directorate",
        "academy",
        "presentation",
        "contacts",
        "published_at",
    }
    assert set(page["contacts"]) == {"address", "phone", "email", "opening_hours", "map_url"}
    assert set(page["presentation"]) == {"text_fr", "text_ar", "motto", "founded_year"}
    assert set(page["directorate"]) == set(page["academy"]) == {"name_fr", "name_ar"}
    assert page["contacts"]["email"] == SITE_IN["email"]
    assert page["directorate"]["name_fr"]
    # Nothing of a pupil or an account, though the school has both.
    text = response.text
    for pupil in family.teaching.pupils["c1"]:
        assert pupil.massar_code not in text
        assert pupil.last_name not in text
    for user in world.users.values():
        assert user.username not in text


async def test_a_token_is_neither_needed_nor_used(client: httpx.AsyncClient, world: World) -> None:
    code = await online_site(client, world)
    for headers in ({}, world.auth("parent"), {"Authorization": "Bearer not-a-token"}):
        assert (await client.get(f"{PUBLIC}/{code}", headers=headers)).status_code == 200


async def test_draft_site_and_unknown_school_answer_404(
    client: httpx.AsyncClient, world: World
) -> None:
    await client.put(SITE, json=SITE_IN, headers=world.auth("school_staff"))
    code = world.schools["a1"].code
    for path in ("", "/news", "/events", "/gallery"):
        draft = await client.get(f"{PUBLIC}/{code}{path}")
        assert draft.status_code == 404
        assert draft.headers["content-type"] == "application/problem+json"
        assert SITE_IN["address"] not in draft.text
    assert (await client.get(f"{PUBLIC}/ZZ999Z")).status_code == 404
    # A school without any site.
    assert (await client.get(f"{PUBLIC}/{world.schools['a2'].code}")).status_code == 404
    # Taken offline: gone again.
    await post(client, world, "/publish")
    assert (await client.get(f"{PUBLIC}/{code}")).status_code == 200
    await post(client, world, "/unpublish")
    assert (await client.get(f"{PUBLIC}/{code}")).status_code == 404


async def test_only_published_news_newest_first(client: httpx.AsyncClient, world: World) -> None:
    code = await online_site(client, world)
    first = await published_news(client, world, "Première")
    second = await published_news(client, world, "Seconde")
    draft = (await post(client, world, "/news", news_in("Brouillon"))).json()
    archived = await published_news(client, world, "Archivée")
    await post(client, world, f"/news/{archived['id']}/archive")

    listed = await client.get(f"{PUBLIC}/{code}/news")
    assert listed.status_code == 200
    assert listed.headers["cache-control"] == "public, max-age=300"
    items = listed.json()["items"]
    assert [n["title"] for n in items] == ["Seconde", "Première"]
    assert set(items[0]) == {"id", "title", "summary", "cover_url", "published_at"}

    one = await client.get(f"{PUBLIC}/{code}/news/{first['id']}")
    assert one.status_code == 200
    assert one.json()["body"] == first["body"]
    for hidden in (draft, archived):
        assert (await client.get(f"{PUBLIC}/{code}/news/{hidden['id']}")).status_code == 404

    page1 = (await client.get(f"{PUBLIC}/{code}/news", params={"limit": 1})).json()
    assert [n["id"] for n in page1["items"]] == [second["id"]]
    params = {"limit": 1, "cursor": page1["next_cursor"]}
    page2 = (await client.get(f"{PUBLIC}/{code}/news", params=params)).json()
    assert [n["id"] for n in page2["items"]] == [first["id"]]
    assert page2["next_cursor"] is None


async def test_news_of_another_school_answers_404(client: httpx.AsyncClient, world: World) -> None:
    code = await online_site(client, world)
    other = world.auth("other_school_staff")
    await client.put(SITE, json=SITE_IN, headers=other)
    await client.post(f"{SITE}/publish", headers=other)
    created = (await client.post(f"{SITE}/news", json=news_in("Ailleurs"), headers=other)).json()
    await client.post(f"{SITE}/news/{created['id']}/publish", headers=other)
    other_code = world.schools["c"].code
    assert (await client.get(f"{PUBLIC}/{other_code}/news/{created['id']}")).status_code == 200
    # The same id under another school's code does not exist.
    response = await client.get(f"{PUBLIC}/{code}/news/{created['id']}")
    assert response.status_code == 404
    assert "Ailleurs" not in response.text


async def test_etag_answers_304_until_something_changes(
    client: httpx.AsyncClient, world: World
) -> None:
    code = await online_site(client, world)
    await published_news(client, world, "Première")
    for path in ("", "/news", "/events", "/gallery"):
        first = await client.get(f"{PUBLIC}/{code}{path}")
        etag = first.headers["etag"]
        again = await client.get(f"{PUBLIC}/{code}{path}", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=300"
    before = (await client.get(f"{PUBLIC}/{code}/news")).headers["etag"]
    await published_news(client, world, "Seconde")
    changed = await client.get(f"{PUBLIC}/{code}/news", headers={"If-None-Match": before})
    assert changed.status_code == 200
    assert changed.headers["etag"] != before


async def test_events_upcoming_by_default_and_by_days(
    client: httpx.AsyncClient, world: World
) -> None:
    code = await online_site(client, world)
    ids: dict[str, Any] = {}
    for name, days in (("past", -20), ("soon", 3), ("later", 40)):
        event = (
            await post(client, world, "/events", event_in(days, title=f"Évènement {name}"))
        ).json()
        await post(client, world, f"/events/{event['id']}/publish")
        ids[name] = event
    draft = (await post(client, world, "/events", event_in(5, title="Brouillon"))).json()

    upcoming = (await client.get(f"{PUBLIC}/{code}/events")).json()["items"]
    assert [e["id"] for e in upcoming] == [ids["soon"]["id"], ids["later"]["id"]]
    assert draft["id"] not in {e["id"] for e in upcoming}
    assert set(upcoming[0]) == {"id", "title", "description", "place", "starts_at", "ends_at"}

    starts = datetime.fromisoformat(ids["past"]["starts_at"])
    past_day = starts.astimezone(ZoneInfo("Africa/Casablanca")).date().isoformat()
    window = await client.get(f"{PUBLIC}/{code}/events", params={"from": past_day, "to": past_day})
    assert [e["id"] for e in window.json()["items"]] == [ids["past"]["id"]]
    bad = await client.get(
        f"{PUBLIC}/{code}/events", params={"from": "2026-12-10", "to": "2026-12-01"}
    )
    assert bad.status_code == 422


async def test_gallery_shows_published_links(client: httpx.AsyncClient, world: World) -> None:
    code = await online_site(client, world)
    shown = (await post(client, world, "/images", {"url": "https://img.example.ma/a.jpg"})).json()
    await post(client, world, f"/images/{shown['id']}/publish")
    await post(client, world, "/images", {"url": "https://img.example.ma/b.jpg"})
    items = (await client.get(f"{PUBLIC}/{code}/gallery")).json()["items"]
    assert items == [{"id": shown["id"], "url": "https://img.example.ma/a.jpg", "caption": None}]


@pytest.mark.parametrize("code", ["25001a", "DROP TABLE", "X"])
async def test_malformed_school_codes_are_refused(client: httpx.AsyncClient, code: str) -> None:
    assert (await client.get(f"{PUBLIC}/{code}")).status_code in {404, 422}
