"""The service's log lines: the request id on every record, one JSON object a line
(`MASSAR_LOG_FORMAT=json`), and the access line.

The access line, one per request answered at INFO on `massar.access`, names what the request
was (its route template, never the raw path or query, which may carry ids or codes), who asked,
how it ended and how long it took. When the service writes JSON to its own stream
(`cli.logging_config` gives `massar serve` one `JsonLogHandler`) and nothing else would see the
line, it is made here from pieces kept per route and status, and handed to that handler, which
writes the lines of one turn of the event loop at once. Through the logging module (a record,
its filters, the generic JSON formatter, a write and a flush each) the line cost about 30 µs, most
of what operations added to a hot read; this way it costs a few. It is the line the formatter
writes for the record, key for key (`tests/core/test_operations.py` compares them).

Anywhere else (a test capturing records, a handler a deployment adds, the text format) the line
goes through logging as a record, its fields on the record's `access` attribute.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, NamedTuple

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("massar.access")
# The access line's fields ride on its record as this one attribute; the JSON formatter writes
# them as keys.
ACCESS = "access"
_LEVEL = logging.INFO
_TEXT = "%s %s %s %.1fms"


def current_request_id() -> str:
    """The id of the request being served ("-" outside one)."""
    return _request_id.get()


def set_request_id(request_id: str) -> Any:
    """Name the request being served; the token resets it (`reset_request_id`)."""
    return _request_id.set(request_id)


def reset_request_id(token: Any) -> None:
    _request_id.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Stamps every log record with the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line (`MASSAR_LOG_FORMAT=json`): time, level, logger, message, the
    request id, and an access line's fields. Arguments are merged into the message as in text;
    what the app logs never carries a secret (tests/core/test_operations.py drives the secrets
    through the API and looks)."""

    def __init__(self) -> None:
        super().__init__()
        # The lines carry no thread, process or caller: records need not collect them (an
        # access line per request made that a third of its cost). Python's logging documents
        # these switches ("Optimization"); they are process-wide, and the text format, the
        # default, shows none of them either.
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False
        logging._srcfile = None

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        fields = getattr(record, ACCESS, None)
        if fields is not None:
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class JsonLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The service's stream (stderr) in the JSON format: records as any handler writes them,
    and access lines already formatted, gathered for one write per turn of the event loop.
    A record written meanwhile first writes the lines gathered before it, so the stream keeps
    the order in which they were logged."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        self._gathered: list[str] = []

    def write_line(self, line: str) -> None:
        """Write `line` (one JSON object, no newline) with the others of this loop turn."""
        gathered = self._gathered
        gathered.append(line)
        if len(gathered) > 1:
            return
        try:
            asyncio.get_running_loop().call_soon(self.flush)
        except RuntimeError:  # no event loop here: no turn to wait for
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if self._gathered:
                lines, self._gathered = self._gathered, []
                self.stream.write("\n".join(lines) + "\n")
            super().flush()

    def emit(self, record: logging.LogRecord) -> None:
        if self._gathered:
            self.flush()
        super().emit(record)


def _direct_handler() -> JsonLogHandler | None:
    """The one handler an access record would reach, when it is the service's JSON stream and
    takes the record as it is (its only filter stamps the request id, which the line carries)."""
    if not access_log.isEnabledFor(_LEVEL):
        return None
    found: list[logging.Handler] = []
    logger: logging.Logger | None = access_log
    while logger is not None:
        if logger.filters:
            return None
        found += logger.handlers
        logger = logger.parent if logger.propagate else None
    if len(found) != 1:
        return None
    handler = found[0]
    if type(handler) is not JsonLogHandler or handler.level > _LEVEL:
        return None
    if not all(type(f) is RequestIdLogFilter for f in handler.filters):
        return None
    return handler


class Access(NamedTuple):
    """A request answered, as its access line tells it. `request_id` is one the middleware
    made or accepted (letters, digits, `._-`); `principal` is the caller, if one was known."""

    method: str
    route: str
    status: int
    seconds: float
    principal: Any
    request_id: str


class AccessLines:
    """Writes access lines, keeping the JSON of each (method, route, status) and of each
    second's time stamp once made."""

    def __init__(self) -> None:
        self._heads: dict[tuple[str, str, int], tuple[str, str]] = {}
        self._roles: dict[str, str] = {}
        self._second = -1
        self._stamp = ""

    def write(self, access: Access) -> None:
        """Log the access line of a request answered."""
        handler = _direct_handler()
        if handler is not None:
            handler.write_line(self.line(access))
        elif access_log.isEnabledFor(_LEVEL):
            method, route, status, seconds = access[:4]
            extra = {ACCESS: access_fields(access)}
            access_log.info(_TEXT, method, route, status, seconds * 1000, extra=extra)

    def line(self, access: Access) -> str:
        """The JSON line `JsonLogFormatter` writes for the access record, made from pieces."""
        milliseconds = access.seconds * 1000
        message, fields = self._head(access.method, access.route, access.status)
        principal = access.principal
        if principal is None:
            who = '"principal_id": null, "role": null'
        else:
            who = f'"principal_id": "{principal.user_id}", "role": {self._role(principal)}'
        return (
            f'{{"time": "{self._time()}", "level": "info", "logger": "massar.access", '
            f'"message": {message}{milliseconds:.1f}ms", "request_id": "{access.request_id}", '
            f'{fields}, "duration_ms": {round(milliseconds, 2)!r}, {who}}}'
        )

    def _head(self, method: str, route: str, status: int) -> tuple[str, str]:
        key = (method, route, status)
        head = self._heads.get(key)
        if head is None:
            # The message's JSON string, left open for the duration; the fields in order.
            message = json.dumps(f"{method} {route} {status} ", ensure_ascii=False)[:-1]
            fields = {"method": method, "route": route, "status": status}
            head = (message, json.dumps(fields, ensure_ascii=False)[1:-1])
            if len(self._heads) < 10_000:  # methods are the client's words: bounded
                self._heads[key] = head
        return head

    def _role(self, principal: Any) -> str:
        role: str = principal.role.value
        text = self._roles.get(role)
        if text is None:
            text = self._roles[role] = json.dumps(role)
        return text

    def _time(self) -> str:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._stamp = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._stamp}.{int((now - second) * 1000):03d}+00:00"


def access_fields(access: Access) -> dict[str, Any]:
    """The access line's own fields, as the record carries them for `JsonLogFormatter`."""
    principal = access.principal
    return {
        "method": access.method,
        "route": access.route,
        "status": access.status,
        "duration_ms": round(access.seconds * 1000, 2),
        "principal_id": str(principal.user_id) if principal else None,
        "role": principal.role.value if principal else None,
    }
