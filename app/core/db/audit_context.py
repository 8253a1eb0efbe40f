"""Who is acting, handed to the audit triggers as transaction-local settings.

The triggers on the business tables read `massar.actor_id`, `massar.actor_role`,
`massar.request_id` and `massar.client_ip` (`set_config(..., true)`: they end with the
transaction, so a pooled connection never carries them to the next request). Writes with no
settings at all (CLI, demo seed, migrations) are recorded as the "system" actor.

A request's session starts with the anonymous actor (its request id and IP, nobody logged in);
the principal, once read, names the caller instead. The settings are sent only when the
session is about to write, in the write's own transaction, just before its first flush or data
statement, and again after that transaction (or a savepoint) ends: a read-only request, which
is most of them, sends nothing and needs no transaction at all.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from starlette.requests import Request

from app.core.db.prepared import forget_driver_connection
from app.core.security.throttle import client_ip
from app.settings import get_settings

# The actor_role of writes by nobody logged in: "system" when there is no request at all (CLI,
# demo seed, migrations: the trigger's default), "anonymous" for a request without a principal.
SYSTEM_ACTOR = "system"
ANONYMOUS_ACTOR = "anonymous"

_ACTOR = "massar.actor"
_SENT = "massar.actor_sent"

# One statement for every write, built once: compiled and prepared once per connection rather
# than assembled from four function calls (and their cache key) at each transaction.
_SET_ACTOR = text(
    "select set_config('massar.actor_id', :actor_id, true),"
    " set_config('massar.actor_role', :actor_role, true),"
    " set_config('massar.request_id', :request_id, true),"
    " set_config('massar.client_ip', :client_ip, true)"
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes in a request's session: an account and its role, or nobody ("", anonymous)."""

    request: Request
    actor_id: str = ""
    role: str = ANONYMOUS_ACTOR

    def settings(self) -> dict[str, str]:
        """The values of `_SET_ACTOR`, each sent as the setting `massar.<name>`."""
        return {
            "actor_id": self.actor_id,
            "actor_role": self.role,
            # Set by RequestContextMiddleware for every HTTP request.
            "request_id": str(getattr(self.request.state, "request_id", "")),
            "client_ip": _client_ip(self.request),
        }


def _client_ip(request: Request) -> str:
    """The client's address (behind a trusted proxy, the one it forwarded), or '' when it is
    not an IP (the trigger casts it to inet)."""
    host = client_ip(request, get_settings().trusted_proxies)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return ""


def act_as(session: Session, actor: Actor) -> None:
    """Name who writes in this session from now on (sent before its next write)."""
    session.info[_ACTOR] = actor
    session.info.pop(_SENT, None)


def actor_of(session: Session) -> Actor | None:
    """Who the session writes as, if anyone was named."""
    actor: Actor | None = session.info.get(_ACTOR)
    return actor


def _send_actor(session: Session) -> None:
    """Set the settings in the transaction about to write, once per transaction."""
    actor: Actor | None = session.info.get(_ACTOR)
    if actor is None or session.info.get(_SENT):
        return
    session.info[_SENT] = True
    session.connection().execute(_SET_ACTOR, actor.settings())


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _send_actor(session)


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _send_actor(state.session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction(session: Session, transaction: SessionTransaction) -> None:
    # The settings end with the transaction, and a savepoint rolled back takes them back too.
    # A flush's own inner transaction is neither: the settings it sent stay in force.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_SENT, None)
    if transaction.parent is None:
        forget_driver_connection(session.info)
