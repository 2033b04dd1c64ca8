"""The fallback server, where nginx cannot be had: a minimal HTTP/1.1 keep-alive server.

    python -m benchmarks.asyncio_server DIR --cert PEM --key PEM

It listens on two free ports of 127.0.0.1 (plain and TLS), writes them to DIR/ports.json,
answers the routes of `workload.routes()` with canned responses and, when stopped (SIGTERM
or SIGINT, or by itself after 30 minutes), writes its count of requests and connections
per path to DIR/counts.json. `server.AsyncioServer` starts and stops it by its pid.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import re
import signal
import ssl
from http import HTTPStatus
from pathlib import Path

from benchmarks.workload import routes


def canned_answers() -> tuple[list[tuple[re.Pattern[str], bytes]], dict[tuple[int, bool], bytes]]:
    """The routes' matchers (pattern, method) and every whole response, by (answer, close).

    Answer i < len(routes) is route i; then come 404 (no route) and 405 (wrong method).
    """
    table = routes()
    matchers = [(re.compile(r.pattern), r.method.encode()) for r in table]
    answers = [(r.status, r.body) for r in table]
    answers += [(404, b'{"error":"not found"}'), (405, b'{"error":"method not allowed"}')]

    def response(status: int, body: bytes, close: bool) -> bytes:
        head = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        head += "Connection: close\r\n\r\n" if close else "\r\n"
        return head.encode() + body

    canned = {
        (i, close): response(status, body, close)
        for i, (status, body) in enumerate(answers)
        for close in (False, True)
    }
    return matchers, canned


def serve(directory: Path, cert: str, key: str) -> None:
    matchers, canned = canned_answers()
    not_found, not_allowed = len(matchers), len(matchers) + 1

    def answer(method: bytes, path: str) -> int:
        for i, (pattern, allowed) in enumerate(matchers):
            if pattern.match(path):
                return i if method == allowed else not_allowed
        return not_found

    requests: collections.Counter[str] = collections.Counter()
    connections: dict[str, set[int]] = collections.defaultdict(set)
    opened = 0

    class Proto(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            nonlocal opened
            assert isinstance(transport, asyncio.Transport)
            self.transport = transport
            self.buf = b""
            opened += 1
            self.conn = opened

        def data_received(self, data: bytes) -> None:
            self.buf += data
            while True:
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                lines = self.buf[:end].split(b"\r\n")
                method, target, _ = lines[0].split(b" ", 2)
                length, close = 0, False
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"connection":
                        close = value.strip().lower() == b"close"
                if len(self.buf) < end + 4 + length:
                    return
                self.buf = self.buf[end + 4 + length :]
                path = target.split(b"?", 1)[0].decode()
                requests[path] += 1
                connections[path].add(self.conn)
                self.transport.write(canned[answer(method, path), close])
                if close:
                    self.transport.close()
                    return

    async def main() -> None:
        loop = asyncio.get_running_loop()
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        plain = await loop.create_server(Proto, "127.0.0.1", 0, backlog=1024)
        secure = await loop.create_server(Proto, "127.0.0.1", 0, ssl=tls, backlog=1024)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        ports = {
            "http": plain.sockets[0].getsockname()[1],
            "https": secure.sockets[0].getsockname()[1],
        }
        tmp = directory / "ports.json.tmp"
        tmp.write_text(json.dumps(ports))
        tmp.replace(directory / "ports.json")
        with contextlib.suppress(TimeoutError):  # bounded: stops by itself after 30 minutes
            await asyncio.wait_for(stop.wait(), timeout=1800)
        plain.close()
        secure.close()
        out = {path: [n, sorted(connections[path])] for path, n in requests.items()}
        (directory / "counts.json").write_text(json.dumps(out))

    asyncio.run(main())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The benchmark's asyncio fallback server.")
    parser.add_argument("directory", type=Path, help="where ports.json and counts.json go")
    parser.add_argument("--cert", required=True, help="the server certificate (PEM)")
    parser.add_argument("--key", required=True, help="its private key (PEM)")
    args = parser.parse_args()
    serve(args.directory, args.cert, args.key)
