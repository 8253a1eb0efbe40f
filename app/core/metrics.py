"""Operations metrics in Prometheus' text format, served on a port of their own.

What is counted: requests by route template (`/api/v1/teacher/classes/{class_id}/pupils`, never
the raw path, whose ids would make a series per object) and status, with their latency; the
database pool's connections in use; the push outbox's depth and the worker's deliveries by
outcome; logins by outcome and the lockouts the throttle sets; the reads the streaming replicas
served, those sent back to the primary (and why), and each replica's lag.

Nothing is served unless `MASSAR_METRICS_PORT` is set, and then on `MASSAR_METRICS_HOST`
(loopback by default), apart from the API's port: the figures are for the operators' scraper,
not for the public. With several workers (`MASSAR_WORKERS`), each worker writes its figures to
files in a directory that `massar serve` makes for the run (prometheus-client's multiprocess
mode), and the supervising process serves their sum: counters and histograms add up across the
workers, the pool gauge too (connections in use in every live worker), and the outbox depth is
the largest any live process last saw.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    multiprocess,
    start_http_server,
)
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# A request matched no route (404, a refused method): one series for all of them.
UNMATCHED = "unmatched"

REQUESTS = Counter(
    "massar_http_requests_total",
    "Requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "massar_http_request_duration_seconds",
    "Time to answer a request, by method, route template and status class (2xx, 4xx, 5xx).",
    ["method", "route", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_IN_USE = Gauge(
    "massar_db_pool_connections_in_use",
    "Database connections checked out of the pool now.",
    multiprocess_mode="livesum",
)
POOL_CAPACITY = Gauge(
    "massar_db_pool_capacity",
    "Connections the pool may hold at most (size and overflow).",
    multiprocess_mode="livesum",
)
OUTBOX_DEPTH = Gauge(
    "massar_push_outbox_depth",
    "Push messages waiting to be sent, as the worker last counted them.",
    multiprocess_mode="livemax",
)
DELIVERIES = Counter(
    "massar_push_deliveries_total",
    "Push messages by outcome: sent, retried, dead (given up), unregistered (the device is "
    "gone), expired (left unconfirmed by a stopped worker), error (outcome not recorded).",
    ["outcome"],
)
LOGINS = Counter(
    "massar_logins_total",
    "Password logins by outcome: success, mfa (a second factor is due), failure, throttled.",
    ["outcome"],
)
LOCKOUTS = Counter(
    "massar_login_lockouts_total",
    "Lockouts the throttle set, by what was locked: an account or a client address.",
    ["locked"],
)

REPLICA_READS = Counter(
    "massar_db_replica_reads_total",
    "Requests whose reads a streaming replica served, by replica.",
    ["replica"],
)
REPLICA_FALLBACKS = Counter(
    "massar_db_replica_fallbacks_total",
    "Lag-tolerant requests the primary served because no replica could: unusable (down, "
    "lagging beyond the bound, not yet checked) or unreachable (its connection failed).",
    ["reason"],
)
READ_YOUR_WRITES = Counter(
    "massar_db_read_your_writes_total",
    "Lag-tolerant requests the primary served because their caller wrote moments before.",
)
REPLICA_LAG_BYTES = Gauge(
    "massar_db_replica_lag_bytes",
    "WAL bytes a replica had still to replay at its last check, by replica (-1: unreachable).",
    ["replica"],
    multiprocess_mode="livemax",
)


class RequestSeries:
    """The labelled series of each (method, route, status), looked up once and then kept:
    prometheus-client's `labels()` takes a lock and builds a key on every call."""

    def __init__(self) -> None:
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        series = self._series.get(key)
        if series is None:
            series = (
                REQUESTS.labels(method, route, str(status)),
                LATENCY.labels(method, route, f"{status // 100}xx"),
            )
            self._series[key] = series
        series[0].inc()
        series[1].observe(seconds)


def watch_pool(engine: AsyncEngine) -> None:
    """Count the connections the engine's pool lends out, as they are lent and returned."""
    pool = engine.sync_engine.pool
    POOL_CAPACITY.inc(pool.size() + getattr(pool, "_max_overflow", 0))  # type: ignore[attr-defined]

    @event.listens_for(pool, "checkout")
    def _lent(*_: object) -> None:
        POOL_IN_USE.inc()

    @event.listens_for(pool, "checkin")
    def _returned(*_: object) -> None:
        POOL_IN_USE.dec()


def unwatch_pool(engine: AsyncEngine) -> None:
    """The engine is disposed of: its capacity no longer counts."""
    pool = engine.sync_engine.pool
    POOL_CAPACITY.dec(pool.size() + getattr(pool, "_max_overflow", 0))  # type: ignore[attr-defined]


def prepare_multiprocess() -> str:
    """Before the workers start: a fresh directory for their figures, named in the environment
    they inherit (prometheus-client reads it when a worker imports it)."""
    directory = tempfile.mkdtemp(prefix="massar-metrics-")
    os.environ[MULTIPROCESS_DIR] = directory
    return directory


def serve_metrics(host: str, port: int, *, across_processes: bool = False) -> None:
    """Serve `/metrics` on its own port from a thread of this process: this process's figures,
    or (`across_processes`) the sum of the workers' files."""
    registry = REGISTRY
    if across_processes:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    start_http_server(port, addr=host, registry=registry)


def worker_stopped() -> None:
    """A worker process ends: its live gauges leave the sum."""
    if os.environ.get(MULTIPROCESS_DIR):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
