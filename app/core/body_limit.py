"""A cap on request bodies that answers 413 as problem+json, like every other error.

FastAPI's own `max_body_size` answers a plain-text 413 that replaces our problem response, so
the limit is enforced here instead: the body is counted as it streams in, and the error is
raised from inside the endpoint's read, where the problem handlers see it.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RequestTooLarge(HTTPException):
    """An HTTPException, because FastAPI re-raises those from a body read (and turns any other
    error there into a 400); the problem handler gives it its text."""

    def __init__(self) -> None:
        super().__init__(413)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            # A declared length over the cap is refused before a byte is read.
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise RequestTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge()
            return message

        await self.app(scope, limited_receive, send)
