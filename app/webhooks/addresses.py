"""Where the worker may post: outside development, only to public addresses.

A URL's host is checked twice. At registration (`endpoints.py`) a literal address or a name
of the local network is refused at once. At delivery the name is resolved, every address it
resolves to must be public (not private, loopback, link-local, shared, reserved, multicast or
unspecified), and the worker connects to the address it checked, not to the name: resolving
again at connect time would let a name that answered a public address to the check answer a
private one to the connection (DNS rebinding). The request keeps the name as its `Host` and
as the TLS server name, so the receiver's certificate is still verified against the name."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# host, port -> the addresses it resolves to. Injectable, so a test can name a receiver.
Resolver = Callable[[str, int], Awaitable[list[str]]]

_LOCAL_SUFFIXES = (".localhost", ".internal", ".local")
# A name that takes longer to resolve is an attempt failed, tried again later.
RESOLVE_SECONDS = 5.0


async def resolve_host(host: str, port: int) -> list[str]:
    """The addresses of `host` from the system's resolver, each once, in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: IPAddress) -> bool:
    """Whether an address is on the public internet (an IPv4 address written as IPv6 is
    judged as the IPv4 address it is)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def names_local_network(host: str) -> bool:
    """Whether a URL's host is, as written, a non-public address or a local name."""
    host = host.lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(_LOCAL_SUFFIXES)
    return not is_public(address)


class DeliveryRefused(Exception):
    """The worker will not post to this URL now; the reason is the delivery's error."""


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """Where to post: the URL with the checked address as its host, and the name kept for
    the `Host` header and the TLS server name."""

    url: httpx.URL
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


async def pinned_target(url: str, resolver: Resolver, *, public_only: bool) -> PinnedTarget:
    """The URL pinned to an address its host resolves to; `DeliveryRefused` when it does not
    resolve or, with `public_only`, when any of its addresses is not public."""
    parsed = httpx.URL(url)
    host = parsed.host
    if not host:
        raise DeliveryRefused("refused: the URL has no host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            addresses = await resolver(host, port)
    except (OSError, TimeoutError):
        raise DeliveryRefused(f"refused: {host} does not resolve") from None
    if not addresses:
        raise DeliveryRefused(f"refused: {host} does not resolve")
    checked = [ipaddress.ip_address(address) for address in addresses]
    if public_only:
        private = [str(address) for address in checked if not is_public(address)]
        if private:
            raise DeliveryRefused(f"refused: {host} resolves to {private[0]}, not a public address")
    return PinnedTarget(
        url=parsed.copy_with(host=str(checked[0])),
        # The client's pool knows the address, not the name: a connection kept alive could carry
        # the next post for another name at that address, over a TLS session verified for the
        # first. Each post closes its connection, so a connection serves one name only.
        headers={"host": parsed.netloc.decode("ascii"), "connection": "close"},
        extensions={"sni_hostname": host} if parsed.scheme == "https" else {},
    )
