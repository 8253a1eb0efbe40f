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


class Duty(StrEnum):
    """The work of a school's staff, each done by some posts (`TITLE_DUTIES`)."""

    MARKS = "marks"  # validate, return, publish and correct marks
    ACCOUNTS = "accounts"  # open and deactivate accounts, hand out their codes, approve parents
    RECORDS = "records"  # register, enrol, withdraw and transfer pupils; import them
    ATTENDANCE = "attendance"  # absences and their justifications
    ORGANISATION = "organisation"  # classes, teaching assignments, the timetable
    SCHOOL_LIFE = "school_life"  # announcements and the back-office modules
    COUNCILS = "councils"  # class councils' decisions and orientation, the year's rollover
    DISCIPLINE = "discipline"  # incidents and sanctions
    EXAMS = "exams"  # the school's own exam sessions: candidates, marks, deliberation


# The staff duties matrix. The director answers for everything and chairs the councils; the
# deputy runs the school's organisation, its life and its own exam sessions beside them; the
# discipline office follows attendance and records incidents and sanctions; the secretary keeps
# the pupils' records. What locks marks, what opens an account (and so reaches a family's data)
# and what the councils decide stay the director's.
TITLE_DUTIES: dict[StaffTitle, frozenset[Duty]] = {
    StaffTitle.DIRECTOR: frozenset(Duty),
    StaffTitle.DEPUTY: frozenset(
        {Duty.RECORDS, Duty.ATTENDANCE, Duty.ORGANISATION, Duty.SCHOOL_LIFE, Duty.EXAMS}
    ),
    StaffTitle.DISCIPLINE_OFFICE: frozenset({Duty.ATTENDANCE, Duty.DISCIPLINE}),
    StaffTitle.SECRETARY: frozenset({Duty.RECORDS}),
}


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
