"""A total deadline per attempt, over real HTTP on 127.0.0.1: a drip, endless interim
responses and a connect that hangs each end at the deadline with an `APITimeoutError`
whose `outcome_unknown` says whether the request was written; the key is nowhere.

Servers: campaign_clients.testing's fakes (`drip_next`) and tests/bounds_support.py's
`HostileServer` and `black_hole`, started and stopped by each test; every case runs on
the sync and the async client. Elapsed times are generous bounds, not speed targets.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
import pytest
from bounds_support import GENEROUS, HostileServer, assert_key_nowhere, black_hole, endless_interim
from support import MAILGLYPH_KEY, client_class, invoke

from campaign_clients import APITimeoutError
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

DEADLINE = 0.5


def campaign(provider: str) -> str | int:
    return "cmp_1" if provider == "mailglyph" else 4900


async def fails_by_deadline(
    client: Any, method: str, campaign_id: str | int, caplog: pytest.LogCaptureFixture
) -> APITimeoutError:
    """Call, expect an APITimeoutError within the deadline and a generous margin, with
    the key nowhere; close the client."""
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    try:
        with pytest.raises(APITimeoutError) as info:
            await invoke(getattr(client, method), campaign_id)
    finally:
        await invoke(client.close if hasattr(client, "close") else client.aclose)
    assert time.monotonic() - started < DEADLINE + GENEROUS
    assert type(info.value) is APITimeoutError
    assert "deadline" in str(info.value)
    assert_key_nowhere(client._credentials._key, info.value, caplog.text)
    return info.value


@pytest.mark.parametrize(("method", "acts"), [("send_now", True), ("get_campaign", False)])
async def test_a_drip_ends_at_the_deadline(provider, flavor, caplog, method, acts):
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    fake.add_campaign(campaign(provider))
    fake.drip_next(0.05)  # every read gets a byte in time: only a deadline ends it
    with fake.serve() as base_url:
        client = client_class(provider, flavor)(
            fake.api_key, base_url=base_url, timeout=DEADLINE, max_retries=0, settle=False
        )
        error = await fails_by_deadline(client, method, campaign(provider), caplog)
    assert error.outcome_unknown is acts  # written: a send may have acted, a read did not
    assert "after the request was sent" in str(error)
    assert fake.sends(campaign(provider)) == fake.applied_sends(campaign(provider)) == int(acts)


async def test_endless_interim_responses_end_at_the_deadline(flavor, caplog):
    with HostileServer(endless_interim) as server:
        client = client_class("mailglyph", flavor)(
            MAILGLYPH_KEY, base_url=server.url, timeout=DEADLINE, max_retries=0, settle=False
        )
        error = await fails_by_deadline(client, "send_now", "cmp_1", caplog)
    assert error.outcome_unknown is True
    assert server.requests == 1


async def test_a_connect_that_hangs_ends_at_the_deadline_and_sent_nothing(flavor, caplog):
    with black_hole() as url:
        client = client_class("mailglyph", flavor)(
            MAILGLYPH_KEY,
            base_url=url,
            timeout=httpx.Timeout(10.0),  # each phase alone would wait 10 s
            deadline=DEADLINE,
            max_retries=0,
            settle=False,
        )
        error = await fails_by_deadline(client, "send_now", "cmp_1", caplog)
    assert error.outcome_unknown is False  # nothing was written
    assert "before the request was sent" in str(error)


async def test_an_httpx_timeout_keeps_its_per_phase_meaning_without_a_deadline(flavor):
    """A fast drip never trips a per-read timeout: with an httpx.Timeout it completes; the
    same timeout as a number is also the deadline, and the drip outlasts it."""
    fake = FakeSendGrid()
    fake.add_campaign(4900, status="Scheduled", send_at=1893456000)
    with fake.serve() as base_url:
        for timeout, ends in ((httpx.Timeout(0.2), False), (0.2, True)):
            fake.drip_next(0.002)  # about 0.5 s for the whole answer, 2 ms per read
            client = client_class("sendgrid", flavor)(
                fake.api_key, base_url=base_url, timeout=timeout, max_retries=0
            )
            try:
                if ends:
                    with pytest.raises(APITimeoutError, match=r"deadline of 0\.2 s"):
                        await invoke(client.get_schedule, 4900)
                else:
                    assert (await invoke(client.get_schedule, 4900)).send_at == 1893456000
            finally:
                await invoke(client.close if flavor == "sync" else client.aclose)


async def test_an_injected_client_meets_the_deadline(flavor, caplog):
    """An http_client with httpx's own transport: the async clients' cancel scope ends the
    attempt anywhere; the sync clients check the deadline between body chunks (here the
    body drips, so each chunk is a byte). Whether the request was written is not known
    to the facade, so a send's outcome is unknown."""
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.drip_next(0.05, body_only=True)
    with fake.serve() as base_url:
        http: Any = httpx.Client() if flavor == "sync" else httpx.AsyncClient()
        client = client_class("mailglyph", flavor)(
            fake.api_key, base_url=base_url, deadline=DEADLINE, http_client=http, settle=False
        )
        try:
            error = await fails_by_deadline(client, "send_now", "cmp_1", caplog)
        finally:
            await invoke(http.close if flavor == "sync" else http.aclose)
    assert error.outcome_unknown is True


async def test_each_attempt_has_its_own_deadline(flavor, no_sleep):
    """A read retried after a drip gets a whole deadline again, and succeeds."""
    fake = FakeSendGrid()
    fake.add_campaign(4900, status="Scheduled", send_at=1893456000)
    fake.drip_next(0.05, operation="getCampaignSchedule")
    with fake.serve() as base_url:
        client = client_class("sendgrid", flavor)(
            fake.api_key, base_url=base_url, timeout=DEADLINE, max_retries=1
        )
        started = time.monotonic()
        info = await invoke(client.get_schedule, 4900)
        await invoke(client.close if flavor == "sync" else client.aclose)
    assert info.send_at == 1893456000
    assert time.monotonic() - started < 2 * DEADLINE + GENEROUS
    assert fake.count("getCampaignSchedule") == 2
    assert len(no_sleep) == 1


async def test_a_dripped_send_is_settled_as_applied(provider, flavor):
    """The drip acted first; the deadline makes its outcome unknown; reading the campaign
    settles it, so the send returns its result, sent once."""
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    fake.add_campaign(campaign(provider))
    fake.drip_next(0.05, operation="sendCampaign" if provider == "mailglyph" else None)
    with fake.serve() as base_url:
        client = client_class(provider, flavor)(
            fake.api_key, base_url=base_url, timeout=DEADLINE, settle_delay=0
        )
        result = await invoke(client.send_now, campaign(provider))
        await invoke(client.close if flavor == "sync" else client.aclose)
    assert result is not None
    assert fake.sends(campaign(provider)) == fake.applied_sends(campaign(provider)) == 1
