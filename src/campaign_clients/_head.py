"""The cap on a response's head (status line, header lines and the blank line that ends
them): at most MAX_RESPONSE_HEAD_BYTES bytes as they arrive, counted on the clients' own
connections.

httpcore's own check (h11's `max_incomplete_event_size`, 100 KiB) looks at its receive
buffer only after each 64 KiB read, so a head of up to about 128 KiB gets through and
the cap it implies is not the one stated. `HeadCounter` sits in the network streams of
the clients' own transports (`_deadline.py`), sees every byte read on a connection, and
fails the read that takes a head past the cap, before httpcore parses it. A head ends
where h11 ends it (a blank line, `\\n\\r?\\n`); each interim `1xx` head is counted on
its own, and the deadline bounds how many of them come.
"""

from __future__ import annotations

import re

import httpcore

from ._constants import MAX_RESPONSE_HEAD_BYTES

_END = re.compile(rb"\n\r?\n")  # h11's end of a head
_STATUS = re.compile(rb"HTTP/[0-9.]+ +(\d{3})")
_STATUS_BYTES = 16  # enough of a head to read its status code


class HeadCounter:
    """Counts the head of each answer read on one connection, from the request written
    before it to the blank line that ends it; raises `httpcore.RemoteProtocolError` (an
    `APIConnectionError` for the caller) once one is longer than the cap."""

    __slots__ = ("_in_head", "_size", "_start", "_tail")

    def __init__(self) -> None:
        self._in_head = False  # between a request and the end of its answer's final head
        self._size = 0  # bytes of the current head so far
        self._start = b""  # its first bytes, for the status code
        self._tail = b""  # its last bytes, where a blank line may begin

    def wrote(self) -> None:
        """A request (or part of one) was written: its answer's head comes next."""
        self._in_head = True
        self._size, self._start, self._tail = 0, b"", b""

    def read(self, data: bytes) -> None:
        """Count the bytes just read; raise once the current head is over the cap."""
        offset = 0
        while self._in_head and offset < len(data):
            window = self._tail + data[offset:]
            end = _END.search(window)
            used = len(data) - offset if end is None else end.end() - len(self._tail)
            self._size += used
            if self._size > MAX_RESPONSE_HEAD_BYTES:
                raise httpcore.RemoteProtocolError(
                    f"the response head is longer than {MAX_RESPONSE_HEAD_BYTES} bytes"
                )
            if len(self._start) < _STATUS_BYTES:
                self._start += data[offset : offset + _STATUS_BYTES - len(self._start)]
            if end is None:
                self._tail = window[-2:]
                return
            offset += used
            status = _STATUS.match(self._start)
            if status is not None and status[1][:1] == b"1" and status[1] != b"101":
                self.wrote()  # an interim answer: the next head is counted on its own
            else:
                self._in_head = False
