"""The cross-tenant half of the authorization matrix, generated from the route table: every
operation whose path names an object is called, by every role its guards let through, with
the object of another school, class or family (`other_tenant.py`), and must answer 404 like an
object that does not exist, before reading anything else. Each request carries a body valid
for its operation (`request_bodies.py`), so a 422 cannot hide a missing scope.

A path parameter the matrix cannot place fails the suite until it is given a kind below, or
declared here as naming no tenant's object."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.core.roles import Role
from app.demo import world as demo
from tests.api.other_tenant import KINDS, Caller, OtherTenant, build_other_tenant
from tests.api.request_bodies import parameter_example, request_of
from tests.api.route_table import OPERATIONS, Operation

# The kind of object each path parameter names.
PARAMETER_KINDS = {
    "agreement_id": "agreement",
    "action_id": "project_action",
    "appeal_id": "exam_appeal",
    "assignment_id": "assignment",
    "candidate_id": "independent_candidate",
    "axis_id": "project_axis",
    "child_id": "pupil",
    "class_id": "class",
    "client_id": "api_client",
    "correction_id": "pupil_record_correction",
    "competition_id": "competition",
    "device_id": "device",
    "document_id": "agreement_document",
    "entry_id": "entry",
    "exam_id": "local_exam",
    "event_id": "event",
    "fixture_id": "fixture",
    "group_id": "remedial_group",
    "image_id": "image",
    "incident_id": "incident",
    "indicator_id": "project_indicator",
    "justification_id": "justification",
    "licence_id": "licence",
    "line_id": "inventory_line",
    "link_id": "guardian_link",
    "mark_id": "mark",
    "news_id": "news",
    "notification_id": "notification",
    "objective_id": "project_objective",
    "partner_id": "partner",
    "programme_id": "programme",
    "preregistration_id": "preregistration",
    "project_id": "project",
    "pupil_id": "pupil",
    "registration_id": "training_registration",
    "reorientation_id": "reorientation",
    "request_id": "equipment_request",
    "school_id": "school",
    "session_id": "training_session",
    "slot_id": "timetable_slot",
    "team_id": "team",
    "teacher_id": "teacher",
    "test_id": "class_test",
    "thread_id": "thread",
    "transfer_id": "transfer",
    "unit_id": "school",
}
# Where one name serves two kinds: (parameter, the path's section after the face).
SECTION_KINDS = {
    ("test_id", "diagnostics"): "diagnostic_test",
    ("session_id", "diagnostics"): "remedial_session",
    ("session_id", "exams"): "exam_session",
    ("correction_id", "independent-candidates"): "libre_record_correction",
    # A pupil's exam session, under the parent's child.
    ("session_id", "children"): "exam_session",
}
# OneRoster names every object `sourcedId`: its kind is the collection before it.
ONEROSTER_KINDS = {
    "orgs": "school",
    "schools": "school",
    "classes": "assignment",  # a class × a subject taught to it
    "users": "pupil",
    "students": "pupil",
    "teachers": "teacher",
    "enrollments": "enrollment",
    "lineItems": "published_test",
    "results": "published_mark",
    "webhooks": "webhook_endpoint",  # /api/v1/integrations: the client's own
}
# The one table of path parameters that name no tenant's object, and why. A key is the
# parameter's name, or `collection/{parameter}` where the name alone says nothing. The caller's
# own records (a device, a notification) are no exemption: someone else's answer 404.
NOT_TENANT_SCOPED = {
    "action": "a verb of the operation (publish, accept, close_entries...)",
    "code": "a document's verification code: anyone holding the paper may check it",
    "day": "a day of a training session, under the session's own id",
    "school_code": "a school's public code: the public site is open to anyone",
    "year": "a school year: the ministry's, the same for every unit",
    "subject_id": "a subject of the national reference, under the session's own id",
    "academicSessions/{sourcedId}": "a term of the national calendar, the same for every unit",
    "courses/{sourcedId}": "a level × subject of the national curriculum",
    "categories/{sourcedId}": "a kind of test, from the ministry's list",
}
# Bodies whose fields depend on each other, or that must name an object of the caller's own
# scope: the fields that make the generated minimum valid.
BODY_FIELDS: dict[str, Callable[[Caller], dict[str, Any]]] = {
    "school-decide-justification": lambda _: {"accepted": True},
    "school-correct-mark": lambda _: {"mark": 12},
    "school-add-project-action": lambda _: {"owner_label": "Association des parents d'élèves"},
    "school-move-slot": lambda _: {"ends_at": "09:00:00"},
    "school-decide-exam-appeal": lambda _: {"decision": "reject", "reason": "Note confirmée"},
    "steering-decide-exam-appeal": lambda _: {"decision": "reject", "reason": "Note confirmée"},
    "school-decide-candidate-record-correction": lambda _: {"decision": "accept"},
    "steering-decide-independent-candidate-correction": lambda _: {"decision": "accept"},
    "teacher-add-remedial-session": lambda _: {"ends_at": "09:00:00"},
}
CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "v1.json"
# The public site names the school by its code: another school's news under it is not found.
PUBLIC_SCHOOL = "25101C"


def _collection_before(path: str, parameter: str) -> str:
    segments = path.split("/")
    return segments[segments.index("{" + parameter + "}") - 1]


def _exemptions_of(path: str, parameter: str) -> set[str]:
    """The entries of `NOT_TENANT_SCOPED` that declare this parameter of this path."""
    declared = {parameter, f"{_collection_before(path, parameter)}/{{{parameter}}}"}
    return declared & NOT_TENANT_SCOPED.keys()


def names_object(path: str, parameter: str) -> bool:
    """Whether the path parameter names a tenant's object (not a verb, a day, the calendar)."""
    return not _exemptions_of(path, parameter)


def kind_of(operation: Operation, parameter: str) -> str:
    """The kind of object `parameter` names in this operation's path."""
    if operation.for_clients:
        kind = ONEROSTER_KINDS.get(_collection_before(operation.path, parameter))
        assert kind in KINDS, f"{operation.path}: add the kind of its collection to the matrix"
        return kind
    section = operation.path.split("/")[4]
    kind = SECTION_KINDS.get((parameter, section), PARAMETER_KINDS.get(parameter))
    assert kind in KINDS, (
        f"{operation.method} {operation.path}: add the kind of {parameter} to the matrix"
    )
    return kind


def objects_of(operation: Operation) -> list[str]:
    return [p for p in operation.parameters if names_object(operation.path, p)]


SCOPED = [op for op in OPERATIONS if objects_of(op)]


def test_every_path_parameter_names_a_kind_or_declares_none() -> None:
    for operation in OPERATIONS:
        for parameter in objects_of(operation):
            kind_of(operation, parameter)


def test_the_matrix_covers_every_operation_with_an_object_in_its_path() -> None:
    # A walk that found no path parameter would leave the matrix empty, and pass.
    assert len(SCOPED) > 150
    named = {kind_of(op, p) for op in SCOPED for p in objects_of(op)}
    assert named == set(KINDS)


def test_the_matrix_walks_every_operation_of_the_contract_that_names_an_object() -> None:
    # Read from the published file, not from the routes the matrix walks: an operation the
    # walk skipped (a mounted face, a route table gone wrong) is missed here.
    contract = json.loads(CONTRACT.read_text())
    naming = {
        f"{method.upper()} {path}": operation["operationId"]
        for path, item in contract["paths"].items()
        for method, operation in item.items()
        if any(names_object(path, p) for p in re.findall(r"\{(\w+)\}", path))
    }
    walked = {f"{op.method} {op.path}": op.operation_id for op in SCOPED}
    assert naming == walked


def test_every_declared_exemption_is_used() -> None:
    # A stale entry would exempt the next route that happens to reuse its name, unexamined.
    used = {e for op in OPERATIONS for p in op.parameters for e in _exemptions_of(op.path, p)}
    assert used == NOT_TENANT_SCOPED.keys()


# ---- the other tenant, built once for the module ------------------------------------------


@pytest.fixture(scope="module")
async def tenant_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection for the module: the demo world and the callers are written once in its
    transaction, rolled back at the end."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()


@pytest.fixture(scope="module")
async def other_tenant(tenant_connection: AsyncConnection) -> OtherTenant:
    async with AsyncSession(
        bind=tenant_connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    ) as session:
        tenant = await build_other_tenant(session)
        await session.commit()
    return tenant


@pytest.fixture
async def connection(
    tenant_connection: AsyncConnection, other_tenant: OtherTenant
) -> AsyncIterator[AsyncConnection]:
    """Each test inside a savepoint of the module's transaction: what a request writes (a
    missing scope lets it) is undone before the next one."""
    savepoint = await tenant_connection.begin_nested()
    try:
        yield tenant_connection
    finally:
        await savepoint.rollback()


# ---- the matrix ---------------------------------------------------------------------------


def callers_of(operation: Operation, tenant: OtherTenant, kinds: list[str]) -> list[Caller | None]:
    """Every caller the operation's guard lets through; next door only where an object is
    scoped to a class or a family; nobody's token on the public site; API clients of other
    units on the integrators' face."""
    if operation.for_clients:
        return list(tenant.clients)
    if operation.allowed is None and not operation.reads_principal:
        return [None]
    allowed = operation.allowed or frozenset(Role)
    reaches_next_door = any(KINDS[kind].next_door for kind in kinds)
    return [
        caller
        for caller in tenant.callers
        if caller.role in allowed and (reaches_next_door or not caller.next_door)
    ]


def url_of(operation: Operation, tenant: OtherTenant, school_code: str = PUBLIC_SCHOOL) -> str:
    def value(parameter: str) -> str:
        if parameter == "school_code":
            return school_code
        if not names_object(operation.path, parameter):
            return parameter_example(operation.path, operation.method, parameter)
        return str(tenant.objects[kind_of(operation, parameter)])

    return operation.url(value)


def body_fields(operation: Operation, caller: Caller | None) -> dict[str, Any]:
    fields = BODY_FIELDS.get(operation.operation_id)
    return fields(caller) if fields and caller else {}


@pytest.mark.parametrize("operation", SCOPED, ids=[op.operation_id for op in SCOPED])
async def test_another_tenants_object_is_not_found(
    client: httpx.AsyncClient, other_tenant: OtherTenant, operation: Operation
) -> None:
    kinds = [kind_of(operation, p) for p in objects_of(operation)]
    url = url_of(operation, other_tenant)
    callers = callers_of(operation, other_tenant, kinds)
    assert callers, f"{operation.operation_id}: no caller outside the scope"
    wrong = []
    for caller in callers:
        answer = await client.request(
            operation.method,
            url,
            headers=caller.headers if caller else {},
            **request_of(
                operation.method,
                operation.path,
                other_tenant.shared | (caller.own if caller else {}),
                body_fields(operation, caller),
            ),
        )
        problem = answer.headers["content-type"].startswith("application/problem+json")
        if answer.status_code != 404 or not problem:
            who = caller.name if caller else "anyone"
            said = answer.json().get("errors") if problem else None
            wrong.append(f"{who}: {answer.status_code} {said or answer.text[:500]}")
    assert not wrong, f"{operation.method} {operation.path}\n" + "\n".join(wrong)


# Reads whose object the demo's own caller cannot read either, and why.
NOT_READ_BY_OWNER = {
    "teacher-diagnostic-progress": "409: the academy's diagnostic test has no post-test yet",
    "parent-justification-document": "the demo's justifications carry no document",
    "school-justification-document": "the demo's justifications carry no document",
    "school-thread": "a thread is its two parties' only: the demo's is the teacher's",
    "school-partnership-document": "the file is in each test's own document store, not here",
    "steering-partnership-document": "the file is in each test's own document store, not here",
    # 409 before a deliberation; read by their own in tests/exams/test_figures.py.
    "school-exam-figures": "409: the demo collège's local exam is still in marking",
    "steering-exam-figures": "409: the matrix's session of the academy is a draft",
    "parent-child-exam-transcript": "the demo parent's child sat no exam (J130000001 did)",
    "parent-child-exam-convocation": "the demo parent's child sat no exam (J130000001 did)",
    # The school's prints of exam documents, read by their own in tests/official_documents.
    "school-pupil-exam-transcript": "the demo pupil has no result in the academy's session",
    "school-pupil-exam-convocation": "the demo pupil has no result in the academy's session",
    "school-class-exam-transcripts": "the demo class has no candidate of the academy's session",
    "school-class-exam-convocations": "the demo class has no candidate of the academy's session",
}

READS = [op for op in SCOPED if op.method == "GET" and op.operation_id not in NOT_READ_BY_OWNER]


@pytest.mark.parametrize("operation", READS, ids=[op.operation_id for op in READS])
async def test_the_other_tenants_object_is_read_by_its_own(
    client: httpx.AsyncClient, other_tenant: OtherTenant, operation: Operation
) -> None:
    """The control: the same request by the demo's own caller is answered, so the 404 above
    comes from the scope, not from an id that names nothing."""
    if operation.for_clients:
        owner = other_tenant.client_owner
        assert owner is not None
    else:
        owner = other_tenant.owners[min(operation.allowed or frozenset(Role))]
    answer = await client.get(
        url_of(operation, other_tenant, school_code=demo.SCHOOL_A),
        headers=owner.headers,
        **request_of(operation.method, operation.path, other_tenant.shared, {}),
    )
    assert answer.status_code == 200, f"{owner.name}: {answer.status_code} {answer.text[:500]}"
