"""The documentation page and everything it loads come from this service: on a network without
internet it still shows."""

from __future__ import annotations

import re

import httpx


async def test_the_docs_page_loads_nothing_from_elsewhere(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    loaded += re.findall(r"url: '([^']+)'", page.text)
    assert loaded, "the page names the files it loads"
    assert all(url.startswith("/") for url in loaded), loaded
    assert "://" not in page.text


async def test_the_docs_assets_are_served(client: httpx.AsyncClient) -> None:
    page = (await client.get("/docs")).text
    for asset in re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', page):
        answer = await client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.content) > 100, asset
    script = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert "javascript" in script.headers["content-type"]


async def test_the_oauth2_redirect_page_is_served(client: httpx.AsyncClient) -> None:
    answer = await client.get("/docs/oauth2-redirect")
    assert answer.status_code == 200
    assert "oauth2" in answer.text.lower()


async def test_no_redoc_page_points_to_a_cdn(client: httpx.AsyncClient) -> None:
    assert (await client.get("/redoc")).status_code == 404
