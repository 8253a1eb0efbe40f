"""The worker's two loop shapes: when they rest, that a failed cycle does not end them, and that
a set `stop` ends them between cycles."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.core.loops import drain, every


@dataclass
class Report:
    claimed: int


async def test_drain_goes_on_at_once_after_a_full_batch_and_rests_after_a_short_one() -> None:
    stop = asyncio.Event()
    batches = iter([10, 10, 3, 10])
    seen: list[int] = []

    async def cycle() -> Report:
        claimed = next(batches)
        seen.append(claimed)
        return Report(claimed)

    # A rest of an hour: the loop can only have taken the third batch if it did not rest before.
    task = asyncio.create_task(drain("test", cycle, stop, batch_size=10, rest_seconds=3600))
    await asyncio.sleep(0.05)
    assert seen == [10, 10, 3]
    stop.set()
    await asyncio.wait_for(task, 1)


async def test_a_failed_cycle_does_not_end_the_loop() -> None:
    stop = asyncio.Event()
    calls = 0

    async def cycle() -> Report:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database is restarting")
        stop.set()
        return Report(0)

    await asyncio.wait_for(drain("test", cycle, stop, batch_size=10, rest_seconds=0), 1)
    assert calls == 2


async def test_every_runs_the_chore_at_once_then_at_its_interval_and_survives_failures() -> None:
    stop = asyncio.Event()
    runs = 0

    async def chore() -> None:
        nonlocal runs
        runs += 1
        if runs == 3:
            stop.set()
        raise RuntimeError("a failed purge")

    await asyncio.wait_for(every("test", chore, stop, seconds=0.01), 1)
    assert runs == 3


async def test_a_set_stop_ends_a_resting_loop_at_once() -> None:
    stop = asyncio.Event()

    async def cycle() -> Report:
        return Report(0)

    task = asyncio.create_task(drain("test", cycle, stop, batch_size=10, rest_seconds=3600))
    await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(task, 1)
