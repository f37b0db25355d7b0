"""httpcore's side of the private-address guard (app/monitor/address_guard.py): a network backend
that resolves a name itself, connects only to addresses the guard allows, and clamps every socket
operation to the fetch's deadline; httpx's transport rebuilt on it. Apart from the guard's rules
because httpx and httpcore cost ~0.2 s of CPU to import: every `flask` process imported them at
start through the guard (the web pages and the case commands read its rules), now only the fetcher
does (session 48)."""
from __future__ import annotations

import contextvars
import ssl
import time
from typing import Any

import httpcore
import httpx
from httpcore import HTTP11Connection

from app.monitor.address_guard import (
    AddressGuard,
    Resolver,
    bounded_lookup,
    fetch_deadline,
    is_ip_literal,
    system_resolver,
)

DEFAULT_LIMITS = httpx.Limits()  # the client's pool limits unless the caller gives its own (immutable)
# h11 bounds each head it reads (MAX_INCOMPLETE_EVENT_SIZE), not how many interim ones («100 Continue») come first: an
# endless stream of them was read until the fetch's deadline, a pool thread's CPU all along (hostile feeds at the wire,
# round 22b). The bytes read while a response's head is awaited are bounded by one head and one read past it (the
# body's first bytes come in the head's last read); over it, h11's words for a head too large (fetch.py says them).
HEAD_BYTES_MAX = HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE + HTTP11Connection.READ_NUM_BYTES
_head_bytes: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("head_bytes", default=None)


def _count_head(name: str, info: dict) -> None:
    """httpcore's trace: counting starts when a response's head is awaited, stops when it came (or failed)."""
    if name == "http11.receive_response_headers.started":
        _head_bytes.set([0])
    elif name.startswith("http11.receive_response_headers."):
        _head_bytes.set(None)


def _clamp(timeout: float | None) -> float | None:
    deadline = fetch_deadline.get()
    if deadline is None:
        return timeout
    remaining = max(deadline - time.monotonic(), 0.001)
    return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every socket operation ends by the current fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, _clamp(timeout))
        if (counted := _head_bytes.get()) is not None:
            counted[0] += len(data)
            if counted[0] > HEAD_BYTES_MAX:
                raise httpcore.RemoteProtocolError("Receive buffer too long")
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                    _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend: resolve, check every address, connect to a checked address."""

    def __init__(self, guard: AddressGuard, resolver: Resolver = system_resolver):
        self._inner = httpcore.SyncBackend()
        self._guard = guard
        self._resolver = resolver

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None,
                    ) -> httpcore.NetworkStream:
        if is_ip_literal(host):
            addresses = [host]
        else:
            try:
                addresses = bounded_lookup(self._resolver, host, port, _clamp(timeout))
            except TimeoutError as exc:
                raise httpcore.ConnectTimeout(f"cannot resolve {host}: {exc}") from exc
            except OSError as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
            if not addresses:
                raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        last_error: Exception | None = None
        for address in self._guard.check_addresses(host, addresses):
            try:
                return DeadlineStream(self._inner.connect_tcp(
                    address, port, timeout=_clamp(timeout), local_address=local_address,
                    socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with its pool rebuilt on `GuardedBackend`. httpx has no public
    hook for the network backend; it is pinned, and the tests exercise this path."""

    def __init__(self, guard: AddressGuard, *, resolver: Resolver = system_resolver,
                 ssl_context: ssl.SSLContext, limits: httpx.Limits = DEFAULT_LIMITS):
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        assert isinstance(self._pool, httpcore.ConnectionPool)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard, resolver))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions = {**request.extensions, "trace": _count_head}
        return super().handle_request(request)
