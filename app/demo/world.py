"""Demo data for development: a small slice of the Rabat-Salé-Kénitra academy.

Loaded by `make run` into an empty database; refused in prod. School life (classes, marks,
attendance...) is in `demo_teaching`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.assessment import snapshots as marks_snapshots
from app.core.roles import Role, StaffTitle
from app.councils.demo import seed_councils
from app.demo.steering import seed_steering
from app.demo.teaching import random_pupil, seed_teaching
from app.discipline.demo import seed_discipline
from app.exams import snapshots as exam_snapshots
from app.exams.demo import seed_exams
from app.integrations.demo import seed_integrations
from app.modules.diagnostics.demo import seed_diagnostics
from app.modules.equipment.demo import seed_equipment
from app.modules.partnerships.demo import seed_partnerships
from app.modules.school_projects.demo import seed_school_projects
from app.modules.sports.demo import seed_sports
from app.modules.trainings.demo import seed_trainings
from app.modules.websites.demo import seed_websites
from app.organisation.models import Academy, Area, Cycle, Province, School, Sector
from app.preregistration.demo import seed_preregistration
from app.steering import summaries

DEMO_PASSWORD = "Massar-demo-2026"  # noqa: S105  (public on purpose: demo only, never prod)
DEMO_ACADEMY = "RSK"
DEMO_PROVINCE_1 = "RSK-RABAT"
DEMO_PROVINCE_2 = "RSK-SALE"


@dataclass(frozen=True, slots=True)
class DemoSchool:
    code: str
    name_fr: str
    name_ar: str
    province_code: str
    cycles: tuple[Cycle, ...]
    sector: Sector
    area: Area
    commune: str


DEMO_SCHOOLS = (
    DemoSchool(
        "25001A",
        "Collège Ibn Rochd",
        "إعدادية ابن رشد",
        DEMO_PROVINCE_1,
        (Cycle.COLLEGE,),
        Sector.PUBLIC,
        Area.URBAN,
        "Agdal-Riyad",
    ),
    DemoSchool(
        "25002B",
        "Lycée Moulay Youssef",
        "ثانوية مولاي يوسف",
        DEMO_PROVINCE_1,
        (Cycle.LYCEE,),
        Sector.PUBLIC,
        Area.URBAN,
        "Hassan",
    ),
    DemoSchool(
        "25101C",
        "École Al Wahda",
        "مدرسة الوحدة",
        DEMO_PROVINCE_2,
        (Cycle.PRIMARY,),
        Sector.PUBLIC,
        Area.URBAN,
        "Tabriquet",
    ),
    DemoSchool(
        "25102D",
        "Groupe scolaire Al Manar",
        "مجموعة مدارس المنار",
        DEMO_PROVINCE_2,
        (Cycle.PRIMARY, Cycle.COLLEGE),
        Sector.PRIVATE,
        Area.RURAL,
        "Shoul",
    ),
)
SCHOOL_A, _, SCHOOL_OTHER, _ = (s.code for s in DEMO_SCHOOLS)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    role: Role
    where: str


DEMO_ACCOUNTS = (
    NewAccount("central.demo@men.gov.ma", DEMO_PASSWORD, Role.CENTRAL_STAFF, "Karim", "Bennani"),
    NewAccount(
        "academy.demo@men.gov.ma",
        DEMO_PASSWORD,
        Role.ACADEMY_STAFF,
        "Nadia",
        "Alaoui",
        academy_code=DEMO_ACADEMY,
    ),
    NewAccount(
        "province.demo@men.gov.ma",
        DEMO_PASSWORD,
        Role.PROVINCE_STAFF,
        "Youssef",
        "Tazi",
        province_code=DEMO_PROVINCE_1,
    ),
    NewAccount(
        "director.demo@taalim.ma",
        DEMO_PASSWORD,
        Role.SCHOOL_STAFF,
        "Fatima",
        "Idrissi",
        title=StaffTitle.DIRECTOR,
        school_code=SCHOOL_A,
    ),
    NewAccount(
        "secretary.demo@taalim.ma",
        DEMO_PASSWORD,
        Role.SCHOOL_STAFF,
        "Khadija",
        "Berrada",
        title=StaffTitle.SECRETARY,
        school_code=SCHOOL_A,
    ),
    NewAccount(
        "teacher.demo@taalim.ma",
        DEMO_PASSWORD,
        Role.TEACHER,
        "Omar",
        "Chraibi",
        school_code=SCHOOL_A,
    ),
    NewAccount(
        "teacher2.demo@taalim.ma",
        DEMO_PASSWORD,
        Role.TEACHER,
        "Leila",
        "Amrani",
        school_code=SCHOOL_A,
    ),
    NewAccount(
        "D130000001@taalim.ma",
        DEMO_PASSWORD,
        Role.STUDENT,
        "Salma",
        "Berrada",
        school_code=SCHOOL_A,
        first_name_ar="سلمى",
        last_name_ar="برادة",
    ),
    NewAccount("parent.demo@taalim.ma", DEMO_PASSWORD, Role.PARENT, "Ahmed", "Berrada"),
    NewAccount(
        "director.other@taalim.ma",
        DEMO_PASSWORD,
        Role.SCHOOL_STAFF,
        "Hicham",
        "Lahlou",
        title=StaffTitle.DIRECTOR,
        school_code=SCHOOL_OTHER,
    ),
)

DEMO_LOGINS = (
    DemoLogin("central.demo@men.gov.ma", Role.CENTRAL_STAFF, "ministry"),
    DemoLogin("academy.demo@men.gov.ma", Role.ACADEMY_STAFF, "AREF Rabat-Salé-Kénitra"),
    DemoLogin("province.demo@men.gov.ma", Role.PROVINCE_STAFF, "directorate of Rabat"),
    DemoLogin("director.demo@taalim.ma", Role.SCHOOL_STAFF, "director, Collège Ibn Rochd"),
    DemoLogin("teacher.demo@taalim.ma", Role.TEACHER, "maths, 1AC-1 and 1AC-2, Ibn Rochd"),
    DemoLogin("teacher2.demo@taalim.ma", Role.TEACHER, "French, 1AC-1 and 1AC-2, Ibn Rochd"),
    DemoLogin("surveillance.demo@taalim.ma", Role.SCHOOL_STAFF, "discipline office, Ibn Rochd"),
    DemoLogin("D130000001@taalim.ma", Role.STUDENT, "class 1AC-1, Collège Ibn Rochd"),
    DemoLogin("parent.demo@taalim.ma", Role.PARENT, "parent of D130000001"),
    DemoLogin("director.other@taalim.ma", Role.SCHOOL_STAFF, "director, École Al Wahda (Salé)"),
    DemoLogin("teacher.wahda@taalim.ma", Role.TEACHER, "2AP-1 and 4AP-1, École Al Wahda (Salé)"),
    DemoLogin("director.lycee@taalim.ma", Role.SCHOOL_STAFF, "director, Lycée Moulay Youssef"),
    DemoLogin("D130000090@taalim.ma", Role.STUDENT, "3AC-1, Ibn Rochd: orientation wishes"),
    DemoLogin("wali.preinscription@example.ma", Role.PARENT, "pre-registering for Al Wahda"),
)


async def is_empty(session: AsyncSession) -> bool:
    """No account exists yet: a fresh database."""
    return await session.scalar(select(User.id).limit(1)) is None


async def seed_demo(session: AsyncSession) -> None:
    """Add the demo schools and accounts (the reference academies come from migrations)."""
    academy_id = await session.scalar(select(Academy.id).where(Academy.code == DEMO_ACADEMY))
    provinces = dict(
        (
            await session.execute(
                select(Province.code, Province.id).where(Province.academy_id == academy_id)
            )
        ).all()
    )
    session.add_all(
        School(
            code=s.code,
            name_fr=s.name_fr,
            name_ar=s.name_ar,
            cycles=[c.value for c in s.cycles],
            sector=s.sector,
            area=s.area,
            commune=s.commune,
            province_id=provinces[s.province_code],
            academy_id=academy_id,
        )
        for s in DEMO_SCHOOLS
    )
    await session.flush()
    users = {a.username.lower(): await create_account(session, a) for a in DEMO_ACCOUNTS}
    await session.flush()
    await seed_teaching(session, users)
    await seed_steering(session, users, DEMO_PASSWORD)
    await seed_trainings(session, users)
    await seed_partnerships(session, users)
    await seed_websites(session, users)
    await seed_diagnostics(session, users)
    await seed_school_projects(session, users)
    await seed_equipment(session, users)
    await seed_sports(session, users, DEMO_PASSWORD, random_pupil)
    await seed_integrations(session, users, DEMO_PASSWORD)
    # The exams first: their candidates are the enrolments of the day the sessions were set up,
    # before the councils' demo adds a 3AC class to the academy.
    await seed_exams(session, users, DEMO_PASSWORD)
    await seed_councils(session, users, DEMO_PASSWORD)
    await seed_preregistration(session, DEMO_PASSWORD)
    await seed_discipline(session, users, DEMO_PASSWORD)
    # The steering overviews read the schools' summaries: built now, the demo opens on them.
    await session.flush()
    await summaries.rebuild(session)
    # What the history and the acts above published directly is rendered as a publication
    # would have: the pupils' and parents' reads then come from the snapshots, as in service.
    await marks_snapshots.render_all_published(session)
    await exam_snapshots.render_all_published(session)
