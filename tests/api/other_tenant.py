"""The other tenant of the cross-tenant matrix, and the callers who must not reach it.

The other tenant is the demo world (`app/demo`): the Rabat-Salé-Kénitra academy, built through
the services the apps use, with an object of every kind a path parameter can name. The callers
sit where none of it is theirs:

- elsewhere: a school, its directorate and its academy in Casablanca-Settat (a pupil, a parent,
  a teacher and the director of that school, the directorate's and the academy's staff);
- API clients of that academy and of the demo academy's other directorate, with every scope;
- next door: a teacher and a parent of the demo's own school, Collège Ibn Rochd, whose class
  and child are not the demo's (for records scoped to a class or a family, the school is not
  enough), and the staff of the academy's other directorate (Salé): every object here is the
  Rabat directorate's or below.

Central staff see every school: no object is outside their scope, so they have no caller here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import (
    Enrolment,
    Pupil,
    Subject,
    TeachingAssignment,
    TimetableSlot,
    Transfer,
)
from app.accounts.models import AuthSession, User
from app.assessment.models import ClassTest, Mark, TestStatus
from app.attendance.models import Justification
from app.core.roles import Role
from app.core.security.principal import Principal
from app.core.security.sealing import seal
from app.councils import demo as councils_demo
from app.councils.models import Reorientation
from app.demo import world as demo
from app.discipline.models import Incident
from app.exams.models import (
    CandidateRecordCorrection,
    ExamAppeal,
    ExamKind,
    ExamSession,
    IndependentCandidate,
)
from app.family.models import GuardianLink, Kinship
from app.integrations.demo import DEMO_CLIENT_ID
from app.integrations.models import ApiClient
from app.messaging.models import (
    Device,
    DeviceApp,
    DeviceLocale,
    DevicePlatform,
    MessageThread,
    Notification,
)
from app.modules.diagnostics import demo as diagnostics_demo
from app.modules.diagnostics import evaluation as diagnostics
from app.modules.diagnostics.models import (
    DiagnosticKind,
    DiagnosticTest,
    RemedialGroup,
    RemedialSession,
)
from app.modules.diagnostics.schemas import DiagnosticTestIn
from app.modules.equipment.models import EquipmentRequest, InventoryLine
from app.modules.partnerships.models import Agreement, AgreementDocument, Partner
from app.modules.school_projects.models import (
    ProjectAction,
    ProjectAxis,
    ProjectIndicator,
    ProjectObjective,
)
from app.modules.sports.models import (
    SportAssociation,
    SportCompetition,
    SportEntry,
    SportFixture,
    SportLicence,
    SportTeam,
)
from app.modules.trainings.models import TrainingProgramme, TrainingRegistration, TrainingSession
from app.modules.websites.models import SiteEvent, SiteImage, SiteNews, WebState
from app.organisation.models import Province, School
from app.preregistration.models import Preregistration
from app.settings import get_settings
from app.webhooks.models import WebhookEndpoint
from app.webhooks.signing import new_secret
from tests.factories import (
    access_token,
    assign,
    create_api_client,
    create_class,
    create_pupil,
    create_school,
    create_user,
    subject,
)

DEMO_PUPIL = "D130000001"
ELSEWHERE = "CS-ANFA"  # a directorate of another academy than the demo's
OWNER_HOOK = "https://academy-tool.example.ma/massar"


@dataclass(frozen=True)
class Kind:
    """A kind of object a path parameter names, and how to find the other tenant's one."""

    # The other tenant's object, given the ids of the kinds found before it.
    statement: Callable[[dict[str, uuid.UUID]], Select[Any]]
    # Scoped to a class or a family (not only a school): callers next door must not reach it.
    next_door: bool = False


def _demo_school() -> Any:
    return select(School.id).where(School.code == demo.SCHOOL_A).scalar_subquery()


def _demo_pupil() -> Any:
    return select(Pupil.id).where(Pupil.massar_code == DEMO_PUPIL).scalar_subquery()


def _demo_user(username: str) -> Any:
    return select(User.id).where(User.username == username).scalar_subquery()


def _in_demo_school(model: Any) -> Callable[[dict[str, uuid.UUID]], Select[Any]]:
    return lambda _: select(model.id).where(model.school_id == _demo_school())


def _owned_in_demo_directorate(model: Any) -> Callable[[dict[str, uuid.UUID]], Select[Any]]:
    """A record owned by the demo school's directorate or one of its schools: offers from the
    academy or the ministry reach the schools below them, so they are no other tenant's."""
    province = select(Province.id).where(Province.code == demo.DEMO_PROVINCE_1).scalar_subquery()
    return lambda _: select(model.id).where(model.province_id == province)


def _of(
    column: Any, parent_column: Any, parent: str
) -> Callable[[dict[str, uuid.UUID]], Select[Any]]:
    """The object whose `parent_column` is the `parent` kind's object found before it."""
    return lambda found: select(column).where(parent_column == found[parent])


# Every kind of object, in the order they are found (a project's levels follow the action).
KINDS: dict[str, Kind] = {
    "school": Kind(lambda _: select(School.id).where(School.code == demo.SCHOOL_A)),
    "pupil": Kind(
        lambda _: select(Pupil.id).where(Pupil.massar_code == DEMO_PUPIL), next_door=True
    ),
    "class": Kind(
        lambda _: select(Enrolment.class_id).where(Enrolment.pupil_id == _demo_pupil()),
        next_door=True,
    ),
    "class_test": Kind(_of(ClassTest.id, ClassTest.class_id, "class"), next_door=True),
    "mark": Kind(lambda _: select(Mark.id).where(Mark.pupil_id == _demo_pupil())),
    "guardian_link": Kind(
        lambda _: select(GuardianLink.id).where(GuardianLink.pupil_id == _demo_pupil())
    ),
    "justification": Kind(_in_demo_school(Justification), next_door=True),
    "incident": Kind(_in_demo_school(Incident)),
    "assignment": Kind(_in_demo_school(TeachingAssignment)),
    "timetable_slot": Kind(_in_demo_school(TimetableSlot)),
    "transfer": Kind(lambda _: select(Transfer.id).where(Transfer.school_id == _demo_school())),
    "teacher": Kind(lambda _: select(User.id).where(User.username == "teacher.demo@taalim.ma")),
    "thread": Kind(_in_demo_school(MessageThread), next_door=True),
    "notification": Kind(
        lambda _: select(Notification.id).where(
            Notification.user_id == _demo_user("parent.demo@taalim.ma")
        )
    ),
    "device": Kind(
        lambda _: select(Device.id).where(Device.user_id == _demo_user("parent.demo@taalim.ma"))
    ),
    "partner": Kind(_owned_in_demo_directorate(Partner)),
    "agreement": Kind(_owned_in_demo_directorate(Agreement)),
    "agreement_document": Kind(
        _of(AgreementDocument.id, AgreementDocument.agreement_id, "agreement")
    ),
    "project_action": Kind(_in_demo_school(ProjectAction), next_door=True),
    "project_objective": Kind(_of(ProjectAction.objective_id, ProjectAction.id, "project_action")),
    "project_axis": Kind(_of(ProjectObjective.axis_id, ProjectObjective.id, "project_objective")),
    "project": Kind(_of(ProjectAxis.project_id, ProjectAxis.id, "project_axis")),
    "project_indicator": Kind(_of(ProjectIndicator.id, ProjectIndicator.project_id, "project")),
    "inventory_line": Kind(_in_demo_school(InventoryLine)),
    "equipment_request": Kind(_in_demo_school(EquipmentRequest)),
    # Published: the public site shows it under its own school's code.
    "news": Kind(
        lambda _: select(SiteNews.id).where(
            SiteNews.school_id == _demo_school(), SiteNews.state == WebState.PUBLISHED
        )
    ),
    "event": Kind(_in_demo_school(SiteEvent)),
    "image": Kind(_in_demo_school(SiteImage)),
    "licence": Kind(_in_demo_school(SportLicence)),
    "team": Kind(_in_demo_school(SportTeam)),
    "competition": Kind(_owned_in_demo_directorate(SportCompetition)),
    "entry": Kind(_of(SportEntry.id, SportEntry.competition_id, "competition")),
    "fixture": Kind(_of(SportFixture.id, SportFixture.competition_id, "competition")),
    "programme": Kind(_owned_in_demo_directorate(TrainingProgramme)),
    "training_session": Kind(_of(TrainingSession.id, TrainingSession.programme_id, "programme")),
    "training_registration": Kind(
        lambda found: select(TrainingRegistration.id).where(
            TrainingRegistration.session_id.in_(
                select(TrainingSession.id).where(TrainingSession.programme_id == found["programme"])
            )
        ),
        next_door=True,
    ),
    "diagnostic_test": Kind(_owned_in_demo_directorate(DiagnosticTest)),
    "remedial_group": Kind(_in_demo_school(RemedialGroup), next_door=True),
    "remedial_session": Kind(_in_demo_school(RemedialSession), next_door=True),
    "api_client": Kind(lambda _: select(ApiClient.id).where(ApiClient.id == DEMO_CLIENT_ID)),
    # The demo academy's client's webhook endpoint: its own client's only.
    "webhook_endpoint": Kind(
        lambda _: select(WebhookEndpoint.id).where(WebhookEndpoint.url == OWNER_HOOK)
    ),
    # What OneRoster names by a sourcedId: a published test and mark, a pupil's enrollment in a
    # class × subject (`<enrolment>.<assignment>`).
    "published_test": Kind(
        lambda _: select(ClassTest.id).where(
            ClassTest.school_id == _demo_school(), ClassTest.status == TestStatus.PUBLISHED
        )
    ),
    "published_mark": Kind(
        lambda _: (
            select(Mark.id)
            .join(ClassTest, ClassTest.id == Mark.test_id)
            .where(Mark.pupil_id == _demo_pupil(), ClassTest.status == TestStatus.PUBLISHED)
        )
    ),
    "enrollment": Kind(
        lambda _: (
            select(cast(Enrolment.id, String) + "." + cast(TeachingAssignment.id, String))
            .join(TeachingAssignment, TeachingAssignment.class_id == Enrolment.class_id)
            .where(Enrolment.pupil_id == _demo_pupil())
        )
    ),
    # The demo's request is at its lycée (streams start in the common core).
    "reorientation": Kind(
        lambda _: select(Reorientation.id).where(
            Reorientation.school_id
            == select(School.id).where(School.code == councils_demo.LYCEE_CODE).scalar_subquery()
        )
    ),
    # The demo's one request, at its primary school (École Al Wahda, Salé).
    "preregistration": Kind(lambda _: select(Preregistration.id)),
    # The demo school's own exam, and the demo academy's regional exam.
    "local_exam": Kind(_in_demo_school(ExamSession)),
    # The demo's appeal, on the ministry's bac (J130000001's French paper).
    "exam_appeal": Kind(lambda _: select(ExamAppeal.id)),
    # The demo academy's candidat libre.
    "independent_candidate": Kind(lambda _: select(IndependentCandidate.id)),
    # Tadkik: D130000001's request to Collège Ibn Rochd, the candidat libre's to the academy.
    "pupil_record_correction": Kind(
        lambda _: select(CandidateRecordCorrection.id).where(
            CandidateRecordCorrection.pupil_id == _demo_pupil()
        )
    ),
    "libre_record_correction": Kind(
        lambda _: select(CandidateRecordCorrection.id).where(
            CandidateRecordCorrection.independent_candidate_id.is_not(None)
        )
    ),
    "exam_session": Kind(
        lambda _: select(ExamSession.id).where(
            ExamSession.kind == ExamKind.REGIONAL,
            ExamSession.academy_id
            == select(School.academy_id).where(School.id == _demo_school()).scalar_subquery(),
        )
    ),
}


@dataclass(frozen=True)
class Caller:
    name: str
    user_id: uuid.UUID
    role: Role
    next_door: bool
    token: str
    # Ids of the caller's own objects, for the body fields that name them.
    own: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


# The demo's own accounts, one a role: they reach the objects above (the control that the
# matrix's 404s come from the scope, not from ids that name nothing).
OWNERS = {
    Role.STUDENT: "d130000001@taalim.ma",
    Role.PARENT: "parent.demo@taalim.ma",
    Role.TEACHER: "teacher.demo@taalim.ma",
    Role.SCHOOL_STAFF: "director.demo@taalim.ma",
    Role.PROVINCE_STAFF: "province.demo@men.gov.ma",
    Role.ACADEMY_STAFF: "academy.demo@men.gov.ma",
    Role.CENTRAL_STAFF: "central.demo@men.gov.ma",
}


@dataclass
class OtherTenant:
    """The demo's object of every kind, the callers outside its scope, and its own."""

    objects: dict[str, uuid.UUID] = field(default_factory=dict)
    callers: list[Caller] = field(default_factory=list)
    owners: dict[Role, Caller] = field(default_factory=dict)
    # API clients out of the objects' scope, and one of the demo's academy that reads them.
    clients: list[Caller] = field(default_factory=list)
    client_owner: Caller | None = None
    # Values every request may carry: the subject all the teachers here teach (maths).
    shared: dict[str, str] = field(default_factory=dict)


async def build_other_tenant(session: AsyncSession) -> OtherTenant:
    """The demo world, the few records it does not hold, and the callers."""
    await demo.seed_demo(session)
    await _records_the_demo_lacks(session)
    tenant = OtherTenant()
    for role, username in OWNERS.items():
        owner = (await session.execute(select(User).where(User.username == username))).scalar_one()
        tenant.owners[role] = await _caller(session, username, owner, False)
    tenant.clients, tenant.client_owner = await _clients(session, tenant.owners)
    for name, kind in KINDS.items():
        found = await session.scalar(kind.statement(tenant.objects).order_by(None).limit(1))
        assert found is not None, f"the other tenant holds no {name}"
        tenant.objects[name] = found
    maths = await subject(session, "MATH")
    tenant.shared = {"subject_id": str(maths.id)}
    tenant.callers = (
        await _callers_elsewhere(session)
        + await _callers_next_door(session)
        + [await _directorate_next_door(session)]
    )
    return tenant


async def _clients(
    session: AsyncSession, owners: dict[Role, Caller]
) -> tuple[list[Caller], Caller]:
    """Clients of Casablanca-Settat and of the Salé directorate; and the demo academy's."""
    central = await session.get(User, owners[Role.CENTRAL_STAFF].user_id)
    academy = await session.get(User, owners[Role.ACADEMY_STAFF].user_id)
    assert central is not None
    assert academy is not None
    elsewhere, next_door = [
        (await session.execute(select(Province).where(Province.code == code))).scalar_one()
        for code in (ELSEWHERE, demo.DEMO_PROVINCE_2)
    ]
    clients = {
        "client of another academy": await create_api_client(
            session, central, academy_id=elsewhere.academy_id
        ),
        "client of the directorate next door": await create_api_client(
            session, central, province=next_door
        ),
        "client of the demo academy": await create_api_client(
            session, central, academy_id=academy.academy_id
        ),
    }
    owner = clients["client of the demo academy"]
    session.add(
        WebhookEndpoint(
            client_id=owner.client.id,
            url=OWNER_HOOK,
            events=["marks.published"],
            secret_sealed=seal(new_secret(), get_settings().webhook_secret_key),
            disabled_at=func.now(),  # nothing is queued for it
        )
    )
    await session.flush()
    # A client has no role of a person: the matrix calls them on the integrators' face only.
    callers = [
        Caller(name, found.client.id, Role.CENTRAL_STAFF, False, found.token)
        for name, found in clients.items()
    ]
    return callers[:2], callers[2]


async def _records_the_demo_lacks(session: AsyncSession) -> None:
    """A signed agreement's document, the demo parent's phone, and a diagnostic test of the
    directorate's own (the demo's two are the ministry's, which every school sits under)."""
    directorate = await session.scalar(
        select(User).where(User.username == "province.demo@men.gov.ma")
    )
    math = await session.scalar(select(Subject.id).where(Subject.code == "MATH"))
    assert directorate is not None
    assert math is not None
    await diagnostics.create_test(
        session,
        Principal.acting_as(directorate),
        DiagnosticTestIn(
            kind=DiagnosticKind.DIAGNOSTIC,
            level_code="1AC",
            subject_id=math,
            title="Évaluation diagnostique provinciale – Mathématiques 1AC",
            mastery_threshold=50,
            competencies=list(diagnostics_demo.COMPETENCIES),
        ),
    )
    parent = await session.scalar(select(User).where(User.username == "parent.demo@taalim.ma"))
    assert parent is not None
    login = AuthSession(user_id=parent.id)
    session.add(login)
    await session.flush()
    session.add(
        Device(
            user_id=parent.id,
            session_id=login.id,
            token=f"demo-phone-{uuid.uuid4()}",
            platform=DevicePlatform.ANDROID,
            app=DeviceApp.WALI,
            locale=DeviceLocale.AR,
        )
    )
    agreement = await session.scalar(
        KINDS["agreement"].statement({}).order_by(None).limit(1).with_only_columns(Agreement)
    )
    assert agreement is not None
    session.add(
        AgreementDocument(
            agreement_id=agreement.id,
            title="Convention signée",
            document_key=f"partnerships/{uuid.uuid4()}",
            content_type="application/pdf",
            size=1024,
            uploaded_by=parent.id,
        )
    )
    await session.flush()


async def _caller(
    session: AsyncSession, name: str, user: User, next_door: bool, **own: uuid.UUID
) -> Caller:
    token = await access_token(session, user)
    mine = {key: str(value) for key, value in (own | {"user_id": user.id}).items()}
    return Caller(name, user.id, user.role, next_door, token, mine)


async def _callers_elsewhere(session: AsyncSession) -> list[Caller]:
    """One caller of every role but central, in a school of another academy."""
    province = (
        await session.execute(select(Province).where(Province.code == ELSEWHERE))
    ).scalar_one()
    school = await create_school(session, province_code=ELSEWHERE)
    school_class = await create_class(session, school)
    pupil = await create_pupil(session, school_class)
    users = {
        "pupil elsewhere": await create_user(session, Role.STUDENT, school=school),
        "parent elsewhere": await create_user(session, Role.PARENT),
        "teacher elsewhere": await create_user(session, Role.TEACHER, school=school),
        "director elsewhere": await create_user(session, Role.SCHOOL_STAFF, school=school),
        "directorate elsewhere": await create_user(session, Role.PROVINCE_STAFF, province=province),
        "academy elsewhere": await create_user(
            session, Role.ACADEMY_STAFF, academy_id=province.academy_id
        ),
    }
    pupil.user_id = users["pupil elsewhere"].id
    await assign(session, users["teacher elsewhere"], school_class, await subject(session, "MATH"))
    # The teacher face's sport routes answer only the coordinator of the school's association.
    session.add(
        SportAssociation(
            school_id=school.id,
            name="Association sportive",
            president_id=users["director elsewhere"].id,
            coordinator_id=users["teacher elsewhere"].id,
            founded_on=date(2020, 9, 1),
        )
    )
    _link(session, users["parent elsewhere"], pupil)
    own = {
        "class_id": school_class.id,
        "pupil_id": pupil.id,
        "teacher_id": users["teacher elsewhere"].id,
    }
    return [await _caller(session, name, user, False, **own) for name, user in users.items()]


async def _callers_next_door(session: AsyncSession) -> list[Caller]:
    """A teacher and a parent of the demo's school, of another class and another family."""
    school = (
        await session.execute(select(School).where(School.code == demo.SCHOOL_A))
    ).scalar_one()
    school_class = await create_class(session, school, name="1AC-9")
    teacher = await create_user(session, Role.TEACHER, school=school)
    parent = await create_user(session, Role.PARENT)
    await assign(session, teacher, school_class, await subject(session, "MATH"))
    pupil = await create_pupil(session, school_class)
    _link(session, parent, pupil)
    await session.flush()
    own = {"class_id": school_class.id, "pupil_id": pupil.id}
    return [
        await _caller(session, "teacher next door", teacher, True, **own),
        await _caller(session, "parent next door", parent, True, **own),
    ]


async def _directorate_next_door(session: AsyncSession) -> Caller:
    """The other directorate of the demo's academy (Salé): the academy is not enough."""
    province = (
        await session.execute(select(Province).where(Province.code == demo.DEMO_PROVINCE_2))
    ).scalar_one()
    staff = await create_user(session, Role.PROVINCE_STAFF, province=province)
    return await _caller(session, "directorate next door", staff, False)


def _link(session: AsyncSession, parent: User, pupil: Pupil) -> None:
    session.add(
        GuardianLink(
            parent_id=parent.id,
            pupil_id=pupil.id,
            kinship=Kinship.FATHER,
            verified_at=datetime.now(UTC),
        )
    )
