"""A bound on what is read, over real HTTP on 127.0.0.1: a body larger than
`max_response_bytes` (counted after decompression, while streaming) ends the attempt with
a typed error, a response head is bounded to 100 KiB, and an error keeps at most 4 KiB
(bytes) of a body with its full length noted; both bounds exact to the byte. Memory is
measured in test_bounds_memory.py.

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
from campaign_clients._constants import KEPT_BODY_BYTES, MAX_RESPONSE_HEAD_BYTES
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
    assert isinstance(error.body, str) and 0 < len(error.body.encode()) <= KEPT_BODY_BYTES
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


RAW_TAIL = b"\r\nConnection: close\r\n\r\n"  # how bounds_support.raw() ends a head


def head_of(size: int, body: bytes, status: bytes = b"200 OK") -> bytes:
    """A head for `raw()` that arrives as exactly `size` bytes, status line to blank line."""
    start = b"HTTP/1.1 %s\r\nContent-Type: application/json\r\n" % status
    start += b"Content-Length: %d\r\nX-Padding: " % len(body)
    head = start + b"a" * (size - len(start) - len(RAW_TAIL))
    assert len(head + RAW_TAIL) == size
    return head


@pytest.mark.parametrize("size", [MAX_RESPONSE_HEAD_BYTES - 1, MAX_RESPONSE_HEAD_BYTES])
async def test_a_head_up_to_100_kib_is_read(flavor, size):
    with HostileServer(raw(head_of(size, CAMPAIGN), CAMPAIGN)) as server:
        result = await call(flavor, server.url)
    assert result.data.id == json.loads(CAMPAIGN)["data"]["id"]


@pytest.mark.parametrize(("method", "unknown"), [("get_campaign", False), ("send_now", True)])
async def test_a_head_one_byte_over_100_kib_is_cut_off(flavor, method, unknown):
    size = MAX_RESPONSE_HEAD_BYTES + 1
    with HostileServer(raw(head_of(size, CAMPAIGN), CAMPAIGN)) as server:
        error = await call(flavor, server.url, method, max_retries=2)
    assert type(error) is APIConnectionError and error.outcome_unknown is unknown
    assert f"the response head is longer than {MAX_RESPONSE_HEAD_BYTES} bytes" in str(error)
    assert server.requests == (3 if method == "get_campaign" else 1)  # a send is not repeated


async def test_each_interim_head_is_capped_on_its_own(flavor):
    """Three 60 KiB `102 Processing` heads and a 60 KiB final one: 240 KiB of heads, each
    under the cap, is a valid answer; one interim head over the cap is not."""
    interim = b"HTTP/1.1 102 Processing\r\nX-Padding: " + b"a" * 60 * 1024 + b"\r\n\r\n"
    final = head_of(60 * 1024, CAMPAIGN)
    with HostileServer(raw(interim * 3 + final, CAMPAIGN)) as server:
        result = await call(flavor, server.url)
    assert result.data.id == json.loads(CAMPAIGN)["data"]["id"]
    too_long = interim.replace(b"X-Padding: ", b"X-Padding: " + b"a" * 50 * 1024)
    with HostileServer(raw(too_long + final, CAMPAIGN)) as server:
        error = await call(flavor, server.url)
    assert type(error) is APIConnectionError and error.outcome_unknown is False


E_ACUTE = "\u00e9"  # two bytes in UTF-8


@pytest.mark.parametrize(
    ("text", "kept", "truncated"),
    [
        (E_ACUTE * 2047 + "a", E_ACUTE * 2047 + "a", False),  # 4,095 bytes: kept whole
        (E_ACUTE * 2048, E_ACUTE * 2048, False),  # 4,096 bytes: kept whole
        (E_ACUTE * 2048 + "a", E_ACUTE * 2048, True),  # 4,097 bytes: the first 4,096
        ("a" + E_ACUTE * 2048, "a" + E_ACUTE * 2047, True),  # never half a character
    ],
    ids=["4095", "4096", "4097", "4097-split"],
)
async def test_an_error_keeps_at_most_4_kib_of_a_body_in_bytes(flavor, fake, text, kept, truncated):
    page = text.encode()
    with fake.serve() as base_url:
        fake.fail_next(502, body=page, headers={"Content-Type": "text/html; charset=utf-8"})
        error = await call(flavor, base_url, "send_now", api_key=fake.api_key)
    assert type(error) is ServerError
    assert error.body == kept and len(error.body.encode()) <= KEPT_BODY_BYTES
    assert error.body_truncated is truncated
    assert error.body_length == len(page)


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
