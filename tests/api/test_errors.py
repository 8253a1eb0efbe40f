"""Problem details for every error status, the request id, and the reader's language."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from app.core.db.session import SessionDep
from app.organisation.models import Academy

PROBLEM = "application/problem+json"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance", "request_id"}


def _assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_unknown_path_is_404_problem(client: httpx.AsyncClient) -> None:
    body = _assert_problem(await client.get("/api/v1/nowhere"), 404)
    assert body["instance"] == "/api/v1/nowhere"


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/auth/token")
    _assert_problem(response, 405)
    assert "POST" in response.headers["allow"]


async def test_a_405_allows_every_method_its_path_is_served_with(
    client: httpx.AsyncClient,
) -> None:
    # Two routes serve the path (the list and the creation): `Allow` names both.
    response = await client.request("OPTIONS", "/api/v1/school/announcements")
    _assert_problem(response, 405)
    assert response.headers["allow"] == "GET, POST"
    # `/projects/current` is a path of its own, not a value of `/projects/{project_id}`; and
    # `/{year}/regional-calendar` not one of `/{year}/{action}`, declared before it.
    response = await client.request("OPTIONS", "/api/v1/school/projects/current")
    _assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
    response = await client.request(
        "OPTIONS", "/api/v1/steering/school-years/2026/regional-calendar"
    )
    _assert_problem(response, 405)
    assert response.headers["allow"] == "PUT"


async def test_validation_errors_are_422_with_field_paths(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": 42, "extra": 1})
    body = _assert_problem(response, 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    assert errors[0]["field"] == "body.refresh_token"
    assert errors[0]["message"]


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/refresh", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    _assert_problem(response, 422)


async def test_unexpected_error_is_500_without_internals(
    own_app: FastAPI, own_client: httpx.AsyncClient
) -> None:
    @own_app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2 at /srv/app.py line 12")

    response = await own_client.get("/boom")
    body = _assert_problem(response, 500)
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text
    assert body["request_id"]


async def test_a_unique_violation_is_409(own_app: FastAPI, own_client: httpx.AsyncClient) -> None:
    @own_app.post("/duplicate-academy")
    async def duplicate(session: SessionDep) -> None:
        # RSK is reference data: a second row with its code breaks the unique key.
        session.add(Academy(code="RSK", name_fr="Copie", name_ar="نسخة"))
        await session.flush()

    response = await own_client.post("/duplicate-academy")
    body = _assert_problem(response, 409)
    assert "uq_academies_code" not in response.text
    assert body["type"].endswith("/conflict")


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/healthz"), await client.get("/api/v1/me")):
        assert len(response.headers["x-request-id"]) >= 8


async def test_a_sane_incoming_request_id_is_kept(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "mobile-7f3a9c2e"})
    assert response.headers["x-request-id"] == "mobile-7f3a9c2e"


async def test_an_unsafe_incoming_request_id_is_replaced(client: httpx.AsyncClient) -> None:
    unsafe = "<script>alert(1)</script> " + "x" * 80
    response = await client.get("/healthz", headers={"X-Request-ID": unsafe})
    assert response.headers["x-request-id"] != unsafe
    assert "<" not in response.headers["x-request-id"]


async def test_problem_texts_follow_accept_language(client: httpx.AsyncClient) -> None:
    arabic = (await client.get("/api/v1/me", headers={"Accept-Language": "ar-MA,ar;q=0.9"})).json()
    english = (await client.get("/api/v1/me", headers={"Accept-Language": "en-US"})).json()
    french = (await client.get("/api/v1/me", headers={"Accept-Language": "de, fr;q=0.5"})).json()
    assert arabic["title"] == "غير مصادق عليه"
    assert english["title"] == "Not authenticated"
    assert french["title"] == "Non authentifié"


async def test_an_oversized_body_is_413_problem(client: httpx.AsyncClient) -> None:
    from app.settings import get_settings

    too_big = b"x" * (get_settings().max_request_bytes + 1)
    response = await client.post(
        "/api/v1/auth/refresh", content=too_big, headers={"Content-Type": "application/json"}
    )
    _assert_problem(response, 413)


async def test_an_oversized_streamed_body_is_413_problem(client: httpx.AsyncClient) -> None:
    from app.settings import get_settings

    async def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(get_settings().max_request_bytes // 1_000_000 + 2):
            yield b"x" * 1_000_000

    response = await client.post(
        "/api/v1/auth/refresh", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _assert_problem(response, 413)
