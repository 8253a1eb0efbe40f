"""Plain async factories for tests: rows inserted through the session under test."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics import years
from app.academics.calendar import school_today
from app.academics.models import (
    Enrolment,
    Gender,
    Pupil,
    SchoolClass,
    SchoolYear,
    Stream,
    Subject,
    TeachingAssignment,
)
from app.academics.schemas import SchoolYearIn
from app.accounts.models import AuthSession, RefreshToken, User
from app.assessment.models import ClassTest, Mark, SubjectComponent, TestKind, TestStatus
from app.core.roles import Role, StaffTitle
from app.core.security.passwords import hash_password
from app.core.security.tokens import TokenSubject, get_token_codec, hash_refresh_token
from app.demo.calendar import demo_calendar, demo_year_of
from app.exams.models import (
    ExamDecision,
    ExamKind,
    ExamResult,
    ExamSession,
    ExamSessionSubject,
    ExamState,
    ExamSubjectResult,
)
from app.family.models import GuardianLink, Kinship
from app.integrations.clients import new_client_secret, secret_digest
from app.integrations.models import ApiClient
from app.integrations.scopes import ApiScope
from app.organisation.models import Area, Province, School, Sector
from app.settings import get_settings

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_password_hash: str | None = None


async def password_hash() -> str:
    """One real argon2 hash of PASSWORD, computed once per run."""
    global _password_hash
    if _password_hash is None:
        _password_hash = await hash_password(PASSWORD)
    return _password_hash


async def create_school(
    session: AsyncSession, *, province_code: str, code: str | None = None, **fields: object
) -> School:
    province = (
        await session.execute(select(Province).where(Province.code == province_code))
    ).scalar_one()
    n = next(_counter)
    school = School(
        code=code or f"T{n:05d}X",
        name_fr=f"École test {n}",
        name_ar=f"مدرسة اختبار {n}",
        province_id=province.id,
        academy_id=province.academy_id,
        **({"cycles": ["college"], "sector": Sector.PUBLIC, "area": Area.URBAN} | fields),
    )
    session.add(school)
    await session.flush()
    return school


async def create_user(
    session: AsyncSession,
    role: Role,
    *,
    school: School | None = None,
    province: Province | None = None,
    academy_id: object = None,
    title: StaffTitle | None = None,
    username: str | None = None,
    is_active: bool = True,
) -> User:
    n = next(_counter)
    if role is Role.SCHOOL_STAFF and title is None:
        title = StaffTitle.DIRECTOR
    if username is None:
        username = f"x{n:09d}@taalim.ma" if role is Role.STUDENT else f"user{n}@taalim.ma"
    user = User(
        username=username.lower(),
        password_hash=await password_hash(),
        role=role,
        title=title,
        first_name="Test",
        last_name=f"User{n}",
        school_id=school.id if school else None,
        province_id=school.province_id if school else (province.id if province else None),
        academy_id=(
            school.academy_id if school else (province.academy_id if province else academy_id)
        ),
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    return user


async def access_token(session: AsyncSession, user: User) -> str:
    """A valid access token for `user`, on a new login session (no password round trip)."""
    login = AuthSession(user_id=user.id)
    session.add(login)
    await session.flush()
    subject = TokenSubject(
        user_id=user.id,
        role=user.role,
        school_id=user.school_id,
        province_id=user.province_id,
        academy_id=user.academy_id,
    )
    return get_token_codec().issue_access_token(subject, login.id).token


async def used_long_ago(session: AsyncSession, refresh_token: str) -> None:
    """Move a refresh token's use back past the retry window: a later use is a reuse."""
    window = timedelta(seconds=get_settings().refresh_retry_seconds + 1)
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.token_hash == hash_refresh_token(refresh_token))
        .values(used_at=RefreshToken.used_at - window)
    )
    await session.commit()


@dataclass
class World:
    """Schools across two directorates of one academy and one of another academy, and a
    caller of every role.

    school_a1, school_a2: directorate P1 (RSK-RABAT); school_b: P2 (RSK-SALE), same academy;
    school_c: P3 (CS-ANFA), another academy.
    """

    schools: dict[str, School] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


async def build_world(session: AsyncSession) -> World:
    world = World()
    provinces = {
        p.code: p
        for p in (
            await session.execute(
                select(Province).where(Province.code.in_(["RSK-RABAT", "RSK-SALE", "CS-ANFA"]))
            )
        ).scalars()
    }
    world.schools = {
        "a1": await create_school(session, province_code="RSK-RABAT"),
        "a2": await create_school(session, province_code="RSK-RABAT"),
        "b": await create_school(session, province_code="RSK-SALE"),
        "c": await create_school(session, province_code="CS-ANFA"),
    }
    a1, c = world.schools["a1"], world.schools["c"]
    world.users = {
        "student": await create_user(session, Role.STUDENT, school=a1),
        "parent": await create_user(session, Role.PARENT),
        "teacher": await create_user(session, Role.TEACHER, school=a1),
        "school_staff": await create_user(session, Role.SCHOOL_STAFF, school=a1),
        "other_school_staff": await create_user(session, Role.SCHOOL_STAFF, school=c),
        "province_staff": await create_user(
            session, Role.PROVINCE_STAFF, province=provinces["RSK-RABAT"]
        ),
        "academy_staff": await create_user(
            session, Role.ACADEMY_STAFF, academy_id=provinces["RSK-RABAT"].academy_id
        ),
        "central_staff": await create_user(session, Role.CENTRAL_STAFF),
    }
    world.tokens = {name: await access_token(session, u) for name, u in world.users.items()}
    return world


# ---- academic world -------------------------------------------------------------------------


def current_school_year_number() -> int:
    """The year under way today in the demo ministry's calendar, which the tests follow."""
    return demo_year_of(school_today())


async def open_school_year(session: AsyncSession, calendar: SchoolYearIn) -> int:
    """A year planned with these dates and started, as the ministry does over HTTP."""
    await years.plan_school_year(session, calendar)
    await years.start_school_year(session, calendar.year)
    return calendar.year


async def ensure_current_year(session: AsyncSession) -> int:
    """The current school year (created once per test; migrations ship none)."""
    year = current_school_year_number()
    if await session.get(SchoolYear, year) is None:
        await open_school_year(session, demo_calendar(year))
    return year


async def open_next_year(session: AsyncSession) -> int:
    """The school year after the current one, planned with its calendar (not started)."""
    year = await ensure_current_year(session) + 1
    if await session.get(SchoolYear, year) is None:
        await years.plan_school_year(session, demo_calendar(year))
    return year


async def stream(session: AsyncSession, level_code: str, code: str) -> Stream:
    return (
        await session.execute(
            select(Stream).where(Stream.level_code == level_code, Stream.code == code)
        )
    ).scalar_one()


async def subject(session: AsyncSession, code: str) -> Subject:
    return (await session.execute(select(Subject).where(Subject.code == code))).scalar_one()


async def create_class(
    session: AsyncSession,
    school: School,
    *,
    level_code: str = "1AC",
    name: str | None = None,
    school_year: int | None = None,
    stream: Stream | None = None,
) -> SchoolClass:
    """A class of this year (or of `school_year`), in a stream if given."""
    year = school_year or await ensure_current_year(session)
    school_class = SchoolClass(
        school_id=school.id,
        school_year=year,
        level_code=level_code,
        stream_id=stream.id if stream else None,
        name=name or f"{level_code}{stream.code if stream else ''}-{next(_counter)}",
    )
    session.add(school_class)
    await session.flush()
    return school_class


async def create_pupil(
    session: AsyncSession, school_class: SchoolClass, *, massar_code: str | None = None
) -> Pupil:
    n = next(_counter)
    pupil = Pupil(
        massar_code=massar_code or f"T{n:09d}",
        school_id=school_class.school_id,
        first_name=f"Prénom{n}",
        last_name=f"Nom{n:04d}",
        first_name_ar=f"الاسم{n}",
        last_name_ar=f"النسب{n}",
        birth_date=date(2012, 1, 1) + timedelta(days=n % 365),
        birth_place="Rabat",
        gender=Gender.FEMALE if n % 2 else Gender.MALE,
    )
    session.add(pupil)
    await session.flush()
    session.add(
        Enrolment(
            pupil_id=pupil.id,
            class_id=school_class.id,
            school_id=school_class.school_id,
            school_year=school_class.school_year,
            enrolled_on=date(school_class.school_year, 9, 1),
        )
    )
    await session.flush()
    return pupil


async def assign(
    session: AsyncSession, teacher: User, school_class: SchoolClass, taught: Subject
) -> TeachingAssignment:
    assignment = TeachingAssignment(
        school_id=school_class.school_id,
        school_year=school_class.school_year,
        teacher_id=teacher.id,
        class_id=school_class.id,
        subject_id=taught.id,
    )
    session.add(assignment)
    await session.flush()
    return assignment


@dataclass
class TeachingWorld:
    """On top of `World`: in school a1, classes c1 (5 pupils) and c2 (3 pupils); the world's
    teacher teaches MATH in both, `teacher_fr` teaches FR in c1; school c has class c3 (2
    pupils) taught MATH by `teacher_other`."""

    world: World
    classes: dict[str, SchoolClass] = field(default_factory=dict)
    pupils: dict[str, list[Pupil]] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)
    year: int = 0

    def auth(self, who: str) -> dict[str, str]:
        return self.world.auth(who)


async def build_teaching_world(session: AsyncSession, world: World) -> TeachingWorld:
    tw = TeachingWorld(world=world, year=await ensure_current_year(session))
    tw.subjects = {code: await subject(session, code) for code in ("MATH", "FR", "SVT")}
    a1, c = world.schools["a1"], world.schools["c"]
    tw.classes = {
        "c1": await create_class(session, a1),
        "c2": await create_class(session, a1, level_code="2AC"),
        "c3": await create_class(session, c),
    }
    tw.pupils = {
        name: [await create_pupil(session, tw.classes[name]) for _ in range(count)]
        for name, count in (("c1", 5), ("c2", 3), ("c3", 2))
    }
    world.users["teacher_fr"] = await create_user(session, Role.TEACHER, school=a1)
    world.users["teacher_other"] = await create_user(session, Role.TEACHER, school=c)
    for who in ("teacher_fr", "teacher_other"):
        world.tokens[who] = await access_token(session, world.users[who])
    teacher = world.users["teacher"]
    await assign(session, teacher, tw.classes["c1"], tw.subjects["MATH"])
    await assign(session, teacher, tw.classes["c2"], tw.subjects["MATH"])
    await assign(session, world.users["teacher_fr"], tw.classes["c1"], tw.subjects["FR"])
    await assign(session, world.users["teacher_other"], tw.classes["c3"], tw.subjects["MATH"])
    return tw


async def add_primary_class(session: AsyncSession, teaching: TeachingWorld) -> SchoolClass:
    """Class p1 (4AP, marked out of 10) in school a1 with 3 pupils, taught MATH and AR by the
    world's teacher."""
    school_class = await create_class(session, teaching.world.schools["a1"], level_code="4AP")
    teaching.classes["p1"] = school_class
    teaching.pupils["p1"] = [await create_pupil(session, school_class) for _ in range(3)]
    teaching.subjects["AR"] = await subject(session, "AR")
    for code in ("MATH", "AR"):
        await assign(
            session, teaching.world.users["teacher"], school_class, teaching.subjects[code]
        )
    return school_class


async def components(session: AsyncSession, code: str) -> dict[str, SubjectComponent]:
    """The components of a subject (loaded by a migration), by their code."""
    rows = await session.scalars(
        select(SubjectComponent)
        .join(Subject, Subject.id == SubjectComponent.subject_id)
        .where(Subject.code == code)
    )
    return {c.code: c for c in rows}


# ---- families and published marks ---------------------------------------------------------


async def create_test_with_marks(
    session: AsyncSession,
    school_class: SchoolClass,
    taught: Subject,
    teacher: User,
    marks: dict[Pupil, Decimal | str | None],
    *,
    kind: TestKind = TestKind.TEST_1,
    semester: int = 1,
    status: TestStatus = TestStatus.PUBLISHED,
    component: SubjectComponent | None = None,
) -> ClassTest:
    """A test with marks; "absent" marks the pupil absent. The marks are written while the test
    is a draft, then it takes its status, as the workflow would (the database refuses marks
    written to a test past its draft)."""
    test = ClassTest(
        school_id=school_class.school_id,
        school_year=school_class.school_year,
        class_id=school_class.id,
        subject_id=taught.id,
        component_id=component and component.id,
        teacher_id=teacher.id,
        semester=semester,
        kind=kind,
        test_date=date(school_class.school_year, 10, 15),
        title=f"{kind} {taught.code}",
        status=TestStatus.DRAFT,
    )
    session.add(test)
    await session.flush()
    session.add_all(
        Mark(
            school_id=test.school_id,
            school_year=test.school_year,
            test_id=test.id,
            pupil_id=pupil.id,
            mark=None if value == "absent" else value,
            absent=value == "absent",
            updated_by=teacher.id,
        )
        for pupil, value in marks.items()
    )
    await session.flush()
    test.status = status
    await session.flush()
    return test


@dataclass
class FamilyWorld:
    """On top of `TeachingWorld`: the world's student account is pupil c1[0]; the world's
    parent has verified links to c1[0] and c2[0] and an unverified one to c1[1]."""

    teaching: TeachingWorld
    child: Pupil
    sibling: Pupil
    unverified: Pupil
    stranger: Pupil

    def auth(self, who: str) -> dict[str, str]:
        return self.teaching.auth(who)


async def build_family_world(session: AsyncSession, teaching: TeachingWorld) -> FamilyWorld:
    users = teaching.world.users
    child, unverified, stranger = teaching.pupils["c1"][:3]
    sibling = teaching.pupils["c2"][0]
    child.user_id = users["student"].id
    now = datetime.now(UTC)
    session.add_all(
        [
            GuardianLink(
                parent_id=users["parent"].id,
                pupil_id=child.id,
                kinship=Kinship.MOTHER,
                verified_at=now,
            ),
            GuardianLink(
                parent_id=users["parent"].id,
                pupil_id=sibling.id,
                kinship=Kinship.MOTHER,
                verified_at=now,
            ),
            GuardianLink(
                parent_id=users["parent"].id, pupil_id=unverified.id, kinship=Kinship.MOTHER
            ),
        ]
    )
    await session.flush()
    return FamilyWorld(
        teaching=teaching, child=child, sibling=sibling, unverified=unverified, stranger=stranger
    )


async def create_exam_with_result(
    session: AsyncSession, family: FamilyWorld, publish_at: datetime
) -> ExamSession:
    """A local 1AC exam of the family's school, with the child's result, out at `publish_at`."""
    school = family.teaching.world.schools["a1"]
    exam = ExamSession(
        kind=ExamKind.LOCAL,
        school_year=family.teaching.year,
        level_code="1AC",
        school_id=school.id,
        name_fr=f"Examen {publish_at:%Y%m%d %H%M%S}",
        name_ar="امتحان محلي",
        publish_at=publish_at,
    )
    session.add(exam)
    await session.flush()
    session.add(
        ExamResult(
            school_id=school.id,
            school_year=exam.school_year,
            session_id=exam.id,
            pupil_id=family.child.id,
            average=Decimal("12.5"),
            decision=ExamDecision.ADMITTED,
        )
    )
    await session.flush()
    return exam


async def create_marked_exam(
    session: AsyncSession, family: FamilyWorld, publish_at: datetime
) -> ExamResult:
    """A local 1AC exam of the family's school, published at `publish_at`, dated and with
    two subjects (MATH, coefficient 2, 2 h; FR, 1, 1 h 30); the child is candidate
    1AC-0001 in room S3 of their school, 14 in maths and absent in French."""
    exam = await create_exam_with_result(session, family, publish_at)
    exam.state = ExamState.PUBLISHED
    exam.starts_on, exam.ends_on = date(2026, 6, 8), date(2026, 6, 9)
    exam.mentions = [{"threshold": "12", "fr": "Assez bien", "ar": "مستحسن"}]
    result = await session.scalar(select(ExamResult).where(ExamResult.session_id == exam.id))
    assert result is not None
    result.candidate_number, result.room = "1AC-0001", "S3"
    result.centre_id = result.school_id
    result.exam_average, result.average = Decimal("9.33"), None  # a local exam: no certificate
    result.decision = ExamDecision.NOT_ADMITTED
    subjects = family.teaching.subjects
    for code, coefficient, minutes, mark in (("MATH", 2, 120, 14), ("FR", 1, 90, None)):
        subject_id = subjects[code].id
        session.add(
            ExamSessionSubject(
                session_id=exam.id,
                subject_id=subject_id,
                coefficient=Decimal(coefficient),
                duration_minutes=minutes,
            )
        )
        session.add(
            ExamSubjectResult(
                school_id=result.school_id,
                school_year=result.school_year,
                result_id=result.id,
                subject_id=subject_id,
                mark=None if mark is None else Decimal(mark),
                absent=mark is None,
            )
        )
    await session.flush()
    return result


def rsa_pem() -> str:
    """A fresh RSA private key in PEM, for RS256 tokens."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


# ---- integrators ----------------------------------------------------------------------------


@dataclass
class Integrator:
    """An API client, its secret and a token of all its scopes."""

    client: ApiClient
    secret: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def create_api_client(
    session: AsyncSession,
    created_by: User,
    scopes: frozenset[ApiScope] = frozenset(ApiScope),
    *,
    province: Province | None = None,
    academy_id: object = None,
) -> Integrator:
    """A client of the ministry, an academy (`academy_id`) or a directorate (`province`)."""
    if province is not None:
        place: dict[str, object] = {
            "owner_level": "province",
            "province_id": province.id,
            "academy_id": province.academy_id,
        }
    elif academy_id is not None:
        place = {"owner_level": "academy", "academy_id": academy_id}
    else:
        place = {"owner_level": "central"}
    secret = new_client_secret()
    client = ApiClient(
        name="Portail test",
        scopes=sorted(scopes),
        secret_digest=secret_digest(secret),
        created_by=created_by.id,
        **place,
    )
    session.add(client)
    await session.flush()
    token = get_token_codec().issue_client_token(client.id, frozenset(scopes)).token
    return Integrator(client, secret, token)


async def create_exam_component(
    session: AsyncSession,
    pupil: Pupil,
    *,
    kind: ExamKind,
    level_code: str,
    school_year: int,
    exam_average: Decimal,
) -> ExamSession:
    """A deliberated session of an earlier part of a certificate (the 1BAC regional exam of
    the bac), with the pupil's exam average."""
    academy_id = (await session.get(School, pupil.school_id)).academy_id  # type: ignore[union-attr]
    if await session.get(SchoolYear, school_year) is None:
        await years.plan_school_year(session, demo_calendar(school_year))
    exam = ExamSession(
        kind=kind,
        school_year=school_year,
        level_code=level_code,
        school_id=pupil.school_id if kind is ExamKind.LOCAL else None,
        academy_id=academy_id if kind is ExamKind.REGIONAL else None,
        name_fr=f"Examen {level_code} {school_year}",
        name_ar="امتحان",
        state=ExamState.DELIBERATED,
    )
    session.add(exam)
    await session.flush()
    session.add(
        ExamResult(
            school_id=pupil.school_id,
            school_year=exam.school_year,
            session_id=exam.id,
            pupil_id=pupil.id,
            exam_average=exam_average,
            average=exam_average,
        )
    )
    await session.flush()
    return exam
