"""Class councils, the rollover and orientation, over HTTP: a 3AC pupil ranks the TC streams,
the orientation council decides, the class council decides for every pupil, the director
validates, and the rollover places each pupil in next year's classes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, Stream
from app.audit.models import AuditEntry
from tests.councils.conftest import API, YearEnd, open_window
from tests.factories import (
    assign,
    create_class,
    create_pupil,
    create_test_with_marks,
    stream,
    subject,
)


def _decisions(end: YearEnd, *rows: tuple[int, str, str | None]) -> dict[str, Any]:
    return {
        "decisions": [
            {"pupil_id": str(end.pupils[i].id), "decision": d, "stream_id": s} for i, d, s in rows
        ]
    }


async def _orient_first_pupil(client: httpx.AsyncClient, end: YearEnd) -> None:
    await open_window(client, end)
    wishes = [end.streams["TC-LSH"], end.streams["TC-S"]]
    stated = await client.put(
        f"{API}/student/orientation/wishes", json={"streams": wishes}, headers=end.auth("student")
    )
    assert stated.status_code == 200, stated.text
    decided = await client.put(
        f"{API}/school/orientation/decisions",
        json={"decisions": [{"pupil_id": str(end.pupils[0].id), "stream_id": end.streams["TC-S"]}]},
        headers=end.auth("school_staff"),
    )
    assert decided.status_code == 200, decided.text


async def _hold_council(client: httpx.AsyncClient, end: YearEnd) -> httpx.Response:
    body = _decisions(
        end,
        (0, "oriented", None),  # the orientation council's stream
        (1, "repeats", None),
        (2, "left", None),
        (3, "redirected", None),
    )
    url = f"{API}/school/councils/{end.third.id}/decisions"
    recorded = await client.put(url, json=body, headers=end.auth("school_staff"))
    assert recorded.status_code == 200, recorded.text
    return recorded


async def test_wishes_orientation_council_and_what_the_family_sees(
    client: httpx.AsyncClient, year_end: YearEnd
) -> None:
    end = year_end
    before = await client.get(f"{API}/student/orientation", headers=end.auth("student"))
    assert before.status_code == 200, before.text
    assert before.json()["wishes_open"] is False
    assert {s["code"] for s in before.json()["choices"]} >= {"S", "LSH", "EO", "SPORT"}
    closed = await client.put(
        f"{API}/student/orientation/wishes",
        json={"streams": [end.streams["TC-S"]]},
        headers=end.auth("student"),
    )
    assert closed.status_code == 409
    assert closed.json()["type"].endswith("/window-closed")

    await open_window(client, end)
    wrong = await client.put(
        f"{API}/student/orientation/wishes",
        json={"streams": [end.streams["TC-S"], end.streams["1BAC-SE"], end.streams["TC-S"]]},
        headers=end.auth("student"),
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["body.streams.1", "body.streams.2"]

    await _orient_first_pupil(client, end)
    child = end.pupils[0].id
    seen = await client.get(
        f"{API}/parent/children/{child}/orientation", headers=end.auth("parent")
    )
    assert seen.status_code == 200, seen.text
    assert [s["code"] for s in seen.json()["wishes"]] == ["LSH", "S"]
    assert seen.json()["decided"]["code"] == "S"
    mine = await client.get(f"{API}/student/orientation", headers=end.auth("student"))
    assert mine.json()["decided"]["code"] == "S"
    # Decided: the wishes are closed to change.
    late = await client.put(
        f"{API}/student/orientation/wishes",
        json={"streams": [end.streams["TC-S"]]},
        headers=end.auth("student"),
    )
    assert late.status_code == 409
    listed = await client.get(
        f"{API}/school/orientation", params={"level_code": "3AC"}, headers=end.auth("school_staff")
    )
    first = next(p for p in listed.json() if p["pupil_id"] == str(child))
    assert first["decided"]["code"] == "S"
    assert [s["code"] for s in first["wishes"]] == ["LSH", "S"]
    figures = await client.get(
        f"{API}/steering/orientation",
        params={"school_year": end.year},
        headers=end.auth("province_staff"),
    )
    assert figures.status_code == 200, figures.text
    by_stream = {s["stream"]["code"]: s for s in figures.json()["streams"]}
    assert by_stream["LSH"] | {"stream": None} == {
        "stream": None,
        "first_wishes": 1,
        "wishes": 1,
        "decided": 0,
    }
    assert (by_stream["S"]["first_wishes"], by_stream["S"]["decided"]) == (0, 1)


async def test_a_council_decides_validates_and_the_school_rolls_over(
    client: httpx.AsyncClient, year_end: YearEnd, session: AsyncSession
) -> None:
    end = year_end
    await _orient_first_pupil(client, end)
    council = await client.get(
        f"{API}/school/councils/{end.third.id}", headers=end.auth("school_staff")
    )
    assert council.status_code == 200, council.text
    body = council.json()
    assert (body["max_mark"], body["pass_mark"], body["next_level_code"]) == (20, 10, "TC")
    averages = {p["pupil_id"]: p["annual_average"] for p in body["pupils"]}
    assert [averages[str(p.id)] for p in end.pupils] == ["15.00", "7.00", "10.50", None]

    recorded = await _hold_council(client, end)
    decided = {p["pupil_id"]: p for p in recorded.json()["pupils"]}
    assert decided[str(end.pupils[0].id)]["stream"]["code"] == "S"
    assert decided[str(end.pupils[1].id)]["passed"] is False
    # A replay changes nothing.
    again = await _hold_council(client, end)
    assert again.json() == recorded.json()

    validated = await client.post(
        f"{API}/school/councils/{end.third.id}/validate", headers=end.auth("school_staff")
    )
    assert validated.status_code == 200, validated.text
    assert validated.json()["validated_at"] is not None
    locked = await client.put(
        f"{API}/school/councils/{end.third.id}/decisions",
        json=_decisions(end, (1, "promoted", None)),
        headers=end.auth("school_staff"),
    )
    assert locked.status_code == 409
    assert locked.json()["type"].endswith("/council-validated")
    # The correction: pupil 3 is redirected, not left, and the audit trail says who did it.
    corrected = await client.post(
        f"{API}/school/councils/{end.third.id}/corrections",
        json={"pupil_id": str(end.pupils[2].id), "decision": "repeats", "reason": "Erreur"},
        headers=end.auth("school_staff"),
    )
    assert corrected.status_code == 200, corrected.text
    audited = await session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity == "council_decisions", AuditEntry.action == "update"
        )
    )
    assert audited is not None
    assert audited.actor_id == end.world.users["school_staff"].id

    rolled = await client.post(
        f"{API}/school/rollovers", json={"from_year": end.year}, headers=end.auth("school_staff")
    )
    assert rolled.status_code == 200, rolled.text
    report = rolled.json()
    assert report["counts"] | {} == {
        "placed": 3,
        "unplaced": 0,
        "withdrawn": 1,
        "completed": 0,
        "already_enrolled": 0,
    }
    again = await client.post(
        f"{API}/school/rollovers", json={"from_year": end.year}, headers=end.auth("school_staff")
    )
    assert again.json() == report
    placed = dict(
        (
            await session.execute(
                select(Enrolment.pupil_id, Enrolment.class_id).where(
                    Enrolment.school_year == end.next_year, Enrolment.left_on.is_(None)
                )
            )
        ).all()
    )
    assert placed[end.pupils[0].id] in {end.next_classes["TCS-1"].id, end.next_classes["TCS-2"].id}
    assert placed[end.pupils[1].id] == placed[end.pupils[2].id] == end.next_classes["3AC-1"].id
    assert end.pupils[3].id not in placed
    # The history is kept: this year's class is still there, the withdrawn pupil's closed.
    kept = await session.scalar(
        select(Enrolment.left_on).where(
            Enrolment.pupil_id == end.pupils[3].id, Enrolment.school_year == end.year
        )
    )
    assert kept is not None
    # After the rollover a correction would contradict next year's enrolments.
    refused = await client.post(
        f"{API}/school/councils/{end.third.id}/corrections",
        json={"pupil_id": str(end.pupils[1].id), "decision": "promoted", "reason": "Erreur"},
        headers=end.auth("school_staff"),
    )
    assert refused.status_code == 409

    # The pupil, the parent, and the history see the decision.
    decisions = await client.get(f"{API}/student/council-decisions", headers=end.auth("student"))
    assert decisions.status_code == 200, decisions.text
    assert (
        decisions.json()[0].items() >= {"decision": "oriented", "annual_average": "15.00"}.items()
    )
    assert decisions.json()[0]["stream"]["code"] == "S"
    child = end.pupils[0].id
    parent = await client.get(
        f"{API}/parent/children/{child}/council-decisions", headers=end.auth("parent")
    )
    assert parent.json() == decisions.json()
    history = await client.get(f"{API}/student/history", headers=end.auth("student"))
    years = {y["school_year"]: y for y in history.json()}
    assert years[end.year]["council_decision"] == "oriented"
    assert years[end.next_year]["level_code"] == "TC"

    rates = await client.get(
        f"{API}/steering/councils",
        params={"school_year": end.year},
        headers=end.auth("province_staff"),
    )
    assert rates.status_code == 200, rates.text
    mine = next(
        u for u in rates.json()["units"] if u["unit"]["id"] == str(end.world.schools["a1"].id)
    )
    assert mine["rates"] == {
        "decided": 4,
        "promoted": 1,
        "repeats": 2,
        "dropped_out": 1,
        "promotion_rate": "25.0",
        "repetition_rate": "50.0",
        "dropout_rate": "25.0",
    }


async def test_the_rollover_reports_the_unplaced_and_the_school_places_them(
    client: httpx.AsyncClient, year_end: YearEnd, session: AsyncSession
) -> None:
    end = year_end
    await _orient_first_pupil(client, end)
    body = _decisions(end, *((i, "promoted", end.streams["TC-LSH"]) for i in range(4)))
    url = f"{API}/school/councils/{end.third.id}"
    assert (
        await client.put(f"{url}/decisions", json=body, headers=end.auth("school_staff"))
    ).status_code == 200
    assert (
        await client.post(f"{url}/validate", headers=end.auth("school_staff"))
    ).status_code == 200
    rolled = await client.post(
        f"{API}/school/rollovers", json={"from_year": end.year}, headers=end.auth("school_staff")
    )
    report = rolled.json()
    assert report["counts"]["unplaced"] == 4
    assert {p["stream"]["code"] for p in report["unplaced"]} == {"LSH"}
    waiting = str(end.pupils[0].id)
    wrong = await client.post(
        f"{API}/school/unplaced-pupils/{waiting}/place",
        json={"class_id": str(end.next_classes["TCS-1"].id)},
        headers=end.auth("school_staff"),
    )
    assert wrong.status_code == 422
    letters = await create_class(
        session,
        end.world.schools["a1"],
        level_code="TC",
        school_year=end.next_year,
        stream=await _stream(session, "TC", "LSH"),
    )
    await session.commit()
    placed = await client.post(
        f"{API}/school/unplaced-pupils/{waiting}/place",
        json={"class_id": str(letters.id)},
        headers=end.auth("school_staff"),
    )
    assert placed.status_code == 200, placed.text
    assert waiting not in {p["pupil_id"] for p in placed.json()}
    assert len(placed.json()) == 3
    now = await client.get(
        f"{API}/school/rollovers", params={"from_year": end.year}, headers=end.auth("school_staff")
    )
    assert (now.json()["counts"]["placed"], now.json()["counts"]["unplaced"]) == (1, 3)


async def _stream(session: AsyncSession, level: str, code: str) -> Stream:
    return await stream(session, level, code)


async def test_bad_decisions_are_reported_row_by_row_and_nothing_is_written(
    client: httpx.AsyncClient, year_end: YearEnd
) -> None:
    end = year_end
    body = _decisions(
        end,
        (0, "oriented", None),  # no orientation decided, no stream given
        (1, "repeats", end.streams["TC-S"]),  # a repeat names no stream
        (2, "promoted", end.streams["1BAC-SE"]),  # not a stream of TC
        (3, "promoted", end.streams["TC-S"]),
    )
    body["decisions"].append({"pupil_id": str(end.world.users["student"].id), "decision": "left"})
    url = f"{API}/school/councils/{end.third.id}"
    answer = await client.put(f"{url}/decisions", json=body, headers=end.auth("school_staff"))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert {(e["field"], e["code"]) for e in answer.json()["errors"]} == {
        ("body.decisions.4.pupil_id", "not_in_class"),
    }
    del body["decisions"][4]
    answer = await client.put(f"{url}/decisions", json=body, headers=end.auth("school_staff"))
    assert {(e["field"], e["code"]) for e in answer.json()["errors"]} == {
        ("body.decisions.0.stream_id", "stream_needed"),
        ("body.decisions.1.stream_id", "no_stream"),
        ("body.decisions.2.stream_id", "unknown_stream"),
    }
    council = await client.get(url, headers=end.auth("school_staff"))
    assert all(p["decision"] is None for p in council.json()["pupils"])
    # Validation waits for every pupil.
    missing = await client.post(f"{url}/validate", headers=end.auth("school_staff"))
    assert missing.status_code == 409
    assert missing.json()["type"].endswith("/decisions-missing")


async def test_the_rollover_waits_for_every_council_and_the_next_year(
    client: httpx.AsyncClient, year_end: YearEnd
) -> None:
    end = year_end
    refused = await client.post(
        f"{API}/school/rollovers", json={"from_year": end.year}, headers=end.auth("school_staff")
    )
    assert refused.status_code == 409
    assert refused.json()["classes"] == [end.third.name]
    no_year = await client.post(
        f"{API}/school/rollovers",
        json={"from_year": end.next_year},
        headers=end.auth("school_staff"),
    )
    assert no_year.status_code == 409
    assert no_year.json()["type"].endswith("/no-next-year")
    unknown = await client.get(
        f"{API}/school/rollovers", params={"from_year": end.year}, headers=end.auth("school_staff")
    )
    assert unknown.status_code == 404


async def test_reorientation_in_september(
    client: httpx.AsyncClient, year_end: YearEnd, session: AsyncSession
) -> None:
    end = year_end
    a1 = end.world.schools["a1"]
    sciences = await create_class(
        session, a1, level_code="TC", stream=await _stream(session, "TC", "S")
    )
    letters = await create_class(
        session, a1, level_code="TC", stream=await _stream(session, "TC", "LSH")
    )
    enrolment = await session.scalar(
        select(Enrolment).where(
            Enrolment.pupil_id == end.pupils[0].id, Enrolment.school_year == end.year
        )
    )
    assert enrolment is not None
    enrolment.class_id = sciences.id
    await session.commit()
    ask = {"stream_id": end.streams["TC-LSH"], "reason": "Les lettres"}
    closed = await client.post(
        f"{API}/student/orientation/reorientation", json=ask, headers=end.auth("student")
    )
    assert closed.status_code == 409
    await open_window(client, end, wishes=False)
    same = await client.post(
        f"{API}/student/orientation/reorientation",
        json={"stream_id": end.streams["TC-S"]},
        headers=end.auth("student"),
    )
    assert same.status_code == 422
    asked = await client.post(
        f"{API}/student/orientation/reorientation", json=ask, headers=end.auth("student")
    )
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    twice = await client.post(
        f"{API}/student/orientation/reorientation", json=ask, headers=end.auth("student")
    )
    assert twice.status_code == 409
    listed = await client.get(
        f"{API}/school/reorientations",
        params={"status": "pending"},
        headers=end.auth("school_staff"),
    )
    assert [r["id"] for r in listed.json()] == [request_id]
    wrong = await client.post(
        f"{API}/school/reorientations/{request_id}/accept",
        json={"class_id": str(sciences.id)},
        headers=end.auth("school_staff"),
    )
    assert wrong.status_code == 422
    accepted = await client.post(
        f"{API}/school/reorientations/{request_id}/accept",
        json={"class_id": str(letters.id)},
        headers=end.auth("school_staff"),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    profile = await client.get(f"{API}/student/orientation", headers=end.auth("student"))
    assert profile.json()["reorientation"]["status"] == "accepted"
    again = await client.post(
        f"{API}/school/reorientations/{request_id}/refuse",
        json={"reason": "Trop tard"},
        headers=end.auth("school_staff"),
    )
    assert again.status_code == 409


# ---- who may: the role, the post, the school --------------------------------------------------

WRITES = (
    (
        "put",
        "/school/councils/{class_id}/decisions",
        {"decisions": [{"pupil_id": "{pupil}", "decision": "left"}]},
    ),
    ("post", "/school/councils/{class_id}/validate", None),
    (
        "post",
        "/school/councils/{class_id}/corrections",
        {"pupil_id": "{pupil}", "decision": "left", "reason": "Erreur"},
    ),
    ("post", "/school/rollovers", {"from_year": 0}),
    ("post", "/school/unplaced-pupils/{pupil}/place", {"class_id": "{class_id}"}),
    (
        "put",
        "/school/orientation/decisions",
        {"decisions": [{"pupil_id": "{pupil}", "stream_id": "{class_id}"}]},
    ),
    ("post", "/school/reorientations/{pupil}/accept", {"class_id": "{class_id}"}),
    ("post", "/school/reorientations/{pupil}/refuse", {"reason": "Non merci"}),
)


def _filled(end: YearEnd, text: str) -> str:
    return text.replace("{class_id}", str(end.third.id)).replace("{pupil}", str(end.pupils[0].id))


def _request(end: YearEnd, path: str, body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    raw = _filled(end, json.dumps(body)).replace('"from_year": 0', f'"from_year": {end.year}')
    return {"content": raw, "headers": {"Content-Type": "application/json"}}


async def test_only_the_director_holds_the_councils(
    client: httpx.AsyncClient, year_end: YearEnd
) -> None:
    end = year_end
    for method, path, body in WRITES:
        request = _request(end, path, body)
        for post in ("secretary", "deputy"):
            headers = {**request.get("headers", {}), **end.auth(post)}
            answer = await client.request(
                method.upper(),
                API + _filled(end, path),
                content=request.get("content"),
                headers=headers,
            )
            assert answer.status_code == 403, (post, path, answer.text)
            assert answer.json()["type"].endswith("/title-not-allowed"), path
        headers = {**request.get("headers", {}), **end.auth("teacher")}
        answer = await client.request(
            method.upper(),
            API + _filled(end, path),
            content=request.get("content"),
            headers=headers,
        )
        assert answer.status_code == 403, (path, answer.text)
    for path in ("/steering/councils", "/steering/orientation"):
        answer = await client.get(
            API + path, params={"school_year": end.year}, headers=end.auth("school_staff")
        )
        assert answer.status_code == 403
    window = await client.put(
        f"{API}/steering/orientation-windows",
        json={
            "school_year": end.year,
            "wishes_from": "2027-03-01",
            "wishes_until": "2027-05-31",
            "reorientation_from": "2027-09-01",
            "reorientation_until": "2027-10-15",
        },
        headers=end.auth("province_staff"),
    )
    assert window.status_code == 403
    wishes = await client.put(
        f"{API}/parent/children/{end.pupils[0].id}/orientation/wishes",
        json={"streams": [end.streams["TC-S"]]},
        headers=end.auth("parent"),
    )
    assert wishes.status_code in (404, 405)


async def test_another_schools_council_is_not_found(
    client: httpx.AsyncClient, year_end: YearEnd
) -> None:
    end = year_end
    other = end.auth("other_school_staff")
    read = await client.get(f"{API}/school/councils/{end.third.id}", headers=other)
    assert read.status_code == 404
    named = [(m, p, b) for m, p, b in WRITES if "{" in p]
    assert len(named) == 6
    for method, path, body in named:
        request = _request(end, path, body)
        answer = await client.request(
            method.upper(),
            API + _filled(end, path),
            content=request.get("content"),
            headers={**request.get("headers", {}), **other},
        )
        assert answer.status_code == 404, (path, answer.text)
    # A pupil of another school named in a body is refused, row by row.
    body = {"decisions": [{"pupil_id": str(end.pupils[0].id), "stream_id": end.streams["TC-S"]}]}
    answer = await client.put(f"{API}/school/orientation/decisions", json=body, headers=other)
    assert answer.status_code == 422
    outside = await client.get(
        f"{API}/steering/councils",
        params={"school_year": end.year, "unit_id": str(end.world.schools["c"].id)},
        headers=end.auth("province_staff"),
    )
    assert outside.status_code == 404


async def test_a_primary_council_reads_averages_out_of_ten(
    client: httpx.AsyncClient, year_end: YearEnd, session: AsyncSession
) -> None:
    end = year_end
    sixth = await create_class(session, end.world.schools["a1"], level_code="6AP")
    pupils = [await create_pupil(session, sixth) for _ in range(2)]
    maths, teacher = await subject(session, "MATH"), end.world.users["teacher"]
    await assign(session, teacher, sixth, maths)
    for semester in (1, 2):
        marks = dict(zip(pupils, (Decimal("6"), Decimal("4")), strict=True))
        await create_test_with_marks(session, sixth, maths, teacher, marks, semester=semester)
    await session.commit()
    council = await client.get(
        f"{API}/school/councils/{sixth.id}", headers=end.auth("school_staff")
    )
    assert council.status_code == 200, council.text
    body = council.json()
    assert (body["max_mark"], body["pass_mark"], body["next_level_code"]) == (10, 5, "1AC")
    assert {p["annual_average"]: p["passed"] for p in body["pupils"]} == {
        "6.00": True,
        "4.00": False,
    }
