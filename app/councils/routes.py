"""The year's end over HTTP, each operation written once: the school's class councils, rollover
and orientation council (`/school`, the councils duty for every write), the pupil's and
parents' reading of decisions and orientation (`/student`, `/parent/children/{child_id}`),
the pupil's wishes and re-orientation request (`/student`), and steering's figures and the
ministry's orientation windows (`/steering`). The faces guard the roles.

(No `from __future__ import annotations`: the pupil's views are built with a dependency the
face passes, and FastAPI must resolve their annotations when the routes are made.)
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.reference import Reference
from app.accounts.guards import MinistryPrincipal, SchoolStaffPrincipal, SteeringPrincipal, duty
from app.core.db.session import SessionDep
from app.core.roles import Duty
from app.core.routing import IdResolver
from app.core.security.principal import Principal
from app.councils import decisions, figures, orientation, published, rollover
from app.councils.models import RequestStatus
from app.councils.schemas import (
    AcceptReorientationIn,
    ClassCouncilOut,
    CouncilCorrectionIn,
    CouncilDecisionsIn,
    CouncilFigures,
    OrientationDecisionsIn,
    OrientationFigures,
    OrientationPupil,
    PlaceIn,
    PupilDecisionOut,
    PupilOrientation,
    RefuseReorientationIn,
    ReorientationIn,
    ReorientationOut,
    RolloverIn,
    RolloverOut,
    UnplacedPupil,
    WindowIn,
    WindowOut,
    WishesIn,
)
from app.errors import PROBLEM_MEDIA_TYPE
from app.organisation import units as tree
from app.organisation.schemas import UnitOut

_PROBLEMS = {
    404: "`not-found`: no such record in your scope.",
    409: "The record's state refuses the change (the problem's `type` says which).",
}


def problems(*statuses: int) -> dict[int | str, Any]:
    """The problem answers an operation declares besides its guards'."""
    return {
        code: {"description": _PROBLEMS[code], "content": {PROBLEM_MEDIA_TYPE: {}}}
        for code in statuses
    }


def councils_duty(*statuses: int) -> dict[str, Any]:
    return duty(Duty.COUNCILS, problems(*statuses))


SchoolYearQuery = Annotated[int, Query(ge=2000, le=2100)]

# ---- the school ------------------------------------------------------------------------------

school_router = APIRouter()


@school_router.get(
    "/councils/{class_id}", operation_id="school-class-council", responses=problems(404)
)
async def class_council(
    class_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep, reference: Reference
) -> ClassCouncilOut:
    """A class's council: each pupil's annual average (on the level's scale) and decision."""
    return await decisions.council(session, principal, class_id, reference)


@school_router.put(
    "/councils/{class_id}/decisions",
    operation_id="school-record-council-decisions",
    **councils_duty(404, 409),
)
async def record_decisions(
    class_id: uuid.UUID,
    body: CouncilDecisionsIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    reference: Reference,
) -> ClassCouncilOut:
    """Record the council's decisions (all rows or none, each faulty row reported); 409 once
    the council is validated."""
    return await decisions.record_decisions(session, principal, class_id, body.decisions, reference)


@school_router.post(
    "/councils/{class_id}/validate",
    operation_id="school-validate-council",
    **councils_duty(404, 409),
)
async def validate_council(
    class_id: uuid.UUID, principal: SchoolStaffPrincipal, session: SessionDep, reference: Reference
) -> ClassCouncilOut:
    """Validate the council once every pupil is decided: its decisions are locked."""
    return await decisions.validate(session, principal, class_id, reference)


@school_router.post(
    "/councils/{class_id}/corrections",
    operation_id="school-correct-council-decision",
    **councils_duty(404, 409),
)
async def correct_decision(
    class_id: uuid.UUID,
    body: CouncilCorrectionIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    reference: Reference,
) -> ClassCouncilOut:
    """Correct one decision of a validated council, with a reason (audited)."""
    return await decisions.correct(session, principal, class_id, body, reference)


@school_router.post("/rollovers", operation_id="school-roll-over", **councils_duty(409))
async def roll_over(
    body: RolloverIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> RolloverOut:
    """Build next year's enrolments from the year's validated councils (once; asking again
    answers the same report), reporting the pupils left unplaced."""
    return await rollover.roll_over(session, principal, body.from_year)


@school_router.get("/rollovers", operation_id="school-rollover", responses=problems(404))
async def rollover_report(
    from_year: SchoolYearQuery, principal: SchoolStaffPrincipal, session: SessionDep
) -> RolloverOut:
    """The rollover from a year, as it stands now."""
    return await rollover.report(session, principal, from_year)


@school_router.get("/unplaced-pupils", operation_id="school-unplaced-pupils")
async def unplaced_pupils(
    school_year: SchoolYearQuery, principal: SchoolStaffPrincipal, session: SessionDep
) -> list[UnplacedPupil]:
    """Pupils the rollover into a year could not place yet."""
    return await rollover.unplaced(session, principal, school_year)


@school_router.post(
    "/unplaced-pupils/{pupil_id}/place",
    operation_id="school-place-pupil",
    **councils_duty(404),
)
async def place_pupil(
    pupil_id: uuid.UUID, body: PlaceIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> list[UnplacedPupil]:
    """Place an unplaced pupil in a class of their level and stream; answers who is left."""
    return await rollover.place(session, principal, pupil_id, body.class_id)


@school_router.get("/orientation", operation_id="school-orientation", responses=problems(409))
async def orientation_council(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    level_code: Annotated[str | None, Query(max_length=8)] = None,
) -> list[OrientationPupil]:
    """This year's pupils of 3AC, TC and 1BAC with their ranked wishes and decided stream."""
    return await orientation.council_list(session, principal, level_code)


@school_router.put(
    "/orientation/decisions",
    operation_id="school-decide-orientation",
    **councils_duty(409),
)
async def decide_orientation(
    body: OrientationDecisionsIn, principal: SchoolStaffPrincipal, session: SessionDep
) -> list[OrientationPupil]:
    """The orientation council's decisions (all rows or none, each faulty row reported)."""
    return await orientation.decide(session, principal, body.decisions)


@school_router.get("/reorientations", operation_id="school-reorientations")
async def reorientations(
    principal: SchoolStaffPrincipal,
    session: SessionDep,
    status: RequestStatus | None = None,
) -> list[ReorientationOut]:
    """The pupils' re-orientation requests, newest first."""
    return await orientation.list_reorientations(session, principal, status)


@school_router.post(
    "/reorientations/{reorientation_id}/accept",
    operation_id="school-accept-reorientation",
    **councils_duty(404, 409),
)
async def accept_reorientation(
    reorientation_id: uuid.UUID,
    body: AcceptReorientationIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ReorientationOut:
    """Accept: the pupil moves into the class given, of the stream asked for."""
    return await orientation.accept_reorientation(
        session, principal, reorientation_id, body.class_id
    )


@school_router.post(
    "/reorientations/{reorientation_id}/refuse",
    operation_id="school-refuse-reorientation",
    **councils_duty(404, 409),
)
async def refuse_reorientation(
    reorientation_id: uuid.UUID,
    body: RefuseReorientationIn,
    principal: SchoolStaffPrincipal,
    session: SessionDep,
) -> ReorientationOut:
    """Refuse, with a reason the pupil reads."""
    return await orientation.refuse_reorientation(session, principal, reorientation_id, body.reason)


# ---- the pupil and their parents -------------------------------------------------------------


def council_views(operation_prefix: str, resolve_pupil: IdResolver) -> APIRouter:
    """The pupil's decisions and orientation, for a face whose `resolve_pupil` picks the pupil
    (the pupil app: their own record; the parent app: a verified child)."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.get(
        "/council-decisions",
        operation_id=f"{operation_prefix}-council-decisions",
        responses=problems(404),
    )
    async def council_decisions(pupil_id: PupilId, session: SessionDep) -> list[PupilDecisionOut]:
        """The class councils' validated decisions, the latest year first."""
        return await published.pupil_decisions(session, pupil_id)

    @router.get(
        "/orientation",
        operation_id=f"{operation_prefix}-orientation",
        responses=problems(404, 409),
    )
    async def pupil_orientation(pupil_id: PupilId, session: SessionDep) -> PupilOrientation:
        """This year's orientation: the streams open, the ranked wishes, the decision."""
        return await orientation.pupil_orientation(session, pupil_id)

    return router


def orientation_requests(resolve_pupil: IdResolver) -> APIRouter:
    """What only the pupil does: state their wishes, ask for a re-orientation."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.put(
        "/orientation/wishes",
        operation_id="student-orientation-wishes",
        responses=problems(409),
    )
    async def state_wishes(
        body: WishesIn, pupil_id: PupilId, session: SessionDep
    ) -> PupilOrientation:
        """Rank next year's streams, first choice first, while the window is open."""
        return await orientation.save_wishes(session, pupil_id, body.streams)

    @router.post(
        "/orientation/reorientation",
        operation_id="student-request-reorientation",
        status_code=status.HTTP_201_CREATED,
        responses=problems(409),
    )
    async def request_reorientation(
        body: ReorientationIn, pupil_id: PupilId, session: SessionDep
    ) -> ReorientationOut:
        """Ask, in September's window, to change to another stream of one's level."""
        return await orientation.request_reorientation(session, pupil_id, body)

    return router


# ---- steering ---------------------------------------------------------------------------------

steering_router = APIRouter()


@steering_router.get("/councils", operation_id="steering-council-rates", responses=problems(404))
async def council_rates(
    school_year: SchoolYearQuery,
    principal: SteeringPrincipal,
    session: SessionDep,
    unit_id: uuid.UUID | None = None,
) -> CouncilFigures:
    """Promotion, repetition and dropout rates of a unit (mine by default) and of each unit
    one level down, from the validated councils."""
    unit = await _unit(session, principal, unit_id)
    return await figures.council_figures(session, unit, school_year)


@steering_router.get("/orientation", operation_id="steering-orientation", responses=problems(404))
async def orientation_streams(
    school_year: SchoolYearQuery,
    principal: SteeringPrincipal,
    session: SessionDep,
    unit_id: uuid.UUID | None = None,
) -> OrientationFigures:
    """Per stream, the wishes (first and any rank) against the orientation decisions."""
    unit = await _unit(session, principal, unit_id)
    return await figures.orientation_figures(session, unit, school_year)


@steering_router.put("/orientation-windows", operation_id="steering-set-orientation-window")
async def set_orientation_window(
    body: WindowOut, principal: MinistryPrincipal, session: SessionDep
) -> WindowOut:
    """Set a school year's windows: wishes (spring) and re-orientation (September)."""
    window = WindowIn.model_validate(body.model_dump(exclude={"school_year"}))
    return await orientation.set_window(session, body.school_year, window)


async def _unit(session: AsyncSession, principal: Principal, unit_id: uuid.UUID | None) -> UnitOut:
    """The unit asked for (404 outside my part of the tree), or my own."""
    if unit_id is None:
        return await tree.own_unit(session, principal)
    return await tree.find_unit(session, principal, unit_id)
