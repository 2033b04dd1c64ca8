"""Faults over real HTTP on 127.0.0.1 without settlement (`settle=False`): the exact
error, `outcome_unknown`, and how many times the server really received the send.
test_settlement_faults.py has the same faults with settlement on.

The servers are campaign_clients.testing's fakes, run with `fake.serve()`; each case runs
on the sync and the async client. A send is never received twice, except after a 429 or
a connect failure.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from support import client_class, invoke

from campaign_clients import (
    APIConnectionError,
    APITimeoutError,
    CampaignClientError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from campaign_clients._base import SyncClient
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

READ_TIMEOUT = 0.5


class Served:
    """A fake served over HTTP, a client of the test's flavor on it, and the campaign."""

    def __init__(self, provider: str, flavor: str, fake: Any, base_url: str) -> None:
        self.fake = fake
        self.campaign_id: str | int = "cmp_fault" if provider == "mailglyph" else 4900
        fake.add_campaign(self.campaign_id)
        self.operation = "sendCampaign" if provider == "mailglyph" else "sendCampaignNow"
        self.make = lambda **options: client_class(provider, flavor)(
            fake.api_key, base_url=base_url, timeout=READ_TIMEOUT, **options
        )

    async def send(self, **options: Any) -> Any:
        client = self.make(**options)
        try:
            return await invoke(client.send_now, self.campaign_id)
        finally:
            await invoke(client.close if isinstance(client, SyncClient) else client.aclose)

    @property
    def sends(self) -> int:
        return int(self.fake.sends(self.campaign_id))


@pytest.fixture
def served(provider: str, flavor: str) -> Iterator[Served]:
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    with fake.serve() as base_url:
        yield Served(provider, flavor, fake, base_url)


def missing_required_field(served: Served) -> Any:
    if isinstance(served.fake, FakeMailGlyph):
        return {"success": True, "data": {"id": served.campaign_id}, "message": "ok"}
    return {"id": served.campaign_id}  # no status


FAULTS: dict[str, tuple[Callable[[Served], None], type[CampaignClientError], bool]] = {
    "500": (lambda s: s.fake.fail_next(500), ServerError, True),
    "503": (lambda s: s.fake.fail_next(503), ServerError, True),
    "520": (lambda s: s.fake.fail_next(520, body=b""), ServerError, True),
    "502-html": (
        lambda s: s.fake.fail_next(
            502,
            body=b"<html><h1>502 Bad Gateway</h1></html>",
            headers={"Content-Type": "text/html"},
        ),
        ServerError,
        True,
    ),
    "200-html": (
        lambda s: s.fake.fail_next(
            200 if isinstance(s.fake, FakeMailGlyph) else 201,
            body=b"<html>Welcome to nginx</html>",
            headers={"Content-Type": "text/html"},
        ),
        ResponseValidationError,
        True,
    ),
    "200-empty": (
        lambda s: s.fake.fail_next(200 if isinstance(s.fake, FakeMailGlyph) else 201, body=b""),
        ResponseValidationError,
        True,
    ),
    "200-missing-field": (
        lambda s: s.fake.fail_next(
            200 if isinstance(s.fake, FakeMailGlyph) else 201, body=missing_required_field(s)
        ),
        ResponseValidationError,
        True,
    ),
    "stall": (lambda s: s.fake.stall_next(), APITimeoutError, True),
    "reset": (lambda s: s.fake.reset_next(), APIConnectionError, True),
    "429-too-long": (lambda s: s.fake.fail_next(429, retry_after=3600), RateLimitError, False),
}


@pytest.mark.parametrize("fault", FAULTS)
async def test_without_settling_a_fault_gives_exact_error_and_is_never_sent_twice(
    served, no_sleep, fault
):
    # settle=False keeps the behaviour from before settlement: raise at once.
    inject, error_class, outcome_unknown = FAULTS[fault]
    inject(served)
    with pytest.raises(error_class) as info:
        await served.send(max_retries=2, settle=False)
    assert type(info.value) is error_class
    assert info.value.outcome_unknown is outcome_unknown
    assert served.sends == 1
    assert no_sleep == []


async def test_429_with_retry_after_is_retried_once(served, no_sleep):
    served.fake.fail_next(429, retry_after=2)
    result = await served.send(max_retries=2)
    assert result is not None
    assert served.sends == 2  # the 429 and the retry
    assert no_sleep == [2.0]


async def test_429_every_time_gives_up_after_max_retries(served, no_sleep):
    served.fake.fail_next(429, retry_after=1, times=5)
    with pytest.raises(RateLimitError) as info:
        await served.send(max_retries=2)
    assert info.value.retry_after == 1.0
    assert info.value.outcome_unknown is False
    assert served.sends == 3
    assert no_sleep == [1.0, 1.0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connect_failure_is_retried_and_reported_as_not_sent(provider, flavor, no_sleep):
    client = client_class(provider, flavor)(
        "sk_test_x" if provider == "mailglyph" else "SG.x",
        base_url=f"http://127.0.0.1:{closed_port()}",
        max_retries=2,
    )
    campaign_id = "cmp_1" if provider == "mailglyph" else 1
    with pytest.raises(APIConnectionError) as info:
        await invoke(client.send_now, campaign_id)
    assert type(info.value) is APIConnectionError
    assert info.value.outcome_unknown is False
    assert len(no_sleep) == 2  # three connect attempts, two waits


async def test_connect_failure_then_server_up_sends_once(flavor, no_sleep, monkeypatch):
    """A connect failure is retried, and the retry's send is the only one received."""
    fake = FakeSendGrid()
    fake.add_campaign(4900)
    with fake.serve() as base_url:
        client = client_class("sendgrid", flavor)(fake.api_key, base_url=base_url, max_retries=2)
        http = client._http
        real_send = http.send
        calls = {"n": 0}

        def refuse_first(request: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 1:
                raise httpx.ConnectError("connection refused", request=request)
            return real_send(request, **kwargs)

        monkeypatch.setattr(http, "send", refuse_first)
        result = await invoke(client.send_now, 4900)
        await invoke(client.close if flavor == "sync" else client.aclose)
    assert result.status == "Scheduled"
    assert fake.sends(4900) == 1
    assert len(no_sleep) == 1


@pytest.mark.parametrize("fault", ["500", "stall", "reset"])
async def test_idempotent_get_schedule_is_retried_over_http(flavor, no_sleep, fault):
    fake = FakeSendGrid()
    fake.add_campaign(4900, status="Scheduled", send_at=1893456000)
    with fake.serve() as base_url:
        {"500": lambda: fake.fail_next(500), "stall": fake.stall_next, "reset": fake.reset_next}[
            fault
        ]()
        client = client_class("sendgrid", flavor)(
            fake.api_key, base_url=base_url, timeout=READ_TIMEOUT, max_retries=2
        )
        info = await invoke(client.get_schedule, 4900)
        await invoke(client.close if flavor == "sync" else client.aclose)
    assert info.send_at == 1893456000
    assert fake.count("getCampaignSchedule", campaign_id=4900) == 2
    assert len(no_sleep) == 1
