"""Shared setup of the school-sport tests: an association, licences and teams made over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from app.academics.calendar import school_today

ASSOCIATION = "/api/v1/school/sports/association"
LICENCES = "/api/v1/school/sports/licences"
TEAMS = "/api/v1/school/sports/teams"


def previous_year_certificate() -> date:
    """A certificate of last school year: too old for this one's licences."""
    today = school_today()
    start = today.year if today.month >= 9 else today.year - 1
    return date(start - 1, 10, 1)


async def found_association(
    client: httpx.AsyncClient, headers: dict[str, str], codes: tuple[str, ...] = ("FOOT", "ATHLE")
) -> dict[str, Any]:
    response = await client.put(
        ASSOCIATION,
        json={
            "name": "AS Collège test",
            "founded_on": "2015-10-01",
            "discipline_codes": list(codes),
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def license_pupils(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    rows: list[tuple[Any, date | None]],
    codes: tuple[str, ...] = ("FOOT",),
) -> list[dict[str, Any]]:
    """Licence each (pupil, certificate date); the licences in row order."""
    response = await client.post(
        LICENCES,
        json={
            "licences": [
                {
                    "pupil_id": str(pupil.id),
                    "discipline_codes": list(codes),
                    "medical_certificate_on": on.isoformat() if on else None,
                }
                for pupil, on in rows
            ]
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    by_pupil = {lic["pupil"]["id"]: lic for lic in response.json()["licences"]}
    return [by_pupil[str(pupil.id)] for pupil, _ in rows]


async def make_team(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    licences: list[dict[str, Any]],
    *,
    gender: str,
    category: str,
    name: str = "Équipe test",
) -> dict[str, Any]:
    created = await client.post(
        TEAMS,
        json={"name": name, "discipline_code": "FOOT", "category": category, "gender": gender},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    team_id = created.json()["id"]
    members = await client.put(
        f"{TEAMS}/{team_id}/members",
        json={"licence_ids": [lic["id"] for lic in licences]},
        headers=headers,
    )
    assert members.status_code == 200, members.text
    body: dict[str, Any] = members.json()
    return body
