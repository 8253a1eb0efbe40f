"""The HTTP routes of school sport, mounted by the faces under their own guards.

A pupil's sport licences, teams and upcoming fixtures are one view for two faces: the pupil app
(their own record) and the parent app (a verified child). One service answers both.

(No `from __future__ import annotations`: the route is built inside a function and FastAPI must
resolve its annotations at that moment.)
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.caching import cached_read, conditional_json
from app.core.db.session import SessionDep
from app.family.routes.pupil_views import PupilResolver
from app.modules.sports import fixtures as sport_fixtures
from app.modules.sports.schemas import PupilSportsOut


def sports_view(operation_prefix: str, resolve_pupil: PupilResolver) -> APIRouter:
    """`GET /sports` for a face whose `resolve_pupil` picks the pupil."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @cached_read(router, "/sports", f"{operation_prefix}-sports", PupilSportsOut)
    async def sports(request: Request, pupil_id: PupilId, session: SessionDep) -> Response:
        """The pupil's sport licences, their teams and the teams' upcoming fixtures."""
        return conditional_json(request, await sport_fixtures.pupil_sports(session, pupil_id))

    return router
