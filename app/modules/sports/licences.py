"""Pupils' sport licences, one per pupil and school year at their school: bulk licensing
(numbered here, replayable) and the lists the school and the pupil read."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, exists, func, insert, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import current_school_year, school_today, year_start
from app.academics.models import Pupil
from app.core.listing import found_row, page_of, where_given
from app.core.pagination import PageRequest
from app.core.schemas import Page
from app.core.security.principal import Principal
from app.errors import InvalidInput, field_error
from app.modules.sports.association import (
    category_for,
    medical_valid_until,
    medically_fit,
    practised_ids,
    pupil_ref,
    required_association,
)
from app.modules.sports.models import SportDiscipline, SportLicence, SportLicenceDiscipline
from app.modules.sports.schemas import LicenceIn, LicenceOut, LicencesOut, SquadFilter
from app.organisation.models import School
from app.organisation.scopes import school_scope

# ---- licences --------------------------------------------------------------------------------


def _licence_codes() -> Any:
    """The licence's discipline codes, sorted (every licence has at least one)."""
    return (
        select(func.array_agg(aggregate_order_by(SportDiscipline.code, SportDiscipline.code)))
        .join(SportLicenceDiscipline)
        .where(SportLicenceDiscipline.licence_id == SportLicence.id)
        .correlate(SportLicence)
        .scalar_subquery()
    )


def _licences(today: date) -> Select[*tuple[Any, ...]]:
    return select(
        SportLicence,
        Pupil,
        _licence_codes().label("codes"),
        medically_fit(today).label("fit"),
        year_start(SportLicence.school_year).label("year_starts_on"),
    ).join(Pupil, Pupil.id == SportLicence.pupil_id)


def _licence_out(row: Any) -> LicenceOut:
    licence, pupil = row.SportLicence, row.Pupil
    return LicenceOut.of(
        licence,
        pupil=pupil_ref(pupil),
        gender=pupil.gender,
        birth_date=pupil.birth_date,
        discipline_codes=row.codes or [],
        medically_fit=row.fit,
        medical_valid_until=medical_valid_until(licence.medical_certificate_on, row.year_starts_on),
    )


async def list_licences(
    session: AsyncSession,
    principal: Principal,
    filters: SquadFilter,
    page: PageRequest,
) -> Page[LicenceOut]:
    """The school's licences of a year (this one by default), by licence number."""
    year = filters.school_year or await current_school_year(session)
    statement = _licences(school_today()).where(
        school_scope(principal, SportLicence.school_id), SportLicence.school_year == year
    )
    statement = where_given(
        statement, {SportLicence.category: filters.category, Pupil.gender: filters.gender}
    )
    if filters.discipline_code is not None:
        statement = statement.where(
            exists()
            .where(
                SportLicenceDiscipline.licence_id == SportLicence.id,
                SportLicenceDiscipline.discipline_id == SportDiscipline.id,
                SportDiscipline.code == filters.discipline_code,
            )
            .correlate(SportLicence)
        )
    keys = (SportLicence.number, SportLicence.id)
    return await page_of(session, statement, keys, page, _licence_out)


async def licence(session: AsyncSession, principal: Principal, licence_id: uuid.UUID) -> LicenceOut:
    """One licence of the caller's school (404 for another school's)."""
    row = await found_row(
        session,
        _licences(school_today()).where(
            SportLicence.id == licence_id, school_scope(principal, SportLicence.school_id)
        ),
    )
    return _licence_out(row)


async def save_licences(
    session: AsyncSession, principal: Principal, rows: Sequence[LicenceIn]
) -> LicencesOut:
    """Licence pupils for this school year, all rows or none: a pupil without a licence gets
    one (numbered here), a licensed pupil's disciplines and certificate are updated, and an
    identical row changes nothing, so a replayed request answers the same."""
    found = await required_association(session, principal, lock=True)  # numbers one at a time
    year = await current_school_year(session)
    practised = await practised_ids(session, found.school_id)
    pupils = {
        p.id: p
        for p in await session.scalars(
            select(Pupil).where(
                Pupil.id.in_([r.pupil_id for r in rows]), Pupil.school_id == found.school_id
            )
        )
    }
    _check_licence_rows(rows, pupils, practised)
    existing = await _existing_licences(session, found.school_id, year, list(pupils))
    changed: dict[uuid.UUID, set[uuid.UUID]] = {}
    created = updated = 0
    next_number = await _licence_count(session, found.school_id, year) + 1
    school_code = await session.scalar(select(School.code).where(School.id == found.school_id))
    for row in rows:
        wanted = {practised[c] for c in row.discipline_codes}
        current = existing.get(row.pupil_id)
        if current is None:
            licence = SportLicence(
                id=uuid.uuid4(),
                school_id=found.school_id,
                school_year=year,
                pupil_id=row.pupil_id,
                number=f"{year}-{school_code}-{next_number:04d}",
                category=category_for(pupils[row.pupil_id].birth_date, year),
                medical_certificate_on=row.medical_certificate_on,
            )
            session.add(licence)
            next_number += 1
            created += 1
            changed[licence.id] = wanted
            continue
        licence, held = current
        if held == wanted and licence.medical_certificate_on == row.medical_certificate_on:
            continue
        licence.medical_certificate_on = row.medical_certificate_on
        changed[licence.id] = wanted
        updated += 1
    await session.flush()
    await _replace_licence_disciplines(session, found.school_id, changed)
    outs = await _licences_of(session, found.school_id, year, [r.pupil_id for r in rows])
    return LicencesOut(
        created=created, updated=updated, unchanged=len(rows) - created - updated, licences=outs
    )


def _check_licence_rows(
    rows: Sequence[LicenceIn], pupils: dict[uuid.UUID, Pupil], practised: dict[str, uuid.UUID]
) -> None:
    """Every faulty row and field, at once."""
    errors, seen, today = [], set(), school_today()
    for i, row in enumerate(rows):
        where = f"body.licences.{i}"
        if row.pupil_id not in pupils:
            errors.append(
                field_error(f"{where}.pupil_id", "not a pupil of your school", "unknown_pupil")
            )
        elif row.pupil_id in seen:
            errors.append(field_error(f"{where}.pupil_id", "pupil listed twice", "duplicate"))
        seen.add(row.pupil_id)
        errors += [
            field_error(
                f"{where}.discipline_codes.{j}",
                "not a discipline of your association",
                "unknown_discipline",
            )
            for j, code in enumerate(row.discipline_codes)
            if code not in practised
        ]
        if row.medical_certificate_on is not None and row.medical_certificate_on > today:
            errors.append(
                field_error(f"{where}.medical_certificate_on", "date in the future", "future_date")
            )
    if errors:
        raise InvalidInput(errors)


async def _existing_licences(
    session: AsyncSession, school_id: uuid.UUID, year: int, pupil_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[SportLicence, set[uuid.UUID]]]:
    licences = {
        lic.id: lic
        for lic in await session.scalars(
            select(SportLicence)
            .where(
                SportLicence.school_id == school_id,
                SportLicence.school_year == year,
                SportLicence.pupil_id.in_(pupil_ids),
            )
            .with_for_update()
        )
    }
    held: dict[uuid.UUID, set[uuid.UUID]] = {id_: set() for id_ in licences}
    for licence_id, discipline_id in await session.execute(
        select(SportLicenceDiscipline.licence_id, SportLicenceDiscipline.discipline_id).where(
            SportLicenceDiscipline.licence_id.in_(list(licences))
        )
    ):
        held[licence_id].add(discipline_id)
    return {lic.pupil_id: (lic, held[lic.id]) for lic in licences.values()}


async def _licence_count(session: AsyncSession, school_id: uuid.UUID, year: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(SportLicence)
        .where(SportLicence.school_id == school_id, SportLicence.school_year == year)
    )
    return count or 0


async def _replace_licence_disciplines(
    session: AsyncSession, school_id: uuid.UUID, changed: dict[uuid.UUID, set[uuid.UUID]]
) -> None:
    if not changed:
        return
    await session.execute(
        delete(SportLicenceDiscipline).where(
            SportLicenceDiscipline.school_id == school_id,
            SportLicenceDiscipline.licence_id.in_(list(changed)),
        )
    )
    await session.execute(
        insert(SportLicenceDiscipline),
        [
            {"school_id": school_id, "licence_id": licence_id, "discipline_id": d}
            for licence_id, wanted in changed.items()
            for d in wanted
        ],
    )


async def _licences_of(
    session: AsyncSession, school_id: uuid.UUID, year: int, pupil_ids: list[uuid.UUID]
) -> list[LicenceOut]:
    rows = await session.execute(
        _licences(school_today())
        .where(
            SportLicence.school_id == school_id,
            SportLicence.school_year == year,
            SportLicence.pupil_id.in_(pupil_ids),
        )
        .order_by(SportLicence.number)
    )
    return [_licence_out(r) for r in rows]


async def licences_of_pupil(session: AsyncSession, pupil_id: uuid.UUID) -> list[LicenceOut]:
    """A pupil's licences, newest school year first (the face has checked who may see them)."""
    rows = await session.execute(
        _licences(school_today())
        .where(SportLicence.pupil_id == pupil_id)
        .order_by(SportLicence.school_year.desc(), SportLicence.number)
    )
    return [_licence_out(r) for r in rows]
