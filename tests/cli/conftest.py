"""Run the installed ``campaign-clients`` console script as a subprocess.

The script is the one pip installs next to this interpreter from pyproject.toml's
``[project.scripts]``; a missing script fails the tests (it is never skipped).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import SINGLE_SEND_ID, FakeT, RunCLI, ServedFake

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

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


def _served(
    provider: str, fake: FakeT, campaign: str | int, run_cli: RunCLI
) -> Iterator[ServedFake[FakeT]]:
    fake.add_campaign(campaign)  # type: ignore[arg-type]
    with fake.serve() as base_url:
        yield ServedFake(provider, fake, str(campaign), base_url, run_cli)


@pytest.fixture
def mailglyph(run_cli: RunCLI) -> Iterator[ServedFake[FakeMailGlyph]]:
    """A FakeMailGlyph with draft campaign cmp_1, served on 127.0.0.1."""
    yield from _served("mailglyph", FakeMailGlyph(), "cmp_1", run_cli)


@pytest.fixture
def sendgrid(run_cli: RunCLI) -> Iterator[ServedFake[FakeSendGrid]]:
    """A FakeSendGrid with draft campaign 4900, served on 127.0.0.1."""
    yield from _served("sendgrid", FakeSendGrid(), 4900, run_cli)


@pytest.fixture
def single_send(run_cli: RunCLI) -> Iterator[ServedFake[FakeSendGrid]]:
    """A FakeSendGrid with draft Single Send SINGLE_SEND_ID, served on 127.0.0.1; its
    `run(action, ...)` runs `campaign-clients sendgrid single-send <action> <id> ...`."""
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND_ID)
    with fake.serve() as base_url:
        yield ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)


@pytest.fixture(params=["mailglyph", "sendgrid"])
def served(request: pytest.FixtureRequest, run_cli: RunCLI) -> Iterator[ServedFake[Any]]:
    """Each provider in turn: the `mailglyph` or the `sendgrid` fixture's served fake."""
    if request.param == "mailglyph":
        yield from _served("mailglyph", FakeMailGlyph(), "cmp_1", run_cli)
    else:
        yield from _served("sendgrid", FakeSendGrid(), 4900, run_cli)
