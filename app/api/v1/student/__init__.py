"""The pupil app's face (Massar Moutamadris): pupils only, their own record only."""

from fastapi import APIRouter, Depends

from app.academics.routes.years import calendar_route
from app.accounts.guards import student_only
from app.core.db.replicas import lag_tolerant
from app.councils.routes import council_views, orientation_requests
from app.discipline.routes import sanctions_view
from app.exams.candidate_routes import pupil_record_routes
from app.exams.routes import appeal_route
from app.family.routes import contact
from app.family.routes.pupil_views import own_record, pupil_views
from app.modules.diagnostics.routes import diagnostics_view
from app.modules.sports.routes import sports_view
from app.official_documents.routes import document_views

# The guard sits on the face's router, so an endpoint added later cannot forget it.
router = APIRouter(prefix="/student", tags=["student"], dependencies=[Depends(student_only)])
# The published record tolerates a few seconds of lag: a replica may serve it.
router.include_router(
    pupil_views("student", own_record, as_parent=False), dependencies=[Depends(lag_tolerant)]
)
router.include_router(diagnostics_view("student", own_record))
router.include_router(contact.router)
router.include_router(calendar_route("student"))
router.include_router(sports_view("student", own_record))
router.include_router(council_views("student", own_record))
router.include_router(orientation_requests(own_record))
router.include_router(document_views("student", own_record))
router.include_router(sanctions_view("student", own_record))
router.include_router(appeal_route("student", own_record))
router.include_router(pupil_record_routes(own_record))
