"""Diagnostic tests: definitions by steering staff, the teacher's grid (all or nothing), class
summaries, the school's completion screen, steering mastery and the overview figure."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.modules.diagnostics.models import DiagnosticResult
from tests.factories import TeachingWorld

COMPETENCIES = [
    {"code": "C1", "label_fr": "Nombres décimaux", "label_ar": "الأعداد العشرية"},
    {"code": "C2", "label_fr": "Fractions", "label_ar": "الكسور"},
    {"code": "C3", "label_fr": "Proportionnalité", "label_ar": "التناسبية"},
]


async def define_test(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str = "central_staff", **fields: Any
) -> dict[str, Any]:
    body = {
        "kind": "diagnostic",
        "level_code": "1AC",
        "subject_id": str(teaching.subjects["MATH"].id),
        "title": "Évaluation diagnostique 1AC mathématiques",
        "mastery_threshold": 50,
        "competencies": COMPETENCIES,
        **fields,
    }
    response = await client.post(
        "/api/v1/steering/diagnostics/tests", json=body, headers=teaching.auth(who)
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def grid_url(test: dict[str, Any], class_id: object) -> str:
    return f"/api/v1/teacher/diagnostics/tests/{test['id']}/classes/{class_id}"


def scores(test: dict[str, Any], *values: int) -> list[dict[str, Any]]:
    return [
        {"competency_id": c["id"], "score": v}
        for c, v in zip(test["competencies"], values, strict=False)
    ]


@pytest.fixture
async def diagnostic(client: httpx.AsyncClient, teaching: TeachingWorld) -> dict[str, Any]:
    return await define_test(client, teaching)


# ---- definitions ----------------------------------------------------------------------------


async def test_steering_defines_a_test_and_its_post_test(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    assert diagnostic["owner_level"] == "central"
    assert [c["code"] for c in diagnostic["competencies"]] == ["C1", "C2", "C3"]
    assert [c["rank"] for c in diagnostic["competencies"]] == [1, 2, 3]
    post = await define_test(
        client,
        teaching,
        kind="post_test",
        diagnostic_id=diagnostic["id"],
        title="Post-test 1AC mathématiques",
        competencies=[],
    )
    # A post-test assesses its diagnostic's competencies.
    assert post["competencies"] == diagnostic["competencies"]
    again = await client.post(
        "/api/v1/steering/diagnostics/tests",
        json={
            "kind": "post_test",
            "level_code": "1AC",
            "subject_id": str(teaching.subjects["MATH"].id),
            "title": "Second",
            "diagnostic_id": diagnostic["id"],
        },
        headers=teaching.auth("central_staff"),
    )
    assert again.status_code == 409
    assert again.json()["detail"]


async def test_definition_validation(client: httpx.AsyncClient, teaching: TeachingWorld) -> None:
    url = "/api/v1/steering/diagnostics/tests"
    base = {
        "kind": "diagnostic",
        "level_code": "1AC",
        "subject_id": str(teaching.subjects["MATH"].id),
        "title": "T",
        "competencies": COMPETENCIES,
    }
    headers = teaching.auth("central_staff")
    unknown = await client.post(url, json={**base, "level_code": "9ZZ"}, headers=headers)
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.level_code"]
    threshold = await client.post(url, json={**base, "mastery_threshold": 0}, headers=headers)
    assert threshold.status_code == 422
    assert threshold.json()["errors"][0]["field"] == "body.mastery_threshold"
    no_competency = await client.post(url, json={**base, "competencies": []}, headers=headers)
    assert no_competency.status_code == 422
    twice = await client.post(
        url, json={**base, "competencies": [COMPETENCIES[0], COMPETENCIES[0]]}, headers=headers
    )
    assert twice.status_code == 422
    extra = await client.post(url, json={**base, "colour": "red"}, headers=headers)
    assert extra.status_code == 422


async def test_definitions_are_seen_within_and_above(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    provincial = await define_test(client, teaching, who="province_staff", title="Rabat SVT")
    assert provincial["owner_level"] == "province"
    url = "/api/v1/steering/diagnostics/tests"
    seen_by_province = await client.get(url, headers=teaching.auth("province_staff"))
    assert {t["id"] for t in seen_by_province.json()["items"]} == {
        diagnostic["id"],
        provincial["id"],
    }
    # The ministry steers everything; the directorate's test is beneath it.
    first = await client.get(url, params={"limit": 1}, headers=teaching.auth("central_staff"))
    second = await client.get(
        url,
        params={"limit": 1, "cursor": first.json()["next_cursor"]},
        headers=teaching.auth("central_staff"),
    )
    pages = first.json()["items"] + second.json()["items"]
    assert {t["id"] for t in pages} == {provincial["id"], diagnostic["id"]}
    assert len(pages) == 2
    assert second.json()["next_cursor"] is None
    filtered = await client.get(
        url, params={"kind": "post_test"}, headers=teaching.auth("central_staff")
    )
    assert filtered.json()["items"] == []
    # Another academy's school does not receive Rabat's test.
    other = await client.get(
        "/api/v1/teacher/diagnostics/tests", headers=teaching.auth("teacher_other")
    )
    assert [t["id"] for t in other.json()["items"]] == [diagnostic["id"]]
    one = await client.get(f"{url}/{provincial['id']}", headers=teaching.auth("province_staff"))
    assert one.status_code == 200


@pytest.mark.parametrize("who", ["teacher", "school_staff", "student", "parent"])
async def test_steering_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.get("/api/v1/steering/diagnostics/tests", headers=teaching.auth(who))
    assert response.status_code == 403


# ---- the teacher's grid ---------------------------------------------------------------------


async def test_teacher_sees_the_tests_of_their_classes(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    mine = await client.get("/api/v1/teacher/diagnostics/tests", headers=teaching.auth("teacher"))
    assert mine.status_code == 200
    [item] = mine.json()["items"]
    # c2 is a 2AC class: a 1AC test does not apply to it.
    assert item["class_ids"] == [str(teaching.classes["c1"].id)]
    french = await client.get(
        "/api/v1/teacher/diagnostics/tests", headers=teaching.auth("teacher_fr")
    )
    assert french.json()["items"] == []


async def test_grid_entry_is_all_or_nothing_and_replayable(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    diagnostic: dict[str, Any],
    session: AsyncSession,
) -> None:
    url = grid_url(diagnostic, teaching.classes["c1"].id) + "/grid"
    headers = teaching.auth("teacher")
    empty = (await client.get(url, headers=headers)).json()
    assert len(empty["rows"]) == 5
    assert all(r["scores"] == [] and not r["absent"] for r in empty["rows"])
    p = [str(x.id) for x in teaching.pupils["c1"]]
    body = {
        "rows": [
            {"pupil_id": p[0], "scores": scores(diagnostic, 30, 80, 50)},
            {"pupil_id": p[1], "scores": scores(diagnostic, 70, 40)},
            {"pupil_id": p[2], "absent": True},
        ]
    }
    saved = await client.put(url, json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    rows = {r["pupil_id"]: r for r in saved.json()["rows"]}
    assert [(s["score"], s["mastered"]) for s in rows[p[0]]["scores"]] == [
        (30, False),
        (80, True),
        (50, True),
    ]
    assert rows[p[2]]["absent"] is True
    assert rows[p[2]]["scores"] == []

    stamp = select(func.count(), func.max(DiagnosticResult.updated_at))
    before = (await session.execute(stamp)).one()
    replay = await client.put(url, json=body, headers=headers)
    assert replay.json() == saved.json()
    assert (await session.execute(stamp)).one() == before

    # A row replaces the pupil's results: p1 keeps only C1; an empty row clears p0.
    change = {
        "rows": [
            {"pupil_id": p[1], "scores": scores(diagnostic, 75)},
            {"pupil_id": p[0], "scores": []},
        ]
    }
    changed = {
        r["pupil_id"]: r
        for r in (await client.put(url, json=change, headers=headers)).json()["rows"]
    }
    assert [s["score"] for s in changed[p[1]]["scores"]] == [75]
    assert changed[p[0]]["scores"] == []
    assert changed[p[2]]["absent"] is True  # rows not sent are left as they are


async def test_grid_reports_every_faulty_row_and_writes_nothing(
    client: httpx.AsyncClient,
    teaching: TeachingWorld,
    diagnostic: dict[str, Any],
    session: AsyncSession,
) -> None:
    url = grid_url(diagnostic, teaching.classes["c1"].id) + "/grid"
    headers = teaching.auth("teacher")
    p = [str(x.id) for x in teaching.pupils["c1"]]
    other_class = str(teaching.pupils["c2"][0].id)
    c1 = diagnostic["competencies"][0]["id"]
    body = {
        "rows": [
            {"pupil_id": p[0], "scores": scores(diagnostic, 60)},
            {"pupil_id": other_class, "scores": scores(diagnostic, 60)},
            {"pupil_id": p[1], "absent": True, "scores": scores(diagnostic, 10)},
            {"pupil_id": p[2], "scores": [{"competency_id": c1, "score": 1}] * 2},
            {"pupil_id": p[3], "scores": [{"competency_id": p[0], "score": 1}]},
        ]
    }
    response = await client.put(url, json=body, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("body.rows.1.pupil_id", "not_in_class"),
    }
    # Pupils are checked first; once they are right, the scores are.
    body["rows"].pop(1)
    response = await client.put(url, json=body, headers=headers)
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("body.rows.1.scores", "absent_with_scores"),
        ("body.rows.2.scores.1.competency_id", "duplicate"),
        ("body.rows.3.scores.0.competency_id", "unknown"),
    }
    out_of_range = await client.put(
        url,
        json={"rows": [{"pupil_id": p[0], "scores": scores(diagnostic, 101)}]},
        headers=headers,
    )
    assert out_of_range.status_code == 422
    assert out_of_range.json()["errors"][0]["field"] == "body.rows.0.scores.0.score"
    assert await session.scalar(select(func.count()).select_from(DiagnosticResult)) == 0


@pytest.mark.parametrize("who", ["teacher_fr", "teacher_other"])
async def test_grid_of_another_teachers_class_is_not_found(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any], who: str
) -> None:
    url = grid_url(diagnostic, teaching.classes["c1"].id)
    assert (await client.get(url + "/grid", headers=teaching.auth(who))).status_code == 404
    put = await client.put(url + "/grid", json={"rows": []}, headers=teaching.auth(who))
    assert put.status_code == 404
    assert (await client.get(url + "/summary", headers=teaching.auth(who))).status_code == 404


async def test_a_test_of_another_level_does_not_apply(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    url = grid_url(diagnostic, teaching.classes["c2"].id) + "/grid"
    assert (await client.get(url, headers=teaching.auth("teacher"))).status_code == 404


@pytest.mark.parametrize("who", ["student", "parent", "school_staff", "province_staff"])
async def test_teacher_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.get("/api/v1/teacher/diagnostics/tests", headers=teaching.auth(who))
    assert response.status_code == 403


async def enter_results(
    client: httpx.AsyncClient, teaching: TeachingWorld, test: dict[str, Any]
) -> None:
    """c1: C1 scores 30, 49, 50, 90 and one absent; C2 all 80 (threshold 50)."""
    p = [str(x.id) for x in teaching.pupils["c1"]]
    rows = [
        {"pupil_id": pupil, "scores": scores(test, c1, 80)}
        for pupil, c1 in zip(p, (30, 49, 50, 90), strict=False)
    ]
    rows.append({"pupil_id": p[4], "absent": True})
    response = await client.put(
        grid_url(test, teaching.classes["c1"].id) + "/grid",
        json={"rows": rows},
        headers=teaching.auth("teacher"),
    )
    assert response.status_code == 200, response.text


async def test_class_summary_gives_mastery_per_competency(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    await enter_results(client, teaching, diagnostic)
    summary = (
        await client.get(
            grid_url(diagnostic, teaching.classes["c1"].id) + "/summary",
            headers=teaching.auth("teacher"),
        )
    ).json()
    assert (summary["pupils"], summary["entered"]) == (5, 5)
    lines = [(c["code"], c["assessed"], c["mastered"], c["rate"]) for c in summary["competencies"]]
    assert lines == [("C1", 4, 2, "0.5000"), ("C2", 4, 4, "1.0000"), ("C3", 0, 0, None)]


# ---- school and steering --------------------------------------------------------------------


async def test_school_completion_and_mastery(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    await enter_results(client, teaching, diagnostic)
    url = "/api/v1/school/diagnostics/completion"
    mine = (await client.get(url, headers=teaching.auth("school_staff"))).json()
    # c2 is 2AC: no test for it.
    [line] = mine["items"]
    assert line["class_id"] == str(teaching.classes["c1"].id)
    assert (line["pupils"], line["entered"], line["assessed"], line["mastered"]) == (5, 5, 8, 6)
    assert line["rate"] == "0.7500"
    other = (await client.get(url, headers=teaching.auth("other_school_staff"))).json()
    assert [(i["class_id"], i["entered"]) for i in other["items"]] == [
        (str(teaching.classes["c3"].id), 0)
    ]
    mastery = (
        await client.get(
            "/api/v1/school/diagnostics/mastery", headers=teaching.auth("other_school_staff")
        )
    ).json()
    assert mastery["items"] == []
    ours = (
        await client.get(
            "/api/v1/school/diagnostics/mastery", headers=teaching.auth("school_staff")
        )
    ).json()
    assert [(i["code"], i["assessed"], i["mastered"]) for i in ours["items"]] == [
        ("C1", 4, 2),
        ("C2", 4, 4),
        ("C3", 0, 0),  # only the absent pupil's row: nobody assessed
    ]


@pytest.mark.parametrize("who", ["teacher", "student", "parent", "central_staff"])
async def test_school_face_refuses_other_roles(
    client: httpx.AsyncClient, teaching: TeachingWorld, who: str
) -> None:
    response = await client.get("/api/v1/school/diagnostics/completion", headers=teaching.auth(who))
    assert response.status_code == 403


async def test_steering_mastery_and_overview_figure(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    await enter_results(client, teaching, diagnostic)
    url = "/api/v1/steering/diagnostics/mastery"
    rabat = (await client.get(url, headers=teaching.auth("province_staff"))).json()
    assert [(i["code"], i["rate"]) for i in rabat["items"]] == [
        ("C1", "0.5000"),
        ("C2", "1.0000"),
        ("C3", None),
    ]
    filtered = await client.get(
        url, params={"level_code": "2AC"}, headers=teaching.auth("province_staff")
    )
    assert filtered.json()["items"] == []
    overview = (
        await client.get("/api/v1/steering/overview", headers=teaching.auth("province_staff"))
    ).json()
    assert overview["modules"]["diagnostics"] == {
        "pupils_assessed": 4,
        "scores": 8,
        "mastered": 6,
        "mastery_rate": "0.7500",
        "pupils_in_remedial_groups": 0,
    }
    school_c = teaching.world.schools["c"].id
    elsewhere = (
        await client.get(
            f"/api/v1/steering/units/{school_c}", headers=teaching.auth("central_staff")
        )
    ).json()
    assert elsewhere["modules"]["diagnostics"]["pupils_assessed"] == 0
    assert elsewhere["modules"]["diagnostics"]["mastery_rate"] is None


async def test_only_the_owner_defines_a_post_test(
    client: httpx.AsyncClient, teaching: TeachingWorld, diagnostic: dict[str, Any]
) -> None:
    # The ministry's test: a directorate sees it, but its one post-test is the ministry's to define.
    post = {
        "kind": "post_test",
        "level_code": diagnostic["level_code"],
        "subject_id": diagnostic["subject_id"],
        "title": "Post-test",
        "competencies": [],
        "diagnostic_id": diagnostic["id"],
    }
    url = "/api/v1/steering/diagnostics/tests"
    taken = await client.post(url, json=post, headers=teaching.auth("province_staff"))
    assert taken.status_code == 422, taken.text
    assert taken.json()["errors"][0]["field"] == "body.diagnostic_id"
    owned = await client.post(url, json=post, headers=teaching.auth("central_staff"))
    assert owned.status_code == 201, owned.text
