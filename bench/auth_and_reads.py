"""Measure logins, token refreshes and scoped reads against a running service.

Start the service first (`make run`), then:

    .venv/bin/python bench/auth_and_reads.py --concurrency 50 --seconds 10

Every phase is bounded in requests and in time, and talks only to the given base URL
(loopback by default). It prints throughput and latency percentiles per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

DEMO_PASSWORD = "Massar-demo-2026"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def report(self) -> str:
        if not self.latencies:
            return f"{self.name:<22} no successful request ({self.errors} errors)"
        ordered = sorted(self.latencies)
        p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
        return (
            f"{self.name:<22} {len(ordered) / self.elapsed:8.1f} req/s  "
            f"p50 {p(0.50):6.1f} ms  p95 {p(0.95):6.1f} ms  p99 {p(0.99):6.1f} ms  "
            f"mean {statistics.mean(ordered) * 1000:6.1f} ms  n={len(ordered)} errors={self.errors}"
        )


async def run_phase(
    name: str,
    call: Callable[[], Awaitable[httpx.Response]],
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> Phase:
    phase = Phase(name)
    deadline = time.perf_counter() + seconds
    issued = 0

    async def worker() -> None:
        nonlocal issued
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            started = time.perf_counter()
            response = await call()
            if response.status_code < 400:
                phase.latencies.append(time.perf_counter() - started)
            else:
                phase.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    phase.elapsed = time.perf_counter() - started
    return phase


async def main(base_url: str, concurrency: int, seconds: float, max_requests: int) -> None:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        credentials = {"username": "D130000001@taalim.ma", "password": DEMO_PASSWORD}
        pupil = (
            (await client.post("/api/v1/auth/token", json=credentials)).raise_for_status().json()
        )
        staff_credentials = {"username": "central.demo@men.gov.ma", "password": DEMO_PASSWORD}
        staff = (await client.post("/api/v1/auth/token", json=staff_credentials)).json()
        pupil_auth = {"Authorization": f"Bearer {pupil['access_token']}"}
        staff_auth = {"Authorization": f"Bearer {staff['access_token']}"}
        refresh_tokens = [pupil["refresh_token"]]

        async def refresh() -> httpx.Response:
            # Each refresh token is single use: chain them like a real app would.
            response = await client.post(
                "/api/v1/auth/refresh", json={"refresh_token": refresh_tokens.pop()}
            )
            if response.status_code == 200:
                refresh_tokens.append(response.json()["refresh_token"])
            return response

        bounds = {"concurrency": concurrency, "seconds": seconds, "max_requests": max_requests}
        phases = [
            await run_phase("GET /healthz", lambda: client.get("/healthz"), **bounds),
            await run_phase(
                "GET /me (pupil)", lambda: client.get("/api/v1/me", headers=pupil_auth), **bounds
            ),
            await run_phase(
                "GET /schools (central)",
                lambda: client.get("/api/v1/schools", headers=staff_auth),
                **bounds,
            ),
            await run_phase(
                "POST /auth/token",
                lambda: client.post("/api/v1/auth/token", json=credentials),
                **bounds,
            ),
            # One chain of refresh tokens: sequential by nature.
            await run_phase(
                "POST /auth/refresh",
                refresh,
                concurrency=1,
                seconds=seconds,
                max_requests=max_requests,
            ),
        ]
    for phase in phases:
        print(phase.report())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(main(args.base_url, args.concurrency, args.seconds, args.max_requests))
