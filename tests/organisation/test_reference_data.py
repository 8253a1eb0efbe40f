"""The 12 academies and their directorates, as loaded by the migration."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.organisation.models import Academy, Province
from app.organisation.reference import ACADEMIES, reference_id

ACADEMY_NAMES = {
    "Tanger-Tétouan-Al Hoceïma",
    "Oriental",
    "Fès-Meknès",
    "Rabat-Salé-Kénitra",
    "Béni Mellal-Khénifra",
    "Casablanca-Settat",
    "Marrakech-Safi",
    "Drâa-Tafilalet",
    "Souss-Massa",
    "Guelmim-Oued Noun",
    "Laâyoune-Sakia El Hamra",
    "Dakhla-Oued Ed-Dahab",
}


async def test_every_academy_is_loaded(session: AsyncSession) -> None:
    names = set((await session.scalars(select(Academy.name_fr))).all())
    assert names == ACADEMY_NAMES


async def test_every_academy_has_its_directorates(session: AsyncSession) -> None:
    rows = await session.execute(
        select(Academy.code, func.count(Province.id))
        .join(Province, Province.academy_id == Academy.id)
        .group_by(Academy.code)
    )
    counts = dict(rows.all())
    assert counts == {a.code: len(a.directorates) for a in ACADEMIES}
    assert sum(counts.values()) >= 75  # one per province or prefecture, at least
    assert counts["CS"] == 16  # Casablanca's eight prefectural directorates and eight more


async def test_reference_ids_are_stable(session: AsyncSession) -> None:
    rabat = await session.scalar(select(Province.id).where(Province.code == "RSK-RABAT"))
    assert rabat == reference_id("province", "RSK-RABAT")


async def test_names_are_given_in_arabic_and_french(session: AsyncSession) -> None:
    missing = await session.scalar(
        select(func.count())
        .select_from(Province)
        .where((Province.name_ar == "") | (Province.name_fr == ""))
    )
    assert missing == 0
