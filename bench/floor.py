"""The floor every HTTP benchmark compares with: the least an authenticated read can cost here,
a python-jose decode of the access token plus one primary-key select through a raw asyncpg
pool, served by the same uvicorn (uvloop, httptools, one worker).

    MASSAR_DATABASE_URL=postgresql://... .venv/bin/python bench/floor.py --port 18499
"""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.core.security.tokens import InvalidToken, get_token_codec
from app.settings import get_settings


def floor_app(dsn: str) -> Starlette:
    codec = get_token_codec()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=5, max_size=10)
        yield
        await app.state.pool.close()

    async def me(request: Request) -> Response:
        try:
            claims = codec.decode_access_token(request.headers["authorization"][7:])
        except (KeyError, InvalidToken):
            return Response(status_code=401)
        async with request.app.state.pool.acquire() as connection:
            row = await connection.fetchrow(
                "SELECT id, username, role FROM users WHERE id = $1", claims.user_id
            )
        body = dict(row) if row else None  # the caller's account (absent from another demo)
        return Response(json.dumps(body, default=str), media_type="application/json")

    return Starlette(routes=[Route("/floor", me)], lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18499)
    args = parser.parse_args()
    dsn = get_settings().database_url
    if dsn is None:
        raise SystemExit("set MASSAR_DATABASE_URL")
    uvicorn.run(
        floor_app(dsn),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
