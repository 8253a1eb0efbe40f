"""The application factory. The lifespan owns the engine and the session factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app import worker
from app.academics import reference
from app.accounts.guards import hot_route_of
from app.accounts.schemas import LoginRequest
from app.api import health
from app.api.contract import tell_the_truth
from app.api.docs import install_docs
from app.api.oneroster import router as oneroster_router
from app.api.v1 import router as v1_router
from app.core import metrics
from app.core.body_limit import BodyLimitMiddleware
from app.core.db import replicas
from app.core.db.runtime import asyncpg_url
from app.core.db.session import create_engine, create_session_factory
from app.core.dispatch import install_prefix_dispatch, prepare_dispatch
from app.core.heap import settle_heap
from app.core.hot_reads import hot_pool
from app.core.middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from app.core.security.throttle import build_login_throttle
from app.core.storage import LocalDirectoryStore
from app.core.text_input import refuse_control_characters
from app.errors import install_error_handlers
from app.integrations.routes import keys_router
from app.official_documents import pool as document_rendering
from app.settings import Settings, get_settings

DESCRIPTION = """
Backend of **Massar**, Morocco's school information system, for the teacher app (Moudaris),
the pupil app (Moutamadris), the parent app (Wali), school and hierarchy staff, and integrators.

Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer <access_token>`.
Errors are RFC 9457 `application/problem+json`.
"""

# Bodies that a route reads itself, so that no parameter shows FastAPI their model: the login takes
# JSON or the OAuth2 password form. Its `openapi_extra` refers to these components.
BODIES_READ_BY_HAND: tuple[type[BaseModel], ...] = (LoginRequest,)


def install_openapi(app: FastAPI) -> None:
    """Serve FastAPI's OpenAPI document with the components of the bodies read by hand, and
    every route's errors and times as they are sent (`app/api/contract.py`)."""
    build = app.openapi
    _, definitions = models_json_schema(
        [(model, "validation") for model in BODIES_READ_BY_HAND],
        ref_template="#/components/schemas/{model}",
    )

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()  # built on the first call, then FastAPI's cached copy
            document["components"]["schemas"].update(definitions["$defs"])
            tell_the_truth(document, app.routes)
        return build()

    app.openapi = openapi  # type: ignore[method-assign]


def install_services(app: FastAPI, settings: Settings) -> None:
    """The app's stateful helpers. Made here rather than in the lifespan, so that tests (which
    run no lifespan, and reuse one app) get fresh ones too."""
    app.state.document_store = LocalDirectoryStore(settings.documents_dir)
    # Failed-login counters: Redis when configured, else this process's memory.
    app.state.login_throttle = build_login_throttle(settings)
    app.state.reference_cache = reference.ReferenceCache()


def create_app(settings: Settings | None = None, database_url: str | None = None) -> FastAPI:
    """Build the app. `database_url` defaults to the configured one (the CLI resolves the
    embedded server before calling this)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = database_url or settings.database_url
        if url is None:
            raise RuntimeError("no database URL: start the service with `massar serve`")
        engine = create_engine(settings, asyncpg_url(url))
        if settings.metrics_port is not None:
            metrics.watch_pool(engine)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        # Streaming replicas for lag-tolerant reads, when configured (`core/db/replicas.py`).
        app.state.read_routing = replicas.build_read_routing(settings, engine)
        # `massar serve --with-worker`: the worker in this process, stopped before the engine.
        pushes: AbstractAsyncContextManager[None] = (
            worker.in_background(app.state.session_factory, settings)
            if settings.push_worker_in_app
            else nullcontext()
        )
        prepare_dispatch(app)  # the route table, built before the heap is settled
        document_rendering.start()
        settle_heap()
        # The hot reads' connections: as many as the engine's pool keeps.
        hot_connections = hot_pool(
            app, url, settings.db_pool_size, settings.db_connect_timeout_seconds
        )
        try:
            async with (
                hot_connections,
                replicas.checked(app.state.read_routing),
                pushes,
                reference.kept_current(app, url),
            ):
                yield
        finally:
            app.state.read_routing = None
            await app.state.login_throttle.aclose()
            document_rendering.shutdown()
            if settings.metrics_port is not None:
                metrics.unwatch_pool(engine)
                metrics.worker_stopped()
            await engine.dispose()

    app = FastAPI(
        title="massar-api",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        # Served by `install_docs` from this service, not from a CDN; no ReDoc.
        docs_url=None,
        redoc_url=None,
        # On every route: no control characters in any text a client sends.
        dependencies=[Depends(refuse_control_characters)],
    )
    # Every read on the primary until the lifespan finds replicas configured.
    app.state.read_routing = None
    install_openapi(app)
    install_services(app, settings)
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Accept-Language", REQUEST_ID_HEADER],
        # OneRoster's paging headers, read by integrators' browser tools too.
        expose_headers=[REQUEST_ID_HEADER, "ETag", "X-Total-Count", "Link"],
    )
    # Refused while streaming (413), so an oversized upload is never held in full.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    # Metrics and the JSON access line only when operations ask for them (`core/metrics.py`).
    app.add_middleware(
        RequestContextMiddleware,
        metrics=metrics.RequestSeries() if settings.metrics_port is not None else None,
        log_access=settings.log_format == "json",
    )
    app.include_router(health.router)
    app.include_router(v1_router)
    app.include_router(oneroster_router)
    app.include_router(keys_router)
    install_docs(app)
    # A request is matched against its face's routes only.
    install_prefix_dispatch(app, lean_path=hot_route_of)
    return app
