"""Prism mock servers for the contract tests in this folder.

Each spec is served by the Prism pinned in package-lock.json (installed by
`npm ci`; scripts/bootstrap runs it), once per mode (static examples or
`--dynamic`) per test session, on 127.0.0.1 and a free port:

    node_modules/.bin/prism mock spec/<name>.yaml --host 127.0.0.1 --port N --errors [--dynamic]

Prism always validates requests in mock mode and flags a violation with an
`sl-violations` response header; `--errors` also turns a response that breaks
the spec (an example or a generated body that does not match its schema) into
an error response instead of serving it. The process is started in its own
session, and stopped at the end by its pid: SIGTERM, then SIGKILL if it lingers.

Without node, npm or node_modules/.bin/prism the tests are skipped with the
reason; under CI=true they fail instead.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_servers import (
    HOST,
    accepts_connections,
    free_port,
    missing,
    start_logged,
    stop_process,
)
from support import ROOT, SPEC_DIR

# The tests the providers share live in prism_support.py: rewrite its asserts too.
pytest.register_assert_rewrite("prism_support")

PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT = 30.0  # seconds for Prism to accept connections
START_ATTEMPTS = 3  # a new free port after losing a port race (EADDRINUSE)
_MODES = {False: "static", True: "dynamic"}


def _missing_prism() -> str | None:
    """Why Prism cannot run here, or None when it can."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return (
            f"{' and '.join(missing)} not found on PATH: the Prism contract tests need "
            "Node 20 and npm (then run scripts/bootstrap)"
        )
    if not PRISM.exists():
        return (
            "node_modules/.bin/prism is missing: run `npm ci` (scripts/bootstrap does) to "
            "install the Prism pinned in package-lock.json"
        )
    return None


class PrismServer:
    """One running `prism mock` process, writing its output to log_path."""

    def __init__(self, spec: Path, *, dynamic: bool, log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = log_path
        self.command = [
            str(PRISM),
            "mock",
            str(spec),
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--errors",
        ]
        if dynamic:
            self.command.append("--dynamic")  # deliberately no --seed: every body differs
        self.process = start_logged(self.command, cwd=ROOT, log_path=log_path)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self, timeout: float = START_TIMEOUT) -> str | None:
        """None once Prism listens on its port; else stop it and say what went wrong."""
        deadline = time.monotonic() + timeout
        listening = f"Prism is listening on {self.base_url}"
        while True:
            if self.process.poll() is not None:
                problem = f"exited with status {self.process.returncode} before listening"
                break
            # Both: the port answers, and it is this Prism that answers (not a port race).
            if listening in self.output() and accepts_connections(self.port):
                return None
            if time.monotonic() > deadline:
                problem = f"did not accept connections on {self.base_url} within {timeout:.0f} s"
                break
            time.sleep(0.05)
        self.stop()
        return (
            f"Prism {problem}.\ncommand: {' '.join(self.command)}\n"
            f"output ({self.log_path}):\n{self.output()[-4000:]}"
        )

    def stop(self) -> None:
        """Stop the process by its pid: SIGTERM, wait, then SIGKILL if it is still there."""
        stop_process(self.process)


class PrismLauncher:
    """Starts Prism for a spec and mode on first use; stops every server at the end."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._servers: dict[tuple[str, bool], PrismServer] = {}
        self._failures: dict[tuple[str, bool], str] = {}
        self._started: list[PrismServer] = []  # every process, stopped by close()

    def url(self, spec_name: str, *, dynamic: bool = False) -> str:
        """Base URL of Prism serving spec_name in that mode, started on first use."""
        key = (spec_name, dynamic)
        if key not in self._servers and key not in self._failures:
            self._start(spec_name)
        if key in self._failures:  # fail every test that needs it, without retrying
            pytest.fail(self._failures[key], pytrace=False)
        return self._servers[key].base_url

    def _start(self, spec_name: str) -> None:
        """Start both modes of a spec at once (Node's start-up is the slow part)."""
        spec = SPEC_DIR / f"{spec_name}.yaml"
        assert spec.is_file(), f"no spec at {spec}"
        modes = [dynamic for dynamic in (False, True) if (spec_name, dynamic) not in self._servers]
        for attempt in range(1, START_ATTEMPTS + 1):
            starting = {
                dynamic: PrismServer(
                    spec,
                    dynamic=dynamic,
                    log_path=self._log_dir / f"prism-{spec_name}-{_MODES[dynamic]}-{attempt}.log",
                )
                for dynamic in modes
            }
            self._started.extend(starting.values())
            modes = []
            for dynamic, server in starting.items():
                problem = server.wait_until_ready()
                if problem is None:
                    self._servers[(spec_name, dynamic)] = server
                elif "EADDRINUSE" in problem and attempt < START_ATTEMPTS:
                    modes.append(dynamic)  # lost a port race: retry on a new free port
                else:
                    self._failures[(spec_name, dynamic)] = problem
            if not modes:
                return

    def close(self) -> None:
        for server in self._started:
            server.stop()
        self._started.clear()
        self._servers.clear()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismLauncher]:
    """The session's Prism launcher: `prism.url(spec_name, dynamic=False)` is the base URL
    of Prism serving that spec. Skips (or fails under CI=true) without Prism."""
    reason = _missing_prism()
    if reason is not None:
        missing(reason, "the Prism contract tests")
    launcher = PrismLauncher(tmp_path_factory.mktemp("prism"))
    try:
        yield launcher
    finally:
        launcher.close()
