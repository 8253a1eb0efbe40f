"""Massar's world as OneRoster rostering (docs/oneroster.md): the tree as `orgs`, the school
year and its semesters as `academicSessions`, a level × subject as a `course`, a class × the
subject taught to it as a `class`, pupils and teachers as `users`, and their `enrollments`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    cast,
    false,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)

from app.academics.models import (
    Enrolment,
    Level,
    Pupil,
    SchoolClass,
    SchoolYear,
    Semester,
    Subject,
    SubjectCoefficient,
    TeachingAssignment,
)
from app.accounts.models import User
from app.core.roles import Level as TreeLevel
from app.core.roles import Role
from app.integrations.callers import ApiCaller
from app.integrations.scopes import ApiScope
from app.oneroster.collections import (
    ACTIVE,
    BASE_FILTERS,
    ROSTERING,
    TOBEDELETED,
    Collection,
    Context,
    base,
    by_uuid,
    day,
)
from app.oneroster.query import FieldType
from app.organisation.models import Academy, Province, School
from app.organisation.scopes import school_scope
from app.sync.models import Tombstone
from app.sync.tombstones import Kind, tombstones_since

# The ministry is the root of the tree and has no row of its own.
MINISTRY_ID = "ministry"
# Every tombstone still kept (the retention purges them after the sync window).
TOMBSTONES_SINCE = datetime(1970, 1, 1, tzinfo=UTC)
MINISTRY_NAME = "Ministère de l'Éducation nationale"
ORG_TYPES = {"central": "national", "academy": "state", "province": "district", "school": "school"}


def _text(column: Any) -> ColumnElement[str]:
    return cast(column, String)


def in_scope(caller: ApiCaller) -> ColumnElement[bool]:
    """The schools of the client's part of the tree (an indexed equality on `schools`)."""
    return school_scope(
        caller.unit, School.id, province_id=School.province_id, academy_id=School.academy_id
    )


def deleted_in_scope(kind: Kind, caller: ApiCaller) -> Select[Any]:
    """The tombstones of `kind` in the client's schools, all of them (a client's delta is its
    filter on `dateLastModified`, applied around the collection), for a statement to pick its
    columns from and join."""
    schools = select(School.id).where(in_scope(caller))
    return tombstones_since(kind, TOMBSTONES_SINCE, schools).order_by(None)


# ---- orgs ------------------------------------------------------------------------------------


def _org_columns(
    row_id: Any, level: str, modified: Any, name: Any, code: Any, parent: Any, parent_level: str
) -> list[Any]:
    return [
        row_id.label("_id"),
        _text(row_id).label("sourcedId"),
        literal(ACTIVE).label("status"),
        modified.label("dateLastModified"),
        name.label("name"),
        literal(ORG_TYPES[level]).label("type"),
        code.label("identifier"),
        parent.label("_parent"),
        literal(parent_level).label("_parent_level"),
    ]


def org_statement(caller: ApiCaller) -> Select[Any]:
    """The client's unit and every unit below it."""
    level, academy, province = caller.level, caller.academy_id, caller.province_id
    ministry = select(
        null().cast(Academy.id.type).label("_id"),
        literal(MINISTRY_ID).label("sourcedId"),
        literal(ACTIVE).label("status"),
        select(func.min(Academy.created_at)).scalar_subquery().label("dateLastModified"),
        literal(MINISTRY_NAME).label("name"),
        literal("national").label("type"),
        literal("MEN").label("identifier"),
        null().cast(String).label("_parent"),
        literal("").label("_parent_level"),
    ).where(true() if level is TreeLevel.CENTRAL else false())
    academies = select(
        *_org_columns(
            Academy.id,
            "academy",
            Academy.updated_at,
            Academy.name_fr,
            Academy.code,
            literal(MINISTRY_ID),
            "central",
        )
    ).where(
        true()
        if level is TreeLevel.CENTRAL
        else Academy.id == academy
        if level is TreeLevel.ACADEMY
        else false()
    )
    provinces = select(
        *_org_columns(
            Province.id,
            "province",
            Province.updated_at,
            Province.name_fr,
            Province.code,
            _text(Province.academy_id),
            "academy",
        )
    ).where(
        true()
        if level is TreeLevel.CENTRAL
        else Province.academy_id == academy
        if level is TreeLevel.ACADEMY
        else Province.id == province
    )
    return select(union_all(ministry, academies, provinces, school_statement(caller)).subquery())


def school_statement(caller: ApiCaller) -> Select[Any]:
    return select(
        *_org_columns(
            School.id,
            "school",
            School.updated_at,
            School.name_fr,
            School.code,
            _text(School.province_id),
            "province",
        )
    ).where(in_scope(caller))


def shape_org(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    parent = context.ref(f"{ROSTERING}/orgs", row["_parent"], "org") if row["_parent"] else None
    return {
        **base(row),
        "name": row["name"],
        "type": row["type"],
        "identifier": row["identifier"],
        "parent": parent,
        "children": [],
    }


ORG_FIELDS = frozenset(
    {"sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parent", "children"}
)
_ORG_FILTERS = {
    **BASE_FILTERS,
    "name": FieldType.TEXT,
    "type": FieldType.TEXT,
    "identifier": FieldType.TEXT,
}


def _org_lookup(q: Subquery, sourced_id: str) -> ColumnElement[bool] | None:
    if sourced_id == MINISTRY_ID:
        return q.c.sourcedId == MINISTRY_ID
    return by_uuid(q, sourced_id)


ORGS = Collection(
    "orgs", "org", org_statement, _ORG_FILTERS, shape_org, ORG_FIELDS, _org_lookup, ("sourcedId",)
)
SCHOOLS = Collection("orgs", "org", school_statement, _ORG_FILTERS, shape_org, ORG_FIELDS)


# ---- academic sessions: the school year and its semesters ------------------------------------


def session_statement(_: ApiCaller) -> Select[Any]:
    """Every school year and semester: the calendar is national."""
    years = select(
        _text(SchoolYear.year).label("sourcedId"),
        literal(ACTIVE).label("status"),
        SchoolYear.updated_at.label("dateLastModified"),
        (_text(SchoolYear.year) + "-" + _text(SchoolYear.year + 1)).label("title"),
        literal("schoolYear").label("type"),
        SchoolYear.starts_on.label("startDate"),
        SchoolYear.ends_on.label("endDate"),
        null().cast(String).label("_parent"),
        _text(SchoolYear.year + 1).label("schoolYear"),
    )
    semesters = select(
        (_text(Semester.school_year) + "-S" + _text(Semester.number)).label("sourcedId"),
        literal(ACTIVE).label("status"),
        SchoolYear.updated_at.label("dateLastModified"),
        (
            _text(Semester.school_year)
            + "-"
            + _text(Semester.school_year + 1)
            + " S"
            + _text(Semester.number)
        ).label("title"),
        literal("semester").label("type"),
        Semester.starts_on.label("startDate"),
        Semester.ends_on.label("endDate"),
        _text(Semester.school_year).label("_parent"),
        _text(Semester.school_year + 1).label("schoolYear"),
    ).join(SchoolYear, SchoolYear.year == Semester.school_year)
    return select(union_all(years, semesters).subquery())


def shape_session(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    parent = row["_parent"]
    return {
        **base(row),
        "title": row["title"],
        "type": row["type"],
        "startDate": day(row["startDate"]),
        "endDate": day(row["endDate"]),
        "parent": context.ref(f"{ROSTERING}/academicSessions", parent, "academicSession")
        if parent
        else None,
        "schoolYear": row["schoolYear"],
    }


ACADEMIC_SESSIONS = Collection(
    "academicSessions",
    "academicSession",
    session_statement,
    {
        **BASE_FILTERS,
        "title": FieldType.TEXT,
        "type": FieldType.TEXT,
        "startDate": FieldType.DATE,
        "endDate": FieldType.DATE,
        "schoolYear": FieldType.TEXT,
    },
    shape_session,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "type",
            "startDate",
            "endDate",
            "parent",
            "schoolYear",
        }
    ),
    lambda q, sourced_id: q.c.sourcedId == sourced_id,
    ("sourcedId",),
)


# ---- courses: a level × a subject ------------------------------------------------------------


def course_id(level_code: Any, subject_code: Any) -> Any:
    return level_code + "." + subject_code


def course_statement(_: ApiCaller) -> Select[Any]:
    """The subjects each level is taught (its coefficients), served for the current year."""
    return (
        select(
            course_id(Level.code, Subject.code).label("sourcedId"),
            literal(ACTIVE).label("status"),
            SchoolYear.updated_at.label("dateLastModified"),
            (Subject.name_fr + " – " + Level.name_fr).label("title"),
            course_id(Level.code, Subject.code).label("courseCode"),
            Level.code.label("_level"),
            Subject.name_fr.label("_subject"),
            Subject.code.label("_subject_code"),
            SchoolYear.year.label("_year"),
        )
        .distinct()
        .select_from(SubjectCoefficient)
        .join(Level, Level.code == SubjectCoefficient.level_code)
        .join(Subject, Subject.id == SubjectCoefficient.subject_id)
        .join(SchoolYear, SchoolYear.is_current.is_(True))
    )


def shape_course(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    return {
        **base(row),
        "title": row["title"],
        "courseCode": row["courseCode"],
        "schoolYear": context.ref(f"{ROSTERING}/academicSessions", row["_year"], "academicSession"),
        "grades": [row["_level"]],
        "subjects": [row["_subject"]],
        "subjectCodes": [row["_subject_code"]],
        "org": context.ref(f"{ROSTERING}/orgs", MINISTRY_ID, "org"),
    }


COURSES = Collection(
    "courses",
    "course",
    course_statement,
    {**BASE_FILTERS, "title": FieldType.TEXT, "courseCode": FieldType.TEXT},
    shape_course,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "courseCode",
            "schoolYear",
            "grades",
            "subjects",
            "subjectCodes",
            "org",
        }
    ),
    lambda q, sourced_id: q.c.sourcedId == sourced_id,
    ("sourcedId",),
)


# ---- classes: a class × a subject taught to it -----------------------------------------------


def class_statement(caller: ApiCaller) -> Select[Any]:
    return (
        select(
            TeachingAssignment.id.label("_id"),
            _text(TeachingAssignment.id).label("sourcedId"),
            literal(ACTIVE).label("status"),
            func.greatest(TeachingAssignment.updated_at, SchoolClass.updated_at).label(
                "dateLastModified"
            ),
            (SchoolClass.name + " – " + Subject.name_fr).label("title"),
            SchoolClass.name.label("classCode"),
            literal("scheduled").label("classType"),
            SchoolClass.level_code.label("_level"),
            Subject.code.label("_subject_code"),
            Subject.name_fr.label("_subject"),
            TeachingAssignment.school_id.label("_school_id"),
            TeachingAssignment.school_year.label("_year"),
            TeachingAssignment.teacher_id.label("_teacher_id"),
        )
        .join(SchoolClass, SchoolClass.id == TeachingAssignment.class_id)
        .join(Subject, Subject.id == TeachingAssignment.subject_id)
        .join(School, School.id == TeachingAssignment.school_id)
        .where(in_scope(caller))
    )


def shape_class(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    return {
        **base(row),
        "title": row["title"],
        "classCode": row["classCode"],
        "classType": row["classType"],
        "course": context.ref(
            f"{ROSTERING}/courses", f"{row['_level']}.{row['_subject_code']}", "course"
        ),
        "school": context.ref(f"{ROSTERING}/schools", row["_school_id"], "org"),
        "terms": [context.ref(f"{ROSTERING}/academicSessions", row["_year"], "academicSession")],
        "grades": [row["_level"]],
        "subjects": [row["_subject"]],
        "subjectCodes": [row["_subject_code"]],
    }


CLASSES = Collection(
    "classes",
    "class",
    class_statement,
    {
        **BASE_FILTERS,
        "title": FieldType.TEXT,
        "classCode": FieldType.TEXT,
        "classType": FieldType.TEXT,
    },
    shape_class,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "classCode",
            "classType",
            "course",
            "school",
            "terms",
            "grades",
            "subjects",
            "subjectCodes",
        }
    ),
)


# ---- users: pupils and teachers ---------------------------------------------------------------


def _current_level() -> Any:
    """The level of the pupil's current class (their latest enrolment not ended)."""
    return (
        select(SchoolClass.level_code)
        .join(Enrolment, Enrolment.class_id == SchoolClass.id)
        .where(Enrolment.pupil_id == Pupil.id, Enrolment.left_on.is_(None))
        .order_by(Enrolment.school_year.desc())
        .limit(1)
        .scalar_subquery()
    )


def student_statement(caller: ApiCaller) -> Select[Any]:
    # Typed loosely: the statement's columns are too many for a precise Select type.
    statement: Any = (
        select(
            Pupil.id.label("_id"),
            _text(Pupil.id).label("sourcedId"),
            literal(ACTIVE).label("status"),
            Pupil.updated_at.label("dateLastModified"),
            literal("student").label("role"),
            Pupil.first_name.label("givenName"),
            Pupil.last_name.label("familyName"),
            Pupil.massar_code.label("identifier"),
            Pupil.massar_code.label("username"),
            null().cast(String).label("email"),
            true().label("enabledUser"),
            Pupil.school_id.label("_school_id"),
            _current_level().label("_level"),
            Pupil.birth_date.label("_birth_date"),
            Pupil.gender.label("_sex"),
            Pupil.birth_place.label("_birth_place"),
        )
        .join(School, School.id == Pupil.school_id)
        .where(in_scope(caller))
    )
    return statement  # type: ignore[no-any-return]


def teacher_statement(caller: ApiCaller) -> Select[Any]:
    # Typed loosely: the statement's columns are too many for a precise Select type.
    statement: Any = (
        select(
            User.id.label("_id"),
            _text(User.id).label("sourcedId"),
            literal(ACTIVE).label("status"),
            User.updated_at.label("dateLastModified"),
            literal("teacher").label("role"),
            User.first_name.label("givenName"),
            User.last_name.label("familyName"),
            null().cast(String).label("identifier"),
            User.username.label("username"),
            User.username.label("email"),
            User.is_active.label("enabledUser"),
            User.school_id.label("_school_id"),
            null().cast(String).label("_level"),
            null().cast(Pupil.birth_date.type).label("_birth_date"),
            null().cast(String).label("_sex"),
            null().cast(String).label("_birth_place"),
        )
        .join(School, School.id == User.school_id)
        .where(User.role == Role.TEACHER, in_scope(caller))
    )
    return statement  # type: ignore[no-any-return]


def user_statement(caller: ApiCaller) -> Select[Any]:
    return select(union_all(student_statement(caller), teacher_statement(caller)).subquery())


_SEX = {"M": "male", "F": "female"}


def shape_user(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    school = context.ref(f"{ROSTERING}/schools", row["_school_id"], "org")
    user: dict[str, Any] = {
        **base(row),
        "enabledUser": "true" if row["enabledUser"] else "false",
        "username": row["username"],
        "givenName": row["givenName"],
        "familyName": row["familyName"],
        "roles": [{"roleType": "primary", "role": row["role"], "org": school}],
        "identifier": row["identifier"],
        "email": row["email"],
        "grades": [row["_level"]] if row["_level"] else [],
        "userIds": [{"type": "massar", "identifier": row["identifier"]}]
        if row["identifier"]
        else [],
    }
    # Beyond the roster, a pupil's personal data only with its own scope.
    if row["role"] == "student" and ApiScope.ROSTER_DEMOGRAPHICS in context.caller.scopes:
        user["metadata"] = {
            "birthDate": day(row["_birth_date"]),
            "sex": _SEX.get(row["_sex"]),
            "birthPlace": row["_birth_place"],
        }
    return user


USER_FIELDS = frozenset(
    {
        "sourcedId",
        "status",
        "dateLastModified",
        "enabledUser",
        "username",
        "givenName",
        "familyName",
        "roles",
        "identifier",
        "email",
        "grades",
        "userIds",
        "metadata",
    }
)
_USER_FILTERS = {
    **BASE_FILTERS,
    "givenName": FieldType.TEXT,
    "familyName": FieldType.TEXT,
    "identifier": FieldType.TEXT,
    "username": FieldType.TEXT,
    "role": FieldType.TEXT,
}
USERS = Collection("users", "user", user_statement, _USER_FILTERS, shape_user, USER_FIELDS)
STUDENTS = Collection("users", "user", student_statement, _USER_FILTERS, shape_user, USER_FIELDS)
TEACHERS = Collection("users", "user", teacher_statement, _USER_FILTERS, shape_user, USER_FIELDS)


# ---- enrollments: a pupil or a teacher in a class × subject ----------------------------------

TEACHER_SUFFIX = "teacher"


# Each subject taught to the pupil's class: a OneRoster class of theirs.
_TAUGHT_TO_CLASS = and_(
    TeachingAssignment.class_id == Enrolment.class_id,
    TeachingAssignment.school_id == Enrolment.school_id,
)


def enrollment_statement(caller: ApiCaller) -> Select[Any]:
    """A pupil's enrolment in a class, once per subject taught to it; a teacher's assignment."""
    pupils = (
        select(
            (_text(Enrolment.id) + "." + _text(TeachingAssignment.id)).label("sourcedId"),
            Enrolment.id.label("_enrolment_id"),
            TeachingAssignment.id.label("_class_id"),
            literal(ACTIVE).label("status"),
            func.greatest(Enrolment.updated_at, TeachingAssignment.updated_at).label(
                "dateLastModified"
            ),
            literal("student").label("role"),
            false().label("primary"),
            Enrolment.pupil_id.label("_user_id"),
            Enrolment.school_id.label("_school_id"),
            Enrolment.enrolled_on.label("beginDate"),
            Enrolment.left_on.label("endDate"),
        )
        .join(TeachingAssignment, _TAUGHT_TO_CLASS)
        .join(School, School.id == Enrolment.school_id)
        .where(in_scope(caller))
    )
    teachers = (
        select(
            (_text(TeachingAssignment.id) + "." + TEACHER_SUFFIX).label("sourcedId"),
            null().cast(Enrolment.id.type).label("_enrolment_id"),
            TeachingAssignment.id.label("_class_id"),
            literal(ACTIVE).label("status"),
            TeachingAssignment.updated_at.label("dateLastModified"),
            literal("teacher").label("role"),
            true().label("primary"),
            TeachingAssignment.teacher_id.label("_user_id"),
            TeachingAssignment.school_id.label("_school_id"),
            null().cast(Enrolment.enrolled_on.type).label("beginDate"),
            null().cast(Enrolment.enrolled_on.type).label("endDate"),
        )
        .join(School, School.id == TeachingAssignment.school_id)
        .where(in_scope(caller))
    )
    return select(union_all(pupils, teachers, deleted_enrolments(caller)).subquery())


def deleted_enrolments(caller: ApiCaller) -> Select[Any]:
    """A deleted enrolment, once per subject taught to its class, as `tobedeleted`: its dates
    went with it (null). Tombstones from before the enrolment's id was recorded are left out:
    their sourcedId cannot be rebuilt."""
    deleted: Any = deleted_in_scope(Kind.ROSTER, caller)
    statement: Any = (
        deleted.with_only_columns(
            (_text(Tombstone.row_id) + "." + _text(TeachingAssignment.id)).label("sourcedId"),
            Tombstone.row_id.label("_enrolment_id"),
            TeachingAssignment.id.label("_class_id"),
            literal(TOBEDELETED).label("status"),
            Tombstone.deleted_at.label("dateLastModified"),
            literal("student").label("role"),
            false().label("primary"),
            Tombstone.entity_id.label("_user_id"),
            Tombstone.school_id.label("_school_id"),
            null().cast(Enrolment.enrolled_on.type).label("beginDate"),
            null().cast(Enrolment.enrolled_on.type).label("endDate"),
        )
        .join_from(
            Tombstone,
            TeachingAssignment,
            and_(
                TeachingAssignment.class_id == Tombstone.container_id,
                TeachingAssignment.school_id == Tombstone.school_id,
            ),
        )
        .where(Tombstone.row_id.is_not(None))
    )
    return statement  # type: ignore[no-any-return]


def _enrollment_lookup(q: Subquery, sourced_id: str) -> ColumnElement[bool] | None:
    """`<enrolment>.<class>` for a pupil, `<class>.teacher` for a teacher: both on indexes."""
    first, _, second = sourced_id.partition(".")
    try:
        class_id = uuid.UUID(first if second == TEACHER_SUFFIX else second)
        if second == TEACHER_SUFFIX:
            return and_(q.c._class_id == class_id, q.c._enrolment_id.is_(None))
        return and_(q.c._enrolment_id == uuid.UUID(first), q.c._class_id == class_id)
    except ValueError:
        return None


def shape_enrollment(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    user_path = "students" if row["role"] == "student" else "teachers"
    return {
        **base(row),
        "user": context.ref(f"{ROSTERING}/{user_path}", row["_user_id"], "user"),
        "class": context.ref(f"{ROSTERING}/classes", row["_class_id"], "class"),
        "school": context.ref(f"{ROSTERING}/schools", row["_school_id"], "org"),
        "role": row["role"],
        "primary": "true" if row["primary"] else "false",
        "beginDate": day(row["beginDate"]),
        "endDate": day(row["endDate"]),
    }


ENROLLMENTS = Collection(
    "enrollments",
    "enrollment",
    enrollment_statement,
    {
        **BASE_FILTERS,
        "role": FieldType.TEXT,
        "beginDate": FieldType.DATE,
        "endDate": FieldType.DATE,
    },
    shape_enrollment,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "user",
            "class",
            "school",
            "role",
            "primary",
            "beginDate",
            "endDate",
        }
    ),
    _enrollment_lookup,
    ("_class_id", "sourcedId"),
)


# ---- what nests under a school or a class ----------------------------------------------------


def of_school(school_id: uuid.UUID) -> Any:
    return lambda q: q.c._school_id == school_id


def of_class_pupils(class_id: uuid.UUID) -> Any:
    """The pupils enrolled in the class of this class × subject."""
    return lambda q: q.c._id.in_(
        select(Enrolment.pupil_id)
        .join(TeachingAssignment, _TAUGHT_TO_CLASS)
        .where(TeachingAssignment.id == class_id)
    )


def of_class_teacher(class_id: uuid.UUID) -> Any:
    return lambda q: q.c._id.in_(
        select(TeachingAssignment.teacher_id).where(TeachingAssignment.id == class_id)
    )


def of_class(class_id: uuid.UUID) -> Any:
    return lambda q: q.c._class_id == class_id
