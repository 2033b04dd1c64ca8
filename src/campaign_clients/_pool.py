"""A keep-alive pool for the async clients whose cost per request does not grow with
the number of open connections.

httpx's default async pool (httpcore) rescans every connection several times per
request, and when `sniffio` is not installed it retries a failing `import sniffio`
for each new lock. With 32 sends in flight on 2 cores that took most of a default
`httpx.AsyncClient`'s CPU (see the README's Performance section). Here idle
connections wait on a stack and a semaphore bounds the requests in flight: taking
or returning a connection is O(1), and connections are reused, not re-created.

`StackPoolTransport` is an `httpx.AsyncHTTPTransport` with only its httpcore pool
replaced by `_StackPool`: httpx's own `handle_async_request` sends, maps httpcore's
errors and builds the response, so an instrumentation of httpx's transports
(OpenTelemetry's: a span and `traceparent` per request) sees these requests as it sees
a default client's.

Used only for the `httpx.AsyncClient` the facade creates itself; an injected
`http_client` keeps its own transport. Environment proxies apply as in a default
httpx client: `_proxies.py` mounts an `httpx.AsyncHTTPTransport(proxy=...)` in front
of this one for each proxy pattern (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY); requests that
match none, or that NO_PROXY names, come here.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any, cast

import anyio
import httpcore
import httpx

from ._deadline import AsyncWriteNotingBackend
from ._limits import CURRENT

Key = tuple[bytes, bytes, int]  # (scheme, host, port)


class StackPoolTransport(httpx.AsyncHTTPTransport):
    """The async clients' transport: httpx's, on the stack pool."""

    def __init__(self, *, max_connections: int, keepalive_expiry: float) -> None:
        ssl_context = httpx.create_ssl_context()  # honours SSL_CERT_FILE, as httpx does
        super().__init__(verify=ssl_context)
        self._pool = _StackPool(ssl_context, max_connections, keepalive_expiry)


class _StackPool(httpcore.AsyncConnectionPool):
    """Idle keep-alive connections on a stack per origin, and a semaphore of
    `max_connections` slots for the requests in flight. An httpcore pool by type (what
    `httpx.AsyncHTTPTransport` holds), with its own way of sending: none of httpcore's
    queueing is used."""

    def __init__(
        self, ssl_context: ssl.SSLContext, max_connections: int, keepalive_expiry: float
    ) -> None:
        super().__init__(
            ssl_context=ssl_context,
            max_connections=max_connections,
            keepalive_expiry=keepalive_expiry,
            network_backend=AsyncWriteNotingBackend(),  # notes when a request starts being written
        )
        # (scheme, host, port) -> idle connections, the most recently used last
        self._idle: dict[Key, list[httpcore.AsyncHTTPConnection]] = {}
        self._slots: anyio.Semaphore | None = None  # made in the event loop, on first use

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send on an idle connection (or a new one) and answer with a body that is read as
        it arrives: the connection and the slot come back when the body is closed."""
        bound = CURRENT.get()
        if bound is not None:
            bound.ours = True
        await self._take_slot(request)
        slots = self._slots
        assert slots is not None
        try:
            url = request.url
            key = (url.scheme, url.host, url.port or _default_port(url.scheme))
            connection = await self._idle_connection(key) or httpcore.AsyncHTTPConnection(
                httpcore.Origin(*key),
                ssl_context=self._ssl_context,
                keepalive_expiry=self._keepalive_expiry,
                network_backend=self._network_backend,
            )
            try:
                response = await connection.handle_async_request(request)
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await connection.aclose()
                raise
        except BaseException:
            slots.release()
            raise
        # The connection's own response, its body wrapped (no second Response to build).
        stream = cast(AsyncIterable[bytes], response.stream)
        response.stream = _PooledBody(self, key, connection, stream)
        return response

    async def _give_back(self, key: Key, connection: httpcore.AsyncHTTPConnection) -> None:
        """A connection whose response is closed: idle again (its body was read to the end)
        goes on the stack, anything else is closed. Then its slot is free."""
        try:
            if connection.is_idle():
                self._idle.setdefault(key, []).append(connection)
            else:
                with anyio.CancelScope(shield=True):
                    await connection.aclose()
        finally:
            assert self._slots is not None
            self._slots.release()

    async def _take_slot(self, request: httpcore.Request) -> None:
        if self._slots is None:
            self._slots = anyio.Semaphore(self._max_connections)
        try:
            self._slots.acquire_nowait()
            return
        except anyio.WouldBlock:
            pass
        timeout: Any = request.extensions.get("timeout", {}).get("pool")
        with anyio.move_on_after(timeout) as waited:
            await self._slots.acquire()
        if waited.cancelled_caught:
            raise httpcore.PoolTimeout("no connection became free in time")

    async def _idle_connection(self, key: Key) -> httpcore.AsyncHTTPConnection | None:
        """The most recently used idle connection to this origin that is still usable."""
        stack = self._idle.get(key)
        while stack:
            connection = stack.pop()
            if connection.is_idle() and not connection.has_expired():
                return connection
            await connection.aclose()
        return None

    async def aclose(self) -> None:
        idle = [connection for stack in self._idle.values() for connection in stack]
        self._idle.clear()
        for connection in idle:
            await connection.aclose()


class _PooledBody:
    """A response body read from its pooled connection chunk by chunk, so the reader
    (`_limits.Bound.asend`) decides how much of it is read; closing it gives the
    connection back."""

    def __init__(
        self,
        pool: _StackPool,
        key: Key,
        connection: httpcore.AsyncHTTPConnection,
        stream: AsyncIterable[bytes],
    ) -> None:
        self._pool, self._key, self._connection = pool, key, connection
        self._stream = stream
        self._closed = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()  # the connection's own chunks, unwrapped

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            close = getattr(self._stream, "aclose", None)
            if close is not None:
                with anyio.CancelScope(shield=True):
                    await close()  # a body not read to its end closes the connection
        finally:
            await self._pool._give_back(self._key, self._connection)


def _default_port(scheme: bytes) -> int:
    return 443 if scheme == b"https" else 80
