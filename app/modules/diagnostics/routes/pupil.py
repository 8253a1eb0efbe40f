"""A pupil's diagnostic outcomes and remedial groups, for two faces: the pupil app (their own
record) and the parent app (a verified child). One service answers both.

(No `from __future__ import annotations`: the route is built inside a function and FastAPI must
resolve its annotations at that moment.)
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.caching import NOT_MODIFIED, conditional_json
from app.core.db.session import SessionDep
from app.family.routes.pupil_views import PupilResolver
from app.modules.diagnostics import remedial as diagnostics_remedial
from app.modules.diagnostics.schemas import PupilDiagnostics


def diagnostics_view(operation_prefix: str, resolve_pupil: PupilResolver) -> APIRouter:
    """`GET /diagnostics` for a face whose `resolve_pupil` picks the pupil."""
    router = APIRouter()
    PupilId = Annotated[uuid.UUID, Depends(resolve_pupil)]  # noqa: N806  (a type alias)

    @router.get(
        "/diagnostics",
        operation_id=f"{operation_prefix}-diagnostics",
        response_model=PupilDiagnostics,
        responses=NOT_MODIFIED,
    )
    async def pupil_diagnostics(
        request: Request, pupil_id: PupilId, session: SessionDep
    ) -> Response:
        """Score and mastery per competency of each test, remedial groups, upcoming sessions."""
        outcome = await diagnostics_remedial.pupil_diagnostics(session, pupil_id)
        return conditional_json(request, outcome)

    return router
