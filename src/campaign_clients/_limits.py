"""Bounds on one attempt: a total deadline, and a cap on what is read.

An attempt is one request and its answer, connect to last byte. Its `Bound` holds

* the deadline (`time.monotonic()` seconds; None without one). The sync clients' own
  transport (`_deadline.py`) holds every connect, TLS handshake, write, read and pool
  wait to the time left, so a server that drips a byte every few hundred milliseconds,
  or sends `102 Processing` forever, cannot outlast it. The async clients run the
  attempt in an anyio cancel scope that ends at the deadline, whatever the transport.
  An injected sync `http_client` with its own transport gets the deadline between body
  chunks, and each of its per-phase timeouts capped at the deadline;
* whether this attempt's request went through the clients' own transport (`ours`) and
  whether it started writing the request (`wrote`): a deadline before the first byte
  was written sent nothing, so `outcome_unknown` is False;
* the most bytes a body may have after decompression (`limit`). The body is read as a
  stream and decompressed here, `max_length` at a time, so neither a large body, an
  endless chunked one, nor a small gzip that inflates to hundreds of MiB is ever held
  beyond the limit. Only gzip and deflate are asked for and understood; any other
  Content-Encoding is a typed error.

The current attempt's bound is in a ContextVar (`CURRENT`), set by the request loop for
the send and the read, so the transports can see it without any change to httpx's API.
Errors built from a response keep at most `KEPT_BODY_BYTES` of its body.
"""

from __future__ import annotations

import time
import zlib
from contextvars import ContextVar
from typing import Any

import httpx

from . import _responses
from ._calls import Call
from ._constants import KEPT_BODY_BYTES
from ._redaction import Credentials
from .errors import (
    APIStatusError,
    APITimeoutError,
    CampaignClientError,
    ResponseTooLargeError,
    ResponseValidationError,
)

CURRENT: ContextVar[Bound | None] = ContextVar("campaign_clients_bound", default=None)
"""The bound of the attempt in progress in this thread or task, if any."""

_SLACK = 0.001  # a timeout within this of the deadline is the deadline's


class DeadlinePassed(httpx.TimeoutException):
    """The attempt's deadline passed (raised between body chunks, or by the async scope)."""


class Bound:
    """One attempt's deadline and read limit, and how far its request got."""

    __slots__ = ("deadline", "limit", "ours", "seconds", "wrote")

    def __init__(self, seconds: float | None, limit: int) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.limit = limit
        self.ours = False  # set by the clients' own transports
        self.wrote = False  # set by their network streams, at the request's first byte

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline - _SLACK

    def check(self, request: httpx.Request) -> None:
        """Raise DeadlinePassed when the deadline has passed (between body chunks: the
        request was written, since its answer is arriving)."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.wrote = True
            raise DeadlinePassed("the deadline passed while reading the body", request=request)

    # -- one attempt: send, and read the body within the bounds ---------------------------

    def send(self, http: httpx.Client, request: httpx.Request) -> httpx.Response:
        """Send and read the body (decoded into `response.content`), within the bounds.

        Raises httpx.RequestError (DeadlinePassed included) or BodyError."""
        token = CURRENT.set(self)
        try:
            response = http.send(request, stream=True)
            try:
                if not response.is_stream_consumed:
                    reader = _Reader(response, self)
                    for chunk in response.iter_raw():
                        reader.feed(chunk)
                    reader.finish()
                elif len(response.content) > self.limit:  # made in memory, read already
                    _Reader(response, self).finish()
            finally:
                response.close()
        finally:
            CURRENT.reset(token)
        return response

    async def asend(self, http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
        """The async twin of `send`, in a cancel scope that ends at the deadline."""
        token = CURRENT.set(self)
        try:
            with _CancelAtDeadline(self, request):
                response = await http.send(request, stream=True)
                try:
                    if not response.is_stream_consumed:
                        reader = _Reader(response, self)
                        async for chunk in response.aiter_raw():
                            reader.feed(chunk)
                        reader.finish()
                    elif len(response.content) > self.limit:  # made in memory, read already
                        _Reader(response, self).finish()
                finally:
                    await response.aclose()
        finally:
            CURRENT.reset(token)
        return response

    # -- the errors an attempt ends with ---------------------------------------------------

    def request_error(
        self, call: Call[Any], exc: httpx.RequestError, credentials: Credentials
    ) -> CampaignClientError:
        """The error for an httpx failure: the deadline's when it has passed."""
        if isinstance(exc, DeadlinePassed) or (
            isinstance(exc, httpx.TimeoutException) and self.expired()
        ):
            return self.deadline_error(call, exc)
        return _responses.request_error(call, exc, credentials)

    def deadline_error(self, call: Call[Any], exc: httpx.TimeoutException) -> APITimeoutError:
        """Nothing was sent when the connect or pool wait timed out, or when our transport
        had not yet written a byte; otherwise the request may have been acted on."""
        not_sent = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout) or (
            self.ours and not self.wrote
        )
        if not_sent:
            stage = "before the request was sent"
        elif self.wrote:
            stage = "after the request was sent"
        else:
            stage = "once the request may have been sent"
        whole = f"the deadline of {self.seconds:g} s for the whole attempt passed"
        return APITimeoutError(
            f"timed out {stage} ({whole})",
            outcome_unknown=not not_sent and _responses._acts(call),
            provider=call.operation.provider,
            operation=call.operation.name,
        )


class _CancelAtDeadline:
    """An anyio cancel scope that ends at the bound's deadline and then raises
    DeadlinePassed; nothing at all without a deadline. anyio is imported on first use."""

    __slots__ = ("_bound", "_request", "_scope")

    def __init__(self, bound: Bound, request: httpx.Request) -> None:
        self._bound, self._request = bound, request
        self._scope: Any = None

    def __enter__(self) -> None:
        if self._bound.deadline is not None:
            import anyio

            self._scope = anyio.move_on_after(self._bound.deadline - time.monotonic())
            self._scope.__enter__()

    def __exit__(self, *exc_info: Any) -> bool:
        scope = self._scope
        if scope is None:
            return False
        swallowed = bool(scope.__exit__(*exc_info))
        if scope.cancelled_caught:
            raise DeadlinePassed("the deadline passed", request=self._request)
        return swallowed


# -- reading a body within the limit ----------------------------------------------------------


class BodyError(Exception):
    """Reading a body stopped: it is larger than the limit, or cannot be decoded. Made
    into the typed error by `error()`, which keeps what was read of it."""

    def __init__(self, why: str, reader: _Reader, *, too_large: bool) -> None:
        super().__init__(why)
        self.why = why
        self.response = reader.response
        self.too_large = too_large
        self.limit = reader.bound.limit
        self.prefix = b"".join(reader.parts)[: 2 * KEPT_BODY_BYTES]  # redacted, then cut
        self.length = reader.announced if too_large else None

    def error(self, call: Call[Any], credentials: Credentials) -> CampaignClientError:
        """An error status keeps its class (its status line is known); a 2xx that is too
        large is a ResponseTooLargeError, one that cannot be decoded is invalid."""
        response = self.response
        response._content = self.prefix
        status = response.status_code
        if not 200 <= status < 300:
            error: CampaignClientError = _responses.status_error(call, response, credentials)
        elif self.too_large:
            error = ResponseTooLargeError(
                f"HTTP {status}: the body is larger than max_response_bytes "
                f"({self.limit} bytes); reading stopped there",
                status_code=status,
                body=_responses.kept_text(response, credentials),
                limit=self.limit,
                provider=call.operation.provider,
                operation=call.operation.name,
                outcome_unknown=_responses._acts(call),
            )
        else:
            error = _responses.invalid(call, response, credentials, self.why)
        return kept(error, response, credentials, length=self.length, whole=False)


class _Inflater:
    """gzip or deflate, decompressed at most `room + 1` bytes at a time: a compressed
    chunk never inflates past the limit, however much it would."""

    __slots__ = ("_first", "_raw_fallback", "_z")

    def __init__(self, wbits: int, *, raw_fallback: bool) -> None:
        self._z = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback  # "deflate" is sometimes sent without zlib's header
        self._first = True

    def __call__(self, data: bytes, room: int) -> bytes:
        first, self._first = self._first, False
        try:
            # Output is capped at room + 1, so more than room means over the limit; when
            # it is not capped, all of `data` was consumed (no unconsumed_tail is left).
            return self._z.decompress(data, room + 1)
        except zlib.error:
            if not (first and self._raw_fallback):
                raise
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._z.decompress(data, room + 1)

    def flush(self) -> bytes:
        return self._z.flush()


_DECODERS = {
    "gzip": lambda: _Inflater(zlib.MAX_WBITS | 16, raw_fallback=False),
    "x-gzip": lambda: _Inflater(zlib.MAX_WBITS | 16, raw_fallback=False),
    "deflate": lambda: _Inflater(zlib.MAX_WBITS, raw_fallback=True),
}


class _Reader:
    """One body as it arrives: decoded, counted, stopped at the limit."""

    __slots__ = ("announced", "bound", "decode", "parts", "response", "size", "streaming")

    def __init__(self, response: httpx.Response, bound: Bound) -> None:
        self.response, self.bound = response, bound
        self.parts: list[bytes] = []
        self.size = 0
        self.decode: _Inflater | None = None
        # A response made in memory (httpx.MockTransport) comes read and decoded already.
        self.streaming = not response.is_stream_consumed
        self.announced: int | None = None  # Content-Length, when it counts decoded bytes
        if not self.streaming:
            self.parts.append(response.content)
            self.size = self.announced = len(response.content)
            return
        encoding = length = b""
        for name, value in response.headers.raw:  # one pass: Headers.get costs more, twice
            name = name.lower()
            if name == b"content-encoding":
                encoding += b"," + value
            elif name == b"content-length":
                length = value.strip()
        names = encoding.decode("latin-1").lower().replace(" ", "").split(",")
        encodings = [e for e in names if e not in ("", "identity")]
        if len(encodings) == 1 and encodings[0] in _DECODERS:
            self.decode = _DECODERS[encodings[0]]()
        elif encodings:
            why = f"the body's Content-Encoding {', '.join(encodings)!r} is not supported"
            raise BodyError(why, self, too_large=False)
        elif length.isdigit():
            self.announced = int(length)

    def feed(self, chunk: bytes) -> None:
        """Take the next raw chunk. The deadline is checked first: this is where a sync
        transport that is not ours (an injected client's) meets it."""
        self.bound.check(self.response.request)
        if self.decode is not None:
            try:
                chunk = self.decode(chunk, self.bound.limit - self.size)
            except zlib.error as exc:
                why = f"the compressed body is corrupt ({exc})"
                raise BodyError(why, self, too_large=False) from None
        self._keep(chunk)

    def _keep(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.parts.append(chunk)
        if self.size > self.bound.limit:
            raise BodyError("the body is larger than max_response_bytes", self, too_large=True)

    def finish(self) -> None:
        if self.decode is not None:
            self._keep(self.decode.flush())  # nothing is pending: every chunk was consumed
        elif self.size > self.bound.limit:  # a body that came whole, in memory
            raise BodyError("the body is larger than max_response_bytes", self, too_large=True)
        if self.streaming:
            self.response._content = b"".join(self.parts)


# -- what an error keeps of a body ------------------------------------------------------------


def kept(
    error: CampaignClientError,
    response: httpx.Response,
    credentials: Credentials,
    *,
    length: int | None = None,
    whole: bool = True,
) -> CampaignClientError:
    """`error` keeping at most KEPT_BODY_BYTES bytes of the body (the key taken out
    before the cut, so no part of it is left at the end), with `body_length` noted.

    A body that was read whole and is small stays as `_responses` decoded it (JSON or
    text); a longer one becomes the text of its start."""
    if not isinstance(error, APIStatusError | ResponseValidationError):
        return error
    error.body_length = len(response.content) if whole else length
    error.body_truncated = not whole
    if len(response.content) > KEPT_BODY_BYTES:
        error.body = _responses.kept_text(response, credentials)
        error.body_truncated = True
    return error


def capped(timeout: httpx.Timeout, deadline: float | None) -> httpx.Timeout:
    """`timeout` with no phase longer than the deadline: a phase cannot outlast the whole
    attempt, and an injected client's transport is held to it at least so."""
    if deadline is None:
        return timeout

    def cap(seconds: float | None) -> float:
        return deadline if seconds is None else min(seconds, deadline)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )
