"""Steering figures against a world counted by hand, at school, directorate, academy and
ministry level, with the 403 / 404 matrix.

The hand-counted world, on top of `world` (a1, a2 in RSK-RABAT; b in RSK-SALE; c in CS-ANFA):

| school | classes (cycle)    | current pupils (gender)          | active teachers (assigned) |
|--------|--------------------|----------------------------------|----------------------------|
| a1     | 1AC (college), 1AP | 1AC F F M M (+1 left); 1AP F M   | teacher (1AC, 1AP)         |
| a2     | 1AC                | F F F                            | t_a2 (1AC)                 |
| b      | TC (lycee)         | M M                              | t_b (TC)                   |
| c      | 1AC                | F                                | t_c (1AC)                  |

a1 also has a disabled teacher account, counted nowhere.

Tests, all MATH semester 1 (marks of the pupils in class order):
a1 1AC test 1 published 10, 12, 14, absent; test 2 published 12, 14, 16, 8
  -> pupil averages 11, 13, 15, 8;
a1 1AP test 1 draft dated 20 days ago, 1 mark of 2 (late);
a2 test 1 submitted 9, 10, 11; test 2 draft dated today, no mark (not late);
b test 1 validated 15, 16.5; test 2 published 20, 5 -> pupil averages 20, 5;
c test 1 published 18.

Attendance in the last 30 days: a1 P P L A (yesterday), a2 P A A, b P P, c L; and a1 A A A A
40 days ago (outside the default period). Pending justifications: a1 2 (+1 accepted), b 1, c 1.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.academics.calendar import school_today
from tests.steering.world import Steering


def completion(
    tests: int,
    expected: int,
    entered: int,
    submitted: int,
    validated: int,
    published: int,
    late: int,
) -> dict[str, int]:
    return {
        "tests": tests,
        "expected": expected,
        "entered": entered,
        "submitted": submitted,
        "validated": validated,
        "published": published,
        "late_tests": late,
    }


def cycles(primary: int, college: int, lycee: int) -> dict[str, int]:
    return {"primary": primary, "college": college, "lycee": lycee}


def histogram(*bins: int) -> list[int]:
    counts = [0] * 20
    for b in bins:
        counts[b] += 1
    return counts


COMPLETION = {
    "a1": completion(3, 10, 9, 8, 8, 8, 1),
    "a2": completion(2, 6, 3, 3, 0, 0, 0),
    "b": completion(2, 4, 4, 4, 4, 2, 0),
    "c": completion(1, 1, 1, 1, 1, 1, 0),
}
AVG_1AC_RABAT = {"pupils": 4, "mean": "11.75", "histogram": histogram(8, 11, 13, 15)}
AVG_TC = {"pupils": 2, "mean": "12.50", "histogram": histogram(5, 19)}

# The figures of each caller's own unit, counted by hand from the table above.
EXPECTED: dict[str, dict[str, Any]] = {
    "province_staff": {
        "schools": 2,
        "classes": 3,
        "pupils": {
            "total": 9,
            "by_gender": {"male": 3, "female": 6},
            "by_cycle": cycles(2, 7, 0),
        },
        "teachers": {"total": 2, "by_cycle": cycles(1, 2, 0)},
        "attendance": {"marks": 7, "present": 3, "late": 1, "absent": 3, "rate": "0.5714"},
        "completion": completion(5, 16, 12, 11, 8, 8, 1),
        "completion_by_school": ["a1", "a2"],
        "averages": {("1AC", "MATH"): AVG_1AC_RABAT},
        "pending_justifications": 2,
    },
    "academy_staff": {
        "schools": 3,
        "classes": 4,
        "pupils": {
            "total": 11,
            "by_gender": {"male": 5, "female": 6},
            "by_cycle": cycles(2, 7, 2),
        },
        "teachers": {"total": 3, "by_cycle": cycles(1, 2, 1)},
        "attendance": {"marks": 9, "present": 5, "late": 1, "absent": 3, "rate": "0.6667"},
        "completion": completion(7, 20, 16, 15, 12, 10, 1),
        "completion_by_school": ["a1", "a2", "b"],
        "averages": {("1AC", "MATH"): AVG_1AC_RABAT, ("TC", "MATH"): AVG_TC},
        "pending_justifications": 3,
    },
    "central_staff": {
        "schools": 4,
        "classes": 5,
        "pupils": {
            "total": 12,
            "by_gender": {"male": 5, "female": 7},
            "by_cycle": cycles(2, 8, 2),
        },
        "teachers": {"total": 4, "by_cycle": cycles(1, 3, 1)},
        "attendance": {"marks": 10, "present": 5, "late": 2, "absent": 3, "rate": "0.7000"},
        "completion": completion(8, 21, 17, 16, 13, 11, 1),
        "completion_by_school": ["a1", "a2", "b", "c"],
        "averages": {
            ("1AC", "MATH"): {
                "pupils": 5,
                "mean": "13.00",
                "histogram": histogram(8, 11, 13, 15, 18),
            },
            ("TC", "MATH"): AVG_TC,
        },
        "pending_justifications": 4,
    },
}


def assert_figures(st: Steering, body: dict[str, Any], expected: dict[str, Any]) -> None:
    for name in ("schools", "classes", "pupils", "teachers", "completion"):
        assert body[name] == expected[name], name
    assert body["pending_justifications"] == expected["pending_justifications"]
    attendance = {k: body["attendance"][k] for k in expected["attendance"]}
    assert attendance == expected["attendance"]
    by_school = {s["code"]: s["completion"] for s in body["completion_by_school"]}
    schools = st.world.schools
    assert by_school == {schools[n].code: COMPLETION[n] for n in expected["completion_by_school"]}
    averages = {
        (a["level_code"], a["subject_code"]): {k: a[k] for k in ("pupils", "mean", "histogram")}
        for a in body["averages"]
    }
    assert averages == expected["averages"]
    assert {a["semester"] for a in body["averages"]} == {1}


@pytest.mark.parametrize("who", list(EXPECTED))
async def test_overview_counts_the_callers_own_unit(
    client: httpx.AsyncClient, steering: Steering, who: str
) -> None:
    response = await client.get("/api/v1/steering/overview", headers=steering.auth(who))
    assert response.status_code == 200, response.text
    body = response.json()
    assert_figures(steering, body, EXPECTED[who])
    level = {"province_staff": "province", "academy_staff": "academy"}.get(who, "central")
    assert body["unit"]["level"] == level


async def test_unit_figures_are_the_overview_of_that_unit(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    # The central caller looking at RSK-RABAT sees what the directorate sees as its overview.
    unit = steering.units["RSK-RABAT"]
    response = await client.get(
        f"/api/v1/steering/units/{unit}", headers=steering.auth("central_staff")
    )
    assert response.status_code == 200
    assert_figures(steering, response.json(), EXPECTED["province_staff"])
    academy = await client.get(
        f"/api/v1/steering/units/{steering.units['RSK']}", headers=steering.auth("central_staff")
    )
    assert_figures(steering, academy.json(), EXPECTED["academy_staff"])


async def test_school_figures(client: httpx.AsyncClient, steering: Steering) -> None:
    response = await client.get(
        f"/api/v1/steering/units/{steering.units['a1']}", headers=steering.auth("province_staff")
    )
    body = response.json()
    assert body["unit"]["level"] == "school"
    expected = {
        "schools": 1,
        "classes": 2,
        "pupils": {
            "total": 6,
            "by_gender": {"male": 3, "female": 3},
            "by_cycle": cycles(2, 4, 0),
        },
        "teachers": {"total": 1, "by_cycle": cycles(1, 1, 0)},
        "attendance": {"marks": 4, "present": 2, "late": 1, "absent": 1, "rate": "0.7500"},
        "completion": COMPLETION["a1"],
        "completion_by_school": ["a1"],
        "averages": {("1AC", "MATH"): AVG_1AC_RABAT},
        "pending_justifications": 2,
    }
    assert_figures(steering, body, expected)


async def test_attendance_period_from_and_to(client: httpx.AsyncClient, steering: Steering) -> None:
    today = school_today()
    params = {"from": str(today - timedelta(days=45)), "to": str(today - timedelta(days=2))}
    response = await client.get(
        f"/api/v1/steering/units/{steering.units['a1']}",
        params=params,
        headers=steering.auth("central_staff"),
    )
    attendance = response.json()["attendance"]
    # Only the roll call of 40 days ago is in [today - 45, today - 2].
    assert attendance["marks"] == 4
    assert attendance["absent"] == 4
    assert attendance["rate"] == "0.0000"
    assert attendance["from_date"] == params["from"]
    empty = await client.get(
        "/api/v1/steering/overview",
        params={"from": "2001-01-01", "to": "2001-01-31"},
        headers=steering.auth("central_staff"),
    )
    assert empty.json()["attendance"]["marks"] == 0
    assert empty.json()["attendance"]["rate"] is None


async def test_period_backwards_is_422(client: httpx.AsyncClient, steering: Steering) -> None:
    response = await client.get(
        "/api/v1/steering/overview",
        params={"from": "2026-02-01", "to": "2026-01-01"},
        headers=steering.auth("central_staff"),
    )
    assert response.status_code == 422


def _summaries(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["unit"]["code"]: item for item in body["items"]}


async def test_units_of_a_directorate_are_its_schools(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    response = await client.get("/api/v1/steering/units", headers=steering.auth("province_staff"))
    assert response.status_code == 200
    items = _summaries(response.json())
    schools = steering.world.schools
    assert set(items) == {schools["a1"].code, schools["a2"].code}
    a1, a2 = items[schools["a1"].code], items[schools["a2"].code]
    assert a1["unit"]["level"] == "school"
    assert (a1["schools"], a1["classes"], a1["pupils"], a1["teachers"]) == (1, 2, 6, 1)
    assert a1["attendance_rate"] == "0.7500"
    assert a1["completion"] == COMPLETION["a1"]
    assert a1["pending_justifications"] == 2
    assert (a2["classes"], a2["pupils"], a2["teachers"], a2["attendance_rate"]) == (
        1,
        3,
        1,
        "0.3333",
    )
    assert a2["completion"] == COMPLETION["a2"]
    assert a2["pending_justifications"] == 0


async def test_units_of_an_academy_are_its_directorates(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    response = await client.get("/api/v1/steering/units", headers=steering.auth("academy_staff"))
    items = _summaries(response.json())
    assert "CS-ANFA" not in items
    rabat, sale = items["RSK-RABAT"], items["RSK-SALE"]
    assert rabat["unit"]["level"] == "province"
    assert (rabat["schools"], rabat["classes"], rabat["pupils"], rabat["teachers"]) == (2, 3, 9, 2)
    assert rabat["attendance_rate"] == "0.5714"
    assert rabat["completion"] == EXPECTED["province_staff"]["completion"]
    assert (sale["schools"], sale["pupils"], sale["teachers"], sale["attendance_rate"]) == (
        1,
        2,
        1,
        "1.0000",
    )
    assert sale["completion"] == COMPLETION["b"]
    assert sale["pending_justifications"] == 1
    # Directorates without a school in this world are listed with zeros.
    others = [v for k, v in items.items() if k not in ("RSK-RABAT", "RSK-SALE")]
    assert others
    assert all(o["schools"] == 0 and o["attendance_rate"] is None for o in others)


async def test_units_of_the_ministry_are_the_academies(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    response = await client.get("/api/v1/steering/units", headers=steering.auth("central_staff"))
    items = _summaries(response.json())
    assert len(items) == 12
    rsk, cs = items["RSK"], items["CS"]
    assert rsk["unit"]["level"] == "academy"
    assert (rsk["schools"], rsk["classes"], rsk["pupils"], rsk["teachers"]) == (3, 4, 11, 3)
    assert rsk["attendance_rate"] == "0.6667"
    assert rsk["completion"] == EXPECTED["academy_staff"]["completion"]
    assert rsk["pending_justifications"] == 3
    assert (cs["schools"], cs["pupils"], cs["attendance_rate"]) == (1, 1, "1.0000")
    assert cs["completion"] == COMPLETION["c"]


# Which units each steering caller may open by id.
VISIBLE_UNITS = {
    "province_staff": {"RSK-RABAT", "a1", "a2"},
    "academy_staff": {"RSK", "RSK-RABAT", "RSK-SALE", "a1", "a2", "b"},
    "central_staff": {"RSK", "CS", "RSK-RABAT", "RSK-SALE", "CS-ANFA", "a1", "a2", "b", "c"},
}


@pytest.mark.parametrize("who", list(VISIBLE_UNITS))
@pytest.mark.parametrize(
    "unit", ["RSK", "CS", "RSK-RABAT", "RSK-SALE", "CS-ANFA", "a1", "a2", "b", "c"]
)
async def test_a_unit_outside_the_callers_tree_is_404(
    client: httpx.AsyncClient, steering: Steering, who: str, unit: str
) -> None:
    response = await client.get(
        f"/api/v1/steering/units/{steering.units[unit]}", headers=steering.auth(who)
    )
    if unit in VISIBLE_UNITS[who]:
        assert response.status_code == 200
        assert response.json()["unit"]["id"] == str(steering.units[unit])
    else:
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"


async def test_unknown_unit_is_404(client: httpx.AsyncClient, steering: Steering) -> None:
    response = await client.get(
        "/api/v1/steering/units/00000000-0000-4000-8000-000000000000",
        headers=steering.auth("central_staff"),
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["student", "parent", "teacher", "school_staff"])
@pytest.mark.parametrize("path", ["overview", "units", "units/{id}"])
async def test_other_roles_get_403(
    client: httpx.AsyncClient, steering: Steering, who: str, path: str
) -> None:
    url = "/api/v1/steering/" + path.format(id=steering.units["a1"])
    response = await client.get(url, headers=steering.auth(who))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_no_token_is_401(client: httpx.AsyncClient, steering: Steering) -> None:
    response = await client.get("/api/v1/steering/overview")
    assert response.status_code == 401


# ---- the school's grade-entry screen --------------------------------------------------------


async def test_grade_entry_screen_of_the_school(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    response = await client.get("/api/v1/school/grade-entry", headers=steering.auth("school_staff"))
    assert response.status_code == 200
    body = response.json()
    assert body["late_after_days"] == 10
    assert body["total"] == COMPLETION["a1"]
    rows = {(r["level_code"], r["subject_code"], r["semester"]): r for r in body["items"]}
    assert set(rows) == {("1AC", "MATH", 1), ("1AP", "MATH", 1)}
    college, primary = rows[("1AC", "MATH", 1)], rows[("1AP", "MATH", 1)]
    assert college["completion"] == completion(2, 8, 8, 8, 8, 8, 0)
    assert college["teacher_late"] is False
    assert college["oldest_late_test"] is None
    assert primary["completion"] == completion(1, 2, 1, 0, 0, 0, 1)
    assert primary["teacher_late"] is True
    assert primary["oldest_late_test"] == str(school_today() - timedelta(days=20))
    assert primary["teacher_id"] == str(steering.world.users["teacher"].id)
    assert primary["class_id"] == str(steering.classes["a1p"].id)


async def test_grade_entry_shows_only_the_callers_school(
    client: httpx.AsyncClient, steering: Steering
) -> None:
    response = await client.get(
        "/api/v1/school/grade-entry", headers=steering.auth("other_school_staff")
    )
    body = response.json()
    assert [r["class_id"] for r in body["items"]] == [str(steering.classes["c"].id)]
    assert body["total"] == COMPLETION["c"]


async def test_a_draft_is_late_only_after_the_delay(
    client: httpx.AsyncClient, steering: Steering, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.settings import get_settings

    monkeypatch.setattr(get_settings(), "grade_entry_late_days", 30)
    response = await client.get("/api/v1/school/grade-entry", headers=steering.auth("school_staff"))
    assert response.json()["total"]["late_tests"] == 0
    assert all(r["teacher_late"] is False for r in response.json()["items"])


@pytest.mark.parametrize(
    "who", ["student", "parent", "teacher", "province_staff", "academy_staff", "central_staff"]
)
async def test_grade_entry_other_roles_get_403(
    client: httpx.AsyncClient, steering: Steering, who: str
) -> None:
    response = await client.get("/api/v1/school/grade-entry", headers=steering.auth(who))
    assert response.status_code == 403
