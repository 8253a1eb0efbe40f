"""Every domain's tables, imported here so that `Base.metadata` knows them all (Alembic's
autogenerate, the schema checks)."""

from app.academics import models as academics
from app.accounts import models as accounts
from app.assessment import models as assessment
from app.attendance import models as attendance
from app.audit import models as audit
from app.councils import models as councils
from app.discipline import models as discipline
from app.exams import models as exams
from app.family import models as family
from app.integrations import models as integrations
from app.messaging import models as messaging
from app.modules.diagnostics import models as diagnostics
from app.modules.equipment import models as equipment
from app.modules.partnerships import models as partnerships
from app.modules.school_projects import models as school_projects
from app.modules.sports import models as sports
from app.modules.trainings import models as trainings
from app.modules.websites import models as websites
from app.official_documents import models as official_documents
from app.organisation import models as organisation
from app.preregistration import models as preregistration
from app.steering import models as steering
from app.sync import models as sync
from app.webhooks import models as webhooks

DOMAINS = (
    organisation,
    accounts,
    academics,
    assessment,
    attendance,
    family,
    messaging,
    audit,
    exams,
    councils,
    discipline,
    steering,
    sync,
    integrations,
    webhooks,
    preregistration,
    official_documents,
    school_projects,
    trainings,
    equipment,
    diagnostics,
    partnerships,
    sports,
    websites,
)
