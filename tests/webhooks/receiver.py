"""An integrator's webhook receiver on loopback for the tests: a real HTTP server in a thread
that keeps each request as it came (headers and raw body) and answers as scripted (200 once
the script is used up)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def verifies_with(self, secret: str) -> bool:
        """The receiver's check, written from the Standard Webhooks text, not from the code
        that signs: HMAC-SHA-256 over `id.timestamp.body` with the base64 key after `whsec_`."""
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{self.headers['webhook-id']}.{self.headers['webhook-timestamp']}.".encode()
        expected = base64.b64encode(hmac.new(key, signed + self.body, hashlib.sha256).digest())
        offered = [s.split(",", 1)[1] for s in self.headers["webhook-signature"].split()]
        return any(hmac.compare_digest(expected.decode(), value) for value in offered)


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with lock:
                status = state.replies.pop(0) if state.replies else 200
                headers = {name.lower(): value for name, value in self.headers.items()}
                state.received.append(Received(self.path, headers, body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
