"""An SMS and email gateway on loopback for the tests: a real HTTP server in a thread that
records what it is sent and answers as scripted (200 once the script is used up)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class TextGateway:
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)

    def to(self, address: str) -> list[str]:
        """The texts sent to an address, oldest first."""
        return [m["text"] for m in self.received if m["to"] == address]


@contextmanager
def text_gateway() -> Iterator[TextGateway]:
    gateway = TextGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            status = gateway.replies.pop(0) if gateway.replies else 200
            if self.path == "/messages":
                gateway.received.append(json.loads(self.rfile.read(length)))
                gateway.authorizations.append(self.headers.get("authorization"))
            else:
                status = 404
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
