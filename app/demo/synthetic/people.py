"""The rows of the tree's people and structure: schools, accounts, pupils and their families,
enrolments, teachers' files and assignments. Each generator yields tuples in the order of its
table's `columns`; names and dates come from per-class random streams, so a pupil is the same
person in every table."""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from app.core.roles import Role, StaffTitle
from app.demo.calendar import first_day
from app.demo.names import BIRTH_PLACES, FAMILY_NAMES, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE
from app.demo.synthetic.copying import Row
from app.demo.synthetic.ids import IdOf, id_space, stream
from app.demo.synthetic.shape import ClassPlan, Plan, Reference, SchoolPlan
from app.family.models import Kinship, PhoneOperator, PhoneOwner
from app.organisation.models import Cycle

# Per thousand pupils, whose parent has opened an account: 220 fathers, 160 mothers and 20
# tutors, 40 % in all.
_KINSHIP_BY_MILLE = ((220, Kinship.FATHER), (380, Kinship.MOTHER), (400, Kinship.TUTOR))
_SPREAD = 7_919  # prime to 1000: neighbours in a class fall far apart in the thousand


def kinship_of(number: int) -> Kinship | None:
    """Who of the pupil's family has an account, if anyone: a function of the pupil's number
    alone, so families are written without drawing the pupils' names again."""
    mille = number * _SPREAD % 1000
    return next((kinship for bound, kinship in _KINSHIP_BY_MILLE if mille < bound), None)


_SCHOOL_NAMES = (
    ("Ibn Rochd", "ابن رشد"),
    ("Ibn Khaldoun", "ابن خلدون"),
    ("Ibn Sina", "ابن سينا"),
    ("Ibn Battouta", "ابن بطوطة"),
    ("Al Khawarizmi", "الخوارزمي"),
    ("Al Farabi", "الفارابي"),
    ("Al Idrissi", "الإدريسي"),
    ("Al Massira", "المسيرة"),
    ("Al Wahda", "الوحدة"),
    ("Al Andalous", "الأندلس"),
    ("Al Amal", "الأمل"),
    ("Annahda", "النهضة"),
    ("Al Qods", "القدس"),
    ("Anoual", "أنوال"),
    ("Al Moutanabbi", "المتنبي"),
    ("Al Manar", "المنار"),
)
_SCHOOL_WORDS: dict[tuple[Cycle, ...], tuple[str, str]] = {
    (Cycle.PRIMARY,): ("École", "مدرسة"),
    (Cycle.COLLEGE,): ("Collège", "إعدادية"),
    (Cycle.LYCEE,): ("Lycée", "ثانوية"),
}
_GROUP_WORDS = ("Groupe scolaire", "مجموعة مدارس")
_TEACHER_RANKS = {
    Cycle.PRIMARY: "Professeur de l'enseignement primaire, 1er grade",
    Cycle.COLLEGE: "Professeur de l'enseignement secondaire collégial, 1er grade",
    Cycle.LYCEE: "Professeur de l'enseignement secondaire qualifiant, 1er grade",
}


@dataclass(frozen=True, slots=True)
class Ids:
    """The id of every kind of row the load writes, from the seed."""

    school: IdOf
    user: IdOf
    pupil: IdOf
    pupil_user: IdOf
    parent: IdOf
    teacher: IdOf
    director: IdOf
    province_staff: IdOf
    academy_staff: IdOf
    enrolment: IdOf
    assignment: IdOf
    link: IdOf

    @classmethod
    def of(cls, seed: int) -> Ids:
        return cls(**{name: id_space(seed, name) for name in cls.__dataclass_fields__})


class Pupil(NamedTuple):
    number: int
    id: uuid.UUID
    user_id: uuid.UUID
    code: str
    gender: str
    first: tuple[str, str]
    last: tuple[str, str]
    birth_date: date
    place: tuple[str, str]
    kinship: Kinship | None


class MassarCodes:
    """Massar codes: the academy's letter and nine digits, a seeded permutation of the
    pupil's number, so every code is different and none is sequential."""

    LETTERS = "ABCDEFGHJKMN"

    def __init__(self, seed: int, academies: list[str]) -> None:
        rng = stream(seed, "massar-codes")
        self._step = rng.randrange(1, 10**8) * 10 + rng.choice((1, 3, 7, 9))  # prime to 10^9
        self._offset = rng.randrange(10**9)
        self._letter = {code: self.LETTERS[i % 12] for i, code in enumerate(sorted(academies))}

    def of(self, number: int, academy_code: str) -> str:
        digits = (number * self._step + self._offset) % 10**9
        return f"{self._letter[academy_code]}{digits:09d}"


def pupils_of(
    school_class: ClassPlan, year: int, ids: Ids, codes: MassarCodes, seed: int
) -> list[Pupil]:
    """The class's pupils, the same on every call (a 1AP pupil turns six in the year)."""
    rng = stream(seed, f"pupils:{school_class.number}")
    birth_year = year - 5 - school_class.level.rank
    academy = school_class.school.directorate.academy_code
    pupils = []
    for number in school_class.pupils():
        female = rng.random() < 0.5
        first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
        pupils.append(
            Pupil(
                number,
                ids.pupil(number),
                ids.pupil_user(number),
                codes.of(number, academy),
                "F" if female else "M",
                first,
                rng.choice(FAMILY_NAMES),
                date(birth_year, 1, 1) + timedelta(days=rng.randrange(365)),
                rng.choice(BIRTH_PLACES),
                kinship_of(number),
            )
        )
    return pupils


SCHOOL_COLUMNS = (
    "id",
    "code",
    "name_fr",
    "name_ar",
    "cycles",
    "sector",
    "area",
    "commune",
    "province_id",
    "academy_id",
)


def school_rows(plan: Plan) -> Iterator[Row]:
    rng = stream(plan.seed, "school-names")
    for school in plan.schools:
        words = _SCHOOL_WORDS.get(school.kind.cycles, _GROUP_WORDS)
        name = rng.choice(_SCHOOL_NAMES)
        place = school.directorate
        yield (
            school.id,
            school.code,
            f"{words[0]} {name[0]}",
            f"{words[1]} {name[1]}",
            [c.value for c in school.kind.cycles],
            school.kind.sector.value,
            school.area.value,
            place.name_fr,
            place.id,
            place.academy_id,
        )


USER_COLUMNS = (
    "id",
    "username",
    "password_hash",
    "role",
    "title",
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "school_id",
    "province_id",
    "academy_id",
)


class People:
    """The accounts and people of a plan, all sharing one password hash."""

    def __init__(self, plan: Plan, reference: Reference, password_hash: str) -> None:
        self.plan = plan
        self.reference = reference
        self.ids = Ids.of(plan.seed)
        self.codes = MassarCodes(
            plan.seed, sorted({d.academy_code for d in reference.directorates})
        )
        self._hash = password_hash

    def pupils(self, school_class: ClassPlan) -> list[Pupil]:
        return pupils_of(school_class, self.plan.year, self.ids, self.codes, self.plan.seed)

    def classes_with_pupils(self) -> Iterator[tuple[ClassPlan, list[Pupil]]]:
        for school_class in self.plan.classes():
            yield school_class, self.pupils(school_class)

    def _account(
        self,
        user_id: uuid.UUID,
        username: str,
        role: Role,
        names: tuple[tuple[str, str], tuple[str, str]],
        place: tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None],
        title: StaffTitle | None = None,
    ) -> Row:
        (first, first_ar), (last, last_ar) = names
        return (
            user_id,
            username,
            self._hash,
            role.value,
            title.value if title else None,
            first,
            last,
            first_ar,
            last_ar,
            *place,
        )

    def user_rows(self) -> Iterator[Row]:
        yield from self._steering_accounts()
        for school in self.plan.schools:
            yield from self._school_staff(school)
        for school_class, pupils in self.classes_with_pupils():
            place = _place(school_class.school)
            for p in pupils:
                yield self._account(
                    p.user_id, f"{p.code.lower()}@taalim.ma", Role.STUDENT, (p.first, p.last), place
                )
                if p.kinship is not None:
                    yield self._account(
                        self.ids.parent(p.number),
                        parent_username(p),
                        Role.PARENT,
                        (self._parent_first(p), p.last),
                        (None, None, None),
                    )

    def _parent_first(self, pupil: Pupil) -> tuple[str, str]:
        names = FIRST_NAMES_FEMALE if pupil.kinship is Kinship.MOTHER else FIRST_NAMES_MALE
        return names[pupil.number % len(names)]

    def _steering_accounts(self) -> Iterator[Row]:
        rng = stream(self.plan.seed, "steering-names")
        yield self._account(
            self.ids.user(0),
            CENTRAL_USERNAME,
            Role.CENTRAL_STAFF,
            _names(rng),
            (None, None, None),
        )
        academies = sorted({(d.academy_code, d.academy_id) for d in self.reference.directorates})
        for number, (code, academy_id) in enumerate(academies):
            yield self._account(
                self.ids.academy_staff(number),
                f"academy.{code.lower()}@men.gov.ma",
                Role.ACADEMY_STAFF,
                _names(rng),
                (None, None, academy_id),
            )
        for number, directorate in enumerate(self.reference.directorates):
            yield self._account(
                self.ids.province_staff(number),
                f"province.{directorate.code.lower()}@men.gov.ma",
                Role.PROVINCE_STAFF,
                _names(rng),
                (None, directorate.id, directorate.academy_id),
            )

    def staff_names(self, school: SchoolPlan) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """The names of the school's director, then of its teachers in order."""
        rng = stream(self.plan.seed, f"staff:{school.number}")
        return [_names(rng) for _ in range(1 + school.teachers)]

    def teacher_username(self, school: SchoolPlan, index: int) -> str:
        """The login of the school's index-th teacher."""
        return teacher_username(self.staff_names(school)[1 + index], school.first_teacher + index)

    def _school_staff(self, school: SchoolPlan) -> Iterator[Row]:
        place = _place(school)
        director, *teachers = self.staff_names(school)
        yield self._account(
            self.ids.director(school.number),
            director_username(school),
            Role.SCHOOL_STAFF,
            director,
            place,
            StaffTitle.DIRECTOR,
        )
        for teacher, names in zip(school.teacher_numbers(), teachers, strict=True):
            yield self._account(
                self.ids.teacher(teacher),
                teacher_username(names, teacher),
                Role.TEACHER,
                names,
                place,
            )


CENTRAL_USERNAME = "central.synthetic@men.gov.ma"


def director_username(school: SchoolPlan) -> str:
    return f"director.{school.code.lower()}@taalim.ma"


def parent_username(pupil: Pupil) -> str:
    return f"parent.{pupil.code.lower()}@taalim.ma"


def teacher_username(names: tuple[tuple[str, str], tuple[str, str]], number: int) -> str:
    """Staff log in as firstname.lastname@taalim.ma; the number keeps namesakes apart."""
    return f"{_ascii(names[0][0])}.{_ascii(names[1][0])}{number}@taalim.ma"


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in folded.lower())


def _names(rng: random.Random) -> tuple[tuple[str, str], tuple[str, str]]:
    first = rng.choice(FIRST_NAMES_FEMALE + FIRST_NAMES_MALE)
    return first, rng.choice(FAMILY_NAMES)


def _place(school: SchoolPlan) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    return school.id, school.directorate.id, school.directorate.academy_id


PUPIL_COLUMNS = (
    "id",
    "massar_code",
    "school_id",
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "birth_date",
    "birth_place",
    "birth_place_ar",
    "gender",
    "user_id",
)


def pupil_rows(people: People) -> Iterator[Row]:
    for school_class, pupils in people.classes_with_pupils():
        school_id = school_class.school.id
        for p in pupils:
            yield (
                p.id,
                p.code,
                school_id,
                p.first[0],
                p.last[0],
                p.first[1],
                p.last[1],
                p.birth_date,
                p.place[0],
                p.place[1],
                p.gender,
                p.user_id,
            )


ENROLMENT_COLUMNS = ("id", "school_id", "school_year", "pupil_id", "class_id", "enrolled_on")


def enrolment_rows(people: People) -> Iterator[Row]:
    """Every pupil in one class of their school since the first day of the year."""
    ids, year = people.ids, people.plan.year
    start = first_day(year)
    for school_class in people.plan.classes():
        school_id = school_class.school.id
        for number in school_class.pupils():
            yield (
                ids.enrolment(number),
                school_id,
                year,
                ids.pupil(number),
                school_class.id,
                start,
            )


TEACHER_PROFILE_COLUMNS = (
    "user_id",
    "school_id",
    "ppr",
    "rank",
    "specialty_subject_id",
    "hired_on",
)


def teacher_profile_rows(people: People) -> Iterator[Row]:
    """A file per teacher: PPR, rank for the school's first cycle, the subject of their first
    class."""
    rng = stream(people.plan.seed, "teacher-files")
    for school in people.plan.schools:
        specialty = {
            lesson.teacher: lesson.subject_id
            for school_class in reversed(school.classes)
            for lesson in reversed(school_class.lessons)
        }
        rank = _TEACHER_RANKS[school.kind.cycles[0]]
        for teacher in school.teacher_numbers():
            hired = date(rng.randrange(1995, people.plan.year), 9, 1)
            yield (
                people.ids.teacher(teacher),
                school.id,
                f"{1_000_000 + teacher}",
                rank,
                specialty.get(teacher),
                hired,
            )


ASSIGNMENT_COLUMNS = ("id", "school_id", "school_year", "teacher_id", "class_id", "subject_id")


def assignment_rows(people: People) -> Iterator[Row]:
    ids, year = people.ids, people.plan.year
    for school_class in people.plan.classes():
        for index, lesson in enumerate(school_class.lessons):
            yield (
                ids.assignment(school_class.first_assignment + index),
                school_class.school.id,
                year,
                ids.teacher(lesson.teacher),
                school_class.id,
                lesson.subject_id,
            )


GUARDIAN_LINK_COLUMNS = ("id", "parent_id", "pupil_id", "kinship", "verified_at")
CONTACT_COLUMNS = ("pupil_id", "school_id", "phone", "operator", "phone_owner")


def guardian_link_rows(people: People) -> Iterator[Row]:
    """A verified link for every pupil whose parent has an account (opened at the start of
    the year)."""
    ids = people.ids
    verified = datetime.combine(date(people.plan.year, 9, 15), time(9), tzinfo=UTC)
    for school_class in people.plan.classes():
        for number in school_class.pupils():
            kinship = kinship_of(number)
            if kinship is not None:
                link = (ids.link(number), ids.parent(number), ids.pupil(number))
                yield (*link, kinship.value, verified)


def contact_rows(people: People) -> Iterator[Row]:
    """The family's phone, for the pupils whose parent has an account."""
    operators = [o.value for o in PhoneOperator if o is not PhoneOperator.OTHER]
    for school_class in people.plan.classes():
        school_id = school_class.school.id
        for number in school_class.pupils():
            kinship = kinship_of(number)
            if kinship is not None:
                phone = f"06{(number * 7919 + 13) % 10**8:08d}"
                operator = operators[number % len(operators)]
                owner = PhoneOwner(kinship.value).value
                yield (people.ids.pupil(number), school_id, phone, operator, owner)
