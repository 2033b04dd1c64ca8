"""A keep-alive pool for the async clients whose cost per request does not grow with
the number of open connections.

httpx's default async pool (httpcore) rescans every connection several times per
request, and when `sniffio` is not installed it retries a failing `import sniffio`
for each new lock. With 32 sends in flight on 2 cores that took most of a default
`httpx.AsyncClient`'s CPU (see the README's Performance section). Here idle
connections wait on a stack and a semaphore bounds the requests in flight: taking
or returning a connection is O(1), and connections are reused, not re-created.

Used only for the `httpx.AsyncClient` the facade creates itself; an injected
`http_client` keeps its own transport. Environment proxies apply as in a default
httpx client: `_proxies.py` mounts an `httpx.AsyncHTTPTransport(proxy=...)` in front
of this one for each proxy pattern (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY); requests that
match none, or that NO_PROXY names, come here.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpcore
import httpx

from ._deadline import AsyncWriteNotingBackend, as_httpx_errors
from ._limits import CURRENT

Key = tuple[bytes, bytes, int]  # (scheme, host, port)


class StackPoolTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, max_connections: int, keepalive_expiry: float) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._ssl_context: ssl.SSLContext = httpx.create_ssl_context()  # honours SSL_CERT_FILE
        # (scheme, host, port) -> idle connections, the most recently used last
        self._idle: dict[tuple[bytes, bytes, int], list[httpcore.AsyncHTTPConnection]] = {}
        self._slots: anyio.Semaphore | None = None  # made in the event loop, on first use
        self._backend = AsyncWriteNotingBackend()  # notes when a request starts being written

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
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
            key = (url.raw_scheme, url.raw_host, url.port or _default_port(url))
            connection = await self._idle_connection(key) or httpcore.AsyncHTTPConnection(
                httpcore.Origin(*key),
                ssl_context=self._ssl_context,
                keepalive_expiry=self._keepalive_expiry,
                network_backend=self._backend,
            )
            core_request = httpcore.Request(
                method=request.method,
                url=httpcore.URL(
                    scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
                ),
                headers=request.headers.raw,
                content=request.stream,
                extensions=request.extensions,
            )
            try:
                with as_httpx_errors(request):
                    response = await connection.handle_async_request(core_request)
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await connection.aclose()
                raise
        except BaseException:
            slots.release()
            raise
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_PooledBody(self, key, connection, response, request),
            extensions=response.extensions,
        )

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

    async def _take_slot(self, request: httpx.Request) -> None:
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
            raise httpx.PoolTimeout("no connection became free in time", request=request)

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


class _PooledBody(httpx.AsyncByteStream):
    """A response body read from its pooled connection chunk by chunk, so the reader
    (`_limits.Bound.asend`) decides how much of it is read; closing it gives the
    connection back."""

    def __init__(
        self,
        pool: StackPoolTransport,
        key: Key,
        connection: httpcore.AsyncHTTPConnection,
        response: httpcore.Response,
        request: httpx.Request,
    ) -> None:
        self._pool, self._key, self._connection = pool, key, connection
        self._response, self._request = response, request
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with as_httpx_errors(self._request):
            async for chunk in self._response.aiter_stream():
                yield chunk

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            with anyio.CancelScope(shield=True), as_httpx_errors(self._request):
                await self._response.aclose()  # a body not read to its end closes the connection
        finally:
            await self._pool._give_back(self._key, self._connection)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.raw_scheme == b"https" else 80
