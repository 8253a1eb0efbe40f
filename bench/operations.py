"""The CPU that metrics and JSON access logs add to a request, measured in-process.

    .venv/bin/python bench/operations.py [--requests 20000]

On a shared machine wrk's throughput swings more between runs than the few percent this cost
is about (`bench/results_day.py --operations` gives the side-by-side figures), so this counts
the CPU this process spends per request (`time.process_time`) on `GET /healthz` through the
whole app (middleware, dispatch, FastAPI), called as ASGI without a client or a socket: once
as served by default, once with metrics kept (`MASSAR_METRICS_PORT`) and a JSON access line
written per request (to a file, at INFO, through the handler `massar serve` logs JSON with).
Plain and operated runs alternate, and the best of each is kept (the least disturbed by other
work). `/healthz` reads no database, so its own
cost is below any hot read's: the share printed is an upper bound of what a read pays.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from typing import Any

from fastapi import FastAPI

from app.core.heap import settle_heap
from app.core.logs import JsonLogFormatter, JsonLogHandler, RequestIdLogFilter
from app.main import create_app
from app.settings import get_settings

SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/healthz",
    "raw_path": b"/healthz",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"host", b"127.0.0.1"), (b"accept", b"application/json")],
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 8000),
}


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: dict[str, Any]) -> None:
    return None


async def cpu_per_request(app: FastAPI, requests: int) -> float:
    """Seconds of this process's CPU per request."""
    for _ in range(200):  # warm up: the route table, caches
        await app(dict(SCOPE), _receive, _send)
    started = time.process_time()
    for _ in range(requests):
        await app(dict(SCOPE), _receive, _send)
    return (time.process_time() - started) / requests


def operated_app() -> FastAPI:
    settings = get_settings().model_copy(update={"metrics_port": 1, "log_format": "json"})
    return create_app(settings, database_url="postgresql://unused/unused")


def json_access_log(path: str) -> None:
    """Log as `massar serve` does in JSON (`cli.logging_config`), to the file at `path`."""
    handler = JsonLogHandler(open(path, "a", encoding="utf-8"))  # noqa: SIM115 (the run's)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(RequestIdLogFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


async def run(requests: int, rounds: int) -> None:
    plain = create_app(get_settings(), database_url="postgresql://unused/unused")
    operated = operated_app()
    with tempfile.NamedTemporaryFile(prefix="massar-access-", suffix=".log") as log:
        json_access_log(log.name)
        settle_heap()  # as the server does once started
        without, with_ops = [], []
        for _ in range(rounds):
            without.append(await cpu_per_request(plain, requests))
            with_ops.append(await cpu_per_request(operated, requests))
    best_without, best_with = min(without), min(with_ops)
    print(f"GET /healthz, {requests} requests a round, {rounds} rounds, best of each")
    print(f"  plain              {best_without * 1e6:8.1f} µs CPU per request")
    print(f"  metrics + JSON log {best_with * 1e6:8.1f} µs CPU per request")
    added = best_with - best_without
    print(f"  added              {added * 1e6:8.1f} µs ({added / best_without:.1%} of /healthz)")
    print(f"  every round: plain {[round(t * 1e6) for t in without]}")
    print(f"               ops   {[round(t * 1e6) for t in with_ops]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.rounds))


if __name__ == "__main__":
    main()
