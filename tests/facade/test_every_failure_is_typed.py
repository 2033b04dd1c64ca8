"""The audit of the request loop's `except` clauses: every exception httpx can raise for a
request, the JSON decoder's, and the event loop's, becomes a `CampaignClientError` with
the right `outcome_unknown`, on the sync and the async client, for a send (which can
act) and a read (which cannot).
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from support import Recorder, invoke

from campaign_clients import (
    APIConnectionError,
    APITimeoutError,
    AsyncMailGlyph,
    CampaignClientError,
    ResponseValidationError,
)
from campaign_clients.testing import FakeMailGlyph

pytestmark = pytest.mark.anyio

# httpx's request exceptions: the class raised -> (the error, whether it was sent)
HTTPX_ERRORS: list[tuple[type[httpx.RequestError], type[CampaignClientError], bool]] = [
    (httpx.ConnectError, APIConnectionError, False),
    (httpx.ConnectTimeout, APITimeoutError, False),
    (httpx.PoolTimeout, APITimeoutError, False),
    (httpx.ReadTimeout, APITimeoutError, True),
    (httpx.WriteTimeout, APITimeoutError, True),
    (httpx.ReadError, APIConnectionError, True),
    (httpx.WriteError, APIConnectionError, True),
    (httpx.CloseError, APIConnectionError, True),
    (httpx.RemoteProtocolError, APIConnectionError, True),
    (httpx.LocalProtocolError, APIConnectionError, True),
    (httpx.ProxyError, APIConnectionError, True),
    (httpx.UnsupportedProtocol, APIConnectionError, True),
    (httpx.DecodingError, APIConnectionError, True),
    (httpx.TooManyRedirects, APIConnectionError, True),
]


@pytest.mark.parametrize(
    ("raised", "expected", "sent"), HTTPX_ERRORS, ids=[c.__name__ for c, _, _ in HTTPX_ERRORS]
)
@pytest.mark.parametrize("method", ["send_now", "get_campaign"])
async def test_every_httpx_request_error_is_typed(
    make_client, no_sleep, raised, expected, sent, method
):
    rec = Recorder([raised("injected")])
    client = make_client("mailglyph", rec, max_retries=0)
    with pytest.raises(expected) as info:
        await invoke(getattr(client, method), "cmp_1")
    assert type(info.value) is expected
    # Only a call that can act, and only once the request may have been written.
    assert info.value.outcome_unknown is (sent and method == "send_now")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "is not JSON"),
        (b"\xff\xfe\x00", "is not JSON"),  # not UTF-8: a UnicodeDecodeError inside
        (b"[" * 50_000 + b"]" * 50_000, "nested too deep"),
        (b'{"success": true, "data": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested too deep"),
    ],
    ids=["syntax", "encoding", "nesting", "nesting-in-a-field"],
)
async def test_every_json_decoder_error_is_typed(make_client, no_sleep, content, why):
    rec = Recorder([httpx.Response(200, content=content)])
    with pytest.raises(ResponseValidationError, match=why) as info:
        await invoke(make_client("mailglyph", rec, max_retries=0).send_now, "cmp_1")
    assert info.value.outcome_unknown is True


async def test_an_event_loop_that_stops_under_a_request_is_typed(no_sleep):
    def closed(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("Event loop is closed")

    client = AsyncMailGlyph(
        "sk_test_x",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(closed)),
        max_retries=0,
        settle=False,
    )
    with pytest.raises(APIConnectionError, match="event loop stopped") as info:
        await client.send_now("cmp_1")
    assert info.value.outcome_unknown is True
    with pytest.raises(APIConnectionError) as read:
        await client.get_campaign("cmp_1")
    assert read.value.outcome_unknown is False


def test_an_async_client_used_on_a_second_event_loop_refuses_before_sending():
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.add_campaign("cmp_2")
    with fake.serve() as base_url:
        # No keep-alive, so the first loop leaves no connection behind when it closes.
        no_keepalive = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))
        client = AsyncMailGlyph(
            fake.api_key, base_url=base_url, settle=False, http_client=no_keepalive
        )
        assert asyncio.run(client.send_now("cmp_1")).data.status == "SENDING"
        with pytest.raises(APIConnectionError, match="first used on another event loop") as info:
            asyncio.run(client.send_now("cmp_2"))
    assert info.value.outcome_unknown is False
    assert "nothing was sent" in str(info.value)
    assert fake.sends("cmp_2") == 0
