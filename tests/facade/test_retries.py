"""Retries never send twice: a send is repeated only after a 429 or a connect failure."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time

import httpx
import pytest
from support import Recorder, example, invoke

from campaign_clients import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)
from campaign_clients._retry import INITIAL_BACKOFF, MAX_BACKOFF, backoff, retry_after

pytestmark = pytest.mark.anyio

AT = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def ok_mailglyph() -> httpx.Response:
    return httpx.Response(200, json=example("mailglyph", "sendCampaign", "200"))


def rate_limited(**headers: str) -> httpx.Response:
    return httpx.Response(429, json=example("mailglyph", "sendCampaign", "429"), headers=headers)


async def test_429_is_retried_after_retry_after_seconds(make_client, no_sleep):
    rec = Recorder([rate_limited(**{"Retry-After": "3"}), ok_mailglyph()])
    mg = make_client("mailglyph", rec)
    result = await invoke(mg.send_now, "cmp_1")
    assert result.success is True
    assert rec.count == 2
    assert no_sleep == [3.0]


async def test_429_retry_after_as_http_date(make_client, no_sleep):
    when = email.utils.format_datetime(
        dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), usegmt=True
    )
    rec = Recorder([rate_limited(**{"Retry-After": when}), ok_mailglyph()])
    await invoke(make_client("mailglyph", rec).send_now, "cmp_1")
    assert rec.count == 2
    assert 25 <= no_sleep[0] <= 30


async def test_sendgrid_429_waits_until_rate_limit_reset(make_client, no_sleep):
    reset = str(int(time.time()) + 20)
    limited = httpx.Response(
        429,
        json={"errors": [{"field": None, "message": "too many requests"}]},
        headers={
            "X-RateLimit-Limit": "600",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": reset,
        },
    )
    rec = Recorder([limited, httpx.Response(201, json={"id": 4900, "status": "Scheduled"})])
    await invoke(make_client("sendgrid", rec).send_now, 4900)
    assert rec.count == 2
    assert 18 <= no_sleep[0] <= 20


async def test_wait_longer_than_max_retry_wait_raises_at_once(make_client, no_sleep):
    rec = Recorder([rate_limited(**{"Retry-After": "120"}), ok_mailglyph()])
    mg = make_client("mailglyph", rec, max_retry_wait=60)
    with pytest.raises(RateLimitError) as info:
        await invoke(mg.send_now, "cmp_1")
    assert info.value.retry_after == 120.0
    assert info.value.outcome_unknown is False
    assert rec.count == 1
    assert no_sleep == []


async def test_429_without_retry_after_backs_off_then_gives_up(make_client, no_sleep):
    rec = Recorder([rate_limited()])
    mg = make_client("mailglyph", rec, max_retries=2)
    with pytest.raises(RateLimitError) as info:
        await invoke(mg.send_now, "cmp_1")
    assert info.value.retry_after is None
    assert rec.count == 3  # the first try and two retries
    assert len(no_sleep) == 2
    assert 0.75 * INITIAL_BACKOFF <= no_sleep[0] <= INITIAL_BACKOFF
    assert 1.5 * INITIAL_BACKOFF <= no_sleep[1] <= 2 * INITIAL_BACKOFF


async def test_max_retries_zero_disables_retries(make_client, no_sleep):
    rec = Recorder([rate_limited(**{"Retry-After": "1"}), ok_mailglyph()])
    with pytest.raises(RateLimitError):
        await invoke(make_client("mailglyph", rec, max_retries=0).send_now, "cmp_1")
    assert rec.count == 1
    assert no_sleep == []


async def test_connect_failure_is_retried_for_a_send(make_client, no_sleep):
    rec = Recorder([httpx.ConnectError("refused"), ok_mailglyph()])
    result = await invoke(make_client("mailglyph", rec).send_now, "cmp_1")
    assert result.success is True
    assert rec.count == 2
    assert len(no_sleep) == 1


async def test_connect_failures_exhaust_retries(make_client, no_sleep):
    rec = Recorder([httpx.ConnectError("refused")])
    with pytest.raises(APIConnectionError) as info:
        await invoke(make_client("mailglyph", rec, max_retries=1).send_now, "cmp_1")
    assert info.value.outcome_unknown is False
    assert rec.count == 2


SEND_CALLS = {
    "mailglyph.send_now": ("mailglyph", lambda c: c.send_now("cmp_1")),
    "mailglyph.schedule": ("mailglyph", lambda c: c.schedule("cmp_1", at=AT)),
    "sendgrid.send_now": ("sendgrid", lambda c: c.send_now(4900)),
    "sendgrid.schedule": ("sendgrid", lambda c: c.schedule(4900, at=AT)),
    "sendgrid.reschedule": ("sendgrid", lambda c: c.reschedule(4900, at=AT)),
}
UNKNOWN_OUTCOMES = {
    "500": (lambda: httpx.Response(500, json={}), ServerError),
    "503": (lambda: httpx.Response(503, text="<html>busy</html>"), ServerError),
    "520": (lambda: httpx.Response(520, content=b""), ServerError),
    "read-timeout": (lambda: httpx.ReadTimeout("slow"), APITimeoutError),
    "connection-lost": (lambda: httpx.RemoteProtocolError("disconnected"), APIConnectionError),
}


@pytest.mark.parametrize("call", SEND_CALLS)
@pytest.mark.parametrize("fault", UNKNOWN_OUTCOMES)
async def test_sends_are_never_retried_after_an_unknown_outcome(make_client, no_sleep, call, fault):
    provider, method = SEND_CALLS[call]
    make_answer, error_class = UNKNOWN_OUTCOMES[fault]
    rec = Recorder([make_answer()])
    client = make_client(provider, rec, max_retries=5)
    with pytest.raises(error_class) as info:
        await invoke(method, client)
    assert info.value.outcome_unknown is True
    assert rec.count == 1
    assert no_sleep == []


IDEMPOTENT_CALLS = {
    "get_schedule": (lambda c: c.get_schedule(4900), httpx.Response(200, json={"send_at": 5})),
    "unschedule": (lambda c: c.unschedule(4900), httpx.Response(204)),
}


@pytest.mark.parametrize("call", IDEMPOTENT_CALLS)
@pytest.mark.parametrize("fault", ["500", "read-timeout", "connection-lost"])
async def test_idempotent_calls_are_retried_after_5xx_and_timeouts(
    make_client, no_sleep, call, fault
):
    method, success = IDEMPOTENT_CALLS[call]
    rec = Recorder([UNKNOWN_OUTCOMES[fault][0](), success])
    await invoke(method, make_client("sendgrid", rec))
    assert rec.count == 2
    assert len(no_sleep) == 1


async def test_4xx_is_never_retried(make_client, no_sleep):
    rec = Recorder([httpx.Response(404, json={"errors": [{"message": "not found"}]})])
    with pytest.raises(Exception):  # noqa: B017 - the class is covered in test_errors
        await invoke(make_client("sendgrid", rec).get_schedule, 4900)
    assert rec.count == 1


async def test_each_retry_logs_a_warning_and_each_request_a_debug_record(
    make_client, no_sleep, caplog
):
    caplog.set_level(logging.DEBUG, logger="campaign_clients")
    rec = Recorder([rate_limited(**{"Retry-After": "0"}), ok_mailglyph()])
    await invoke(make_client("mailglyph", rec).send_now, "cmp_9")
    records = [r for r in caplog.records if r.name == "campaign_clients"]
    debug = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(debug) == 2
    assert debug[0].startswith("POST /campaigns/cmp_9/send -> 429 in ")
    assert debug[0].endswith("(attempt 1)")
    assert debug[1].startswith("POST /campaigns/cmp_9/send -> 200 in ")
    assert debug[1].endswith("(attempt 2)")
    assert warnings == [
        "MailGlyph sendCampaign failed (RateLimitError); retrying in 0.00 s (retry 1 of 2)"
    ]


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    for attempt in range(1, 10):
        ceiling = min(INITIAL_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)
        samples = [backoff(attempt) for _ in range(200)]
        assert all(0.75 * ceiling <= s <= ceiling for s in samples)
        assert len(set(samples)) > 1  # jittered


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "Thu, 01 Jan 2026 00:00:30 GMT"}, 30.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"x-ratelimit-reset": "1767225610"}, 10.0),
        ({"retry-after": "2", "x-ratelimit-reset": "1767225610"}, 2.0),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers, expected):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()
    assert retry_after(httpx.Headers(headers), now=now) == expected


async def test_max_retry_wait_also_caps_backoff(make_client, no_sleep):
    rec = Recorder([httpx.ConnectError("refused"), ok_mailglyph()])
    with pytest.raises(APIConnectionError):
        await invoke(make_client("mailglyph", rec, max_retry_wait=0).send_now, "cmp_1")
    assert rec.count == 1
    assert no_sleep == []
