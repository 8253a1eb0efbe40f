"""A school's structure: classes, pupils, enrolment, assignments and a clash-free timetable."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import TeachingWorld


def _slot(t: TeachingWorld, **overrides: object) -> dict[str, object]:
    return {
        "class_id": str(t.classes["c1"].id),
        "subject_id": str(t.subjects["MATH"].id),
        "teacher_id": str(t.world.users["teacher"].id),
        "weekday": 3,
        "starts_at": "08:00",
        "ends_at": "10:00",
        "room": "S1",
    } | overrides


async def test_classes_are_created_listed_and_deactivated(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    created = await client.post(
        "/api/v1/school/classes",
        json={"level_code": "2BAC", "stream_code": "SPF", "name": "2BACSPF-1"},
        headers=staff,
    )
    assert created.status_code == 201, created.text
    assert created.json()["stream_code"] == "SPF"
    assert (
        await client.post(
            "/api/v1/school/classes",
            json={"level_code": "2BAC", "stream_code": "SPF", "name": "2BACSPF-1"},
            headers=staff,
        )
    ).status_code == 409
    assert (
        await client.post(
            "/api/v1/school/classes",
            json={"level_code": "2BAC", "stream_code": "XYZ", "name": "x"},
            headers=staff,
        )
    ).status_code == 422
    names = {
        c["name"]: c for c in (await client.get("/api/v1/school/classes", headers=staff)).json()
    }
    assert names[teaching.classes["c1"].name]["pupil_count"] == 5
    class_id = created.json()["id"]
    off = await client.patch(
        f"/api/v1/school/classes/{class_id}", json={"is_active": False}, headers=staff
    )
    assert off.json()["is_active"] is False


async def test_pupils_are_registered_enrolled_and_moved(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    c1, c2 = teaching.classes["c1"], teaching.classes["c2"]
    body = {
        "massar_code": "R123456789",
        "first_name": "Nora",
        "last_name": "Tahiri",
        "first_name_ar": "نورة",
        "last_name_ar": "الطاهري",
        "birth_date": "2013-05-02",
        "gender": "F",
        "class_id": str(c1.id),
    }
    created = await client.post("/api/v1/school/pupils", json=body, headers=staff)
    assert created.status_code == 201, created.text
    assert created.json()["class_name"] == c1.name
    assert (await client.post("/api/v1/school/pupils", json=body, headers=staff)).status_code == 409
    pupil_id = created.json()["id"]
    moved = await client.post(
        f"/api/v1/school/pupils/{pupil_id}/enrolment", json={"class_id": str(c2.id)}, headers=staff
    )
    assert moved.json()["class_id"] == str(c2.id)
    in_c2 = await client.get(
        "/api/v1/school/pupils", params={"class_id": str(c2.id)}, headers=staff
    )
    assert pupil_id in {p["id"] for p in in_c2.json()}
    # The teacher of c1 no longer sees her; history keeps the first enrolment.
    roster = await client.get(
        f"/api/v1/teacher/classes/{c1.id}/pupils", headers=teaching.auth("teacher")
    )
    assert pupil_id not in {p["id"] for p in roster.json()}


@pytest.mark.parametrize("code", ["r123456789", "R12345678", "123456789R"])
async def test_a_bad_massar_code_is_422(
    client: httpx.AsyncClient, teaching: TeachingWorld, code: str
) -> None:
    body = {
        "massar_code": code,
        "first_name": "A",
        "last_name": "B",
        "first_name_ar": "ا",
        "last_name_ar": "ب",
        "birth_date": "2013-05-02",
        "gender": "M",
    }
    response = await client.post(
        "/api/v1/school/pupils", json=body, headers=teaching.auth("school_staff")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.massar_code"


async def test_assignments(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    staff = teaching.auth("school_staff")
    body = {
        "teacher_id": str(teaching.world.users["teacher_fr"].id),
        "class_id": str(teaching.classes["c2"].id),
        "subject_id": str(teaching.subjects["SVT"].id),
    }
    created = await client.post("/api/v1/school/assignments", json=body, headers=staff)
    assert created.status_code == 201
    assert (
        await client.post("/api/v1/school/assignments", json=body, headers=staff)
    ).status_code == 409
    # teacher_fr now teaches c2.
    classes = await client.get("/api/v1/teacher/classes", headers=teaching.auth("teacher_fr"))
    assert str(teaching.classes["c2"].id) in {c["id"] for c in classes.json()}
    other_school_teacher = body | {"teacher_id": str(teaching.world.users["teacher_other"].id)}
    assert (
        await client.post("/api/v1/school/assignments", json=other_school_teacher, headers=staff)
    ).status_code == 422
    gone = await client.delete(f"/api/v1/school/assignments/{created.json()['id']}", headers=staff)
    assert gone.status_code == 204


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"class_id": "c2", "room": "S9"}, "teacher_busy"),  # same teacher, other class and room
        ({"teacher_id": "teacher_fr", "subject_id": "FR", "room": "S9"}, "class_busy"),
        ({"class_id": "c2", "teacher_id": "teacher_fr", "subject_id": "FR"}, "room_busy"),
    ],
)
async def test_double_bookings_are_refused(
    client: httpx.AsyncClient, teaching: TeachingWorld, overrides: dict[str, str], code: str
) -> None:
    staff = teaching.auth("school_staff")
    assert (
        await client.post("/api/v1/school/timetable", json=_slot(teaching), headers=staff)
    ).status_code == 201
    resolved = {
        "class_id": lambda v: str(teaching.classes[v].id),
        "teacher_id": lambda v: str(teaching.world.users[v].id),
        "subject_id": lambda v: str(teaching.subjects[v].id),
        "room": lambda v: v,
    }
    clash = _slot(
        teaching,
        starts_at="09:00",
        ends_at="11:00",
        **{k: resolved[k](v) for k, v in overrides.items()},
    )
    response = await client.post("/api/v1/school/timetable", json=clash, headers=staff)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == code


async def test_back_to_back_lessons_do_not_clash(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    assert (
        await client.post("/api/v1/school/timetable", json=_slot(teaching), headers=staff)
    ).status_code == 201
    after = _slot(teaching, starts_at="10:00", ends_at="12:00")
    assert (
        await client.post("/api/v1/school/timetable", json=after, headers=staff)
    ).status_code == 201
    listed = await client.get(
        "/api/v1/school/timetable",
        params={"class_id": str(teaching.classes["c1"].id)},
        headers=staff,
    )
    assert len(listed.json()) == 2


async def test_another_schools_rows_are_404_or_422(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    other = teaching.auth("other_school_staff")
    c1 = teaching.classes["c1"]
    assert (
        await client.patch(f"/api/v1/school/classes/{c1.id}", json={"name": "x"}, headers=other)
    ).status_code == 404
    pupil = teaching.pupils["c1"][0]
    assert (
        await client.patch(
            f"/api/v1/school/pupils/{pupil.id}", json={"first_name": "x"}, headers=other
        )
    ).status_code == 404
    assert (
        await client.post("/api/v1/school/timetable", json=_slot(teaching), headers=other)
    ).status_code == 422
    listed = (await client.get("/api/v1/school/pupils", headers=other)).json()
    assert str(pupil.id) not in {p["id"] for p in listed}


@pytest.mark.parametrize("who", ["teacher", "parent", "student", "central_staff"])
@pytest.mark.parametrize("path", ["/classes", "/pupils", "/assignments", "/timetable"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str, path: str
) -> None:
    assert (
        await client.get(f"/api/v1/school{path}", headers=teaching.auth(who))
    ).status_code == 403


async def test_a_slot_moves_without_clashing_with_itself(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    slot = (
        await client.post("/api/v1/school/timetable", json=_slot(teaching), headers=staff)
    ).json()
    later = _slot(teaching, starts_at="09:00", ends_at="11:00")
    moved = await client.put(f"/api/v1/school/timetable/{slot['id']}", json=later, headers=staff)
    assert moved.status_code == 200, moved.text
    assert moved.json()["starts_at"] == "09:00:00"
    other = (
        await client.post(
            "/api/v1/school/timetable",
            json=_slot(teaching, starts_at="14:00", ends_at="15:00"),
            headers=staff,
        )
    ).json()
    onto = await client.put(f"/api/v1/school/timetable/{other['id']}", json=later, headers=staff)
    assert onto.status_code == 409


async def test_reassign_a_subject(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    staff = teaching.auth("school_staff")
    assignments = (await client.get("/api/v1/school/assignments", headers=staff)).json()
    math_c1 = next(
        a
        for a in assignments
        if a["class_id"] == str(teaching.classes["c1"].id) and a["subject_code"] == "MATH"
    )
    new_teacher = teaching.world.users["teacher_fr"]
    response = await client.patch(
        f"/api/v1/school/assignments/{math_c1['id']}",
        json={"teacher_id": str(new_teacher.id)},
        headers=staff,
    )
    assert response.json()["teacher_id"] == str(new_teacher.id)
    url = f"/api/v1/teacher/classes/{teaching.classes['c1'].id}/tests"
    body = {
        "subject_id": str(teaching.subjects["MATH"].id),
        "semester": 1,
        "kind": "test_4",
        "date": "2026-11-20",
        "title": "x",
    }
    assert (await client.post(url, json=body, headers=teaching.auth("teacher"))).status_code == 404
    assert (
        await client.post(url, json=body, headers=teaching.auth("teacher_fr"))
    ).status_code == 201


async def test_a_time_of_day_is_refused_with_an_offset_or_as_a_number(
    client: httpx.AsyncClient, teaching: TeachingWorld
) -> None:
    staff = teaching.auth("school_staff")
    for ends_at in (0, "10:00+01:00", "25:00"):
        response = await client.post(
            "/api/v1/school/timetable", json=_slot(teaching, ends_at=ends_at), headers=staff
        )
        assert response.status_code == 422, (ends_at, response.text)
        assert response.json()["errors"][0]["field"] == "body.ends_at"
