"""Rules the schema keeps as it grows: every foreign key is indexed, every table is classified
for sharding by school and every tenant table carries `school_id` in its keys and references,
and relationships never load lazily."""

from __future__ import annotations

from sqlalchemy import Table, UniqueConstraint
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
    ("province_subject_averages", ("subject_id",)),
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
# Every table, classified for sharding by school (a distributed PostgreSQL such as Citus; see
# docs/architecture.md, "Sharding by school"). Tenant: a school's own rows, distributed by
# `school_id`. Reference: small, shared and rarely written, copied to every node. Special: the
# reason says why neither, and what it becomes.
REFERENCE_TABLES = {
    # The tree of units and the calendar.
    "academies",
    "provinces",
    "schools",
    "school_years",
    "semesters",
    "school_holidays",
    "exam_periods",
    "orientation_windows",
    # The national curriculum.
    "levels",
    "streams",
    "subjects",
    "subject_coefficients",
    "curriculum_units",
    "subject_components",
    # National catalogues.
    "equipment_categories",
    "equipment_items",
    "sport_disciplines",
}
_ACCOUNT = (
    "keyed by account, not by school: parents and the staff above schools have none; "
    "distributed by user id, with the other account tables"
)
_UNIT = (
    "owned by a unit of any level (a school, a directorate, an academy, the ministry): "
    "school_id is null above the school; small, so a reference table"
)
SPECIAL_TABLES = {
    "users": _ACCOUNT,
    "auth_sessions": _ACCOUNT,
    "refresh_tokens": _ACCOUNT,
    "mfa_credentials": _ACCOUNT,
    "mfa_recovery_codes": _ACCOUNT,
    "mfa_challenges": _ACCOUNT,
    "devices": _ACCOUNT,
    "notifications": _ACCOUNT,
    "notification_preferences": _ACCOUNT,
    "push_messages": _ACCOUNT,
    "sync_operations": _ACCOUNT,
    # Throttling of a parent's attempts to link a child is per account.
    "link_attempts": _ACCOUNT,
    "text_messages": "sent to an address before any account exists: keyed by message",
    "preregistration_signups": "a parent's sign-up, before any account or school: keyed by sign-up",
    "guardian_links": "links a parent (who has no school) to a pupil, who may change schools: "
    "distributed by parent, with the accounts",
    "pupils": "the pupil's school changes with a transfer, and a distribution key cannot "
    "change: rows of past years stay with the school that made them and point at the pupil "
    "by id; the register is distributed by pupil id",
    "audit_log": "written by the triggers of every table, accounts' too (school_id null "
    "there); partitioned by month, distributed by school_id with the nulls on one shard",
    "exam_sessions": _UNIT,
    "exam_session_subjects": _UNIT,
    "exam_session_streams": _UNIT,
    "api_clients": _UNIT,
    "diagnostic_tests": _UNIT,
    "diagnostic_competencies": _UNIT,
    "partners": _UNIT,
    "partnership_agreements": _UNIT,
    "partnership_contributions": _UNIT,
    "partnership_documents": _UNIT,
    "sport_competitions": _UNIT,
    "sport_fixtures": _UNIT,
    "training_programmes": _UNIT,
    "training_sessions": _UNIT,
    "webhook_endpoints": "an API client's, and clients belong to a directorate, an academy or "
    "the ministry: keyed by client, with the client accounts",
    "webhook_deliveries": "an API client's outbox, with its endpoints; an event's payload names "
    "its school",
    "province_subject_averages": "a directorate's sums of its schools' summaries: a figure "
    "above the school, small, kept on the coordinator with the steering reads",
}
TENANT_TABLES = {
    "candidate_record_corrections",
    "independent_candidates",
    "account_codes",
    "announcements",
    "attendance_marks",
    "attendance_sheets",
    "class_councils",
    "class_tests",
    "classes",
    "council_decisions",
    "council_summaries",
    "diagnostic_results",
    "enrolments",
    "equipment_inventory",
    "equipment_movements",
    "equipment_request_lines",
    "equipment_requests",
    "exam_appeals",
    "exam_results",
    "exam_school_summaries",
    "exam_subject_results",
    "incident_pupils",
    "incidents",
    "client_document_checks",
    "issued_documents",
    "justifications",
    "justified_absences",
    "lessons",
    "link_codes",
    "mark_corrections",
    "marks",
    "message_threads",
    "messages",
    "orientation_wishes",
    "orientations",
    "partnership_agreement_schools",
    "preregistration_openings",
    "preregistrations",
    "published_exam_results",
    "published_marks",
    "pupil_contacts",
    "remedial_attendance",
    "remedial_group_members",
    "remedial_groups",
    "remedial_sessions",
    "reorientations",
    "rollover_pupils",
    "rollovers",
    "sanctions",
    "school_attendance_days",
    "school_draft_tests",
    "school_project_actions",
    "school_project_axes",
    "school_project_indicators",
    "school_project_objectives",
    "school_project_reviews",
    "school_projects",
    "school_sites",
    "school_subject_averages",
    "school_summaries",
    "site_events",
    "site_images",
    "site_news",
    "sport_association_disciplines",
    "sport_associations",
    "sport_entries",
    "sport_licence_disciplines",
    "sport_licences",
    "sport_team_members",
    "sport_teams",
    "summary_queue",
    "teacher_profiles",
    "teaching_assignments",
    "timetable_slots",
    "tombstones",
    "training_attendance",
    "training_registrations",
    "transfers",
}
NOT_TENANT_TABLES = REFERENCE_TABLES | set(SPECIAL_TABLES)

# Tenant tables whose primary key includes school_id. The others are keyed by their uuid `id`
# alone (but for the few in KEYS_WITHOUT_SCHOOL): a uuid4 is unique across schools, so no row
# can collide on another shard, but Citus wants the distribution column in every key, which
# the move to it adds in one mechanical step per table (`(school_id, id)`; the foreign keys
# that point at `id` become `(…_id, school_id)`, as most already are). Listed so that the
# tables keyed by school only grow, and a new tenant table is keyed by school from the start.
KEYED_BY_SCHOOL = {
    "council_summaries",
    "partnership_agreement_schools",
    "preregistration_openings",
    "exam_school_summaries",
    "published_exam_results",
    "published_marks",
    "school_attendance_days",
    "school_draft_tests",
    "school_subject_averages",
    "school_summaries",
    "sport_association_disciplines",
    "sport_licence_disciplines",
    "sport_team_members",
    "summary_queue",
}
_PER_PUPIL = "one per pupil nationally, whichever school the pupil is in"
# A document's identity: whose (a pupil or an independent candidate), what and when.
_DOCUMENT = (
    "pupil_id",
    "independent_candidate_id",
    "kind",
    "school_year",
    "period",
    "exam_session_id",
)
_PARTITIONED = (
    "partitioned by school year, so the uuid key carries the year; the move to Citus adds "
    "school_id to it as to the other uuid keys"
)
_BY_CODE = "looked up by the code alone, by someone who does not know the school"
# Tenant keys (primary or unique) without school_id, and why: each is a national rule, which a
# distributed database checks on the pupil's or the code's own key, not on a school's shard.
KEYS_WITHOUT_SCHOOL = {
    ("teacher_profiles", ("user_id",)): "a teacher's profile is the account's: one per account",
    ("teacher_profiles", ("ppr",)): "the PPR is the ministry's staff number, unique nationally",
    ("incident_pupils", ("incident_id", "pupil_id")): "the incident is the school's own",
    ("pupil_contacts", ("pupil_id",)): _PER_PUPIL,
    ("justified_absences", ("justification_id", "attendance_mark_id")): (
        "both are the school's own rows"
    ),
    ("account_codes", ("code_hash",)): _BY_CODE,
    ("link_codes", ("code_hash",)): _BY_CODE,
    ("issued_documents", ("code",)): "a document's check code, read from its QR code: " + _BY_CODE,
    ("justifications", ("document_key",)): "the stored file's key, unique in the store",
    ("enrolments", ("pupil_id", "school_year")): _PER_PUPIL + " (one enrolment a year)",
    ("issued_documents", _DOCUMENT): _PER_PUPIL + " (or per independent candidate)",
    ("issued_documents", (*_DOCUMENT, "version")): _PER_PUPIL + " (or per independent candidate)",
    ("preregistrations", ("pupil_id",)): _PER_PUPIL,
    ("preregistrations", ("parent_id", "school_year", "birth_date", "first_name")): (
        "one sign-up of a child per parent and year, whatever the school asked"
    ),
    ("reorientations", ("pupil_id",)): _PER_PUPIL,
    ("transfers", ("pupil_id",)): _PER_PUPIL + " (one transfer under way)",
    ("exam_results", ("session_id", "candidate_number", "school_year")): (
        "candidate numbers are the exam session's, across its schools"
    ),
    ("independent_candidates", ("candidate_number",)): "an independent candidate reads their "
    "results with the number alone: " + _BY_CODE,
    ("independent_candidates", ("school_year", "national_id")): (
        "one registration a year per identity card, whatever the exam centre"
    ),
    **{
        (table, ("id", "school_year")): _PARTITIONED
        for table in (
            "attendance_marks",
            "attendance_sheets",
            "exam_results",
            "exam_subject_results",
            "lessons",
            "marks",
        )
    },
    ("exam_appeals", ("result_id", "subject_id")): "the result is the school's own row",
    ("sanctions", ("incident_id", "pupil_id", "kind")): "the incident is the school's own",
}
# Foreign keys between tenant tables that do not carry school_id yet, and why.
REFERENCES_WITHOUT_SCHOOL = {
    ("mark_corrections", ("mark_id", "school_year")): "to carry the school with the partition key "
    "of marks",
    ("rollover_pupils", ("class_id",)): "a pupil leaving a primary school is placed in a class "
    "of the middle school: the reference crosses schools, and shards",
    ("sanctions", ("incident_id", "pupil_id")): "to follow incident_pupils' key",
    ("school_project_axes", ("project_id",)): "the project's parts share one mixin's key",
    ("school_project_reviews", ("project_id",)): "the project's parts share one mixin's key",
    ("school_project_objectives", ("project_id",)): "the project's parts share one mixin's key",
    ("school_project_objectives", ("axis_id",)): "the project's parts share one mixin's key",
    ("school_project_actions", ("project_id",)): "the project's parts share one mixin's key",
    ("school_project_actions", ("objective_id",)): "the project's parts share one mixin's key",
    ("school_project_indicators", ("project_id",)): "the project's parts share one mixin's key",
    ("school_project_indicators", ("objective_id",)): "the project's parts share one mixin's key",
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


def _tenant_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name in TENANT_TABLES]


def _columns(columns: object) -> tuple[str, ...]:
    return tuple(c.name for c in columns)  # type: ignore[attr-defined]


def test_every_table_is_classified_once() -> None:
    kinds = [TENANT_TABLES, REFERENCE_TABLES, set(SPECIAL_TABLES)]
    names = {t.name for t in Base.metadata.sorted_tables}
    assert set().union(*kinds) == names
    assert sum(len(kind) for kind in kinds) == len(names)


def test_tenant_tables_carry_school_id() -> None:
    for table in _tenant_tables():
        assert "school_id" in table.c, table.name
        assert not table.c.school_id.nullable, table.name


def _keys_without_school() -> tuple[set[str], set[tuple[str, tuple[str, ...]]]]:
    """Tenant tables keyed by school, and the keys (primary or unique) without school other
    than a table's uuid `id` alone."""
    by_school, others = set(), set()
    for table in _tenant_tables():
        primary = _columns(table.primary_key.columns)
        if "school_id" in primary:
            by_school.add(table.name)
        elif primary != ("id",):
            others.add((table.name, primary))
        uniques = [c for c in table.constraints if isinstance(c, UniqueConstraint)]
        for unique in [*uniques, *(i for i in table.indexes if i.unique)]:
            if "school_id" not in _columns(unique.columns):
                others.add((table.name, _columns(unique.columns)))
    return by_school, others


def test_tenant_keys_include_school_id() -> None:
    by_school, others = _keys_without_school()
    assert by_school == KEYED_BY_SCHOOL
    assert others == set(KEYS_WITHOUT_SCHOOL)


def test_references_between_tenant_tables_carry_school_id() -> None:
    missing = set()
    for table in _tenant_tables():
        for fk in table.foreign_key_constraints:
            columns = _columns(fk.columns)
            if fk.referred_table.name in TENANT_TABLES and "school_id" not in columns:
                missing.add((table.name, columns))
    assert missing == set(REFERENCES_WITHOUT_SCHOOL)


def test_relationships_never_load_lazily() -> None:
    for mapper in Base.registry.mappers:
        for prop in mapper.iterate_properties:
            if isinstance(prop, RelationshipProperty):
                assert prop.lazy == "raise", f"{mapper.class_.__name__}.{prop.key}"
