"""Rules the schema keeps as it grows: every foreign key is indexed, every tenant table
carries `school_id`, and relationships never load lazily."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import RelationshipProperty

from app.core.db.base import Base

# Foreign keys to a small, never-deleted reference table (a few dozen school years) or to
# accounts (never deleted, only disabled): an index would cost writes on the biggest tables
# and serve no query.
UNINDEXED_BY_DESIGN = {
    ("attendance_sheets", ("school_year",)),
    ("class_tests", ("school_year",)),
    ("classes", ("school_year",)),
    ("enrolments", ("school_year",)),
    ("lessons", ("school_year",)),
    ("teaching_assignments", ("school_year",)),
    ("timetable_slots", ("school_year",)),
    ("exam_sessions", ("school_year",)),
    ("marks", ("updated_by",)),
    ("class_councils", ("school_year",)),
    ("council_decisions", ("school_year",)),
    ("council_summaries", ("school_year",)),
    ("orientation_wishes", ("school_year",)),
    ("orientations", ("school_year",)),
    ("reorientations", ("school_year",)),
    ("rollover_pupils", ("school_year",)),
    ("rollover_pupils", ("level_code",)),
    ("rollovers", ("from_year",)),
    ("rollovers", ("to_year",)),
}
# Shared reference data and accounts: not owned by one school.
NOT_TENANT_TABLES = {
    "academies",
    "provinces",
    "schools",
    "users",
    "auth_sessions",
    "refresh_tokens",
    "guardian_links",
    "school_years",
    # The ministry's orientation windows of each year.
    "orientation_windows",
    "semesters",
    # The ministry's and the academies' holidays and exam periods: above every school.
    "school_holidays",
    "exam_periods",
    "levels",
    "streams",
    "subjects",
    "subject_coefficients",
    "curriculum_units",
    "subject_components",
    "sync_operations",
    # A person's devices, inbox and push outbox: keyed by account, and parents have no school.
    "devices",
    "notifications",
    "notification_preferences",
    "push_messages",
    # Texts by SMS or email to an address, and a parent's sign-up: before any account exists,
    # and parents have no school.
    "text_messages",
    "preregistration_signups",
    # A parent's failed attempts to link a child: throttling is per account.
    "link_attempts",
    # A staff account's second factor: keyed by account, and most staff have no school.
    "mfa_credentials",
    "mfa_recovery_codes",
    "mfa_challenges",
    # A training session belongs to a programme of a directorate, an academy or the ministry;
    # its registrations carry the school of each staff member.
    "training_sessions",
    # Lines and signed documents of a partnership agreement, which is owned by a unit (a
    # directorate's has no school): they are reached only through their agreement's scope.
    "partnership_contributions",
    "partnership_documents",
    # The competencies of a diagnostic test: part of a definition a unit owns, used by every
    # school of that level and subject.
    "diagnostic_competencies",
    # The national catalogue of didactic equipment: shared by every school.
    "equipment_categories",
    "equipment_items",
    # School sport: the disciplines are a reference list; a fixture sets two schools' teams
    # against each other and belongs to its competition, which carries the organiser's place.
    "sport_disciplines",
    "sport_fixtures",
    # The subjects of an exam session, part of the session its organiser owns (a school, a
    # directorate, an academy or the ministry); the candidates' rows carry their school.
    "exam_session_subjects",
    # An API client's webhook endpoints and their outbox: keyed by the client, which belongs to
    # a directorate, an academy or the ministry; an event's payload names its school.
    "webhook_endpoints",
    "webhook_deliveries",
}


def _indexed_prefixes(table: Table) -> set[tuple[str, ...]]:
    """Every leading run of columns some index (or key) can search by."""
    column_lists = [tuple(c.name for c in index.columns) for index in table.indexes]
    column_lists += [
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        if hasattr(constraint, "columns")
        and constraint.__class__.__name__ in ("PrimaryKeyConstraint", "UniqueConstraint")
    ]
    return {cols[:n] for cols in column_lists for n in range(1, len(cols) + 1)}


def _unindexed_foreign_keys() -> set[tuple[str, tuple[str, ...]]]:
    unindexed = set()
    for table in Base.metadata.sorted_tables:
        prefixes = _indexed_prefixes(table)
        for fk in table.foreign_key_constraints:
            columns = tuple(c.name for c in fk.columns)
            # A composite key such as (class_id, school_id) is served by an index on class_id.
            if columns not in prefixes and columns[:1] not in prefixes:
                unindexed.add((table.name, columns))
    return unindexed


def test_every_foreign_key_is_indexed() -> None:
    assert _unindexed_foreign_keys() - UNINDEXED_BY_DESIGN == set()


def test_the_exceptions_are_still_needed() -> None:
    assert UNINDEXED_BY_DESIGN - _unindexed_foreign_keys() == set()


def test_tenant_tables_carry_school_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name not in NOT_TENANT_TABLES:
            assert "school_id" in table.c, table.name


def test_relationships_never_load_lazily() -> None:
    for mapper in Base.registry.mappers:
        for prop in mapper.iterate_properties:
            if isinstance(prop, RelationshipProperty):
                assert prop.lazy == "raise", f"{mapper.class_.__name__}.{prop.key}"
