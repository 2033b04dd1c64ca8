"""Misbehaving servers on 127.0.0.1 for the tests of the clients' bounds (a total deadline
per attempt, a cap on what is read), and the checks those tests share.

`HostileServer` answers every request on every connection with one `Answer`: the ones
campaign_clients.testing's fakes cannot give (endless `102 Processing`, a header flood,
an endless chunked body, a gzip bomb, a corrupt gzip, any raw head and body). It runs in
a thread, and stopping it (leaving its `with` block) ends every answer in progress and
closes every connection. `black_hole()` is a port whose accept queue is full, so a
connect to it hangs. A plain module with a unique name, so no conftest.py shadows it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import socket
import subprocess
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

Answer = Callable[[socket.socket, threading.Event], None]
"""Writes an answer on a connection whose request has been read; returns when done, when
the client has gone, or when the event (the server is stopping) is set."""

MIB = 1024 * 1024
GENEROUS = 2.0  # seconds past a deadline an attempt may take: a bound, not a speed target
MEMORY_MB = 30  # the growth a hostile answer may cost, measured in a child process


class HostileServer:
    """A loopback HTTP/1.1 server answering every request with `answer`."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.requests = 0
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> HostileServer:
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        for connection in list(self._connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=5)
        for connection in self._connections:
            connection.close()
        self._listener.close()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(0.2)
            self._connections.append(connection)
            self._spawn(self._serve, connection)

    def _serve(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while not self._stopping.is_set() and _read_request(connection, self._stopping):
                self.requests += 1
                self._answer(connection, self._stopping)
                return  # every answer closes the connection


def _read_request(connection: socket.socket, stopping: threading.Event) -> bool:
    """Read one request (head and Content-Length body); False if the client left."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = _recv(connection, stopping)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = _recv(connection, stopping)
        if not chunk:
            return False
        body += chunk
    return True


def _recv(connection: socket.socket, stopping: threading.Event) -> bytes:
    while not stopping.is_set():
        try:
            return connection.recv(65536)
        except TimeoutError:
            continue
    return b""


def _send(connection: socket.socket, stopping: threading.Event, data: bytes) -> bool:
    """Send all of `data` unless the server stops; False once it does."""
    view = memoryview(data)
    while view and not stopping.is_set():
        try:
            view = view[connection.send(view) :]
        except TimeoutError:
            continue  # the client is not reading: wait, unless the server stops
    return not stopping.is_set()


# -- answers -------------------------------------------------------------------------------------


def raw(head: bytes, body: bytes = b"") -> Answer:
    """A fixed answer: `head` (the status line and headers, without the blank line) and
    `body`; Content-Length is added unless the head sets its own framing."""
    framed = b"content-length" in head.lower() or b"transfer-encoding" in head.lower()
    if not framed:
        head += b"\r\nContent-Length: %d" % len(body)

    def answer(connection: socket.socket, stopping: threading.Event) -> None:
        _send(connection, stopping, head + b"\r\nConnection: close\r\n\r\n" + body)

    return answer


def endless_interim(connection: socket.socket, stopping: threading.Event) -> None:
    """`102 Processing`, every 50 ms, for ever: each one is a complete, valid answer."""
    while _send(connection, stopping, b"HTTP/1.1 102 Processing\r\n\r\n"):
        stopping.wait(0.05)


def header_flood(connection: socket.socket, stopping: threading.Event) -> None:
    """A status line, then header lines for ever, never the blank line that ends them."""
    if _send(connection, stopping, b"HTTP/1.1 200 OK\r\n"):
        line = b"X-Flood: " + b"a" * 1000 + b"\r\n"
        while _send(connection, stopping, line * 64):
            pass


def endless_chunked(connection: socket.socket, stopping: threading.Event) -> None:
    """A 200 whose chunked body of spaces never ends."""
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    if _send(connection, stopping, head):
        while _send(connection, stopping, chunk):
            pass


@functools.cache
def gzip_bomb(size: int = 200 * MIB) -> bytes:
    """`size` bytes of spaces, gzip-compressed as tightly as zlib can (about 1/1000)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b" " * MIB
    return b"".join([compressor.compress(block) for _ in range(size // MIB)] + [compressor.flush()])


def gzip_bomb_answer() -> Answer:
    return raw(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip", gzip_bomb()
    )


@contextlib.contextmanager
def black_hole() -> Iterator[str]:
    """The URL of a port that accepts no connection: its accept queue is full, so the
    kernel drops new SYNs and a connect waits (skips where the kernel does not)."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        with socket.socket() as probe:
            probe.settimeout(0.2)
            try:
                probe.connect(("127.0.0.1", port))
            except TimeoutError:
                pass
            else:
                pytest.skip("this kernel accepts connections beyond a full accept queue")
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# -- checks ----------------------------------------------------------------------------------------


def assert_key_nowhere(key: str, error: BaseException, log_text: str = "") -> None:
    """The key is in no form of the error (text, repr, attributes, traceback, pickle) or log."""
    forms = [
        str(error),
        repr(error),
        repr(vars(error)),
        "".join(traceback.format_exception(error)),
        pickle.dumps(error).decode("latin-1"),
        log_text,
    ]
    for form in forms:
        assert key not in form


def elapsed_since(started: float) -> float:
    return time.monotonic() - started


_CHILD = r"""
import asyncio, json, resource, sys, tracemalloc
from campaign_clients import AsyncMailGlyph, CampaignClientError, MailGlyph

url, flavor, key = sys.argv[1:4]
options = json.loads(sys.argv[4])
cls = MailGlyph if flavor == "sync" else AsyncMailGlyph

def peak_rss_mb():
    # VmHWM belongs to this address space, made anew by exec; ru_maxrss is not (Linux
    # keeps it across execve, so a child starts with its parent's peak).
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def call():
    client = cls(key, base_url=url, max_retries=0, settle=False, **options)
    before = peak_rss_mb()
    tracemalloc.start()
    try:
        result = client.get_campaign("cmp_1")
        if flavor == "async":
            await result
        error = None
    except CampaignClientError as exc:
        error = exc
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    growth = peak_rss_mb() - before
    text = "" if error is None else str(error) + repr(vars(error))
    print(json.dumps({"error": type(error).__name__, "growth_mb": growth, "traced_mb": traced,
                      "outcome_unknown": getattr(error, "outcome_unknown", None), "text": text}))

asyncio.run(call())
"""


def call_in_child(url: str, flavor: str, key: str, **options: Any) -> dict[str, Any]:
    """`get_campaign` on a fresh client in a child process: the error's class name, its
    `outcome_unknown` and text, how much the call grew the child's peak RSS (`growth_mb`)
    and the peak of what Python allocated during it (`traced_mb`, tracemalloc)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, flavor, key, json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result
