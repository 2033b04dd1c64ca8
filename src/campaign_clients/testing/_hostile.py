"""The faults a client's bounds are for: an answer dripped a byte at a time
(`drip_next`, against a total deadline) and an answer with an oversized body
(`oversize_next`, against a read limit), optionally gzip-compressed so that a small
transfer inflates to a large body.

Over HTTP they really happen: the server writes the answer a byte at a time, sleeping
between bytes (ended when the server stops or the client leaves), or streams the
padded body in 64 KiB pieces, compressing as it goes, so neither the fake nor the
server ever holds the whole body. In process (`fake.transport`) nothing sleeps: a drip
that would take at least the request's read timeout raises `httpx.ReadTimeout` at
once (what a client whose deadline equals its timeout would end it with); an oversized
answer is streamed from the same generator.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import httpx

from ..errors import reason_phrase
from ._faults import check_times
from ._models import Fault, Reply

CHUNK = 64 * 1024
_BLANKS = b" " * CHUNK
_NO_BODY = (204, 304)


class HostileFaults:
    """`drip_next` and `oversize_next`, mixed into both fakes (which define the hooks)."""

    def _queue(self, fault: Fault) -> None:
        raise NotImplementedError

    def _check_operation(self, operation: str | None) -> str | None:
        raise NotImplementedError

    def drip_next(
        self,
        seconds_per_byte: float = 0.3,
        *,
        body_only: bool = False,
        times: int = 1,
        operation: str | None = None,
    ) -> None:
        """Act on the next ``times`` matching calls, then send the answer one byte every
        ``seconds_per_byte`` seconds: status line, headers and body, or with
        ``body_only=True`` the status line and headers at once and only the body dripped.

        No single read waits long, so a per-read timeout never fires; only a deadline on
        the whole answer ends it. Over HTTP the drip stops when the client closes the
        connection or the server stops. In process nothing sleeps: ``httpx.ReadTimeout``
        is raised at once if the whole drip would take at least the request's read
        timeout, otherwise the answer comes at once. ``operation`` limits it to one spec
        operationId, reads included.
        """
        if not seconds_per_byte > 0:
            raise ValueError("seconds_per_byte must be a number > 0")
        self._queue(
            Fault(
                "drip",
                check_times(times),
                self._check_operation(operation),
                after_acting=True,
                seconds=float(seconds_per_byte),
                body_only=bool(body_only),
            )
        )

    def oversize_next(
        self,
        size: int,
        *,
        gzip: bool = False,
        status: int | None = None,
        times: int = 1,
        operation: str | None = None,
    ) -> None:
        """Act on the next ``times`` matching calls, then answer with a body of ``size``
        bytes: the normal answer's JSON followed by spaces (still valid JSON), or with
        ``status`` that status's body as `fail_next` gives it. A 204 answer is sent as a
        200 (a 204 cannot carry a body).

        The body is made piece by piece as it is sent, never whole, and carries a
        Content-Length; with ``gzip=True`` it is sent gzip-compressed (Content-Encoding:
        gzip, chunked), so a few hundred KiB on the wire inflate to ``size`` bytes.
        ``operation`` limits it to one spec operationId, reads included.
        """
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"size must be an int >= 0, not {size!r}")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, not {status}")
        self._queue(
            Fault(
                "oversize",
                check_times(times),
                self._check_operation(operation),
                after_acting=True,
                status=status or 0,
                size=size,
                gzip=bool(gzip),
            )
        )


class PaddedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """`head` then spaces up to `size` bytes, made 64 KiB at a time (gzip-compressed as
    it goes, with `gzip`); iterable again, sync or async."""

    def __init__(self, head: bytes, size: int, gzip: bool) -> None:
        self._head, self._size, self._gzip = head, max(size, len(head)), gzip

    def _plain(self) -> Iterator[bytes]:
        yield self._head
        left = self._size - len(self._head)
        while left > 0:
            yield _BLANKS[: min(left, CHUNK)]
            left -= CHUNK

    def __iter__(self) -> Iterator[bytes]:
        if not self._gzip:
            yield from self._plain()
            return
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        for piece in self._plain():
            packed = compressor.compress(piece)
            if packed:
                yield packed
        yield compressor.flush()

    async def __aiter__(self) -> Any:
        for chunk in self:
            yield chunk


def hostile_reply(fault: Fault, response: httpx.Response) -> Reply:
    """What a drip or oversize fault answers instead of `response`."""
    if fault.kind == "drip":
        return Reply(response, drip=fault.seconds, drip_body_only=fault.body_only)
    status = 200 if response.status_code in _NO_BODY else response.status_code
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-length", "content-encoding", "transfer-encoding")
    ]
    if fault.gzip:
        headers.append(("Content-Encoding", "gzip"))
    else:
        headers.append(("Content-Length", str(max(fault.size, len(response.content)))))
    body = PaddedBody(response.content, fault.size, fault.gzip)
    return Reply(httpx.Response(status, headers=headers, stream=body), streamed=True)


def wire(response: httpx.Response) -> tuple[bytes, Iterator[bytes]]:
    """An answer as HTTP/1.1 bytes: the head, then the body's pieces (chunked when it
    has no Content-Length), the connection closed after it."""
    status = response.status_code
    lines = [f"HTTP/1.1 {status} {reason_phrase(status, 'Unknown')}"]
    lines += [
        f"{name}: {value}"
        for name, value in response.headers.multi_items()
        if name.lower() not in ("transfer-encoding", "connection")
    ]
    bodiless = status in _NO_BODY or status < 200
    chunked = not bodiless and "content-length" not in response.headers
    if chunked:
        lines.append("Transfer-Encoding: chunked")
    lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head, iter(()) if bodiless else _pieces(response, chunked)


def _pieces(response: httpx.Response, chunked: bool) -> Iterator[bytes]:
    stream: Any = response.stream
    for piece in stream:
        if piece:
            yield b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


def outlasts_read_timeout(reply: Reply, request: httpx.Request) -> bool:
    """In process, whether a stall or a drip would have outlasted the request's read
    timeout (then the transport raises httpx.ReadTimeout at once; nothing sleeps)."""
    read_timeout = (request.extensions.get("timeout") or {}).get("read")
    if reply.stalled:
        seconds = reply.stall_seconds
    elif reply.drip is not None and reply.response is not None:
        head, body = wire(reply.response)
        size = sum(len(piece) for piece in body) + (0 if reply.drip_body_only else len(head))
        seconds = reply.drip * size
    else:
        return False
    return seconds is None or (read_timeout is not None and seconds >= read_timeout)
