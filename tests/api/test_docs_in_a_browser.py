"""`/docs` in a real headless Chromium: Swagger UI renders every operation of the contract,
and no request leaves the machine (a ministry network may have no internet)."""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from tests.api.browser import chromium_page
from tests.processes import free_port

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


@pytest.fixture
def served(shared_app: FastAPI) -> Iterator[str]:
    """The app over real HTTP on loopback (the docs and the contract read no database)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(shared_app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_the_docs_render_every_operation_from_loopback_only(
    served: str, shared_app: FastAPI, tmp_path: Path
) -> None:
    # Swagger UI shows an operation under each of its tags, with the id
    # `operations-<tag>-<operationId>`.
    shown = {
        f"operations-{tag}-{operation['operationId']}"
        for item in shared_app.openapi()["paths"].values()
        for method, operation in item.items()
        if method in METHODS
        for tag in operation.get("tags") or ["default"]
    }
    with chromium_page() as page:
        page.send("Page.navigate", url=f"{served}/docs")
        page.wait_for("document.readyState === 'complete'", seconds=60)
        page.wait_for(f"document.querySelectorAll('.opblock').length >= {len(shown)}", seconds=180)
        rendered = page.evaluate("[...document.querySelectorAll('.opblock')].map(e => e.id)")
        assert sorted(rendered) == sorted(shown)
        title = page.evaluate("document.querySelector('.info .title')?.textContent")
        assert title
        assert shared_app.title in title
        shot = page.send("Page.captureScreenshot", format="png")
        (tmp_path / "docs.png").write_bytes(base64.b64decode(shot["data"]))
        # Whatever arrived while the page settled is counted too.
        page.evaluate("1")
        requested = list(page.requested)

    assert (tmp_path / "docs.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any(url.endswith("/openapi.json") for url in requested), requested
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme not in ("data", "blob")
        and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert not elsewhere, f"requests that left the machine: {elsewhere}"
