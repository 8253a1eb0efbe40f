"""Deleted tests, marks and enrolments in the OneRoster collections as `status: tobedeleted`,
dated by their deletion, in the client's scope only, filtered, paged and counted like the
live rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.academics.models import Enrolment, SchoolClass, TeachingAssignment
from app.accounts.models import User
from app.assessment.models import ClassTest, Mark, TestKind
from app.oneroster.collections import timestamp
from app.settings import get_settings
from tests.factories import Integrator, TeachingWorld, create_api_client, create_test_with_marks

ROSTERING = "/ims/oneroster/rostering/v1p2"
GRADEBOOK = "/ims/oneroster/gradebook/v1p2"
# A test runs in one transaction, whose now() (every row's date, and every deletion's) is
# when it began: before this module was read is before all of them.
BEFORE = timestamp(datetime.now(UTC) - timedelta(minutes=5))
LATER = timestamp(datetime.now(UTC) + timedelta(days=1))


async def _published_test(
    session: AsyncSession, teaching: TeachingWorld, name: str, kind: TestKind = TestKind.TEST_1
) -> ClassTest:
    """A published MATH test of the class, every pupil marked 12."""
    school_class = teaching.classes[name]
    teacher = await session.get(User, school_class_teacher_id(teaching, name))
    marks: dict[object, Decimal | str | None] = {p: Decimal(12) for p in teaching.pupils[name]}
    return await create_test_with_marks(
        session,
        school_class,
        teaching.subjects["MATH"],
        teacher,  # type: ignore[arg-type]
        marks,  # type: ignore[arg-type]
        kind=kind,
    )


def school_class_teacher_id(teaching: TeachingWorld, name: str) -> object:
    who = "teacher_other" if name == "c3" else "teacher"
    return teaching.world.users[who].id


async def _delete_test(session: AsyncSession, test: ClassTest) -> None:
    """The test, then its marks, as a removal does: the marks' class × subject is then known
    only from the test's tombstone."""
    await session.execute(delete(ClassTest).where(ClassTest.id == test.id))
    await session.execute(delete(Mark).where(Mark.test_id == test.id))
    await session.commit()


async def _academy_client(
    session: AsyncSession, teaching: TeachingWorld, school: str
) -> Integrator:
    integrator = await create_api_client(
        session,
        teaching.world.users["central_staff"],  # type: ignore[arg-type]
        academy_id=teaching.world.schools[school].academy_id,
    )
    await session.commit()
    return integrator


async def _class_of(session: AsyncSession, school_class: SchoolClass, subject_id: object) -> str:
    """The OneRoster class (class × subject) of a class's subject."""
    taught = await session.scalar(
        select(TeachingAssignment.id).where(
            TeachingAssignment.class_id == school_class.id,
            TeachingAssignment.subject_id == subject_id,
        )
    )
    return str(taught)


async def test_a_deleted_test_is_tobedeleted_in_the_delta(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    kept = await _published_test(session, teaching, "c1")
    dropped = await _published_test(session, teaching, "c1", TestKind.TEST_2)
    class_id = await _class_of(session, teaching.classes["c1"], teaching.subjects["MATH"].id)
    integrator = await _academy_client(session, teaching, "a1")
    await _delete_test(session, dropped)

    delta = await client.get(
        f"{GRADEBOOK}/lineItems",
        params={"filter": f"dateLastModified>'{BEFORE}'"},
        headers=integrator.headers,
    )
    assert delta.status_code == 200, delta.text
    items = {item["sourcedId"]: item for item in delta.json()["lineItems"]}
    assert set(items) == {str(kept.id), str(dropped.id)}
    assert delta.headers["X-Total-Count"] == "2"
    gone = items[str(dropped.id)]
    assert gone["status"] == "tobedeleted"
    assert gone["dateLastModified"] > BEFORE
    assert gone["class"]["sourcedId"] == class_id
    assert gone["school"]["sourcedId"] == str(teaching.world.schools["a1"].id)
    # What went with the row is null, never made up.
    assert gone["title"] is None
    assert gone["category"] is None
    assert gone["resultValueMax"] is None
    assert items[str(kept.id)]["status"] == "active"

    # Nothing was deleted after tomorrow.
    none = await client.get(
        f"{GRADEBOOK}/lineItems",
        params={"filter": f"dateLastModified>'{LATER}'"},
        headers=integrator.headers,
    )
    assert none.json()["lineItems"] == []
    assert none.headers["X-Total-Count"] == "0"

    # Its own read and its class's list answer it too.
    one = await client.get(f"{GRADEBOOK}/lineItems/{dropped.id}", headers=integrator.headers)
    assert one.status_code == 200, one.text
    assert one.json()["lineItem"]["status"] == "tobedeleted"
    nested = await client.get(
        f"{GRADEBOOK}/classes/{class_id}/lineItems", headers=integrator.headers
    )
    assert {i["sourcedId"]: i["status"] for i in nested.json()["lineItems"]} == {
        str(kept.id): "active",
        str(dropped.id): "tobedeleted",
    }

    # Its marks, deleted after it, still name their pupil, test and class × subject.
    results = await client.get(
        f"{GRADEBOOK}/results",
        params={"filter": "status='tobedeleted'", "limit": "2"},
        headers=integrator.headers,
    )
    assert results.status_code == 200, results.text
    assert results.headers["X-Total-Count"] == str(len(teaching.pupils["c1"]))
    for result in results.json()["results"]:
        assert result["lineItem"]["sourcedId"] == str(dropped.id)
        assert result["class"]["sourcedId"] == class_id
        assert result["student"]["sourcedId"] in {str(p.id) for p in teaching.pupils["c1"]}
        assert result["score"] is None
        assert result["scoreStatus"] is None


async def test_the_status_filter_reads_the_deleted(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    kept = await _published_test(session, teaching, "c1")
    dropped = await _published_test(session, teaching, "c2")
    integrator = await _academy_client(session, teaching, "a1")
    await _delete_test(session, dropped)

    async def listed(status: str) -> list[str]:
        answer = await client.get(
            f"{GRADEBOOK}/lineItems",
            params={"filter": f"status='{status}'"},
            headers=integrator.headers,
        )
        assert answer.status_code == 200, answer.text
        return [item["sourcedId"] for item in answer.json()["lineItems"]]

    assert await listed("tobedeleted") == [str(dropped.id)]
    assert await listed("active") == [str(kept.id)]


async def test_another_academys_deletions_never_show(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    """A test of school c (another academy) deleted: its own academy's client sees the
    tombstone, a1's academy's client neither in the list nor by its sourcedId."""
    dropped = await _published_test(session, teaching, "c3")
    ours = await _academy_client(session, teaching, "a1")
    theirs = await _academy_client(session, teaching, "c")
    await _delete_test(session, dropped)

    for integrator, expected in ((ours, []), (theirs, [str(dropped.id)])):
        for path in ("lineItems", "results"):
            answer = await client.get(
                f"{GRADEBOOK}/{path}",
                params={"filter": "status='tobedeleted'", "fields": "sourcedId"},
                headers=integrator.headers,
            )
            assert answer.status_code == 200, answer.text
            if path == "lineItems":
                assert [i["sourcedId"] for i in answer.json()[path]] == expected
            else:
                assert bool(answer.json()[path]) == bool(expected)
    one = await client.get(f"{GRADEBOOK}/lineItems/{dropped.id}", headers=ours.headers)
    assert one.status_code == 404
    theirs_one = await client.get(f"{GRADEBOOK}/lineItems/{dropped.id}", headers=theirs.headers)
    assert theirs_one.json()["lineItem"]["status"] == "tobedeleted"


async def test_a_deleted_enrolment_is_tobedeleted_per_subject(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    pupil = teaching.pupils["c1"][0]
    enrolment = await session.scalar(
        select(Enrolment).where(
            Enrolment.pupil_id == pupil.id, Enrolment.class_id == teaching.classes["c1"].id
        )
    )
    assert enrolment is not None
    integrator = await _academy_client(session, teaching, "a1")
    await session.execute(delete(Enrolment).where(Enrolment.id == enrolment.id))
    await session.commit()

    answer = await client.get(
        f"{ROSTERING}/enrollments",
        params={"filter": f"status='tobedeleted' AND dateLastModified>'{BEFORE}'"},
        headers=integrator.headers,
    )
    assert answer.status_code == 200, answer.text
    gone = answer.json()["enrollments"]
    assert answer.headers["X-Total-Count"] == "2"  # c1 is taught MATH and FR
    assert {e["user"]["sourcedId"] for e in gone} == {str(pupil.id)}
    assert {e["sourcedId"].split(".")[0] for e in gone} == {str(enrolment.id)}
    assert all(e["role"] == "student" and e["beginDate"] is None for e in gone)
    one = await client.get(
        f"{ROSTERING}/enrollments/{gone[0]['sourcedId']}", headers=integrator.headers
    )
    assert one.status_code == 200, one.text
    assert one.json()["enrollment"]["status"] == "tobedeleted"


async def test_a_delta_older_than_the_sync_window_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, teaching: TeachingWorld
) -> None:
    integrator = await _academy_client(session, teaching, "a1")
    window = get_settings().retention_sync_days
    stale = timestamp(datetime.now(UTC) - timedelta(days=window + 1))
    fresh = timestamp(datetime.now(UTC) - timedelta(days=window - 1))

    for path, bound in ((f"{GRADEBOOK}/lineItems", ">"), (f"{ROSTERING}/enrollments", ">=")):
        gone = await client.get(
            path,
            params={"filter": f"status='active' OR dateLastModified{bound}'{stale}'"},
            headers=integrator.headers,
        )
        assert gone.status_code == 410, gone.text
        assert gone.headers["content-type"].startswith("application/problem+json")
        body = gone.json()
        assert body["imsx_codeMajor"] == "failure"
        assert body["imsx_severity"] == "error"
        minor = body["imsx_CodeMinor"]["imsx_codeMinorField"][0]
        assert minor["imsx_codeMinorFieldValue"] == "invaliddata"
        assert "full" in body["imsx_description"]

    # Within the window, an upper bound, or no bound at all: answered.
    for condition in (f"dateLastModified>'{fresh}'", f"dateLastModified<'{stale}'", None):
        params = {"filter": condition} if condition else {}
        answered = await client.get(
            f"{GRADEBOOK}/lineItems", params=params, headers=integrator.headers
        )
        assert answered.status_code == 200, (condition, answered.text)
