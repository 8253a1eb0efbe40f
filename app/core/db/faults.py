"""When the database cannot be reached (stopped, restarting, out of connections, too slow to
accept one): the errors that say so, so that a request answers 503 at once instead of 500."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# Raised by the driver or the pool when no connection can be had or a live one was lost:
# refused or reset sockets, the connect timeout, "the database system is starting up / shutting
# down", a connection closed under a running statement, a pool with no free connection.
_UNREACHABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    PoolTimeout,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.ConnectionDoesNotExistError,
)

# PostgreSQL's data exceptions that only a value sent by a client can cause (out of range, not
# storable, malformed), as opposed to ones a bug causes (a division by zero): SQLSTATE codes,
# and asyncpg's own "22000" when it cannot encode an argument (an int beyond a smallint).
_BAD_VALUE_STATES = frozenset(
    {"22000", "22001", "22003", "22007", "22008", "22021", "22P02", "22P05"}
)

# How long a client should wait before trying again: a restart or a failover takes seconds.
RETRY_AFTER_SECONDS = 5


def database_unreachable(error: BaseException) -> bool:
    """Whether `error`, or the driver error it wraps, says the database cannot be reached."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        # SQLAlchemy keeps the driver's error in `orig`, which keeps asyncpg's in `__cause__`.
        pending += [getattr(current, "orig", None), current.__cause__]
    return False


def bad_value(error: BaseException) -> str | None:
    """The SQLSTATE when `error` is PostgreSQL refusing a value a client sent, else None."""
    # SQLAlchemy's error keeps asyncpg's in `orig.__cause__`; a prepared read raises it as is.
    current: BaseException | None = getattr(error, "orig", None)
    cause = current.__cause__ if current is not None else error
    if isinstance(cause, asyncpg.DataError) and cause.sqlstate in _BAD_VALUE_STATES:
        return str(cause.sqlstate)
    return None


def refused_by(error: BaseException) -> str | None:
    """The name of the constraint (or of the trigger that raised as one) behind an integrity
    error, so that a service can say which rule a write broke."""
    current: BaseException | None = getattr(error, "orig", None)
    cause = current.__cause__ if current is not None else None
    if isinstance(cause, asyncpg.IntegrityConstraintViolationError) and cause.constraint_name:
        return str(cause.constraint_name)
    return None


# Rules the database enforces with triggers that name themselves as the constraint of their
# error, and the problem each answers (409 kind, text key). A new rule enforced in the database
# with its own name goes here, and every write path that breaks it answers the same.
REFUSALS: dict[str, tuple[str, str]] = {
    "school_year_closed": ("school-year-closed", "years.closed"),
    "school_closed": ("school-closed", "schools.closed"),
}


def refusal(error: BaseException) -> tuple[str, str] | None:
    """The problem (kind, text key) of a write refused by a named database rule, if any."""
    return REFUSALS.get(refused_by(error) or "")
