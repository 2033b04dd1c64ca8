"""Plain helpers for the CLI tests (a unique module name, so no other folder shadows it)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

FUTURE = "2099-03-01T10:30:00+01:00"
FUTURE_Z = "2099-03-01T09:30:00Z"
FUTURE_UNIX = 4076040600  # FUTURE as Unix seconds
SINGLE_SEND_ID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"  # the `single_send` fixture's draft
NO_WAIT = ("--settle-delay", "0")  # read the campaign at once when a send is settled
# Each provider's send operation (spec operationId), for faults aimed at the send only.
SEND_OPERATION = {"mailglyph": "sendCampaign", "sendgrid": "sendCampaignNow"}

# The run_cli fixture (conftest.py): run_cli(*args, env={...}, timeout=20).
RunCLI = Callable[..., subprocess.CompletedProcess[str]]

FakeT = TypeVar("FakeT", FakeMailGlyph, FakeSendGrid)


@dataclass(frozen=True)
class ServedFake(Generic[FakeT]):
    """A fake with one draft campaign, served on 127.0.0.1 (the `mailglyph` and `sendgrid`
    fixtures of conftest.py), and the CLI pointed at it."""

    provider: str  # the CLI's command: "mailglyph" | "sendgrid"
    fake: FakeT
    campaign: str  # the draft campaign's id, as the CLI takes it
    base_url: str
    run_cli: RunCLI
    single_send: bool = False  # a SendGrid Single Send: `campaign-clients sendgrid single-send`

    @property
    def campaign_id(self) -> str | int:
        """The campaign's id as the fake keys it (a SendGrid legacy campaign's is an int)."""
        if self.provider == "sendgrid" and not self.single_send:
            return int(self.campaign)
        return self.campaign

    @property
    def env(self) -> dict[str, str]:
        """The fake's key, in the variable the CLI reads it from."""
        return {f"{self.provider.upper()}_API_KEY": self.fake.api_key}

    def run(
        self, action: str, *extra: str, key: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """`campaign-clients <provider> <action> <campaign> --base-url <fake's URL> *extra`
        (`sendgrid single-send <action> ...` for a Single Send), with the fake's key (or
        `key`); checks that no key shows in what it printed."""
        key = key or self.fake.api_key
        env = {f"{self.provider.upper()}_API_KEY": key}
        group = ("single-send",) if self.single_send else ()
        command = (self.provider, *group, action, self.campaign, "--base-url", self.base_url)
        result = self.run_cli(*command, *extra, env=env)
        for secret in {key, self.fake.api_key}:
            assert secret not in result.stdout + result.stderr
        return result

    def send(self, *extra: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
        """`campaign-clients <provider> send <campaign> --base-url <fake's URL> *extra`,
        with the fake's key (or `key`)."""
        return self.run("send", *extra, key=key)


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line an error prints on stderr (fails if there is anything else)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("campaign-clients: "), lines[0]
    return lines[0]
