"""The apps' client is generated from the committed document with every model and operation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

DOCUMENT = Path(__file__).resolve().parents[2] / "openapi" / "v1.json"


def _file_media_types(document: dict[str, Any]) -> set[str]:
    """The media types of the files the API serves: PDF, images, spreadsheets."""
    return {
        media
        for operations in document["paths"].values()
        for operation in operations.values()
        for response in operation["responses"].values()
        for media in response.get("content", {})
        if not (media == "application/json" or media.endswith("+json"))
    }


def test_the_generated_client_has_every_model_and_the_login(tmp_path: Path) -> None:
    # The generator reads JSON, text and octet-stream bodies only: a file download is bytes to it.
    # Any other warning (a duplicate or missing model, an operation left out) fails the test.
    files = _file_media_types(json.loads(DOCUMENT.read_text()))
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "post_hooks": [],
                "content_type_overrides": dict.fromkeys(files, "application/octet-stream"),
            }
        )
    )
    client = tmp_path / "client"
    generated = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate"),
            *("--path", str(DOCUMENT), "--output-path", str(client)),
            *("--meta", "none", "--config", str(config), "--fail-on-warning"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Warning" not in output, output
    login = client / "api" / "auth" / "auth_token.py"
    assert "LoginRequest" in login.read_text()
