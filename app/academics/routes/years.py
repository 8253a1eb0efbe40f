"""School years and their calendar: the ministry plans, corrects, starts and closes them, an
academy shifts holidays and exam periods for its region (steering face); schools, teachers and
pupils read the calendar of their academy (`calendar_route`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, status

from app.academics import years
from app.academics.schemas import (
    RegionalCalendarIn,
    SchoolYearCalendarIn,
    SchoolYearIn,
    SchoolYearOut,
    SchoolYearQuery,
)
from app.accounts.guards import (
    CurrentPrincipal,
    MinistryPrincipal,
    SteeringPrincipal,
    require_roles,
)
from app.core.db.session import SessionDep
from app.core.roles import Role
from app.core.security.principal import Principal

router = APIRouter(prefix="/school-years", tags=["school-years"])

Year = Annotated[int, Path(ge=2000, le=2100, description="e.g. 2027 for 2027/2028.")]
AcademyPrincipal = Annotated[Principal, Depends(require_roles(Role.ACADEMY_STAFF))]

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such school year."}}
REFUSED: dict[int | str, dict[str, Any]] = {
    **NOT_FOUND,
    409: {"description": "The year's state does not allow it (started, current, not ended…)."},
}


@router.get("", operation_id="steering-school-years")
async def list_school_years(
    principal: SteeringPrincipal, session: SessionDep
) -> list[SchoolYearOut]:
    """Every school year, newest first, with the ministry's calendar."""
    return await years.list_school_years(session)


@router.post(
    "",
    operation_id="steering-plan-school-year",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "The year is planned already."}},
)
async def plan_school_year(
    new: SchoolYearIn, principal: MinistryPrincipal, session: SessionDep
) -> SchoolYearOut:
    """Plan the next school year with its semesters, holidays and exam periods."""
    await years.plan_school_year(session, new)
    return await years.school_year_calendar(session, new.year, None)


@router.get("/{year}", operation_id="steering-school-year", responses=NOT_FOUND)
async def get_school_year(
    year: Year, principal: SteeringPrincipal, session: SessionDep
) -> SchoolYearOut:
    """A year as my region follows it (the ministry's own calendar, for the ministry)."""
    return await years.school_year_calendar(session, year, principal.academy_id)


@router.put("/{year}", operation_id="steering-correct-school-year", responses=REFUSED)
async def correct_school_year(
    year: Year, calendar: SchoolYearCalendarIn, principal: MinistryPrincipal, session: SessionDep
) -> SchoolYearOut:
    """Replace the calendar of a year that has not started."""
    await years.correct_school_year(session, year, calendar)
    return await years.school_year_calendar(session, year, None)


@router.post("/{year}/{action}", operation_id="steering-move-school-year", responses=REFUSED)
async def move_school_year(
    year: Year,
    action: Literal["start", "close"],
    principal: MinistryPrincipal,
    session: SessionDep,
) -> SchoolYearOut:
    """`start` a planned year (it becomes the current one, the year before stops being so), or
    `close` a past year after its end (its marks and roll calls are frozen)."""
    move = years.start_school_year if action == "start" else years.close_school_year
    await move(session, year)
    return await years.school_year_calendar(session, year, None)


@router.put(
    "/{year}/regional-calendar",
    operation_id="steering-set-regional-calendar",
    responses={**NOT_FOUND, 409: {"description": "The year is closed."}},
)
async def set_regional_calendar(
    year: Year, calendar: RegionalCalendarIn, principal: AcademyPrincipal, session: SessionDep
) -> SchoolYearOut:
    """My academy's own holidays and exam periods for the year, each inside the year and
    replacing at most one of the ministry's; those set before are replaced."""
    assert principal.academy_id is not None  # academy staff sit in an academy
    await years.set_regional_calendar(session, principal.academy_id, year, calendar)
    return await years.school_year_calendar(session, year, principal.academy_id)


def calendar_route(face: str) -> APIRouter:
    """`GET /calendar` for a face whose callers belong to a school: its academy's calendar."""
    calendar_router = APIRouter()

    @calendar_router.get(
        "/calendar",
        operation_id=f"{face}-calendar",
        responses={
            404: {"description": "No such school year."},
            409: {"description": "No current year, and none asked for."},
        },
    )
    async def calendar(
        principal: CurrentPrincipal, session: SessionDep, year: SchoolYearQuery = None
    ) -> SchoolYearOut:
        """The school year (this one unless `year` is given) as my school's academy follows
        it: semesters, holidays and exam periods."""
        return await years.school_calendar(session, principal, year)

    return calendar_router
