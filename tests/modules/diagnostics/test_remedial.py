"""Remedial support: groups proposed from a diagnostic test, confirmed by the teacher (pupils and
parents told), sessions and attendance, progress after the post-test, and what pupils and
parents see."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.messaging.models import Notification, NotificationCategory
from tests.factories import FamilyWorld
from tests.modules.diagnostics.test_evaluation import define_test, enter_results, grid_url, scores

GROUPS = "/api/v1/teacher/diagnostics/groups"


@pytest.fixture
async def diagnostic(client: httpx.AsyncClient, family: FamilyWorld) -> dict[str, Any]:
    """A 1AC maths test with c1's results: C1 scores 30, 49, 50, 90 and one absent."""
    test = await define_test(client, family.teaching)
    await enter_results(client, family.teaching, test)
    return test


def pupil_ids(family: FamilyWorld) -> list[str]:
    return [str(p.id) for p in family.teaching.pupils["c1"]]


async def confirm(
    client: httpx.AsyncClient, family: FamilyWorld, test: dict[str, Any], **fields: Any
) -> httpx.Response:
    p = pupil_ids(family)
    body = {
        "test_id": test["id"],
        "class_id": str(family.teaching.classes["c1"].id),
        "competency_id": test["competencies"][0]["id"],
        "name": "Soutien nombres décimaux",
        "pupil_ids": [p[0], p[1]],
        **fields,
    }
    return await client.post(GROUPS, json=body, headers=family.auth("teacher"))


async def test_proposal_takes_pupils_below_the_threshold(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    url = grid_url(diagnostic, family.teaching.classes["c1"].id) + "/proposal"
    proposal = (await client.get(url, headers=family.auth("teacher"))).json()
    assert proposal["mastery_threshold"] == 50
    p = pupil_ids(family)
    # C1 only: 30 and 49 are below 50; 50 is mastered; the absent pupil has no score.
    [group] = proposal["groups"]
    assert group["code"] == "C1"
    assert [(x["pupil_id"], x["score"]) for x in group["pupils"]] == [(p[0], 30), (p[1], 49)]
    other = await client.get(url, headers=family.auth("teacher_other"))
    assert other.status_code == 404


async def test_confirmed_group_notifies_pupil_and_verified_parents(
    client: httpx.AsyncClient,
    family: FamilyWorld,
    diagnostic: dict[str, Any],
    session: AsyncSession,
) -> None:
    p = pupil_ids(family)
    # The teacher edits the proposal: the pupil at 50 joins too.
    created = await confirm(client, family, diagnostic, pupil_ids=[p[0], p[1], p[2]])
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["status"] == "confirmed"
    assert group["actions"] == ["close"]
    assert [x["score"] for x in group["pupils"]] == [30, 49, 50]
    users = family.teaching.world.users
    told = set(
        (
            await session.scalars(
                select(Notification.user_id).where(
                    Notification.category == NotificationCategory.DIAGNOSTICS
                )
            )
        ).all()
    )
    # c1[0] is the student account and the parent's verified child; c1[1] is linked unverified.
    assert told == {users["student"].id, users["parent"].id}
    assert (await confirm(client, family, diagnostic)).status_code == 409


async def test_confirm_group_validation(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    stranger = str(family.teaching.pupils["c2"][0].id)
    wrong_pupil = await confirm(client, family, diagnostic, pupil_ids=[stranger])
    assert wrong_pupil.status_code == 422
    assert wrong_pupil.json()["errors"][0]["field"] == "body.pupil_ids.0"
    wrong_competency = await confirm(client, family, diagnostic, competency_id=diagnostic["id"])
    assert wrong_competency.json()["errors"][0]["field"] == "body.competency_id"
    nobody = await confirm(client, family, diagnostic, pupil_ids=[])
    assert nobody.status_code == 422
    post = await define_test(
        client,
        family.teaching,
        kind="post_test",
        diagnostic_id=diagnostic["id"],
        title="Post-test",
        competencies=[],
    )
    from_post = await client.get(
        grid_url(post, family.teaching.classes["c1"].id) + "/proposal",
        headers=family.auth("teacher"),
    )
    assert from_post.status_code == 409
    assert from_post.json()["type"].endswith("not-a-diagnostic")


async def test_sessions_attendance_and_closing(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    group = (await confirm(client, family, diagnostic)).json()
    headers = family.auth("teacher")
    day = (school_today() + timedelta(days=3)).isoformat()
    slot = {"date": day, "starts_at": "15:00", "ends_at": "16:00", "place": "Salle 12"}
    reversed_times = await client.post(
        f"{GROUPS}/{group['id']}/sessions",
        json={**slot, "starts_at": "17:00"},
        headers=headers,
    )
    assert reversed_times.status_code == 422
    created = await client.post(f"{GROUPS}/{group['id']}/sessions", json=slot, headers=headers)
    assert created.status_code == 201, created.text
    url = f"/api/v1/teacher/diagnostics/sessions/{created.json()['id']}/attendance"
    p = pupil_ids(family)
    outsider = await client.put(
        url, json={"rows": [{"pupil_id": p[4], "present": True}]}, headers=headers
    )
    assert outsider.status_code == 422
    assert outsider.json()["errors"][0]["field"] == "body.rows.0.pupil_id"
    roll = {"rows": [{"pupil_id": p[0], "present": True}, {"pupil_id": p[1], "present": False}]}
    saved = await client.put(url, json=roll, headers=headers)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["session"]["present"], saved.json()["session"]["absent"]) == (1, 1)
    assert (await client.put(url, json=roll, headers=headers)).json() == saved.json()
    assert (await client.get(url, headers=headers)).json() == saved.json()
    assert (await client.get(url, headers=family.auth("teacher_fr"))).status_code == 404

    detail = (await client.get(f"{GROUPS}/{group['id']}", headers=headers)).json()
    assert [(s["place"], s["present"]) for s in detail["sessions"]] == [("Salle 12", 1)]
    closed = await client.post(f"{GROUPS}/{group['id']}/close", headers=headers)
    assert closed.json()["status"] == "closed"
    assert closed.json()["actions"] == ["reopen"]
    again = await client.post(f"{GROUPS}/{group['id']}/close", headers=headers)
    assert again.status_code == 409
    assert again.json()["type"].endswith("workflow-not-allowed")
    late = await client.post(f"{GROUPS}/{group['id']}/sessions", json=slot, headers=headers)
    assert late.status_code == 409
    listed = await client.get(GROUPS, params={"status": "closed"}, headers=headers)
    assert [g["id"] for g in listed.json()["items"]] == [group["id"]]
    confirmed = await client.get(GROUPS, params={"status": "confirmed"}, headers=headers)
    assert confirmed.json()["items"] == []


@pytest.mark.parametrize("who", ["teacher_fr", "teacher_other"])
async def test_group_of_another_teacher_is_not_found(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any], who: str
) -> None:
    group = (await confirm(client, family, diagnostic)).json()
    response = await client.get(f"{GROUPS}/{group['id']}", headers=family.auth(who))
    assert response.status_code == 404
    closing = await client.post(f"{GROUPS}/{group['id']}/close", headers=family.auth(who))
    assert closing.status_code == 404
    assert (await client.get(GROUPS, headers=family.auth(who))).json()["items"] == []


async def test_progress_after_the_post_test(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    url = grid_url(diagnostic, family.teaching.classes["c1"].id) + "/progress"
    headers = family.auth("teacher")
    assert (await client.get(url, headers=headers)).status_code == 409
    post = await define_test(
        client,
        family.teaching,
        kind="post_test",
        diagnostic_id=diagnostic["id"],
        title="Post-test",
        competencies=[],
    )
    p = pupil_ids(family)
    saved = await client.put(
        grid_url(post, family.teaching.classes["c1"].id) + "/grid",
        json={"rows": [{"pupil_id": p[0], "scores": scores(post, 65)}]},
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    progress = (await client.get(url, headers=headers)).json()
    assert progress["post_test_id"] == post["id"]
    first = next(x for x in progress["pupils"] if x["pupil_id"] == p[0])
    c1, c2, _ = first["competencies"]
    assert (c1["diagnostic_score"], c1["post_test_score"], c1["progress"]) == (30, 65, 35)
    assert (c2["diagnostic_score"], c2["post_test_score"], c2["progress"]) == (80, None, None)


# ---- pupils and parents ---------------------------------------------------------------------


async def test_pupil_and_parent_see_the_same_outcome(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    group = (await confirm(client, family, diagnostic)).json()
    slots = [
        (school_today() - timedelta(days=2), "Salle 3"),
        (school_today() + timedelta(days=2), "Salle 12"),
    ]
    for day, place in slots:
        created = await client.post(
            f"{GROUPS}/{group['id']}/sessions",
            json={
                "date": day.isoformat(),
                "starts_at": "15:00",
                "ends_at": "16:00",
                "place": place,
            },
            headers=family.auth("teacher"),
        )
        assert created.status_code == 201
    mine = await client.get("/api/v1/student/diagnostics", headers=family.auth("student"))
    assert mine.status_code == 200
    [test] = mine.json()["tests"]
    assert [(c["code"], c["score"], c["mastered"]) for c in test["competencies"]] == [
        ("C1", 30, False),
        ("C2", 80, True),
    ]
    [joined] = mine.json()["groups"]
    assert joined["name"] == "Soutien nombres décimaux"
    assert [s["place"] for s in joined["upcoming_sessions"]] == ["Salle 12"]
    child = await client.get(
        f"/api/v1/parent/children/{family.child.id}/diagnostics", headers=family.auth("parent")
    )
    assert child.json() == mine.json()
    unchanged = await client.get(
        "/api/v1/student/diagnostics",
        headers={**family.auth("student"), "If-None-Match": mine.headers["ETag"]},
    )
    assert unchanged.status_code == 304
    sibling = await client.get(
        f"/api/v1/parent/children/{family.sibling.id}/diagnostics", headers=family.auth("parent")
    )
    assert sibling.json() == {"tests": [], "groups": []}


@pytest.mark.parametrize("which", ["unverified", "stranger"])
async def test_parent_cannot_read_a_child_not_theirs(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any], which: str
) -> None:
    child = getattr(family, which)
    response = await client.get(
        f"/api/v1/parent/children/{child.id}/diagnostics", headers=family.auth("parent")
    )
    assert response.status_code == 404
    assert "tests" not in response.json()


async def test_pupil_and_parent_faces_refuse_other_roles(
    client: httpx.AsyncClient, family: FamilyWorld
) -> None:
    own = await client.get("/api/v1/student/diagnostics", headers=family.auth("teacher"))
    assert own.status_code == 403
    child = await client.get(
        f"/api/v1/parent/children/{family.child.id}/diagnostics", headers=family.auth("student")
    )
    assert child.status_code == 403


async def test_remedial_groups_count_in_the_overview(
    client: httpx.AsyncClient, family: FamilyWorld, diagnostic: dict[str, Any]
) -> None:
    await confirm(client, family, diagnostic)
    overview = (
        await client.get("/api/v1/steering/overview", headers=family.auth("academy_staff"))
    ).json()
    assert overview["modules"]["diagnostics"]["pupils_in_remedial_groups"] == 2
