"""The `massar` command: serve, worker, purge, migrate, seed-demo, seed-synthetic,
refresh-summaries, render-snapshots, create-user, disable-user, export-openapi,
create-partitions, archive-year."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import logging.config
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import asyncpg
import typer
import uvicorn
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import retention
from app import worker as worker_loops
from app.academics.calendar import school_today
from app.accounts import logins as auth
from app.accounts.users import NewAccount, create_account
from app.assessment import snapshots as marks_snapshots
from app.core import metrics
from app.core.db import partitions
from app.core.db.runtime import Database, connect, database, grant_serving_role
from app.core.db.session import create_engine, create_session_factory
from app.core.roles import Role, StaffTitle
from app.demo import world as demo
from app.demo.synthetic.load import DatabaseNotEmpty, Size, seed_synthetic
from app.errors import ProblemError
from app.exams import snapshots as exam_snapshots
from app.main import create_app
from app.organisation.models import School
from app.settings import Settings, get_settings
from app.steering import summaries

log = logging.getLogger("massar")
cli = typer.Typer(help="Massar API: run and administer the service.", no_args_is_help=True)
T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
WORKER_START_SECONDS = 120


def _migrations_root() -> Path:
    """The checkout in development; the working directory in an installed image."""
    return ROOT if (ROOT / "alembic.ini").exists() else Path.cwd()


TEXT_LOG_FORMAT = "%(levelname)s [%(request_id)s] %(name)s: %(message)s"


def main() -> None:
    logging.config.dictConfig(logging_config(get_settings()))
    cli()


def logging_config(settings: Settings) -> dict[str, Any]:
    """Logging for the command and for every server worker (uvicorn applies it in each):
    plain text by default, one JSON object a line with `MASSAR_LOG_FORMAT=json`. In JSON,
    uvicorn's access line (the raw path, query included) gives way to the app's own, which
    names the route template, the caller, the status and the time taken, and is written
    straight to the stream's handler (`core/logs.py`)."""
    json_lines = settings.log_format == "json"
    formatter: dict[str, Any] = (
        {"()": "app.core.logs.JsonLogFormatter"} if json_lines else {"format": TEXT_LOG_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "app.core.logs.RequestIdLogFilter"}},
        "formatters": {"massar": formatter},
        "handlers": {
            "stderr": {
                "class": "app.core.logs.JsonLogHandler" if json_lines else "logging.StreamHandler",
                "formatter": "massar",
                "filters": ["request_id"],
            }
        },
        "root": {"level": settings.log_level.upper(), "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's own lines go through the root handler, in the same format.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": not json_lines},
        },
    }


def alembic_config(url: str) -> Config:
    root = _migrations_root()
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    # Percent signs in a URL would be read as interpolation by ConfigParser.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def migrate_database(db: Database, revision: str = "head") -> None:
    """Migrate as the owner, create the partitions the planned years lack, then give the
    serving role its rights on what now exists."""
    upgrade_database(db.owner_url, revision)
    asyncio.run(_as_owner(db, _create_partitions))
    grant_serving_role(db)


async def _as_owner(db: Database, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    conn = await connect(db.owner_url)
    try:
        return await work(conn)
    finally:
        await conn.close()


async def _create_partitions(conn: asyncpg.Connection) -> list[str]:
    if not await partitions.partitioned(conn):
        return []
    created = await partitions.create_partitions(conn)
    log.info("partitions created: %s", ", ".join(created) or "none")
    return created


def _run_in_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction on a short-lived engine."""
    return asyncio.run(_in_session(url, work))


async def _in_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(get_settings(), url)
    try:
        async with create_session_factory(engine)() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


async def _summarise(url: str) -> None:
    """After a bulk load, which queues nothing: every school's steering summaries."""
    await _in_session(url, summaries.rebuild)


def _refuse_demo_in_prod(settings: Settings) -> None:
    if not settings.allows_demo_data:
        raise typer.BadParameter("demo data is refused when MASSAR_ENVIRONMENT=prod")


def _seed_if_empty(url: str) -> bool:
    async def seed(session: AsyncSession) -> bool:
        if not await demo.is_empty(session):
            return False
        await demo.seed_demo(session)
        return True

    return _run_in_session(url, seed)


def _print_demo_logins(settings: Settings) -> None:
    base = f"http://{settings.host}:{settings.port}"
    typer.echo(f"\nmassar-api on {base}  (API docs: {base}/docs)")
    typer.echo(f"Demo logins, all with the password {demo.DEMO_PASSWORD}:")
    for login in demo.DEMO_LOGINS:
        typer.echo(f"  {login.username:<28} {login.role.value:<15} {login.where}")
    typer.echo(
        f"Try: curl -s {base}/api/v1/auth/token -H 'Content-Type: application/json' "
        f'-d \'{{"username": "D130000001@taalim.ma", "password": "{demo.DEMO_PASSWORD}"}}\'\n'
    )


@cli.command()
def serve(
    migrate: Annotated[bool, typer.Option(help="Apply migrations before serving.")] = False,
    seed_demo: Annotated[
        bool, typer.Option("--seed-demo", help="Load demo data if the database is empty.")
    ] = False,
    with_worker: Annotated[
        bool, typer.Option("--with-worker", help="Also deliver push notifications in-process.")
    ] = False,
) -> None:
    """Serve the API (starting the embedded PostgreSQL when no database URL is set)."""
    settings = get_settings()
    if seed_demo:
        _refuse_demo_in_prod(settings)
    # uvicorn re-raises the SIGTERM it caught once it has shut down; turning it into SystemExit
    # lets `database()` stop the embedded server instead of the process dying on the spot.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    with database(settings) as db:
        if migrate:
            migrate_database(db)
        url = db.url
        if seed_demo:
            if _seed_if_empty(url):
                log.info("demo data loaded")
            _print_demo_logins(settings)
        # Workers are separate processes: they read the URL from the environment.
        os.environ["MASSAR_DATABASE_URL"] = url
        if with_worker:
            os.environ["MASSAR_PUSH_WORKER_IN_APP"] = "true"
        get_settings.cache_clear()
        _serve_metrics(settings, across_processes=settings.workers > 1)
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            log_config=logging_config(settings),
            access_log=settings.log_format == "text",
            proxy_headers=True,
            loop="uvloop",
            http="httptools",
            # A worker is a spawned process that imports this module, and with it the whole
            # app, before it can answer the supervisor's ping; on a busy machine that takes
            # longer than uvicorn's 5 s, and the supervisor would kill and restart it forever.
            timeout_worker_healthcheck=WORKER_START_SECONDS,
        )


def _serve_metrics(settings: Settings, *, across_processes: bool = False) -> None:
    """`/metrics` on its own port when configured: this process's figures, or the sum of the
    server workers' (each writes its own files, `core/metrics.py`)."""
    if settings.metrics_port is None:
        return
    if across_processes:
        metrics.prepare_multiprocess()
    metrics.serve_metrics(
        settings.metrics_host, settings.metrics_port, across_processes=across_processes
    )
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, settings.metrics_port)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run one delivery cycle and exit.")] = False,
) -> None:
    """Deliver queued push notifications, texts (SMS, email) and webhooks, apply the retention rules
    and keep the steering summaries current until SIGTERM or SIGINT (one delivery cycle with
    --once)."""
    settings = get_settings()
    _serve_metrics(settings)
    with database(settings) as db:
        asyncio.run(_work(settings, db.url, once=once))


async def _work(settings: Settings, url: str, *, once: bool) -> None:
    engine = create_engine(settings, url)
    try:
        if once:
            async with worker_loops.outboxes(create_session_factory(engine), settings) as delivery:
                for report in await delivery.run_cycle():
                    log.info("%s", report)
            return
        # A signal ends the loops once the batch in flight is recorded: nothing is left claimed.
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await worker_loops.run(create_session_factory(engine), settings, stop)
    finally:
        await engine.dispose()


@cli.command()
def purge() -> None:
    """Delete what the retention rules say has served its purpose (the worker does it hourly)."""
    settings = get_settings()
    with database(settings) as db:
        deleted = asyncio.run(_purge(settings, db.url))
    for table, count in deleted.items():
        typer.echo(f"{table:<20} {count}")


async def _purge(settings: Settings, url: str) -> dict[str, int]:
    engine = create_engine(settings, url)
    try:
        return await retention.purge(create_session_factory(engine), settings, datetime.now(UTC))
    finally:
        await engine.dispose()


@cli.command()
def migrate(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    with database(get_settings()) as db:
        migrate_database(db, revision)


@cli.command("create-partitions")
def create_partitions() -> None:
    """Create the partitions of every planned school year (and the audit log's months) that
    do not exist yet: run it after planning a year. Needs the owner's URL."""
    with database(get_settings()) as db:
        created = asyncio.run(_as_owner(db, _create_partitions))
        grant_serving_role(db)
    typer.echo(f"{len(created)} partitions created")


@cli.command("archive-year")
def archive_year(
    year: Annotated[int, typer.Argument(help="The school year, by its first calendar year.")],
) -> None:
    """Detach a closed school year (neither the current nor the previous one) into the
    `archive` schema, with the corrections, justified absences and appeals that point into it.
    Needs the owner's URL."""
    with database(get_settings()) as db:
        started = time.perf_counter()
        try:
            moved = asyncio.run(_as_owner(db, lambda conn: partitions.archive_year(conn, year)))
        except partitions.ArchiveRefused as refused:
            typer.echo(f"refused: {refused}", err=True)
            raise typer.Exit(1) from refused
    for table, rows in moved.items():
        typer.echo(
            f"{table:<24} {rows:>12,} rows"
            + (" (estimated)" if table in partitions.BY_YEAR else "")
        )
    typer.echo(f"{year} archived in {time.perf_counter() - started:.1f} s")


@cli.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo data into an empty, migrated database (never in prod)."""
    settings = get_settings()
    _refuse_demo_in_prod(settings)
    with database(settings) as db:
        loaded = _seed_if_empty(db.url)
    typer.echo("demo data loaded" if loaded else "the database is not empty: nothing loaded")


@cli.command("refresh-summaries")
def refresh_summaries(
    school: Annotated[
        str | None, typer.Option("--school", help="Only the school with this code.")
    ] = None,
) -> None:
    """Recompute the steering summaries of every school (after a bulk load), or of one."""
    with database(get_settings()) as db:
        _run_in_session(db.url, lambda session: rebuild_summaries(session, school))
    typer.echo(f"summaries of {school or 'every school'} recomputed")


async def rebuild_summaries(session: AsyncSession, school_code: str | None = None) -> None:
    """Every school's summaries, or those of the school with this code."""
    if school_code is None:
        await summaries.rebuild(session)
        return
    school_id = await session.scalar(select(School.id).where(School.code == school_code))
    if school_id is None:
        raise typer.BadParameter(f"no school has the code {school_code!r}", param_hint="--school")
    await summaries.refresh_school(session, school_id)


@cli.command("render-snapshots")
def render_snapshots() -> None:
    """Render the published marks and exam results of every pupil (after an upgrade that
    brought the snapshots, or to rebuild them all); until then those reads are computed live."""
    with database(get_settings()) as db:
        marks, exams = _run_in_session(db.url, _render_all_published)
    typer.echo(f"rendered {marks} marks documents and {exams} exam results documents")


async def _render_all_published(session: AsyncSession) -> tuple[int, int]:
    marks = await marks_snapshots.render_all_published(session)
    return marks, await exam_snapshots.render_all_published(session)


@cli.command("seed-synthetic")
def seed_synthetic_command(
    schools: Annotated[int, typer.Option(min=1, max=50_000, help="Schools to create.")],
    pupils: Annotated[int, typer.Option(min=1, max=20_000_000, help="Pupils to create.")],
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    weeks: Annotated[int, typer.Option(min=0, max=20, help="Weeks of roll calls.")] = 4,
) -> None:
    """Fill an empty, migrated database with a national-shaped country (never in prod).

    Schools over the 12 academies and 82 directorates, classes, teachers, pupils and parents,
    a semester of tests and marks, WEEKS of roll calls, exam results and back-office records,
    written through COPY. It runs as the tables' owner (MASSAR_MIGRATION_DATABASE_URL when
    set) in one transaction, with the loaded tables' user triggers (the audit trail, the draft
    rule of marks) disabled for the load and enabled again before the commit: the audit log
    gets no row per loaded record. Every account's password is the demo password.
    """
    settings = get_settings()
    _refuse_demo_in_prod(settings)
    if pupils < schools:
        raise typer.BadParameter("at least one pupil per school", param_hint="--pupils")
    size = Size(schools=schools, pupils=pupils, seed=seed, weeks=weeks)
    with database(settings) as db:
        try:
            logins = asyncio.run(
                seed_synthetic(
                    db.owner_url, size, school_today(), typer.echo, after_load=_summarise
                )
            )
        except DatabaseNotEmpty:
            typer.echo("error: the database already holds schools: nothing loaded", err=True)
            raise typer.Exit(2) from None
    typer.echo(f"\nLogins, all with the password {demo.DEMO_PASSWORD}:")
    for login in logins:
        typer.echo(f"  {login.username:<40} {login.role.value:<15} {login.where}")


@cli.command("create-user")
def create_user(
    username: Annotated[str, typer.Option(help="Email, or <MassarCode>@taalim.ma for a pupil.")],
    role: Annotated[Role, typer.Option()],
    first_name: Annotated[str, typer.Option()],
    last_name: Annotated[str, typer.Option()],
    title: Annotated[StaffTitle | None, typer.Option(help="For school_staff.")] = None,
    school_code: Annotated[str | None, typer.Option()] = None,
    province_code: Annotated[str | None, typer.Option()] = None,
    academy_code: Annotated[str | None, typer.Option()] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account. The password is prompted for (or read from stdin), never an argument."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else _prompt_password()
    account = NewAccount(
        username=username,
        password=password,
        role=role,
        first_name=first_name,
        last_name=last_name,
        title=title,
        school_code=school_code,
        province_code=province_code,
        academy_code=academy_code,
    )
    with database(get_settings()) as db:
        try:
            user = _run_in_session(db.url, lambda session: create_account(session, account))
        except ProblemError as exc:
            for error in exc.errors or [{"field": "username", "message": "already taken"}]:
                typer.echo(f"error: {error['field']}: {error['message']}", err=True)
            raise typer.Exit(2) from None
    log.info("account created by %s: id=%s role=%s", getpass.getuser(), user.id, user.role.value)
    typer.echo(f"created {user.username} ({user.role.value}) with id {user.id}")


@cli.command("disable-user")
def disable_user(
    username: Annotated[str, typer.Option(help="The account to disable.")],
) -> None:
    """Disable an account and end all its logins (its refresh tokens stop working at once)."""
    with database(get_settings()) as db:
        try:
            user = _run_in_session(db.url, lambda session: auth.disable_user(session, username))
        except ProblemError:
            typer.echo("error: no such account", err=True)
            raise typer.Exit(2) from None
    log.info("account disabled by %s: id=%s", getpass.getuser(), user.id)
    typer.echo(f"disabled {user.username} (id {user.id}); all its sessions are revoked")


def _prompt_password() -> str:
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise typer.BadParameter("the two passwords differ")
    return first


@cli.command("export-openapi")
def export_openapi(
    output: Annotated[Path, typer.Option(help="Where to write the document.")] = Path(
        "openapi/v1.json"
    ),
) -> None:
    """Write the OpenAPI document that the service serves at /openapi.json."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(openapi_json(create_app()))
    typer.echo(f"wrote {output}")


def openapi_json(app: FastAPI) -> str:
    """The committed form: sorted keys, indented, UTF-8, final newline."""
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    main()
