"""Hostile answers over real HTTP on 127.0.0.1: bodies that a broken gateway, a proxy or a
compromised middlebox might send. Each becomes a typed error with the right
`outcome_unknown`, in bounded time, with the key nowhere and every line one line.

The server is campaign_clients.testing's fake (`fake.serve()`) answering with a fault
body; each case runs on the sync and the async client, with and without settling where
it matters. Sizes and deadlines are in test_bounds_*.py.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from bounds_support import assert_key_nowhere
from support import client_class, invoke

from campaign_clients import (
    APIStatusError,
    AuthenticationError,
    CampaignClientError,
    ResponseValidationError,
    ServerError,
)
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

GENEROUS_SECONDS = 5.0  # a bound on a misbehaving answer, not a speed target
NESTED = b"[" * 100_000 + b"]" * 100_000


class Hostile:
    """A fake on 127.0.0.1 whose next answer is hostile, and a client on it."""

    def __init__(self, provider: str, flavor: str, fake: Any, base_url: str) -> None:
        self.provider, self.fake = provider, fake
        self.key: str = fake.api_key
        self.campaign_id: str | int = "cmp_1" if provider == "mailglyph" else 4900
        fake.add_campaign(self.campaign_id)
        self.client = client_class(provider, flavor)(
            self.key, base_url=base_url, timeout=2.0, max_retries=0, settle=False
        )

    async def send(self) -> CampaignClientError:
        """Send now; return the error it raised, after checking time, lines and the key."""
        started = time.monotonic()
        with pytest.raises(CampaignClientError) as info:
            await invoke(self.client.send_now, self.campaign_id)
        assert time.monotonic() - started < GENEROUS_SECONDS
        assert_one_line_without(self.key, info.value)
        return info.value


def assert_one_line_without(key: str, error: CampaignClientError) -> None:
    """No form of the error holds the key, and its text is one line."""
    text = str(error)
    assert "\n" not in text and "\r" not in text, text
    assert_key_nowhere(key, error)


@pytest.fixture
async def hostile(provider: str, flavor: str) -> AsyncIterator[Hostile]:
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    with fake.serve() as base_url:
        h = Hostile(provider, flavor, fake, base_url)
        yield h
        await invoke(h.client.close if flavor == "sync" else h.client.aclose)


def success(h: Hostile) -> int:
    return 200 if h.provider == "mailglyph" else 201


async def test_deeply_nested_json_on_a_success_is_a_validation_error(hostile):
    hostile.fake.fail_next(success(hostile), body=NESTED)
    error = await hostile.send()
    assert type(error) is ResponseValidationError
    assert error.outcome_unknown is True
    assert "nested too deep" in str(error)


async def test_deeply_nested_json_on_a_500_is_a_server_error(hostile):
    hostile.fake.fail_next(500, body=NESTED)
    error = await hostile.send()
    assert type(error) is ServerError
    assert error.outcome_unknown is True
    assert isinstance(error.body, str)  # kept as text: it could not be decoded


@pytest.mark.parametrize("charset", ["rot13", "hex", "zlib", "idna", "base64", "no-such-codec"])
async def test_a_body_in_a_charset_that_is_not_text_is_kept_readable(hostile, charset):
    page = b"\xff\xfe<html>Bad Gateway \xe9</html>"
    hostile.fake.fail_next(
        502, body=page, headers={"Content-Type": f"text/html; charset={charset}"}
    )
    error = await hostile.send()
    assert type(error) is ServerError
    assert isinstance(error.body, str) and "Bad Gateway" in error.body


async def test_an_undecodable_success_body_in_an_odd_charset(hostile):
    body = b"\x00\x01 not json"
    headers = {"Content-Type": "application/json; charset=rot13"}
    hostile.fake.fail_next(success(hostile), body=body, headers=headers)
    error = await hostile.send()
    assert type(error) is ResponseValidationError and error.outcome_unknown is True


def echoed(h: Hostile) -> tuple[bytes, dict[str, str]]:
    """A 500 that echoes the Authorization header everywhere it can."""
    bearer = f"Bearer {h.key}"
    if h.provider == "mailglyph":
        body = (
            '{"success": false, "error": {"code": "INTERNAL_ERROR", "statusCode": 500, '
            f'"message": "bad header {bearer}", "requestId": "req_{h.key}", '
            f'"errors": [{{"field": "{h.key}", "message": "got {bearer}"}}]}}}}'
        )
    else:
        body = (
            f'{{"errors": [{{"field": null, "message": "got {bearer}"}}, '
            f'{{"field": "{h.key}", "message": "{h.key}"}}], "id": "{h.key}"}}'
        )
    return body.encode(), {"X-Request-Id": f"echo-{h.key}", "Content-Type": "application/json"}


async def test_a_key_echoed_in_a_json_error_is_redacted(hostile):
    body, headers = echoed(hostile)
    hostile.fake.fail_next(500, body=body, headers=headers)
    error = await hostile.send()
    assert isinstance(error, APIStatusError)
    assert error.messages and all(hostile.key not in m for m in error.messages)
    assert "Bearer ***" in error.messages[0] or "***" in error.messages[0]
    assert error.request_id is not None and hostile.key not in error.request_id
    assert hostile.key not in repr(error.body)


async def test_a_key_echoed_in_an_html_page_is_redacted(hostile):
    page = f"<html><pre>Authorization: Bearer {hostile.key}</pre></html>".encode()
    hostile.fake.fail_next(401, body=page, headers={"Content-Type": "text/html"})
    error = await hostile.send()
    assert type(error) is AuthenticationError and error.outcome_unknown is False
    assert isinstance(error.body, str) and "Bearer ***" in error.body


async def test_a_key_echoed_in_an_invalid_success_body_is_redacted(hostile):
    body = f'{{"id": "{hostile.key}", "status": 7, "data": "{hostile.key}"}}'.encode()
    hostile.fake.fail_next(success(hostile), body=body)
    error = await hostile.send()
    assert type(error) is ResponseValidationError


async def test_control_characters_stay_on_the_attributes_not_in_the_line(hostile):
    message, long_id = "boom\nERROR forged log line\r\n\x1b[31m", "req\r\n" + "x" * 2000
    if hostile.provider == "mailglyph":
        body: Any = {"error": {"message": message, "requestId": long_id}}
    else:
        body = {"errors": [{"field": None, "message": message}], "id": long_id}
    hostile.fake.fail_next(500, body=body)  # JSON: the control characters arrive escaped
    error = await hostile.send()
    assert isinstance(error, APIStatusError)
    assert error.messages[0].startswith("boom\nERROR forged log line\r\n")  # raw value kept
    assert error.request_id == long_id
    assert "boom\\nERROR forged log line\\r\\n" in str(error)  # escaped in the line
    assert len(str(error)) < 1000  # capped there


async def test_the_client_shows_no_key_in_its_vars(hostile):
    client = hostile.client
    assert hostile.key not in repr(vars(client))
    assert hostile.key not in repr(client)
    for value in vars(client).values():
        assert hostile.key not in repr(value)
    with pytest.raises(TypeError):
        pickle.dumps(client._credentials)


async def test_an_error_keeps_a_bounded_number_and_size_of_messages(hostile):
    items = [{"field": None, "message": "m" * 20_000} for _ in range(500)]
    if hostile.provider == "mailglyph":
        body: Any = {"error": {"message": "x" * 20_000, "errors": items}}
    else:
        body = {"errors": items}
    hostile.fake.fail_next(500, body=body)
    error = await hostile.send()
    assert isinstance(error, APIStatusError)
    assert len(error.messages) <= 20
    assert all(len(message) <= 4096 for message in error.messages)
    assert len(pickle.dumps(error)) < 200_000
