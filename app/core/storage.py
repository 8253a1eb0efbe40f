"""Where uploaded documents live (parents' medical certificates, for one): a small store
interface, a local-directory implementation, and the dependency that reaches the app's store.

Keys are made by the server (`new_key`), never taken from a client's file name, and a key can
only name a file inside the store's root.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path
from typing import Annotated, Protocol

import anyio.to_thread
from fastapi import Depends, Request

# A prefix and a uuid's hex, e.g. `justifications/3f0c…`: no dots, so no `..`, no hidden files.
_KEY = re.compile(r"^[a-z0-9]+(/[a-z0-9]+)*$")
_PREFIX = re.compile(r"^[a-z0-9]+$")


class DocumentMissing(LookupError):
    """No document is stored under this key."""


class DocumentStore(Protocol):
    """Bytes stored under opaque keys; every call may do IO, so all are awaited."""

    async def put(self, key: str, content: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


def new_key(prefix: str) -> str:
    """A fresh, unguessable key under `prefix` (lowercase letters and digits)."""
    if not _PREFIX.match(prefix):
        raise ValueError("a key prefix is lowercase letters and digits")
    return f"{prefix}/{uuid.uuid4().hex}"


class LocalDirectoryStore:
    """Files under one directory, written and read in a worker thread (never on the loop)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        """The file of `key`; resolving touches the disk, so it runs in the worker thread."""
        if not _KEY.match(key):
            raise ValueError("not a document key")
        root = self.root.resolve()
        path = (root / key).resolve()
        # Belt and braces: the pattern already rules out `..`, absolute keys and dot files.
        if not path.is_relative_to(root):
            raise ValueError("not a document key")
        return path

    async def put(self, key: str, content: bytes, content_type: str) -> None:
        """Store `content` under `key`; the type is kept by the caller (in the database)."""
        await anyio.to_thread.run_sync(self._write, key, content)

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key` (`DocumentMissing` if there are none)."""
        return await anyio.to_thread.run_sync(self._read, key)

    async def delete(self, key: str) -> None:
        """Remove the document; a missing one is not an error."""
        await anyio.to_thread.run_sync(self._delete, key)

    def _write(self, key: str, content: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written aside then renamed: a reader never sees half a file, a crash leaves no stub.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise DocumentMissing(key) from None

    def _delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


async def document_store(request: Request) -> DocumentStore:
    """The store the app factory put on `app.state`."""
    store: DocumentStore = request.app.state.document_store
    return store


DocumentStoreDep = Annotated[DocumentStore, Depends(document_store)]
