"""The network layer under the transports the clients make themselves: it holds each
socket operation of the sync clients to the time left before the attempt's deadline,
and notes (sync and async) when the request's first byte is written, so that an error
at the deadline can say whether anything was sent.

httpx's per-phase timeouts bound each read, not the whole: a server that drips a byte
every 0.3 s, or answers `102 Processing` forever, never trips a 1 s read timeout. The
sync clients cannot cancel a blocking read from outside, so `DeadlineTransport` (an
`httpx.HTTPTransport`: HTTP/1.1 over httpcore's connection pool, with the SSL context
`httpx.create_ssl_context()` makes, which honours SSL_CERT_FILE) runs its pool on a
network backend whose streams clamp every connect, TLS handshake, read and write
timeout to the time left in `_limits.CURRENT`, and raise the phase's timeout once it is
gone. Only the pool is replaced: httpx's own `handle_request` sends, so an
instrumentation of httpx's transports (OpenTelemetry's) sees these requests. The async
clients are bounded by a cancel scope instead (`_limits.py`); their pool (`_pool.py`)
uses `AsyncWriteNotingBackend` only to note the first write.

Imported on first use of a client (it imports httpcore, which httpx itself defers).
"""

from __future__ import annotations

import ssl
import time
import typing

import httpcore
import httpx

from ._head import HeadCounter
from ._limits import CURRENT, Bound


def _clamped(
    timeout: float | None, expired: type[Exception], *, writing: bool = False
) -> float | None:
    """`timeout`, or the time left before the current attempt's deadline if that is less;
    raises `expired` (an httpcore timeout) once no time is left."""
    bound = CURRENT.get()
    if bound is None:
        return timeout
    if writing:
        bound.wrote = True
    if bound.deadline is None:
        return timeout
    left = bound.deadline - time.monotonic()
    if left <= 0:
        raise expired("the attempt's deadline has passed")
    return left if timeout is None or left < timeout else timeout


class _DeadlineStream(httpcore.NetworkStream):
    """A sync network stream whose every operation ends by the attempt's deadline, and
    whose answers' heads are capped (`_head.py`)."""

    __slots__ = ("_head", "_stream")

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        self._head = HeadCounter()

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._stream.read(max_bytes, _clamped(timeout, httpcore.ReadTimeout))
        self._head.read(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        clamped = _clamped(timeout, httpcore.WriteTimeout, writing=True)
        self._head.wrote()
        self._stream.write(buffer, clamped)

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        clamped = _clamped(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, clamped))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, its streams held to the attempt's deadline."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(self, *args: typing.Any, **kwargs: typing.Any) -> httpcore.NetworkStream:
        """As httpcore's, with the connect timeout held to the deadline. httpcore passes
        every argument by keyword (host, port, timeout, local_address, socket_options); no
        unix socket is ever asked for (the pool has no `uds`)."""
        kwargs["timeout"] = _clamped(kwargs.get("timeout"), httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(*args, **kwargs))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _DeadlinePool(httpcore.ConnectionPool):
    """httpcore's connection pool on the deadline backend, noting that the attempt went
    through the clients' own connections, with its pool wait held to the deadline."""

    def __init__(self, ssl_context: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_DeadlineBackend(),
        )

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        bound = CURRENT.get()
        if bound is not None:
            bound.ours = True
            if bound.deadline is not None:
                request.extensions = {
                    **request.extensions,
                    "timeout": _pool_clamped(request.extensions, bound),
                }
        return super().handle_request(request)


class DeadlineTransport(httpx.HTTPTransport):
    """The sync clients' transport: an `httpx.HTTPTransport` (HTTP/1.1; SSL_CERT_FILE
    honoured, as httpx does) whose connection pool holds its sockets to each attempt's
    deadline (a pool wait too).

    It is httpx's own class with only its pool replaced, so httpx maps the errors and
    builds the response, and whatever wraps `httpx.HTTPTransport.handle_request`
    (OpenTelemetry's httpx instrumentation: a span and `traceparent` per request) wraps
    these requests too."""

    def __init__(self, limits: httpx.Limits) -> None:
        ssl_context = httpx.create_ssl_context()  # honours SSL_CERT_FILE, as httpx does
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = _DeadlinePool(ssl_context, limits)


def _pool_clamped(
    extensions: typing.Mapping[str, typing.Any], bound: Bound
) -> dict[str, typing.Any]:
    """The request's timeouts with the pool wait held to the deadline (the backend holds
    the others)."""
    timeouts = dict(extensions.get("timeout") or {})
    assert bound.deadline is not None
    left = max(bound.deadline - time.monotonic(), 0.0)
    pool = timeouts.get("pool")
    if pool is None or left < pool:
        timeouts["pool"] = left
    return timeouts


# -- async: note the first write, cap the heads ---------------------------------------------


class _AsyncWriteNotingStream(httpcore.AsyncNetworkStream):
    """An async network stream noting the request's first write, and whose answers'
    heads are capped (`_head.py`)."""

    __slots__ = ("_head", "_stream")

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream
        self._head = HeadCounter()

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._stream.read(max_bytes, timeout)
        self._head.read(data)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        bound = CURRENT.get()
        if bound is not None:
            bound.wrote = True
        self._head.wrote()
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _AsyncWriteNotingStream(stream)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class AsyncWriteNotingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, noting in the current attempt's bound when the request's
    first byte is written (the cancel scope, not the backend, enforces the deadline)."""

    def __init__(self) -> None:
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self, *args: typing.Any, **kwargs: typing.Any
    ) -> httpcore.AsyncNetworkStream:
        """As httpcore's (which passes every argument by keyword; never a unix socket)."""
        return _AsyncWriteNotingStream(await self._backend.connect_tcp(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)
