"""Who an account is: its role, its post at a school, and its level in the tree. The vocabulary of
authorization, stored as checked strings.
"""

from __future__ import annotations

from enum import StrEnum


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
