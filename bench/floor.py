"""The floor: the least work any authenticated read can do, served the same way as the service.

One route, `GET /floor`: a python-jose decode of the access token the service issues (the same
secret, algorithm, issuer and audience, from the same `MASSAR_*` settings), then one
primary-key select on `users` through a raw asyncpg pool on the same PostgreSQL, served by the
same uvicorn with uvloop and httptools. No ORM, no middleware, no validation: whatever the
service costs above this is the service's own.

`bench/results_day.py` starts it next to the service and compares every hot read with it. To
run it alone:

    .venv/bin/python bench/floor.py --database-url postgresql://… --port 8100
    curl -H "Authorization: Bearer <access token>" http://127.0.0.1:8100/floor
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from jose import JWTError, jwt

from app.core.db.runtime import asyncpg_url
from app.settings import get_settings

USER_BY_ID = "SELECT id, role, is_active FROM users WHERE id = $1"


def floor_app(database_url: str, pool_size: int) -> FastAPI:
    """The one-route app, with its asyncpg pool opened by the lifespan."""
    settings = get_settings()
    # asyncpg wants a plain libpq URL, without SQLAlchemy's driver suffix.
    dsn = asyncpg_url(database_url).replace("postgresql+asyncpg://", "postgresql://", 1)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size)
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/floor")
    async def floor(request: Request, authorization: str = Header()) -> dict[str, str]:
        try:
            claims = jwt.decode(
                authorization.removeprefix("Bearer "),
                settings.signing_secret,
                algorithms=[settings.jwt_algorithm],
                audience=settings.jwt_audience,
                issuer=settings.jwt_issuer,
            )
        except JWTError:
            raise HTTPException(401) from None
        row = await request.app.state.pool.fetchrow(USER_BY_ID, uuid.UUID(claims["sub"]))
        if row is None or not row["is_active"]:
            raise HTTPException(401)
        return {"id": str(row["id"]), "role": row["role"]}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    settings = get_settings()
    # As many connections as the service may open (its pool and overflow), for a fair match.
    pool_size = settings.db_pool_size + settings.db_max_overflow
    uvicorn.run(
        floor_app(args.database_url, pool_size),
        host=args.host,
        port=args.port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
