"""Closed vocabularies stored as checked strings (cheaper to extend than PostgreSQL enums)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


class Role(StrEnum):
    STUDENT = "student"
    PARENT = "parent"
    TEACHER = "teacher"
    SCHOOL_STAFF = "school_staff"
    PROVINCE_STAFF = "province_staff"
    ACADEMY_STAFF = "academy_staff"
    CENTRAL_STAFF = "central_staff"


class StaffTitle(StrEnum):
    """The post of a school_staff account."""

    DIRECTOR = "director"
    DEPUTY = "deputy"
    DISCIPLINE_OFFICE = "discipline_office"
    SECRETARY = "secretary"


class Level(StrEnum):
    """Where an account sits; parents sit with their family, not in the hierarchy."""

    FAMILY = "family"
    SCHOOL = "school"
    PROVINCE = "province"
    ACADEMY = "academy"
    CENTRAL = "central"


ROLE_LEVEL: dict[Role, Level] = {
    Role.STUDENT: Level.SCHOOL,
    Role.PARENT: Level.FAMILY,
    Role.TEACHER: Level.SCHOOL,
    Role.SCHOOL_STAFF: Level.SCHOOL,
    Role.PROVINCE_STAFF: Level.PROVINCE,
    Role.ACADEMY_STAFF: Level.ACADEMY,
    Role.CENTRAL_STAFF: Level.CENTRAL,
}

STAFF_ROLES = frozenset(
    {Role.SCHOOL_STAFF, Role.PROVINCE_STAFF, Role.ACADEMY_STAFF, Role.CENTRAL_STAFF}
)


class Cycle(StrEnum):
    PRIMARY = "primary"
    COLLEGE = "college"
    LYCEE = "lycee"


class Sector(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class Area(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class Kinship(StrEnum):
    FATHER = "father"
    MOTHER = "mother"
    TUTOR = "tutor"


def checked(enum: type[StrEnum], name: str) -> Enum:
    """A VARCHAR column limited to the enum's values by a named CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"


class TestKind(StrEnum):
    """The five marks of a subject per semester: four tests (الفرض) and integrated activities."""

    __test__ = False  # a school test, not a pytest one

    TEST_1 = "test_1"
    TEST_2 = "test_2"
    TEST_3 = "test_3"
    TEST_4 = "test_4"
    INTEGRATED_ACTIVITIES = "integrated_activities"


class TestStatus(StrEnum):
    """Marks go from the teacher (draft, submitted) to the director (validated), then out."""

    __test__ = False  # a school test, not a pytest one

    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    PUBLISHED = "published"


class ExamKind(StrEnum):
    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"


class ExamDecision(StrEnum):
    ADMITTED = "admitted"
    NOT_ADMITTED = "not_admitted"
    RESIT = "resit"


class PhoneOperator(StrEnum):
    IAM = "iam"
    ORANGE = "orange"
    INWI = "inwi"
    OTHER = "other"


class PhoneOwner(StrEnum):
    FATHER = "father"
    MOTHER = "mother"
    PUPIL = "pupil"
    TUTOR = "tutor"


class Audience(StrEnum):
    """Who an announcement is for, within one school."""

    SCHOOL = "school"  # every pupil and parent
    LEVEL = "level"  # pupils of one level, and their parents
    CLASS = "class"  # pupils of one class, and their parents
    PARENTS = "parents"  # parents only


class TransferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class AccountCodePurpose(StrEnum):
    ACTIVATION = "activation"  # first login: the account gets its password
    RESET = "reset"  # a forgotten password, reset at the school
