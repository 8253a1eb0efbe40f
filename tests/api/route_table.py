"""The route table as the authorization matrices walk it: every operation the app serves, with
the roles its guards let through. Shared by the 403 half (`test_authorization_matrix.py`) and
the 404 half (`test_cross_tenant_matrix.py`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.routing import APIRoute, iter_route_contexts

from app.accounts.guards import GUARD_DUTIES, GUARD_ROLES, current_principal
from app.api.contract import dependency_calls, query_parameters
from app.core.roles import Duty, Role
from app.integrations.callers import GUARD_SCOPES, ApiScope
from app.main import create_app

# The login's role picks the token: each role's account of the shared test world.
TOKEN_OF = {
    Role.STUDENT: "student",
    Role.PARENT: "parent",
    Role.TEACHER: "teacher",
    Role.SCHOOL_STAFF: "school_staff",
    Role.PROVINCE_STAFF: "province_staff",
    Role.ACADEMY_STAFF: "academy_staff",
    Role.CENTRAL_STAFF: "central_staff",
}


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    allowed: frozenset[Role] | None  # None: no role guard
    duties: frozenset[Duty]  # the school posts' duties its guards require
    reads_principal: bool
    pages: bool  # takes a `cursor`
    scopes: frozenset[ApiScope] = frozenset()  # an API client's, for its face

    @property
    def for_clients(self) -> bool:
        """An operation of the integrators' face: no person's role, API clients only."""
        return self.allowed == frozenset()

    @property
    def parameters(self) -> list[str]:
        """The names of the path's parameters, in order."""
        return re.findall(r"\{(\w+)\}", self.path)

    def url(self, value: Callable[[str], str] | None = None) -> str:
        """The path with `value(name)` in each parameter: by default a fresh UUID, or a
        plausible value where the parameter is not an id."""
        value = value or placeholder
        return re.sub(r"\{(\w+)\}", lambda match: value(match.group(1)), self.path)


def placeholder(name: str) -> str:
    """A value of the parameter `name` that names no object."""
    return {"school_code": "25001A", "action": "approve", "day": "2026-01-05"}.get(
        name, str(uuid.uuid4())
    )


def operations() -> list[Operation]:
    """Every operation the app serves, with the roles its guards let through."""
    found = []
    for route in iter_route_contexts(create_app().routes):
        original = route.original_route
        if not isinstance(original, APIRoute) or not original.include_in_schema:
            continue
        calls = set(dependency_calls(route.dependant))
        guards = [GUARD_ROLES[call] for call in calls if call in GUARD_ROLES]
        allowed = frozenset.intersection(*guards) if guards else None
        for method in sorted(route.methods or ()):
            found.append(
                Operation(
                    operation_id=str(original.operation_id or original.name),
                    method=method,
                    path=str(route.path),
                    allowed=allowed,
                    duties=frozenset(GUARD_DUTIES[call] for call in calls if call in GUARD_DUTIES),
                    reads_principal=current_principal in calls,
                    pages=any(p.alias == "cursor" for p in query_parameters(route.dependant)),
                    scopes=frozenset(GUARD_SCOPES[call] for call in calls if call in GUARD_SCOPES),
                )
            )
    return found


OPERATIONS = operations()
