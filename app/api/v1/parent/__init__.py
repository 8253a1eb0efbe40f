"""The parent app's face (Massar Wali): parents only, their verified children only."""

from fastapi import APIRouter, Depends

from app.accounts.guards import parent_only
from app.attendance.routes import parent_justifications
from app.core.db.replicas import lag_tolerant
from app.councils.routes import council_views
from app.discipline.routes import sanctions_view
from app.exams.routes import appeal_route
from app.family.routes import children
from app.family.routes.pupil_views import pupil_views, verified_child
from app.messaging.routes import parent_messages
from app.messaging.routes.threads import message_threads
from app.modules.diagnostics.routes import diagnostics_view
from app.modules.sports.routes import sports_view
from app.official_documents.routes import document_views
from app.preregistration.routes import parent_router as preregistrations

CHILD = "/children/{child_id}"

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/parent", tags=["parent"], dependencies=[Depends(parent_only)])
router.include_router(children.router)
router.include_router(sports_view("parent-child", verified_child), prefix=CHILD)
# The published record tolerates a few seconds of lag: a replica may serve it.
router.include_router(
    pupil_views("parent-child", verified_child, as_parent=True),
    prefix=CHILD,
    dependencies=[Depends(lag_tolerant)],
)
router.include_router(diagnostics_view("parent-child", verified_child), prefix=CHILD)
router.include_router(council_views("parent-child", verified_child), prefix=CHILD)
router.include_router(document_views("parent-child", verified_child), prefix=CHILD)
router.include_router(sanctions_view("parent-child", verified_child), prefix=CHILD)
router.include_router(appeal_route("parent-child", verified_child), prefix=CHILD)
router.include_router(parent_justifications.router)
router.include_router(parent_messages.router)
router.include_router(message_threads("parent"))
router.include_router(preregistrations)
