"""Helpers for the servers the integration tests start themselves (Prism, Redis, RQ
workers): a free loopback port, a readiness probe, stopping a process by its pid, and
the rule for a missing tool (skip with the reason; under CI=true, fail instead).
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pytest

HOST = "127.0.0.1"
STOP_TIMEOUT = 10.0  # seconds for a process to exit after SIGTERM


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (a server may still lose it in a race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def accepts_connections(port: int) -> bool:
    """Whether something on 127.0.0.1:port accepts a TCP connection."""
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def start_logged(command: Sequence[str], *, cwd: Path, log_path: Path) -> subprocess.Popen[bytes]:
    """Start a server process with its output (stdout and stderr) in `log_path`, in a
    session of its own (its own process group: no terminal signals reach it)."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            list(command),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """Stop a process this test run started, by its pid: SIGTERM, wait, then SIGKILL if it
    is still there."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def missing(reason: str, what: str) -> NoReturn:
    """Skip for a missing tool, with the reason; under CI=true fail: `what` must run there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: {what} must run)", pytrace=False)
    pytest.skip(reason)
