"""history partitioned by school year

The big tables of a year's work are partitioned by `school_year` (LIST: one partition holds
exactly one year, the unit that is opened, closed and archived), the audit log by month of
`occurred_at` (RANGE), with a default partition so that an audit row never blocks a write.

Each table is rebuilt from the catalog, not from a copied column list: a partitioned table
`LIKE` the old one (columns, defaults, NOT NULL and CHECK constraints, identity), its partitions,
the rows moved with one `INSERT ... SELECT`, the old table dropped, then its keys (with the
partition key added), indexes, foreign keys, triggers, grants and comment recreated as the
catalog had them. The exam tables gain `school_year` (their session's), and every foreign key
into a partitioned table carries `school_year`, so that a year can be detached whole.

Row triggers on a partitioned table fire on the partition, whose name is not the table's:
the trigger functions that read `TG_TABLE_NAME` read `trigger_table_name(TG_RELID)` instead.

Revision ID: 6a1b2c3d4e04
Revises: 6a1b2c3d4e03
Create Date: 2026-12-06 17:30:00+00:00
"""

# Table and column names come from the constants above and from the catalog: S608 does not apply.
# ruff: noqa: S608

import hashlib
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6a1b2c3d4e04"
down_revision: str | None = "6a1b2c3d4e03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BY_YEAR = (
    "lessons",
    "attendance_sheets",
    "attendance_marks",
    "marks",
    "exam_results",
    "exam_subject_results",
)
AUDIT = "audit_log"
KEY = "school_year"
# The exam tables gain the year, from the row they belong to.
EXAM_YEAR = (
    (
        "exam_results",
        "UPDATE exam_results r SET school_year = s.school_year "
        "FROM exam_sessions s WHERE s.id = r.session_id",
    ),
    (
        "exam_subject_results",
        "UPDATE exam_subject_results l SET school_year = r.school_year "
        "FROM exam_results r WHERE r.id = l.result_id",
    ),
)
# Audit months are created up to this many months past the last planned year's start.
AUDIT_MONTHS_AHEAD = 24
MAX_NAME = 63


def _run(sql: str) -> None:
    """One statement as is: catalog text (comments, function bodies) may hold colons."""
    op.get_bind().exec_driver_sql(sql)


def _rows(sql: str, **params: object) -> list[sa.Row[tuple[object, ...]]]:
    return list(op.get_bind().execute(sa.text(sql), params))


def _constraint_name(table: str, kind: str, columns: list[str]) -> str:
    """The name SQLAlchemy's naming convention gives (`uq_table_a_b`), shortened as it does."""
    name = f"{kind}_{table}_{'_'.join(columns)}"
    if len(name) > MAX_NAME:
        name = (
            name[: MAX_NAME - 8]
            + "_"
            + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[-4:]
        )
    return name


# ---- what the catalog says about a table ------------------------------------------------------


def _columns(conname: str, table: str) -> list[str]:
    return [
        r[0]
        for r in _rows(
            "SELECT a.attname FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(n, i) "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n "
            "WHERE c.conname = :name AND c.conrelid = to_regclass(:table) ORDER BY k.i",
            name=conname,
            table=table,
        )
    ]


def _keys(table: str) -> list[tuple[str, str, list[str]]]:
    """Primary key and unique constraints: (name, 'p' or 'u', columns)."""
    found = _rows(
        "SELECT conname, contype::text FROM pg_constraint WHERE conrelid = to_regclass(:t) "
        "AND contype IN ('p', 'u') ORDER BY contype, conname",
        t=table,
    )
    return [(str(name), str(kind), _columns(str(name), table)) for name, kind in found]


def _plain_indexes(table: str) -> list[str]:
    """Indexes that back no constraint, as `CREATE INDEX` statements."""
    return [
        str(r[0])
        for r in _rows(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(:t) AND NOT EXISTS "
            "(SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
            t=table,
        )
    ]


def _foreign_keys(where: str, **params: object) -> list[tuple[str, str, str]]:
    """Foreign keys as (table, name, definition)."""
    return [
        (str(t), str(n), str(d))
        for t, n, d in _rows(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            f"FROM pg_constraint WHERE contype = 'f' AND conparentid = 0 AND {where} ORDER BY 1, 2",
            **params,
        )
    ]


def _triggers(table: str) -> list[str]:
    return [
        str(r[0])
        for r in _rows(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal ORDER BY tgname",
            t=table,
        )
    ]


def _grants(table: str) -> list[str]:
    return [
        f'GRANT {privilege} ON {table} TO "{grantee}"'
        for grantee, privilege in _rows(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_schema = 'public' AND table_name = :t "
            "AND grantee <> (SELECT tableowner FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename = :t)",
            t=table,
        )
    ]


def _comment(table: str) -> list[str]:
    found = _rows("SELECT obj_description(to_regclass(:t), 'pg_class')", t=table)
    text = found[0][0] if found else None
    if text is None:
        return []
    quoted = str(text).replace("'", "''")
    return [f"COMMENT ON TABLE {table} IS '{quoted}'"]


def _serial(table: str, column: str) -> str:
    return str(_rows("SELECT pg_get_serial_sequence(:t, :c)", t=table, c=column)[0][0])


def _has_column(table: str, column: str) -> bool:
    return bool(
        _rows(
            "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(:t) AND attname = :c "
            "AND NOT attisdropped",
            t=table,
            c=column,
        )
    )


# ---- rebuilding a table ------------------------------------------------------------------------


def _rebuild(
    table: str,
    partition_by: str | None,
    partitions: list[str],
    key: Callable[[list[str]], list[str]],
) -> None:
    """Rebuild `table` (partitioned by `partition_by`, or plain when None) with every row,
    column, key, index, foreign key, trigger, grant and comment it has; `key` turns each primary
    key or unique column list into the new one."""
    _refuse_what_is_not_carried(table)
    keys = _keys(table)
    indexes = _plain_indexes(table)
    outgoing = _foreign_keys("conrelid = to_regclass(:t)", t=table)
    after = [*_triggers(table), *_grants(table), *_comment(table)]
    new = f"{table}__rebuilt"
    spec = f" PARTITION BY {partition_by}" if partition_by else ""
    _run(
        f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS){spec}"
    )
    for partition in partitions:
        _run(partition.format(table=new))
    # Loaded before any index, key or trigger exists: no audit row, no freeze, one sort per index.
    _run(f"INSERT INTO {new} OVERRIDING SYSTEM VALUE SELECT * FROM {table}")
    identity = _rows(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) AND attidentity <> ''",
        t=table,
    )
    _run(f"DROP TABLE {table}")
    _run(f"ALTER TABLE {new} RENAME TO {table}")
    for partition_name in _rows(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(:t)",
        t=table,
    ):
        renamed = str(partition_name[0]).replace(f"{new}_", f"{table}_", 1)
        _run(f"ALTER TABLE {partition_name[0]} RENAME TO {renamed}")
    for (column,) in identity:
        # LIKE named the identity's sequence after the new table: back to the usual name.
        _run(f"ALTER SEQUENCE {_serial(table, column)} RENAME TO {table}_{column}_seq")
        _run(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce(max({column}), 0) + 1, false) FROM {table}"
        )
    for name, kind, columns in keys:
        wanted = key(columns)
        renamed = (
            name if kind == "p" or wanted == columns else _constraint_name(table, "uq", wanted)
        )
        constraint = "PRIMARY KEY" if kind == "p" else "UNIQUE"
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {renamed} {constraint} ({', '.join(wanted)})")
    for statement in [
        *indexes,
        *(f"ALTER TABLE {t} ADD CONSTRAINT {n} {d}" for t, n, d in outgoing),
    ]:
        _run(statement)
    for statement in after:
        _run(statement)
    _run(f"ANALYZE {table}")


def _refuse_what_is_not_carried(table: str) -> None:
    """Exclusion constraints, storage parameters and row security are not rebuilt (these tables
    have none): fail loudly rather than drop them."""
    found = _rows(
        "SELECT (SELECT count(*) FROM pg_constraint WHERE conrelid = c.oid AND contype = 'x')"
        " + coalesce(array_length(c.reloptions, 1), 0) + c.relrowsecurity::int"
        " + (SELECT count(*) FROM pg_policy WHERE polrelid = c.oid)"
        " FROM pg_class c WHERE c.oid = to_regclass(:t)",
        t=table,
    )
    if found[0][0]:
        raise RuntimeError(f"{table} has what this rebuild does not carry: extend it first")


def _with_key(columns: list[str]) -> list[str]:
    return columns if KEY in columns else [*columns, KEY]


def _without_key(columns: list[str]) -> list[str]:
    return [c for c in columns if c != KEY]


def _inbound(tables: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return _foreign_keys(
        "confrelid = ANY(ARRAY(SELECT to_regclass(t) FROM unnest(CAST(:ts AS text[])) t))",
        ts=list(tables),
    )


def _drop_foreign_keys(keys: list[tuple[str, str, str]]) -> None:
    for table, name, _ in keys:
        _run(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def _fk_parts(definition: str) -> tuple[list[str], str, list[str], str]:
    """`FOREIGN KEY (a, b) REFERENCES t(c, d) ON DELETE CASCADE` -> its parts."""
    head, _, rest = definition.partition(" REFERENCES ")
    columns = [c.strip() for c in head[head.index("(") + 1 : head.rindex(")")].split(",")]
    target, _, tail = rest.partition("(")
    refs, _, actions = tail.partition(")")
    return columns, target.strip(), [c.strip() for c in refs.split(",")], actions


def _fk_with_key(definition: str) -> str:
    columns, target, refs, actions = _fk_parts(definition)
    return (
        f"FOREIGN KEY ({', '.join(_with_key(columns))}) "
        f"REFERENCES {target}({', '.join(_with_key(refs))}){actions}"
    )


def _fk_without_key(definition: str) -> str:
    columns, target, refs, actions = _fk_parts(definition)
    return (
        f"FOREIGN KEY ({', '.join(_without_key(columns))}) "
        f"REFERENCES {target}({', '.join(_without_key(refs))}){actions}"
    )


def _give_year(table: str, definition: str) -> None:
    """A row pointing into a partitioned table takes the year of the row it points to."""
    if _has_column(table, KEY):
        return
    columns, target, refs, _ = _fk_parts(definition)
    _run(f"ALTER TABLE {table} ADD COLUMN {KEY} smallint")
    joined = " AND ".join(f"p.{r} = c.{c}" for c, r in zip(columns, refs, strict=True))
    _without_triggers(table, f"UPDATE {table} c SET {KEY} = p.{KEY} FROM {target} p WHERE {joined}")
    _run(f"ALTER TABLE {table} ALTER COLUMN {KEY} SET NOT NULL")


def _without_triggers(table: str, fill: str) -> None:
    """Fill a new column with the table's own triggers off: the audit would log every row as
    changed and the snapshot trigger would drop published results, for a change of layout."""
    _run(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    _run(fill)
    _run(f"ALTER TABLE {table} ENABLE TRIGGER USER")


# ---- partitions --------------------------------------------------------------------------------


def _years() -> list[int]:
    """Every planned year, every year found in the rows, the previous, current and next years
    by the calendar (the demo opens its years after the migration), and the year after the
    last one."""
    found = {
        int(r[0])
        for r in _rows(
            "SELECT year FROM school_years "
            + "".join(f"UNION SELECT DISTINCT {KEY} FROM {t} " for t in BY_YEAR)
        )
        if r[0] is not None
    }
    this = _this_year()
    found |= {this - 1, this, this + 1}
    found.add(max(found) + 1)
    return sorted(found)


def _this_year() -> int:
    return int(_rows("SELECT extract(year FROM now() - interval '8 months')::int")[0][0])


def _year_partitions() -> list[str]:
    return [
        f"CREATE TABLE {{table}}_y{y} PARTITION OF {{table}} FOR VALUES IN ({y})" for y in _years()
    ]


def _audit_partitions() -> list[str]:
    """From the first audited month to two years past the last planned year's start, and a
    default partition for anything outside (a clock far off must not block a write)."""
    first, last = _rows(
        "SELECT date_trunc('month', coalesce(min(occurred_at), now()) AT TIME ZONE 'UTC'), "
        "make_date((SELECT coalesce(max(year), extract(year FROM now())::int) FROM school_years)"
        ", 9, 1) FROM audit_log"
    )[0]
    months = _rows(
        "SELECT to_char(m, 'YYYY_MM'), m, m + interval '1 month' FROM generate_series("
        "CAST(:first AS timestamp), CAST(:last AS timestamp) + make_interval(months => :ahead), "
        "interval '1 month') m",
        first=first,
        last=last,
        ahead=AUDIT_MONTHS_AHEAD,
    )
    return [
        f"CREATE TABLE {{table}}_{name} PARTITION OF {{table}} "
        f"FOR VALUES FROM ('{start:%Y-%m-%d} 00:00+00') TO ('{end:%Y-%m-%d} 00:00+00')"
        for name, start, end in months
    ] + ["CREATE TABLE {table}_default PARTITION OF {table} DEFAULT"]


# ---- trigger functions -------------------------------------------------------------------------

TABLE_NAME_FUNCTION = """
CREATE FUNCTION trigger_table_name(relid oid) RETURNS name
LANGUAGE sql STABLE AS $$
    -- A row trigger of a partitioned table fires on a partition: the name is the root's.
    SELECT relname FROM pg_class WHERE oid = coalesce(pg_partition_root(relid), relid)
$$
"""


def _rewrite_functions(old: str, new: str) -> None:
    """Replace `old` by `new` in the body of every function of the converted tables' triggers."""
    for (definition,) in _rows(
        "SELECT DISTINCT pg_get_functiondef(t.tgfoid) FROM pg_trigger t "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE NOT t.tgisinternal AND p.prosrc LIKE '%' || :old || '%' "
        "AND t.tgrelid = ANY(ARRAY(SELECT to_regclass(x) FROM unnest(CAST(:ts AS text[])) x))",
        old=old,
        ts=[*BY_YEAR, AUDIT],
    ):
        _run(str(definition).replace(old, new))


# ---- the migration -----------------------------------------------------------------------------


def upgrade() -> None:
    _run(TABLE_NAME_FUNCTION)
    _rewrite_functions("TG_TABLE_NAME", "trigger_table_name(TG_RELID)")
    for table, fill in EXAM_YEAR:
        op.add_column(table, sa.Column(KEY, sa.SmallInteger(), nullable=True))
        _without_triggers(table, fill)
        op.alter_column(table, KEY, nullable=False)
    inbound = _inbound(BY_YEAR)
    for table, _, definition in inbound:
        _give_year(table, definition)
    _drop_foreign_keys(inbound)
    for table in BY_YEAR:
        _rebuild(table, f"LIST ({KEY})", _year_partitions(), _with_key)
    _rebuild(AUDIT, "RANGE (occurred_at)", _audit_partitions(), lambda columns: columns)
    for table, name, definition in inbound:
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {_fk_with_key(definition)}")


def downgrade() -> None:
    archived = _rows(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'archive' AND tablename LIKE ANY("
        "ARRAY(SELECT t || '_y%' FROM unnest(CAST(:ts AS text[])) t))",
        ts=list(BY_YEAR),
    )[0][0]
    if archived:
        raise RuntimeError(
            "archived school years are detached in the schema `archive`: "
            "attach them back before going below this revision"
        )
    inbound = _inbound(BY_YEAR)
    _drop_foreign_keys(inbound)
    _rebuild(AUDIT, None, [], lambda columns: columns)
    for table in reversed(BY_YEAR):
        _rebuild(table, None, [], _without_key)
    for table, name, definition in inbound:
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {_fk_without_key(definition)}")
    for table, _, _ in inbound:
        if table not in BY_YEAR:
            op.drop_column(table, KEY)
    for table, _ in reversed(EXAM_YEAR):
        op.drop_column(table, KEY)
    _rewrite_functions("trigger_table_name(TG_RELID)", "TG_TABLE_NAME")
    _run("DROP FUNCTION trigger_table_name(oid)")
