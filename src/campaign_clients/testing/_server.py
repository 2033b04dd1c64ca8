"""Serving a fake over real HTTP/1.1 on 127.0.0.1, with the faults that only a
socket can show: an answer held back until the client gives up, a reset, an answer
dripped a byte at a time, and a body streamed as it is made.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from ._hostile import wire
from ._models import Reply

RAW_METHOD = "campaign_clients.method"
"""The request extension holding the method as the client sent it: httpx upper-cases a
request's method, and HTTP methods are case-sensitive (a "get" is not a GET)."""


class FakeHTTPServer(ThreadingHTTPServer):
    """A loopback HTTP/1.1 server that hands every request to `dispatch`."""

    daemon_threads = True

    def __init__(self, dispatch: Callable[[httpx.Request], Reply]) -> None:
        self.dispatch = dispatch
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _FakeRequestHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        with self._connections_lock:
            self._connections.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        self.stopping.set()  # ends stalls
        self.shutdown()  # stops accepting
        with self._connections_lock:
            connections = list(self._connections)
        for sock in connections:  # ends keep-alive waits
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.server_close()


class _Stopping(Exception):
    """The server is stopping: abandon a drip."""


class _FakeRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is dropped after this many seconds
    server: FakeHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the fake records requests itself

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        port = self.server.server_address[1]
        request = httpx.Request(
            self.command,
            f"http://127.0.0.1:{port}{self.path}",
            headers=list(self.headers.items()),
            content=body or None,
            extensions={RAW_METHOD: self.command},
        )
        reply = self.server.dispatch(request)
        if reply.reset or reply.response is None:  # no response: a reset that did not act
            self._reset()
            return
        if reply.stalled:
            if reply.stall_seconds is None:
                self._hold_until_the_client_leaves()
                return
            if self.server.stopping.wait(reply.stall_seconds):
                self.close_connection = True  # the server is stopping: abandon the answer
                return
        if reply.drip is not None or reply.streamed:
            self._write_raw(reply)
            return
        self._write(reply.response)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Every method, whatever its name (TRACE, FOO, a lower-case get), goes to the
        fake, which answers 405 with `Allow` where the spec has no such operation; the
        standard library would answer a method it has no `do_<METHOD>` for with an HTML
        501."""
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def _write(self, response: httpx.Response) -> None:
        try:
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            if response.status_code not in (204, 304):
                self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            if response.content and self.command != "HEAD":  # a HEAD answer has no body
                self.wfile.write(response.content)
        except OSError:
            self.close_connection = True  # the client has gone (it timed out)

    def _write_raw(self, reply: Reply) -> None:
        """Write the answer as `wire` makes it, piece by piece (never whole), each byte
        `reply.drip` seconds apart when it drips; stop when the client leaves or the
        server stops. The connection is closed after it."""
        self.close_connection = True
        assert reply.response is not None
        head, body = wire(reply.response)
        try:
            if reply.drip is None or reply.drip_body_only:
                self.wfile.write(head)
            else:
                self._drip(head, reply.drip)
            for piece in body if self.command != "HEAD" else ():
                if reply.drip is None:
                    self.wfile.write(piece)
                else:
                    self._drip(piece, reply.drip)
        except (OSError, _Stopping):
            pass  # the client has gone (its deadline), or the server is stopping

    def _drip(self, data: bytes, seconds: float) -> None:
        for index in range(len(data)):
            if self.server.stopping.wait(seconds):
                raise _Stopping
            self.wfile.write(data[index : index + 1])

    def _hold_until_the_client_leaves(self) -> None:
        """Answer nothing; return when the client closes the connection or the server stops."""
        self.close_connection = True
        sock = self.connection
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                try:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return  # end of stream: the client gave up
                except OSError:
                    return  # reset by the client
                self.server.stopping.wait(0.05)  # more bytes (pipelining): keep holding

    def _reset(self) -> None:
        """Close with RST and no answer: SO_LINGER on with a zero timeout, then close.

        The socket's file descriptor is released when its last reader is closed, so the
        reader is closed here too; nothing is written, so no FIN precedes the RST.
        """
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.rfile.close()
