"""Rendering off the event loop, in a bounded pool of processes.

fpdf2 is pure Python and holds the GIL while it lays a page out, so threads would take turns
on one core and stall the event loop's own thread between them: pages are drawn in worker
processes instead (`MASSAR_DOCUMENT_RENDER_PROCESSES`, started on first use). A capacity
limiter of the same size keeps the requests waiting for a process in this one, in order,
rather than piling work into the executor's unbounded queue."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import anyio

from app.core.heap import settle_heap
from app.official_documents import rendering
from app.settings import get_settings

_executor: ProcessPoolExecutor | None = None
_limiter: anyio.CapacityLimiter | None = None


def _warm() -> None:
    # Read the templates once, before the first request waits for them.
    for name in ("letterhead", "report_card", "school_certificate"):
        rendering.template(name)
    settle_heap()


def _pool() -> tuple[ProcessPoolExecutor, anyio.CapacityLimiter]:
    global _executor, _limiter
    if _executor is None or _limiter is None:
        size = get_settings().document_render_processes
        # Spawned, not forked: a fork would copy the server's threads and open connections.
        _executor = ProcessPoolExecutor(
            size, mp_context=multiprocessing.get_context("spawn"), initializer=_warm
        )
        _limiter = anyio.CapacityLimiter(size)
    return _executor, _limiter


def start() -> None:
    """Start the rendering processes now (at the application's start): a spawned process
    imports the application again, seconds that the first document would otherwise wait."""
    executor, _ = _pool()
    executor.submit(rendering.template, "letterhead")


async def render(pages: list[rendering.Payload]) -> bytes:
    """The PDF of these pages, drawn in a rendering process."""
    executor, limiter = _pool()
    async with limiter:
        return await asyncio.get_running_loop().run_in_executor(executor, rendering.render, pages)


def shutdown() -> None:
    """Stop the rendering processes (at the application's shutdown)."""
    global _executor, _limiter
    if _executor is not None:
        _executor.shutdown(wait=True, cancel_futures=True)
    _executor, _limiter = None, None
