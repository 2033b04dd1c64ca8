"""Run the installed ``campaign-clients`` console script as a subprocess.

The script is the one pip installs next to this interpreter from pyproject.toml's
``[project.scripts]``; a missing script fails the tests (it is never skipped).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "campaign-clients"

# Variables that would change what the script does: real keys and proxies.
_DROPPED = {
    "MAILGLYPH_API_KEY",
    "SENDGRID_API_KEY",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
}

RunCLI = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def script() -> Path:
    if not SCRIPT.is_file():
        pytest.fail(
            f"the campaign-clients console script is not installed at {SCRIPT}: it comes from "
            '[project.scripts] campaign-clients = "campaign_clients.cli:main" in pyproject.toml '
            "(run scripts/bootstrap after adding it)"
        )
    return SCRIPT


@pytest.fixture
def run_cli(script: Path) -> RunCLI:
    """run_cli(*args, env={...}, timeout=20) -> CompletedProcess with text stdout/stderr."""

    def run(
        *args: str, env: dict[str, str] | None = None, timeout: float = 20
    ) -> subprocess.CompletedProcess[str]:
        environment = {k: v for k, v in os.environ.items() if k not in _DROPPED}
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment.update(env or {})
        return subprocess.run(
            [str(script), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
