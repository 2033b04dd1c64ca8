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

import contextlib
import ssl
from collections.abc import Iterator
from typing import Any

import anyio
import httpcore
import httpx

# Most specific first: the first match wins.
_HTTPX_ERRORS: list[tuple[type[Exception], type[httpx.TransportError]]] = [
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
]


@contextlib.contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    """Raise httpcore's errors as the httpx errors the facade maps (as httpx itself does)."""
    try:
        yield
    except Exception as exc:
        for core_error, httpx_error in _HTTPX_ERRORS:
            if isinstance(exc, core_error):
                raise httpx_error(str(exc), request=request) from exc
        raise


class StackPoolTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, max_connections: int, keepalive_expiry: float) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._ssl_context: ssl.SSLContext = httpx.create_ssl_context()  # honours SSL_CERT_FILE
        # (scheme, host, port) -> idle connections, the most recently used last
        self._idle: dict[tuple[bytes, bytes, int], list[httpcore.AsyncHTTPConnection]] = {}
        self._slots: anyio.Semaphore | None = None  # made in the event loop, on first use

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
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
                with _as_httpx_errors(request):
                    response = await connection.handle_async_request(core_request)
                    content = await response.aread()  # the facade reads every body whole
                    await response.aclose()
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await connection.aclose()
                raise
            if connection.is_idle():
                self._idle.setdefault(key, []).append(connection)
            else:
                await connection.aclose()
        finally:
            slots.release()
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            content=content,
            extensions=response.extensions,
        )

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

    async def _idle_connection(
        self, key: tuple[bytes, bytes, int]
    ) -> httpcore.AsyncHTTPConnection | None:
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


def _default_port(url: httpx.URL) -> int:
    return 443 if url.raw_scheme == b"https" else 80
