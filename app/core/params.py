"""Query parameters shared by list endpoints, and dependencies built on the event loop."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends

from app.core.pagination import PageRequest

P = ParamSpec("P")
T = TypeVar("T")


def on_the_loop(build: Callable[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
    """`build` (a class, or a plain function of the request) as a dependency run on the event
    loop, with the same parameters.

    FastAPI runs a dependency that is not a coroutine in a worker thread: a hand-off to another
    thread and back, and under load a wait for a free one, only to make a small object from the
    query string. `tests/api/test_architecture.py` keeps every route's dependencies on the loop.
    """

    async def dependency(*args: P.args, **kwargs: P.kwargs) -> T:
        return build(*args, **kwargs)

    # FastAPI reads the query parameters from the signature; resolved here, where the
    # annotations' module is known.
    dependency.__signature__ = inspect.signature(build, eval_str=True)  # type: ignore[attr-defined]
    dependency.__name__ = getattr(build, "__name__", dependency.__name__)
    dependency.__doc__ = build.__doc__
    return dependency


PageParams = Annotated[PageRequest, Depends(on_the_loop(PageRequest))]
