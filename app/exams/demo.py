"""Demo of the exams: the Rabat directorate's 6AP provincial exam and the academy's 3AC
regional exam, both published, at Groupe scolaire Al Amal; the bac's normal session and its
resit at Lycée Moulay Youssef, where J130000001 passes at the resit, and where a candidat libre
sits the academy's regional and the ministry's national exams; and Collège Ibn Rochd's own
exam, in marking. Every session is run through the services the organisers call."""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics import years
from app.academics.calendar import current_school_year
from app.academics.models import (
    Gender,
    Pupil,
    SchoolClass,
    SchoolYear,
    Stream,
    Subject,
    TeachingAssignment,
)
from app.accounts.models import User
from app.accounts.users import NewAccount, create_account
from app.assessment.models import ClassTest, Mark, TestKind, TestStatus
from app.core.roles import Role, StaffTitle
from app.core.security.principal import Principal
from app.demo.acts import enrolments
from app.demo.calendar import demo_calendar
from app.demo.teaching import random_pupil
from app.exams import (
    appeals,
    candidates,
    deliberation,
    independent,
    marking,
    organising,
    record_check,
)
from app.exams.independent_schemas import IndependentCandidateIn, RecordCorrectionIn
from app.exams.models import (
    ExamKind,
    ExamResult,
    ExamRound,
    ExamSession,
    ExamState,
    IndependentCandidate,
)
from app.exams.schemas import ExamMarkIn, ExamSessionIn, ExamSessionOut, ExamSubjectIn
from app.exams.sessions import announce_published_exams
from app.organisation.models import Area, School, Sector

AMAL = "25003E"
LYCEE = "25002B"
COLLEGE = "25001A"
BAC_PUPIL = "J130000001"
# The demo's own resit threshold for the bac: organisers set theirs, there is no default.
BAC_RESIT_THRESHOLD = Decimal(8)
# Marks per pupil, the first pupil first: continuous assessment, then per exam subject.
SIXTH: dict[str, tuple[int, ...]] = {
    "continuous": (8, 6, 4, 7, 5),
    "local": (8, 6, 4, 7, 6),
    "MATH": (9, 5, 3, 8, 6),
    "FR": (8, 6, 4, 7, 4),
}
THIRD: dict[str, tuple[int, ...]] = {
    "continuous": (15, 11, 8, 13),
    "local": (14, 10, 7, 12),
    "MATH": (16, 9, 6, 12),
    "FR": (13, 12, 9, 11),
}
# J130000001: continuous 9, 1BAC regional 9, normal 8 and 8 (general 8.50: resit), resit MATH
# 13 and FR 7, the better of the two keeps FR 8: exam 11.33, general 10.17, admitted.
BAC: dict[str, tuple[int, ...]] = {
    "continuous": (9, 14, 7, 12),
    "regional": (9, 13, 6, 11),
    "MATH": (8, 15, 5, 12),
    "FR": (8, 12, 6, 10),
}
BAC_RESIT = {"MATH": 13, "FR": 7}
# The demo's independent candidate: they read their results with their number and this date.
LIBRE = {"national_id": "A987654", "birth_date": "2000-05-20"}
# The pupils' age in the September of the year.
AGE = {"6AP": 11, "3AC": 14, "2BAC": 17}


async def seed_exams(session: AsyncSession, accounts: dict[str, User], password: str) -> None:
    """The exam sessions of the demo, and the logins they need."""
    rng = random.Random(2027)  # noqa: S311  (the same demo on every machine; not a secret)
    year = await current_school_year(session)
    lycee = await _school(session, LYCEE)
    amal = await _new_school(session, lycee)
    staff = {
        account.username: account
        for account in [
            await create_account(session, new)
            for new in (
                NewAccount(
                    "director.amal@taalim.ma",
                    password,
                    Role.SCHOOL_STAFF,
                    "Samira",
                    "Idrissi",
                    title=StaffTitle.DIRECTOR,
                    school_code=AMAL,
                ),
                NewAccount(
                    "teacher.amal@taalim.ma",
                    password,
                    Role.TEACHER,
                    "Omar",
                    "Fassi",
                    school_code=AMAL,
                ),
                NewAccount(
                    "teacher.lycee@taalim.ma",
                    password,
                    Role.TEACHER,
                    "Rachid",
                    "Kettani",
                    school_code=LYCEE,
                ),
                NewAccount(
                    f"{BAC_PUPIL}@taalim.ma",
                    password,
                    Role.STUDENT,
                    "Imane",
                    "Lahlou",
                    school_code=LYCEE,
                    first_name_ar="إيمان",
                    last_name_ar="لحلو",
                ),
            )
        ]
    }
    subjects = {
        s.code: s.id
        for s in await session.scalars(select(Subject).where(Subject.code.in_(["MATH", "FR"])))
    }
    organisers = {
        "school": Principal.acting_as(staff["director.amal@taalim.ma"]),
        "province": Principal.acting_as(accounts["province.demo@men.gov.ma"]),
        "academy": Principal.acting_as(accounts["academy.demo@men.gov.ma"]),
        "ministry": Principal.acting_as(accounts["central.demo@men.gov.ma"]),
    }
    teacher = staff["teacher.amal@taalim.ma"]
    sixth = await _cohort(session, rng, amal, year, "6AP-1", teacher, subjects, SIXTH, "K13")
    await _certificate(session, organisers, year, "6AP", "province", sixth, subjects, SIXTH)
    third = await _cohort(session, rng, amal, year, "3AC-1", teacher, subjects, THIRD, "K14")
    await _certificate(session, organisers, year, "3AC", "academy", third, subjects, THIRD)
    bac = await _cohort(
        session,
        rng,
        lycee,
        year,
        "2BACSPF-1",
        staff["teacher.lycee@taalim.ma"],
        subjects,
        BAC,
        "J13",
    )
    bac[0].user_id = staff[f"{BAC_PUPIL.lower()}@taalim.ma"].id
    await _bac(session, organisers, year, bac, subjects)
    await _college_exam_in_marking(session, accounts["director.demo@taalim.ma"], year, subjects)
    # Their hour has passed: announced as the worker announces them.
    await announce_published_exams(session)
    await _bac_appeal(session, staff[f"{BAC_PUPIL.lower()}@taalim.ma"], bac[0], subjects["FR"])
    await _record_checks(session)


async def _record_checks(session: AsyncSession) -> None:
    """Tadkik waiting for a decision: D130000001 asks Collège Ibn Rochd to write their birth
    place in Arabic, and the candidat libre asks the academy to split their surname."""
    pupil = await session.scalar(select(Pupil).where(Pupil.massar_code == "D130000001"))
    assert pupil is not None
    await record_check.pupil_asks(session, pupil.id, RecordCorrectionIn(birth_place_ar="الرباط"))
    libre = await session.scalar(
        select(IndependentCandidate).where(IndependentCandidate.national_id == LIBRE["national_id"])
    )
    assert libre is not None
    await record_check.ask(session, libre, RecordCorrectionIn(last_name="Ben Ali"))


async def _school(session: AsyncSession, code: str) -> School:
    return (await session.execute(select(School).where(School.code == code))).scalar_one()


async def _new_school(session: AsyncSession, neighbour: School) -> School:
    """A primary and collège school of the Rabat directorate, for its 6AP and 3AC exams."""
    school = School(
        code=AMAL,
        name_fr="Groupe scolaire Al Amal",
        name_ar="مجموعة مدارس الأمل",
        cycles=["primary", "college"],
        sector=Sector.PUBLIC,
        area=Area.URBAN,
        commune="Agdal-Riyad",
        province_id=neighbour.province_id,
        academy_id=neighbour.academy_id,
    )
    session.add(school)
    await session.flush()
    return school


async def _cohort(
    session: AsyncSession,
    rng: random.Random,
    school: School,
    year: int,
    class_name: str,
    teacher: User,
    subjects: dict[str, uuid.UUID],
    marks: Mapping[str, Sequence[int]],
    prefix: str,
) -> list[Pupil]:
    """A class of the level, its pupils, and a published maths test: their continuous marks."""
    level = class_name.split("-")[0].removesuffix("SPF")
    stream = await _stream(session, level, "SPF") if class_name.startswith("2BACSPF") else None
    school_class = SchoolClass(
        school_id=school.id, school_year=year, level_code=level, name=class_name, stream_id=stream
    )
    session.add(school_class)
    await session.flush()
    pupils = [
        random_pupil(rng, school.id, f"{prefix}{n + 1:07d}", year - AGE[level])
        for n in range(len(marks["continuous"]))
    ]
    session.add_all(pupils)
    await session.flush()
    session.add_all(enrolments(pupils, school_class))
    session.add(
        TeachingAssignment(
            school_id=school.id,
            school_year=year,
            teacher_id=teacher.id,
            class_id=school_class.id,
            subject_id=subjects["MATH"],
        )
    )
    test = ClassTest(
        school_id=school.id,
        school_year=year,
        class_id=school_class.id,
        subject_id=subjects["MATH"],
        teacher_id=teacher.id,
        semester=1,
        kind=TestKind.TEST_1,
        test_date=date(year, 11, 20),
        title="Contrôle 1",
        status=TestStatus.DRAFT,
    )
    session.add(test)
    await session.flush()
    session.add_all(
        Mark(
            school_id=school.id,
            school_year=year,
            test_id=test.id,
            pupil_id=pupil.id,
            mark=Decimal(mark),
            updated_by=teacher.id,
        )
        for pupil, mark in zip(pupils, marks["continuous"], strict=True)
    )
    await session.flush()
    test.status = TestStatus.PUBLISHED
    test.published_at = datetime.now(UTC)
    await session.flush()
    return pupils


async def _stream(session: AsyncSession, level: str, code: str) -> uuid.UUID:
    stream = await session.scalar(
        select(Stream.id).where(Stream.level_code == level, Stream.code == code)
    )
    assert stream is not None  # the reference data's streams
    return stream


def _new_session(
    level: str, year: int, name_fr: str, name_ar: str, **fields: object
) -> ExamSessionIn:
    return ExamSessionIn.model_validate(
        {"level_code": level, "school_year": year, "name_fr": name_fr, "name_ar": name_ar} | fields
    )


def _subjects(subjects: dict[str, uuid.UUID], coefficients: dict[str, int]) -> list[ExamSubjectIn]:
    return [
        ExamSubjectIn(subject_id=subjects[code], coefficient=Decimal(c), duration_minutes=120)
        for code, c in coefficients.items()
    ]


@dataclass(frozen=True, slots=True)
class Libre:
    """An independent candidate in a session: registered once created (`register` answers
    their number), with their marks by subject."""

    register: Callable[[uuid.UUID], Awaitable[str]]
    marks: Mapping[uuid.UUID, int]


async def _run(
    session: AsyncSession,
    organiser: Principal,
    new: ExamSessionIn,
    pupils: Sequence[Pupil],
    marks: Mapping[uuid.UUID, Sequence[int]],
    publish_at: datetime | None,
    libre: Libre | None = None,
) -> ExamSessionOut:
    """A session from its creation to its deliberation, and its publication if `publish_at`."""
    exam = await organising.create_session(session, organiser, new)
    number = await libre.register(exam.id) if libre else None
    listed = await candidates.generate_candidates(session, organiser, exam.id)
    numbers = {c.pupil_id: c.candidate_number or "" for c in listed}
    await organising.open_marking(session, organiser, exam.id)
    for subject_id, values in marks.items():
        rows = [
            ExamMarkIn(candidate_number=numbers[p.id], mark=Decimal(m))
            for p, m in zip(pupils, values, strict=False)
            if p.id in numbers
        ]
        if libre and number:
            rows.append(ExamMarkIn(candidate_number=number, mark=Decimal(libre.marks[subject_id])))
        await marking.save_marks(session, organiser, exam.id, subject_id, rows)
    done = await deliberation.deliberate(session, organiser, exam.id)
    if publish_at is None:
        return done
    return await organising.publish(session, organiser, exam.id, publish_at)


def _published() -> datetime:
    return datetime.now(UTC) - timedelta(days=1)


async def _certificate(
    session: AsyncSession,
    organisers: dict[str, Principal],
    year: int,
    level: str,
    organiser: str,
    pupils: list[Pupil],
    subjects: dict[str, uuid.UUID],
    marks: Mapping[str, Sequence[int]],
) -> None:
    """The school's own exam of the level, then the directorate's or academy's, published."""
    local = _new_session(
        level,
        year,
        f"Examen local normalisé {level}",
        f"الامتحان الموحد المحلي {level}",
        subjects=_subjects(subjects, {"MATH": 1}),
    )
    await _run(
        session, organisers["school"], local, pupils, {subjects["MATH"]: marks["local"]}, None
    )
    kind = "provincial" if organiser == "province" else "régional"
    exam = _new_session(
        level,
        year,
        f"Examen {kind} normalisé {level}",
        f"الامتحان {'الإقليمي' if organiser == 'province' else 'الجهوي'} الموحد {level}",
        starts_on=date(year + 1, 6, 10),
        ends_on=date(year + 1, 6, 11),
        subjects=_subjects(subjects, {"MATH": 2, "FR": 1}),
    )
    marked = {subjects[code]: marks[code] for code in ("MATH", "FR")}
    await _run(session, organisers[organiser], exam, pupils, marked, _published())


async def _bac(
    session: AsyncSession,
    organisers: dict[str, Principal],
    year: int,
    pupils: list[Pupil],
    subjects: dict[str, uuid.UUID],
) -> None:
    """Last year's 1BAC regional exam, this year's national exam and its resit; and an
    independent candidate's regional and national exams, this year."""
    ministry = organisers["ministry"]
    await _regional_1bac(session, pupils, year - 1)
    libre = await _libre_regional(session, organisers["academy"], year, pupils[0], subjects)
    # The lycée's class is SPF, the candidat libre SP: maths is each stream's own subject
    # (the same coefficient here, so the demo's averages read simply), French everyone's.
    streams = [await _stream(session, "2BAC", code) for code in ("SPF", "SP")]
    june = date(year + 1, 6, 10)
    normal = _new_session(
        "2BAC",
        year,
        "Baccalauréat, session normale",
        "البكالوريا، الدورة العادية",
        resit_threshold=BAC_RESIT_THRESHOLD,
        starts_on=june,
        ends_on=june + timedelta(days=2),
        stream_ids=streams,
        subjects=_bac_subjects(subjects, streams, june),
    )
    marked = {subjects[code]: BAC[code] for code in ("MATH", "FR")}
    first = await _run(session, ministry, normal, pupils, marked, _published(), libre)
    resit = _new_session(
        "2BAC",
        year,
        "Baccalauréat, session de rattrapage",
        "البكالوريا، الدورة الاستدراكية",
        round=ExamRound.RESIT,
        normal_session_id=first.id,
        starts_on=date(year + 1, 7, 8),
        ends_on=date(year + 1, 7, 10),
        subjects=_bac_subjects(subjects, streams, date(year + 1, 7, 8)),
    )
    again = {subjects[code]: [BAC_RESIT[code]] for code in ("MATH", "FR")}
    await _run(session, ministry, resit, pupils[:1], again, _published() + timedelta(hours=2))


def _bac_subjects(
    subjects: dict[str, uuid.UUID], streams: list[uuid.UUID], first_day: date
) -> list[ExamSubjectIn]:
    """Maths on the first morning, for each stream; French the next morning, for all."""
    maths = [
        ExamSubjectIn(
            subject_id=subjects["MATH"],
            stream_id=stream,
            coefficient=Decimal(2),
            duration_minutes=180,
            sits_on=first_day,
            starts_at=time(8, 30),
        )
        for stream in streams
    ]
    french = ExamSubjectIn(
        subject_id=subjects["FR"],
        coefficient=Decimal(1),
        duration_minutes=120,
        sits_on=first_day + timedelta(days=1),
        starts_at=time(8, 30),
    )
    return [*maths, french]


async def _libre_regional(
    session: AsyncSession,
    academy: Principal,
    year: int,
    classmate: Pupil,
    subjects: dict[str, uuid.UUID],
) -> Libre:
    """The academy registers the demo's candidat libre, seated at Lycée Moulay Youssef, on
    its 1BAC regional exam of the year (French 12, its only candidate) and, once the ministry
    creates it, on the national exam (MATH 9, FR 11: exam 9.67; 25 % × 12 + 75 % × 9.67 =
    10.25, admitted with no continuous assessment)."""
    regional = await organising.create_session(
        session,
        academy,
        _new_session(
            "1BAC",
            year,
            "Examen régional du baccalauréat (1BAC), candidats libres",
            "الامتحان الجهوي الموحد للبكالوريا، المترشحون الأحرار",
            # The 1BAC filières: a candidat libre's 2BAC option names none of them, so they
            # sit the subjects every stream sits (French, here).
            stream_ids=[await _stream(session, "1BAC", "SE")],
            subjects=_subjects(subjects, {"FR": 1}),
        ),
    )
    stream = await _stream(session, "2BAC", "SP")

    async def register(national_id: uuid.UUID) -> str:
        registered = await independent.register(
            session,
            academy,
            IndependentCandidateIn(
                national_id=LIBRE["national_id"],
                first_name="Youssef",
                last_name="Benali",
                first_name_ar="يوسف",
                last_name_ar="بنعلي",
                birth_date=date.fromisoformat(LIBRE["birth_date"]),
                birth_place="Rabat",
                birth_place_ar="الرباط",
                gender=Gender.MALE,
                stream_id=stream,
                centre_id=classmate.school_id,
                session_ids=[regional.id, national_id],
            ),
        )
        number = registered.candidate.candidate_number
        await organising.open_marking(session, academy, regional.id)
        rows = [ExamMarkIn(candidate_number=number, mark=Decimal(12))]
        await marking.save_marks(session, academy, regional.id, subjects["FR"], rows)
        await deliberation.deliberate(session, academy, regional.id)
        return number

    return Libre(register, {subjects["MATH"]: 9, subjects["FR"]: 11})


async def _regional_1bac(session: AsyncSession, pupils: list[Pupil], year: int) -> None:
    """Last year's 1BAC regional exam, as its record stays: the exam averages only."""
    if await session.get(SchoolYear, year) is None:
        await years.plan_school_year(session, demo_calendar(year))
    school = await session.get(School, pupils[0].school_id)
    assert school is not None
    exam = ExamSession(
        kind=ExamKind.REGIONAL,
        school_year=year,
        level_code="1BAC",
        academy_id=school.academy_id,
        name_fr="Examen régional du baccalauréat (1BAC)",
        name_ar="الامتحان الجهوي الموحد للبكالوريا",
        state=ExamState.DELIBERATED,
    )
    session.add(exam)
    await session.flush()
    session.add_all(
        ExamResult(
            school_id=school.id,
            school_year=exam.school_year,
            session_id=exam.id,
            pupil_id=pupil.id,
            exam_average=Decimal(mark),
            average=Decimal(mark),
        )
        for pupil, mark in zip(pupils, BAC["regional"], strict=True)
    )
    await session.flush()


async def _college_exam_in_marking(
    session: AsyncSession, director: User, year: int, subjects: dict[str, uuid.UUID]
) -> None:
    """Collège Ibn Rochd's own 1AC exam: candidates listed, maths marked, French to come."""
    organiser = Principal.acting_as(director)
    exam = _new_session(
        "1AC",
        year,
        "Examen local de fin d'année 1AC",
        "امتحان محلي لنهاية السنة 1AC",
        subjects=_subjects(subjects, {"MATH": 1, "FR": 1}),
    )
    created = await organising.create_session(session, organiser, exam)
    listed = await candidates.generate_candidates(session, organiser, created.id)
    await organising.open_marking(session, organiser, created.id)
    rows = [
        ExamMarkIn(candidate_number=c.candidate_number or "", mark=Decimal(8 + n % 10))
        for n, c in enumerate(listed)
    ]
    await marking.save_marks(session, organiser, created.id, subjects["MATH"], rows)


async def _bac_appeal(
    session: AsyncSession, pupil_account: User, pupil: Pupil, french: uuid.UUID
) -> None:
    """J130000001 asks for the normal session's French paper to be marked again: an appeal
    waiting for the ministry's decision."""
    normal = await session.scalar(
        select(ExamResult.session_id)
        .join(ExamSession, ExamSession.id == ExamResult.session_id)
        .where(
            ExamResult.pupil_id == pupil.id,
            ExamSession.level_code == "2BAC",  # not last year's 1BAC regional exam
            ExamSession.round == ExamRound.NORMAL,
        )
    )
    assert normal is not None
    await appeals.file_appeal(session, Principal.acting_as(pupil_account), pupil.id, normal, french)
