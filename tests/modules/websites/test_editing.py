"""School websites, the school's and steering's faces: writing the site, news, events and
gallery links as drafts, publishing them, the moves a state forbids, roles and scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import World

SITE = "/api/v1/school/website"
SITE_IN = {
    "presentation_fr": "Collège public de Rabat.\nClubs, bibliothèque et terrain de sport.",
    "presentation_ar": "إعدادية عمومية بالرباط.",
    "motto": "Apprendre ensemble",
    "founded_year": 1978,
    "address": "Avenue Ibn Sina, Rabat",
    "phone": "+212 537 71 00 00",
    "email": "contact@ecole.ma",
    "opening_hours": "Lundi-vendredi 8h-18h",
    "map_url": "https://www.openstreetmap.org/?mlat=33.97&mlon=-6.85",
}


def news_in(title: str = "Rentrée scolaire", **extra: Any) -> dict[str, Any]:
    return {"title": title, "summary": "En bref", "body": "Les cours reprennent lundi.", **extra}


def event_in(days: int = 10, hours: int = 3, **extra: Any) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=days)
    return {
        "title": "Journée portes ouvertes",
        "place": "Cour principale",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=hours)).isoformat(),
        **extra,
    }


async def post(
    client: httpx.AsyncClient, world: World, path: str, body: Any = None, who: str = "school_staff"
) -> httpx.Response:
    return await client.post(f"{SITE}{path}", json=body, headers=world.auth(who))


async def published_news(client: httpx.AsyncClient, world: World, title: str) -> dict[str, Any]:
    created = (await post(client, world, "/news", news_in(title))).json()
    return (await post(client, world, f"/news/{created['id']}/publish")).json()


async def test_site_is_written_as_a_draft_then_published(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.auth("school_staff")
    assert (await client.get(SITE, headers=headers)).status_code == 404
    written = await client.put(SITE, json=SITE_IN, headers=headers)
    assert written.status_code == 200, written.text
    site = written.json()
    assert site["state"] == "draft"
    assert site["published_at"] is None
    assert site["presentation_fr"] == SITE_IN["presentation_fr"]  # line breaks kept
    assert set(site["actions"]) == {"edit", "publish"}

    published = (await post(client, world, "/publish")).json()
    assert published["state"] == "published"
    assert published["published_at"] is not None
    assert published["actions"] == ["unpublish"]
    # A published site is changed only once taken offline.
    refused = await client.put(SITE, json=SITE_IN, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/workflow-not-allowed")
    assert refused.json()["state"] == "published"
    assert (await post(client, world, "/publish")).status_code == 409
    back = (await post(client, world, "/unpublish")).json()
    assert back["state"] == "draft"
    assert back["published_at"] is None
    again = await client.put(SITE, json={**SITE_IN, "motto": "Réussir"}, headers=headers)
    assert again.json()["motto"] == "Réussir"


async def test_news_workflow(client: httpx.AsyncClient, world: World) -> None:
    created = await post(client, world, "/news", news_in())
    assert created.status_code == 201, created.text
    news = created.json()
    assert news["state"] == "draft"
    assert set(news["actions"]) == {"edit", "publish", "archive", "delete"}
    news_id = news["id"]

    edited = await client.put(
        f"{SITE}/news/{news_id}", json=news_in("Rentrée 2026"), headers=world.auth("school_staff")
    )
    assert edited.json()["title"] == "Rentrée 2026"
    published = (await post(client, world, f"/news/{news_id}/publish")).json()
    assert published["state"] == "published"
    assert published["published_at"] is not None

    # Published: no edit, no delete, no second publication.
    headers = world.auth("school_staff")
    edit = await client.put(f"{SITE}/news/{news_id}", json=news_in(), headers=headers)
    assert edit.status_code == 409
    assert (await client.delete(f"{SITE}/news/{news_id}", headers=headers)).status_code == 409
    twice = await post(client, world, f"/news/{news_id}/publish")
    assert twice.status_code == 409
    assert twice.json()["action"] == "publish"
    assert (await post(client, world, f"/news/{news_id}/restore")).status_code == 409

    archived = (await post(client, world, f"/news/{news_id}/archive")).json()
    assert archived["state"] == "archived"
    assert archived["actions"] == ["restore", "delete"]
    assert (await client.delete(f"{SITE}/news/{news_id}", headers=headers)).status_code == 204
    assert (await client.get(f"{SITE}/news/{news_id}", headers=headers)).status_code == 404


async def test_news_list_filters_by_state_and_pages(
    client: httpx.AsyncClient, world: World
) -> None:
    for n in range(3):
        await post(client, world, "/news", news_in(f"Brouillon {n}"))
    await published_news(client, world, "En ligne")
    headers = world.auth("school_staff")
    drafts = (await client.get(f"{SITE}/news", params={"state": "draft"}, headers=headers)).json()
    assert {n["title"] for n in drafts["items"]} == {"Brouillon 0", "Brouillon 1", "Brouillon 2"}
    online = await client.get(f"{SITE}/news", params={"state": "published"}, headers=headers)
    assert [n["title"] for n in online.json()["items"]] == ["En ligne"]

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"{SITE}/news", params=params, headers=headers)).json()
        seen += [n["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 4


async def test_events_and_gallery(client: httpx.AsyncClient, world: World) -> None:
    event = await post(client, world, "/events", event_in())
    assert event.status_code == 201, event.text
    assert event.json()["state"] == "draft"
    published = await post(client, world, f"/events/{event.json()['id']}/publish")
    assert published.json()["state"] == "published"
    image = await post(
        client, world, "/images", {"url": "https://img.example.ma/cour.jpg", "caption": "Cour"}
    )
    assert image.status_code == 201, image.text
    headers = world.auth("school_staff")
    images = (await client.get(f"{SITE}/images", headers=headers)).json()
    assert [i["caption"] for i in images["items"]] == ["Cour"]
    events = (await client.get(f"{SITE}/events", headers=headers)).json()
    assert [e["id"] for e in events["items"]] == [event.json()["id"]]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/images", {"url": "http://img.example.ma/a.jpg"}, "body.url"),
        ("/images", {"url": "javascript:alert(1)"}, "body.url"),
        ("/images", {"url": "https://user:pw@img.example.ma/a.jpg"}, "body.url"),
        ("/images", {"url": "https://img.example.ma/a.jpg", "extra": 1}, "body.extra"),
        ("/news", news_in(cover_url="ftp://img.example.ma/a.jpg"), "body.cover_url"),
        ("/news", news_in(body="Bonjour <script>alert(1)</script>"), "body.body"),
        ("/news", news_in(title="<b>Titre</b>"), "body.title"),
        ("/news", news_in(title=""), "body.title"),
        ("/events", event_in(hours=-2), "body"),
        ("/events", {**event_in(), "starts_at": "2026-12-01T09:00:00"}, "body.starts_at"),
    ],
)
async def test_invalid_items_are_refused(
    client: httpx.AsyncClient, world: World, path: str, body: dict[str, Any], field: str
) -> None:
    response = await post(client, world, path, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("map_url", "http://maps.example.ma/x"),
        ("email", "pas-une-adresse"),
        ("phone", "appelez-nous"),
        ("founded_year", 1500),
        ("presentation_fr", "<iframe src=x></iframe>"),
    ],
)
async def test_invalid_site_is_refused(
    client: httpx.AsyncClient, world: World, field: str, value: Any
) -> None:
    response = await client.put(
        SITE, json={**SITE_IN, field: value}, headers=world.auth("school_staff")
    )
    assert response.status_code == 422
    assert f"body.{field}" in {e["field"] for e in response.json()["errors"]}


async def test_another_schools_items_answer_404(client: httpx.AsyncClient, world: World) -> None:
    news = (await post(client, world, "/news", news_in())).json()
    event = (await post(client, world, "/events", event_in())).json()
    other = world.auth("other_school_staff")
    for path in (f"/news/{news['id']}", f"/events/{event['id']}"):
        response = await client.get(f"{SITE}{path}", headers=other)
        assert response.status_code == 404
        assert news["title"] not in response.text
    publish = await post(client, world, f"/news/{news['id']}/publish", who="other_school_staff")
    assert publish.status_code == 404
    put = await client.put(f"{SITE}/news/{news['id']}", json=news_in("Piraté"), headers=other)
    assert put.status_code == 404
    assert (await client.delete(f"{SITE}/news/{news['id']}", headers=other)).status_code == 404
    listed = (await client.get(f"{SITE}/news", headers=other)).json()
    assert listed["items"] == []


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "province_staff"])
async def test_school_face_refuses_other_roles(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    headers = world.auth(who)
    assert (await client.get(SITE, headers=headers)).status_code == 403
    assert (await client.get(f"{SITE}/news", headers=headers)).status_code == 403
    assert (await client.post(f"{SITE}/news", json=news_in(), headers=headers)).status_code == 403


@pytest.mark.parametrize("who", ["school_staff", "teacher", "student", "parent"])
async def test_steering_face_refuses_other_roles(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    response = await client.get("/api/v1/steering/websites", headers=world.auth(who))
    assert response.status_code == 403


async def test_steering_lists_sites_in_my_part_of_the_tree(
    client: httpx.AsyncClient, world: World
) -> None:
    await client.put(SITE, json=SITE_IN, headers=world.auth("school_staff"))
    await post(client, world, "/publish")
    await published_news(client, world, "Une")
    last = await published_news(client, world, "Deux")
    await post(client, world, "/news", news_in("Brouillon"))
    event = (await post(client, world, "/events", event_in())).json()
    await post(client, world, f"/events/{event['id']}/publish")
    # Another school's draft site, in another academy.
    await client.put(SITE, json=SITE_IN, headers=world.auth("other_school_staff"))

    rabat = await client.get("/api/v1/steering/websites", headers=world.auth("province_staff"))
    assert rabat.status_code == 200, rabat.text
    rows = {r["code"]: r for r in rabat.json()["items"]}
    a1, a2 = world.schools["a1"], world.schools["a2"]
    assert set(rows) == {a1.code, a2.code}  # directorate of Rabat only
    assert rows[a1.code]["published"] is True
    assert rows[a1.code]["site_state"] == "published"
    assert rows[a1.code]["published_news"] == 2
    assert rows[a1.code]["upcoming_events"] == 1
    assert rows[a1.code]["last_published_at"] >= last["published_at"]
    assert rows[a2.code]["site_state"] is None
    assert rows[a2.code]["published"] is False

    central = world.auth("central_staff")
    online = await client.get("/api/v1/steering/websites?published=true", headers=central)
    assert [r["code"] for r in online.json()["items"]] == [a1.code]
    offline = await client.get("/api/v1/steering/websites?published=false&limit=1", headers=central)
    first = offline.json()
    assert len(first["items"]) == 1
    assert first["next_cursor"] is not None
    assert a1.code not in {r["code"] for r in first["items"]}

    overview = (await client.get("/api/v1/steering/overview", headers=central)).json()
    assert overview["modules"]["websites"] == {
        "published_sites": 1,
        "news_last_30_days": 2,
        "upcoming_events": 1,
    }
    academy = world.auth("academy_staff")
    regional = (await client.get("/api/v1/steering/overview", headers=academy)).json()
    assert regional["modules"]["websites"]["published_sites"] == 1
