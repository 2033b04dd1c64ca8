"""The server the clients are measured against, on 127.0.0.1 only, over HTTP and HTTPS.

It should cost as little as possible, so the clients' differences show: nginx from Debian
(installed with apt-get when missing and running as root), answering from its config, with
its access log for the counts; where nginx cannot be had, a minimal asyncio keep-alive
server. Either way it runs as a child process, started and stopped by its pid, and answers
the routes of `workload.routes()`; its own count of requests and connections per path shows
hidden retries and connection churn. The asyncio server itself is benchmarks/asyncio_server.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import ROOT, log
from benchmarks.tls import Certs
from benchmarks.workload import routes


@dataclass
class PathCount:
    requests: int = 0
    connections: set[str] = field(default_factory=set)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for_ports(ports: list[int], proc: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    pending = list(ports)
    while pending and time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", pending[0]), timeout=0.5):
                pending.pop(0)
        except OSError:
            time.sleep(0.05)
    return not pending


class Server:
    """A server child process: its ports, and its counts once stopped."""

    name = "server"
    description = ""

    def __init__(self, directory: Path, certs: Certs) -> None:
        self.dir = directory
        self.certs = certs
        self.http_port = 0
        self.https_port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def start(self) -> bool:
        raise NotImplementedError

    def stop_and_count(self) -> dict[str, PathCount]:
        raise NotImplementedError

    def _stop(self, sig: int) -> None:
        """Signal the child by its pid and wait for it; SIGKILL after 10 s."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --------------------------------------------------------------------------- nginx


def _nginx_string(body: bytes) -> str:
    text = body.decode()
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("$", "${dollar}") + "'"


def find_nginx() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def install_nginx() -> str | None:
    """apt-get install nginx (Debian's), when running as root; None where it cannot be had."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx"]
    started = time.monotonic()
    for attempt in range(2):
        after = " (after apt-get update)" if attempt else ""
        log(f"nginx not found; apt-get install nginx{after}")
        try:
            if attempt:
                subprocess.run(
                    ["apt-get", "update", "-q"],
                    env=env,
                    capture_output=True,
                    timeout=90,
                    check=False,
                )
            done = subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return None
        if done.returncode == 0 and find_nginx():
            log(f"installed nginx in {time.monotonic() - started:.0f} s")
            return find_nginx()
    return None


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/logs/error.log warn;
events {{ worker_connections 4096; multi_accept on; }}
http {{
    geo $dollar {{ default "$"; }}
    log_format bench '$connection $connection_requests $request_method $uri $status';
    access_log {dir}/logs/access.log bench buffer=256k;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    server_tokens off;
    keepalive_requests 10000000;
    keepalive_timeout 600s;
    default_type application/json;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    server {{
        listen 127.0.0.1:{http_port};
        listen 127.0.0.1:{https_port} ssl;{locations}
        location / {{ return 404 '{{"error":"not found"}}'; }}
    }}
}}
"""
NGINX_LOCATION = """
        location ~ {pattern} {{
            if ($request_method != {method}) {{ return 405; }}
            return {status} {body};
        }}"""


class NginxServer(Server):
    name = "nginx"

    def __init__(self, binary: str, directory: Path, certs: Certs) -> None:
        super().__init__(directory, certs)
        self.binary = binary
        version = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)
        self.version = version.stderr.strip().split("/")[-1] or "?"
        self.description = f"nginx {self.version} (Debian), 1 worker, access log for counts"

    def config(self) -> str:
        locations = "".join(
            NGINX_LOCATION.format(
                pattern=r.pattern, method=r.method, status=r.status, body=_nginx_string(r.body)
            )
            for r in routes()
        )
        return NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",
            dir=self.dir,
            cert=self.certs.cert,
            key=self.certs.key,
            http_port=self.http_port,
            https_port=self.https_port,
            locations=locations,
        )

    def start(self) -> bool:
        self.http_port, self.https_port = free_port(), free_port()
        for sub in ("logs", "tmp"):
            (self.dir / sub).mkdir(exist_ok=True)
        (self.dir / "nginx.conf").write_text(self.config())
        cmd = [self.binary, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")]
        cmd += ["-e", str(self.dir / "logs" / "error.log")]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if wait_for_ports([self.http_port, self.https_port], self.proc, timeout=10):
            return True
        self._stop(signal.SIGTERM)
        err = self.dir / "logs" / "error.log"
        log("nginx did not start: " + (err.read_text()[-500:] if err.exists() else "?"))
        return False

    def stop_and_count(self) -> dict[str, PathCount]:
        self._stop(signal.SIGQUIT)  # graceful: flushes the buffered access log
        counts: dict[str, PathCount] = {}
        access = self.dir / "logs" / "access.log"
        if access.exists():
            for line in access.read_text().splitlines():
                parts = line.split(" ")
                if len(parts) == 5:
                    entry = counts.setdefault(parts[3], PathCount())
                    entry.requests += 1
                    entry.connections.add(parts[0])
        return counts


# --------------------------------------------------------------------------- asyncio fallback


class AsyncioServer(Server):
    """The fallback: benchmarks/asyncio_server.py, run in a child process."""

    name = "asyncio"
    description = "minimal asyncio keep-alive server in a child process"

    def start(self) -> bool:
        # A process of its own, so the server does not share the GIL with the clients.
        cmd = [sys.executable, "-m", "benchmarks.asyncio_server", str(self.dir)]
        cmd += ["--cert", str(self.certs.cert), "--key", str(self.certs.key)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, cwd=ROOT)
        ports_file = self.dir / "ports.json"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.proc.poll() is None:
            if ports_file.exists():
                ports = json.loads(ports_file.read_text())
                self.http_port, self.https_port = ports["http"], ports["https"]
                return wait_for_ports([self.http_port, self.https_port], self.proc, 5)
            time.sleep(0.05)
        self._stop(signal.SIGTERM)
        return False

    def stop_and_count(self) -> dict[str, PathCount]:
        self._stop(signal.SIGTERM)
        counts: dict[str, PathCount] = {}
        counts_file = self.dir / "counts.json"
        if counts_file.exists():
            for path, (requests, conns) in json.loads(counts_file.read_text()).items():
                counts[path] = PathCount(requests, {str(c) for c in conns})
        return counts


def start_server(mode: str, allow_install: bool, directory: Path, certs: Certs) -> Server:
    """nginx where it can be had (unless `mode` is "asyncio"), else the asyncio fallback."""
    if mode in ("auto", "nginx"):
        binary = find_nginx()
        if binary is None and allow_install:
            binary = install_nginx()
        if binary is not None:
            nginx_dir = directory / "nginx"
            nginx_dir.mkdir()
            nginx = NginxServer(binary, nginx_dir, certs)
            if nginx.start():
                return nginx
        if mode == "nginx":
            raise SystemExit("nginx was asked for and could not be started")
        log("nginx cannot be had here; falling back to the asyncio server")
    fallback_dir = directory / "asyncio"
    fallback_dir.mkdir()
    server = AsyncioServer(fallback_dir, certs)
    why = "asked for" if mode == "asyncio" else "nginx could not be had here"
    server.description += f" ({why})"
    if not server.start():
        raise SystemExit("the asyncio fallback server did not start")
    return server
