"""The demo ministry's calendar: last year and this year, planned and started through the same
service as `/steering/school-years`, with their holidays and exam periods, and the demo
academy's shift of one holiday for its region."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics import years
from app.academics.models import Holiday
from app.academics.schemas import (
    PeriodIn,
    RegionalCalendarIn,
    RegionalPeriodIn,
    SchoolYearIn,
    SemesterDatesIn,
)

# The demo academy moves the spring holiday a week later for its region.
SHIFTED_HOLIDAY = "Vacances de printemps"
REGIONAL_SHIFT = timedelta(days=7)


def _period(name_fr: str, name_ar: str, starts_on: date, days: int) -> PeriodIn:
    return PeriodIn(
        name_fr=name_fr,
        name_ar=name_ar,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
    )


def demo_calendar(year: int) -> SchoolYearIn:
    """The dates the demo ministry set for `year`: classes from 1 September to 30 June."""
    following = year + 1
    return SchoolYearIn(
        year=year,
        semesters=[
            SemesterDatesIn(starts_on=date(year, 9, 1), ends_on=date(following, 1, 31)),
            SemesterDatesIn(starts_on=date(following, 2, 1), ends_on=date(following, 6, 30)),
        ],
        holidays=[
            _period("Fête de la Marche verte", "ذكرى المسيرة الخضراء", date(year, 11, 6), 1),
            _period("Fête de l'Indépendance", "عيد الاستقلال", date(year, 11, 18), 1),
            _period("Vacances de mi-semestre", "عطلة منتصف الدورة", date(year, 10, 25), 8),
            _period("Vacances de fin de semestre", "عطلة نهاية الدورة", date(following, 1, 24), 8),
            _period(SHIFTED_HOLIDAY, "عطلة الربيع", date(following, 3, 21), 9),
        ],
        exam_periods=[
            _period("Examen local (3AC)", "الامتحان المحلي", date(following, 6, 1), 3),
            _period("Examen national du baccalauréat", "الامتحان الوطني", date(following, 6, 8), 4),
            _period("Examen régional (1BAC)", "الامتحان الجهوي", date(following, 6, 15), 2),
        ],
    )


def first_day(year: int) -> date:
    """The first day of classes of `year` in the demo calendar."""
    return demo_calendar(year).semesters[0].starts_on


def demo_year_of(day: date) -> int:
    """The demo year under way on `day`: the one begun last by then."""
    begun = first_day(day.year) <= day
    return day.year if begun else day.year - 1


async def open_demo_years(session: AsyncSession, academy_id: uuid.UUID, today: date) -> int:
    """Last year and this year, each planned and started in turn; this year is current."""
    current = demo_year_of(today)
    for year in (current - 1, current):
        await years.plan_school_year(session, demo_calendar(year))
        await years.start_school_year(session, year)
    await _shift_spring_holiday(session, academy_id, current)
    return current


async def _shift_spring_holiday(session: AsyncSession, academy_id: uuid.UUID, year: int) -> None:
    national = await session.scalar(
        select(Holiday).where(
            Holiday.school_year == year,
            Holiday.academy_id.is_(None),
            Holiday.name_fr == SHIFTED_HOLIDAY,
        )
    )
    assert national is not None  # planned just before
    shifted = RegionalPeriodIn(
        name_fr=national.name_fr,
        name_ar=national.name_ar,
        starts_on=national.starts_on + REGIONAL_SHIFT,
        ends_on=national.ends_on + REGIONAL_SHIFT,
        replaces_id=national.id,
    )
    await years.set_regional_calendar(
        session, academy_id, year, RegionalCalendarIn(holidays=[shifted])
    )
