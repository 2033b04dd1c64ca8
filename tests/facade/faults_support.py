"""What the fault tests over real HTTP share (test_settlement_faults.py and
test_single_sends_faults.py): a fake served on 127.0.0.1 with a client of the test's
flavor on it, and how a call that returned was settled.

A plain module with a unique name, so that no other folder's helpers shadow it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import client_class, invoke

from campaign_clients._base import SyncClient

READ_TIMEOUT = 0.5
LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
LATER = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
HTML = b"<html><h1>502 Bad Gateway</h1></html>"


class Served:
    """A fake on 127.0.0.1, a client of the test's flavor on it, and one campaign."""

    def __init__(self, provider: str, flavor: str, fake: Any, base_url: str) -> None:
        self.provider, self.fake = provider, fake
        self.campaign_id: str | int = "cmp_fault" if provider == "mailglyph" else 4900
        self.send_operation = "sendCampaign" if provider == "mailglyph" else "sendCampaignNow"
        self.success = 200 if provider == "mailglyph" else 201
        self.make = lambda **options: client_class(provider, flavor)(
            fake.api_key, base_url=base_url, timeout=READ_TIMEOUT, max_retries=2, **options
        )
        self.client = self.make(settle_delay=0)

    @property
    def target(self) -> Any:
        """What `call` calls methods of: the client itself."""
        return self.client

    def add_campaign(self, **state: Any) -> None:
        self.fake.add_campaign(self.campaign_id, **state)

    async def call(self, method: str, **kwargs: Any) -> Any:
        return await invoke(getattr(self.target, method), self.campaign_id, **kwargs)

    @property
    def counts(self) -> tuple[int, int]:
        """(sends received, sends applied) by the fake's own count."""
        return self.fake.sends(self.campaign_id), self.fake.applied_sends(self.campaign_id)

    async def close(self) -> None:
        close = self.client.close if isinstance(self.client, SyncClient) else self.client.aclose
        await invoke(close)


def settled_outcome(caplog: pytest.LogCaptureFixture) -> str | None:
    """How a call that returned was settled, from the WARNING the client logs."""
    for record in caplog.records:
        message = record.getMessage()
        if "was applied" in message:
            return "applied"
        if "was not applied" in message:
            return "not_applied"
    return None
