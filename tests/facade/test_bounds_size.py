"""A bound on what is read, over real HTTP on 127.0.0.1: a body larger than
`max_response_bytes` (counted after decompression, while streaming) ends the attempt with
a typed error, headers are bounded too, and an error keeps at most 4 KiB of a body with
its full length noted. Memory is measured in test_bounds_memory.py.

Servers: the fakes (`oversize_next`, `fail_next`) and tests/bounds_support.py's
`HostileServer`, started and stopped by each test; sync and async clients alike.
"""

from __future__ import annotations

import gzip
import json
import logging
import pickle
import time
import zlib
from typing import Any

import httpx
import pytest
from bounds_support import (
    GENEROUS,
    MIB,
    HostileServer,
    assert_key_nowhere,
    endless_chunked,
    gzip_bomb_answer,
    header_flood,
    raw,
)
from support import MAILGLYPH_KEY, Recorder, client_class, example, invoke

from campaign_clients import (
    APIConnectionError,
    CampaignClientError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
)
from campaign_clients._constants import KEPT_BODY_BYTES
from campaign_clients.testing import FakeMailGlyph

pytestmark = pytest.mark.anyio

CAMPAIGN = json.dumps(example("mailglyph", "getCampaign", "200")).encode()
SMALL = b'{"success": false, "error": {"message": "Campaign not found"}}'


async def call(flavor: str, base_url: str, method: str = "get_campaign", **options: Any) -> Any:
    """One call on a fresh MailGlyph client; returns its result or the error it raised."""
    options = {"max_retries": 0, "settle": False, **options}
    client = client_class("mailglyph", flavor)(
        options.pop("api_key", MAILGLYPH_KEY), base_url=base_url, **options
    )
    started = time.monotonic()
    try:
        return await invoke(getattr(client, method), "cmp_1")
    except CampaignClientError as exc:
        return exc
    finally:
        await invoke(client.close if flavor == "sync" else client.aclose)
        assert time.monotonic() - started < GENEROUS


@pytest.fixture
def fake() -> FakeMailGlyph:
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    return fake


def assert_kept_start(error: Any, length: int | None) -> None:
    """The error keeps only the start of the body, as text, and notes its length."""
    assert isinstance(error.body, str) and 0 < len(error.body) <= KEPT_BODY_BYTES
    assert error.body_truncated is True
    assert error.body_length == length
    assert len(pickle.dumps(error)) < 4 * KEPT_BODY_BYTES


@pytest.mark.parametrize(("method", "acts"), [("send_now", True), ("get_campaign", False)])
async def test_an_oversized_success_is_a_typed_error(flavor, fake, caplog, method, acts):
    caplog.set_level(logging.DEBUG)
    fake.oversize_next(5 * MIB)
    with fake.serve() as base_url:
        error = await call(flavor, base_url, method, api_key=fake.api_key)
    assert type(error) is ResponseTooLargeError
    assert isinstance(error, ResponseValidationError)
    assert error.outcome_unknown is acts
    assert error.limit == MIB and "larger than max_response_bytes" in str(error)
    assert_kept_start(error, 5 * MIB)  # announced by Content-Length
    assert_key_nowhere(fake.api_key, error, caplog.text)


async def test_max_response_bytes_is_the_largest_body_read(flavor, fake):
    with fake.serve() as base_url:
        fake.oversize_next(4000)
        assert (await call(flavor, base_url, api_key=fake.api_key, max_response_bytes=4000)).data
        fake.oversize_next(4001)
        error = await call(flavor, base_url, api_key=fake.api_key, max_response_bytes=4000)
    assert type(error) is ResponseTooLargeError and error.limit == 4000


async def test_a_gzip_body_is_decoded_and_a_bomb_stops_at_the_limit(flavor, fake):
    with fake.serve() as base_url:
        fake.oversize_next(MIB - 1, gzip=True)  # within the limit once inflated
        result = await call(flavor, base_url, api_key=fake.api_key)
        fake.oversize_next(200 * MIB, gzip=True)
        error = await call(flavor, base_url, api_key=fake.api_key)
    assert result.data.id == "cmp_1"
    assert type(error) is ResponseTooLargeError
    assert_kept_start(error, None)  # its inflated length was never announced


@pytest.mark.parametrize("answer", ["endless-chunked", "gzip-bomb"])
async def test_bodies_that_never_end_or_inflate_past_the_limit(flavor, caplog, answer):
    caplog.set_level(logging.DEBUG)
    with HostileServer(endless_chunked if answer == "endless-chunked" else gzip_bomb_answer()) as (
        server
    ):
        error = await call(flavor, server.url, "send_now")
    assert type(error) is ResponseTooLargeError and error.outcome_unknown is True
    assert_kept_start(error, None)
    assert_key_nowhere(MAILGLYPH_KEY, error, caplog.text)


ENCODED = {
    "gzip": (b"gzip", gzip.compress(CAMPAIGN)),
    "deflate-zlib": (b"deflate", zlib.compress(CAMPAIGN)),
    "deflate-raw": (b"deflate", zlib.compress(CAMPAIGN, wbits=-zlib.MAX_WBITS)),
    "identity": (b"identity", CAMPAIGN),
}


@pytest.mark.parametrize("encoding", ENCODED)
async def test_gzip_and_deflate_are_decoded(flavor, encoding):
    name, body = ENCODED[encoding]
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: " + name
    with HostileServer(raw(head, body)) as server:
        result = await call(flavor, server.url)
    assert result.data.id == json.loads(CAMPAIGN)["data"]["id"]


@pytest.mark.parametrize(
    ("encoding", "body", "why"),
    [
        (b"gzip", b"\x1f\x8b\x08\x00" + b"not gzip at all" * 10, "corrupt"),
        (b"br", b"\x0b\x02\x80{}\x03", "Content-Encoding 'br' is not supported"),
        (b"gzip, br", gzip.compress(CAMPAIGN), "not supported"),
    ],
    ids=["corrupt-gzip", "brotli", "two-encodings"],
)
async def test_a_body_that_cannot_be_decoded_is_a_validation_error(flavor, encoding, body, why):
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: " + encoding
    with HostileServer(raw(head, body)) as server:
        error = await call(flavor, server.url, "send_now")
    assert type(error) is ResponseValidationError and why in str(error)
    assert error.outcome_unknown is True


async def test_a_header_flood_is_cut_off(flavor, caplog):
    caplog.set_level(logging.DEBUG)
    with HostileServer(header_flood) as server:
        error = await call(flavor, server.url, "send_now")
    assert type(error) is APIConnectionError and error.outcome_unknown is True
    assert_key_nowhere(MAILGLYPH_KEY, error, caplog.text)


async def test_an_error_status_with_an_oversized_body_keeps_its_class(flavor, fake):
    fake.oversize_next(5 * MIB, status=500)
    with fake.serve() as base_url:
        error = await call(flavor, base_url, "send_now", api_key=fake.api_key)
    assert type(error) is ServerError and error.outcome_unknown is True
    assert error.messages == ["An unexpected error occurred"]  # from the start of the body
    assert_kept_start(error, 5 * MIB)


async def test_an_error_keeps_4_kib_of_a_long_body_and_small_json_whole(flavor, fake):
    page = (
        b"<html>"
        + b"x" * (KEPT_BODY_BYTES - 20)
        + f"Bearer {fake.api_key}".encode()
        + b"!" * 20_000
    )
    with fake.serve() as base_url:
        fake.fail_next(502, body=page, headers={"Content-Type": "text/html"})
        long = await call(flavor, base_url, "send_now", api_key=fake.api_key)
        fake.fail_next(404, body=SMALL)
        small = await call(flavor, base_url, "send_now", api_key=fake.api_key)
    assert type(long) is ServerError
    assert_kept_start(long, len(page))
    assert all(fake.api_key[:n] not in long.body for n in range(4, len(fake.api_key)))
    assert small.body == json.loads(SMALL) and small.body_truncated is False
    assert small.body_length == len(SMALL)


async def test_a_large_body_made_in_memory_is_bounded_too(make_client):
    """An injected client's transport may hand over a body it already holds (here
    httpx.MockTransport): it is held to the same limit."""
    rec = Recorder([httpx.Response(200, content=b" " * (2 * MIB))])
    client = make_client("mailglyph", rec, max_retries=0)
    with pytest.raises(ResponseTooLargeError) as info:
        await invoke(client.get_campaign, "cmp_1")
    assert info.value.outcome_unknown is False
    assert_kept_start(info.value, 2 * MIB)
