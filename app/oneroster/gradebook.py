"""Massar's marks as the OneRoster gradebook (docs/oneroster.md): the kinds of test as
`categories`, a published test as a `lineItem` of its class × subject, and each mark of a
published test as a `result`. Nothing before its publication leaves Massar."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    String,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
    values,
)
from sqlalchemy.orm import aliased

from app.academics.models import Level, SchoolClass, TeachingAssignment
from app.assessment.models import ClassTest, Mark, TestKind, TestStatus
from app.integrations.callers import ApiCaller
from app.oneroster.collections import (
    ACTIVE,
    BASE_FILTERS,
    GRADEBOOK,
    ROSTERING,
    TOBEDELETED,
    Collection,
    Context,
    base,
    day,
    number,
)
from app.oneroster.query import FieldType
from app.oneroster.rostering import deleted_in_scope, in_scope
from app.organisation.models import School
from app.sync.models import Tombstone
from app.sync.tombstones import Kind

# The kinds of test are fixed by the code, not stored: their date is the day they were set.
CATEGORIES_SINCE = datetime(2026, 11, 29, tzinfo=UTC)
CATEGORY_TITLES = {
    TestKind.TEST_1: "Contrôle continu 1",
    TestKind.TEST_2: "Contrôle continu 2",
    TestKind.TEST_3: "Contrôle continu 3",
    TestKind.TEST_4: "Contrôle continu 4",
    TestKind.INTEGRATED_ACTIVITIES: "Activités intégrées",
}


def category_statement(_: ApiCaller) -> Select[Any]:
    kinds = values(column("sourcedId", String), column("title", String), name="categories").data(
        [(kind.value, title) for kind, title in CATEGORY_TITLES.items()]
    )
    return select(
        kinds.c.sourcedId,
        literal(ACTIVE).label("status"),
        literal(CATEGORIES_SINCE).label("dateLastModified"),
        kinds.c.title,
    )


def shape_category(row: Mapping[str, Any], _: Context) -> dict[str, Any]:
    return {**base(row), "title": row["title"]}


CATEGORIES = Collection(
    "categories",
    "category",
    category_statement,
    {**BASE_FILTERS, "title": FieldType.TEXT},
    shape_category,
    frozenset({"sourcedId", "status", "dateLastModified", "title"}),
    lambda q, sourced_id: q.c.sourcedId == sourced_id,
    ("sourcedId",),
)


# A test's class × subject: the OneRoster class its line item and results belong to.
_TAUGHT = and_(
    TeachingAssignment.school_id == ClassTest.school_id,
    TeachingAssignment.class_id == ClassTest.class_id,
    TeachingAssignment.subject_id == ClassTest.subject_id,
)


def line_item_statement(caller: ApiCaller) -> Select[Any]:
    # Typed loosely: the statement's columns are too many for a precise Select type.
    statement: Any = (
        select(
            ClassTest.id.label("_id"),
            cast(ClassTest.id, String).label("sourcedId"),
            literal(ACTIVE).label("status"),
            ClassTest.updated_at.label("dateLastModified"),
            ClassTest.title.label("title"),
            ClassTest.test_date.label("assignDate"),
            ClassTest.test_date.label("dueDate"),
            ClassTest.kind.label("_category"),
            TeachingAssignment.id.label("_class_id"),
            ClassTest.school_id.label("_school_id"),
            ClassTest.school_year.label("_year"),
            ClassTest.semester.label("_semester"),
            Level.max_mark.label("resultValueMax"),
        )
        .join(TeachingAssignment, _TAUGHT)
        .join(SchoolClass, SchoolClass.id == ClassTest.class_id)
        .join(Level, Level.code == SchoolClass.level_code)
        .join(School, School.id == ClassTest.school_id)
        .where(ClassTest.status == TestStatus.PUBLISHED, in_scope(caller))
    )
    return select(union_all(statement, deleted_tests(caller)).subquery())


def deleted_tests(caller: ApiCaller) -> Select[Any]:
    """A deleted test as `tobedeleted`, under its class × subject (the tombstone's class and
    subject). Its title, dates, kind, semester and scale went with it: null."""
    deleted: Any = deleted_in_scope(Kind.TEST, caller)
    statement: Any = deleted.with_only_columns(
        Tombstone.entity_id.label("_id"),
        cast(Tombstone.entity_id, String).label("sourcedId"),
        literal(TOBEDELETED).label("status"),
        Tombstone.deleted_at.label("dateLastModified"),
        null().cast(String).label("title"),
        null().cast(Date).label("assignDate"),
        null().cast(Date).label("dueDate"),
        null().cast(ClassTest.kind.type).label("_category"),
        TeachingAssignment.id.label("_class_id"),
        Tombstone.school_id.label("_school_id"),
        null().cast(ClassTest.school_year.type).label("_year"),
        null().cast(ClassTest.semester.type).label("_semester"),
        null().cast(Level.max_mark.type).label("resultValueMax"),
    ).outerjoin_from(
        Tombstone,
        TeachingAssignment,
        and_(
            TeachingAssignment.school_id == Tombstone.school_id,
            TeachingAssignment.class_id == Tombstone.container_id,
            TeachingAssignment.subject_id == Tombstone.subject_id,
        ),
    )
    return statement  # type: ignore[no-any-return]


def _ref(context: Context, path: str, sourced_id: Any, kind: str) -> dict[str, str] | None:
    """A GUIDRef, or null when a deleted object no longer knows it."""
    return None if sourced_id is None else context.ref(path, sourced_id, kind)


def shape_line_item(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    deleted = row["status"] == TOBEDELETED
    return {
        **base(row),
        "title": row["title"],
        "description": None,
        "assignDate": day(row["assignDate"]),
        "dueDate": day(row["dueDate"]),
        "class": _ref(context, f"{ROSTERING}/classes", row["_class_id"], "class"),
        "school": context.ref(f"{ROSTERING}/schools", row["_school_id"], "org"),
        "category": _ref(context, f"{GRADEBOOK}/categories", row["_category"], "category"),
        "gradingPeriod": None
        if deleted
        else context.ref(
            f"{ROSTERING}/academicSessions",
            f"{row['_year']}-S{row['_semester']}",
            "academicSession",
        ),
        "resultValueMin": None if deleted else 0.0,
        "resultValueMax": number(row["resultValueMax"]),
    }


LINE_ITEMS = Collection(
    "lineItems",
    "lineItem",
    line_item_statement,
    {
        **BASE_FILTERS,
        "title": FieldType.TEXT,
        "assignDate": FieldType.DATE,
        "dueDate": FieldType.DATE,
    },
    shape_line_item,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "description",
            "assignDate",
            "dueDate",
            "class",
            "school",
            "category",
            "gradingPeriod",
            "resultValueMin",
            "resultValueMax",
        }
    ),
)

# An absent pupil's mark, or none yet: nothing was handed in.
_SCORE_STATUS = case(
    (and_(Mark.absent.is_(False), Mark.mark.is_not(None)), literal("fully graded")),
    else_=literal("not submitted"),
)


def result_statement(caller: ApiCaller) -> Select[Any]:
    live = (
        select(
            Mark.id.label("_id"),
            cast(Mark.id, String).label("sourcedId"),
            literal(ACTIVE).label("status"),
            Mark.updated_at.label("dateLastModified"),
            Mark.mark.label("score"),
            _SCORE_STATUS.label("scoreStatus"),
            func.date(
                func.timezone(
                    "Africa/Casablanca",
                    # A test published before its publication was dated: its last change.
                    func.coalesce(ClassTest.published_at, ClassTest.updated_at),
                )
            ).label("scoreDate"),
            Mark.test_id.label("_line_item_id"),
            Mark.pupil_id.label("_student_id"),
            TeachingAssignment.id.label("_class_id"),
            Mark.school_id.label("_school_id"),
        )
        .join(ClassTest, ClassTest.id == Mark.test_id)
        .join(TeachingAssignment, _TAUGHT)
        .join(School, School.id == Mark.school_id)
        .where(ClassTest.status == TestStatus.PUBLISHED, in_scope(caller))
    )
    return select(union_all(live, deleted_marks(caller)).subquery())


def deleted_marks(caller: ApiCaller) -> Select[Any]:
    """A deleted mark as `tobedeleted`, with its test, pupil and class × subject. The class ×
    subject is its test's, read from the test when it is still there (a mark of a test not
    published is left out, as it never left Massar) or from the test's own tombstone when the
    test was deleted with its marks. Its score, status and date went with it: null."""
    test_deleted = aliased(Tombstone)
    of_test = and_(
        test_deleted.kind == Kind.TEST.value,
        test_deleted.entity_id == Tombstone.container_id,
        test_deleted.school_id == Tombstone.school_id,
    )
    deleted: Any = deleted_in_scope(Kind.MARK, caller)
    statement: Any = (
        deleted.with_only_columns(
            Tombstone.entity_id.label("_id"),
            cast(Tombstone.entity_id, String).label("sourcedId"),
            literal(TOBEDELETED).label("status"),
            Tombstone.deleted_at.label("dateLastModified"),
            null().cast(Mark.mark.type).label("score"),
            null().cast(String).label("scoreStatus"),
            null().cast(Date).label("scoreDate"),
            Tombstone.container_id.label("_line_item_id"),
            Tombstone.pupil_id.label("_student_id"),
            TeachingAssignment.id.label("_class_id"),
            Tombstone.school_id.label("_school_id"),
        )
        .outerjoin_from(Tombstone, ClassTest, ClassTest.id == Tombstone.container_id)
        .outerjoin(test_deleted, of_test)
        .outerjoin(
            TeachingAssignment,
            and_(
                TeachingAssignment.school_id == Tombstone.school_id,
                TeachingAssignment.class_id
                == func.coalesce(ClassTest.class_id, test_deleted.container_id),
                TeachingAssignment.subject_id
                == func.coalesce(ClassTest.subject_id, test_deleted.subject_id),
            ),
        )
        .where(or_(ClassTest.id.is_(None), ClassTest.status == TestStatus.PUBLISHED))
    )
    return statement  # type: ignore[no-any-return]


def shape_result(row: Mapping[str, Any], context: Context) -> dict[str, Any]:
    return {
        **base(row),
        "lineItem": context.ref(f"{GRADEBOOK}/lineItems", row["_line_item_id"], "lineItem"),
        "student": _ref(context, f"{ROSTERING}/students", row["_student_id"], "user"),
        "class": _ref(context, f"{ROSTERING}/classes", row["_class_id"], "class"),
        "scoreStatus": row["scoreStatus"],
        "score": number(row["score"]),
        "scoreDate": day(row["scoreDate"]),
    }


RESULTS = Collection(
    "results",
    "result",
    result_statement,
    {
        **BASE_FILTERS,
        "score": FieldType.NUMBER,
        "scoreStatus": FieldType.TEXT,
        "scoreDate": FieldType.DATE,
    },
    shape_result,
    frozenset(
        {
            "sourcedId",
            "status",
            "dateLastModified",
            "lineItem",
            "student",
            "class",
            "scoreStatus",
            "score",
            "scoreDate",
        }
    ),
)
