"""Reference data (school years and their semesters, levels, streams, subjects, coefficients)
read from an in-process cache on the hot reads.

They change a few times a year, by the ministry, and every pupil's request reads them. A
trigger on each of their tables sends NOTIFY on `massar_reference` at the commit of a change
(migration `published_snapshots`); every process listens on a connection of its own
(`core/db/listener.py`) and drops its cache, and keeps nothing while it is not listening.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.calendar import school_today
from app.academics.models import Level, SchoolYear, Semester, Stream, Subject, SubjectCoefficient
from app.academics.schemas import SubjectRef
from app.core.db.listener import listening
from app.core.db.session import SessionDep
from app.errors import ProblemError, invalid

CHANNEL = "massar_reference"


@dataclass(frozen=True, slots=True)
class SchoolYearDates:
    year: int
    is_current: bool
    # Semester number -> (first day, last day).
    semesters: dict[int, tuple[date, date]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """One consistent reading of the reference tables."""

    years: dict[int, SchoolYearDates]
    levels: dict[str, tuple[str, str]]  # code -> (name_fr, name_ar)
    scales: dict[str, int]  # code -> max_mark: 10 in primary, 20 above
    stream_codes: dict[uuid.UUID, str]
    subjects: dict[uuid.UUID, SubjectRef]
    # (level, stream or None, subject) -> coefficient
    coefficients: dict[tuple[str, uuid.UUID | None, uuid.UUID], Decimal]

    @property
    def current(self) -> int | None:
        """The current school year, if the ministry has opened one."""
        return next((y.year for y in self.years.values() if y.is_current), None)

    @property
    def current_year(self) -> int:
        """The current school year; a 409 until the ministry has opened one."""
        if self.current is None:
            raise ProblemError(409, "error.no_current_year", kind="no-current-year")
        return self.current

    async def covering(
        self,
        session: AsyncSession,
        subject_ids: Iterable[uuid.UUID],
        stream_ids: Iterable[uuid.UUID | None] = (),
    ) -> ReferenceData:
        """This reading if it knows these subjects and streams, else a fresh one: a row may
        name one created an instant ago, before its notification reached this process."""
        known = set(subject_ids) <= self.subjects.keys() and all(
            s is None or s in self.stream_codes for s in stream_ids
        )
        return self if known else await load_reference(session)

    def year_and_semester(self, year: int | None, semester: int | None) -> tuple[int, int]:
        """The year and semester asked for, defaulting to the current ones: the second
        semester from its first day on, the first before."""
        if year is not None and semester is not None:
            return year, semester
        if year is not None and year not in self.years:
            raise invalid("query.year", "no school year starts in this year")
        found = self.years[year if year is not None else self.current_year]
        second = found.semesters.get(2)
        current = 2 if second is not None and school_today() >= second[0] else 1
        return found.year, semester or current

    def semester_dates(self, year: int, number: int) -> tuple[date, date] | None:
        found = self.years.get(year)
        return found.semesters.get(number) if found else None


async def load_reference(session: AsyncSession) -> ReferenceData:
    """Read the reference tables (a handful of small statements)."""
    years = {
        year: SchoolYearDates(year, is_current)
        for year, is_current in await session.execute(
            select(SchoolYear.year, SchoolYear.is_current)
        )
    }
    for year, number, starts_on, ends_on in await session.execute(
        select(Semester.school_year, Semester.number, Semester.starts_on, Semester.ends_on)
    ):
        years[year].semesters[number] = (starts_on, ends_on)
    levels = (
        await session.execute(select(Level.code, Level.name_fr, Level.name_ar, Level.max_mark))
    ).all()
    streams = await session.execute(select(Stream.id, Stream.code))
    subjects = await session.execute(
        select(Subject.id, Subject.code, Subject.name_fr, Subject.name_ar)
    )
    coefficients = await session.execute(
        select(
            SubjectCoefficient.level_code,
            SubjectCoefficient.stream_id,
            SubjectCoefficient.subject_id,
            SubjectCoefficient.coefficient,
        )
    )
    return ReferenceData(
        years=years,
        levels={code: (fr, ar) for code, fr, ar, _ in levels},
        scales={code: max_mark for code, _, _, max_mark in levels},
        stream_codes=dict(streams.all()),
        subjects={
            id_: SubjectRef(id=id_, code=code, name_fr=fr, name_ar=ar)
            for id_, code, fr, ar in subjects
        },
        coefficients={(lvl, stream, subj): c for lvl, stream, subj, c in coefficients},
    )


class ReferenceCache:
    """The reference data of one process, kept only while its listener is connected."""

    def __init__(self) -> None:
        self._data: ReferenceData | None = None
        self._listening = False
        # Bumped at each drop: a reading begun before a change is not kept after it.
        self._generation = 0

    def listening(self) -> None:
        self._drop()
        self._listening = True

    def deaf(self) -> None:
        self._drop()
        self._listening = False

    def changed(self, payload: str) -> None:
        self._drop()

    def _drop(self) -> None:
        self._data = None
        self._generation += 1

    def held(self) -> ReferenceData | None:
        """The cached reading, None when there is none to trust now."""
        return self._data

    async def get(self, session: AsyncSession) -> ReferenceData:
        """The cached reading, or a fresh one through `session` (a read's, which has written
        nothing a rollback could take back)."""
        if self._data is not None:
            return self._data
        generation = self._generation
        data = await load_reference(session)
        if self._listening and generation == self._generation:
            self._data = data
        return data


def kept_current(app: FastAPI, database_url: str) -> AbstractAsyncContextManager[None]:
    """While the app serves: listen for reference changes, for its cache."""
    return listening(database_url, CHANNEL, app.state.reference_cache)


async def reference_data(request: Request, session: SessionDep) -> ReferenceData:
    """The reference data, for a read (GET) route."""
    cache: ReferenceCache = request.app.state.reference_cache
    return await cache.get(session)


Reference = Annotated[ReferenceData, Depends(reference_data)]
