"""Bad input gets a clear ValueError, and nothing is sent."""

from __future__ import annotations

import datetime as dt

import pytest
from support import MAILGLYPH_KEY, SENDGRID_KEY, Recorder, invoke

from campaign_clients import AsyncMailGlyph, AsyncSendGrid, MailGlyph, SendGrid
from campaign_clients._constants import KEY_ENV

pytestmark = pytest.mark.anyio

AWARE = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def never_called() -> Recorder:
    return Recorder([AssertionError("no request may be sent")])


@pytest.mark.parametrize(
    ("campaign_id", "reason"),
    [
        ("", "empty"),
        (".", "dot segment"),
        ("..", "dot segment"),
        ("cmp\x00", "control characters"),
        ("cmp\n1", "control characters"),
        ("cmp\x7f", "control characters"),
        (123, "must be a string"),
        (None, "must be a string"),
    ],
)
async def test_mailglyph_bad_ids(make_client, campaign_id, reason):
    rec = never_called()
    mg = make_client("mailglyph", rec)
    with pytest.raises(ValueError, match=reason):
        await invoke(mg.send_now, campaign_id)
    with pytest.raises(ValueError, match=reason):
        await invoke(mg.schedule, campaign_id, at=AWARE)
    assert rec.count == 0


@pytest.mark.parametrize("campaign_id", [0, -1, True, False, "4900", 49.0, None, 2**63])
async def test_sendgrid_bad_ids(make_client, campaign_id):
    rec = never_called()
    sg = make_client("sendgrid", rec)
    for call in (
        lambda: sg.send_now(campaign_id),
        lambda: sg.schedule(campaign_id, at=AWARE),
        lambda: sg.reschedule(campaign_id, at=AWARE),
        lambda: sg.get_schedule(campaign_id),
        lambda: sg.unschedule(campaign_id),
    ):
        with pytest.raises(ValueError, match="campaign id"):
            await invoke(call)
    assert rec.count == 0


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        (dt.datetime(2030, 1, 1), "timezone-aware"),
        (dt.date(2030, 1, 1), "must be a datetime"),
        ("2030-01-01T00:00:00Z", "must be a datetime"),
        (1893456000, "must be a datetime"),
    ],
)
async def test_naive_or_non_datetime_refused(make_client, at, reason):
    rec = never_called()
    mg = make_client("mailglyph", rec)
    sg = make_client("sendgrid", rec)
    with pytest.raises(ValueError, match=reason):
        await invoke(mg.schedule, "cmp_1", at=at)
    with pytest.raises(ValueError, match=reason):
        await invoke(sg.schedule, 1, at=at)
    with pytest.raises(ValueError, match=reason):
        await invoke(sg.reschedule, 1, at=at)
    assert rec.count == 0


async def test_sendgrid_refuses_times_before_the_epoch(make_client):
    rec = never_called()
    sg = make_client("sendgrid", rec)
    with pytest.raises(ValueError, match="after 1970"):
        await invoke(sg.schedule, 1, at=dt.datetime(1960, 1, 1, tzinfo=dt.UTC))
    assert rec.count == 0


@pytest.mark.parametrize("cls", [MailGlyph, AsyncMailGlyph])
def test_mailglyph_public_key_refused(cls):
    with pytest.raises(ValueError, match=r"secret key \(sk_\.\.\.\)") as info:
        cls("pk_live_abcdef123456")
    assert "pk_live_abcdef123456" not in str(info.value)


@pytest.mark.parametrize("cls", [MailGlyph, AsyncMailGlyph, SendGrid, AsyncSendGrid])
@pytest.mark.parametrize("key", ["", "   ", "sk_a b", "sk_abc\n", "sk_abc\r\nX-Evil: 1", None])
def test_empty_or_unsafe_keys_refused(cls, key, monkeypatch):
    for name in KEY_ENV.values():  # None reads the environment (tests/facade/test_keys_from_env.py)
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="api_key") as info:
        cls(key)
    if key and key.strip():
        assert key.strip() not in str(info.value)


@pytest.mark.parametrize("cls", [SendGrid, AsyncSendGrid])
def test_unknown_region_refused(cls):
    with pytest.raises(ValueError, match="region must be one of"):
        cls(SENDGRID_KEY, region="us")


@pytest.mark.parametrize("cls", [SendGrid, AsyncSendGrid])
@pytest.mark.parametrize("value", ["", "sub\nuser", "sub\r\nX-Evil: 1"])
def test_bad_on_behalf_of_refused(cls, value):
    with pytest.raises(ValueError, match="on_behalf_of"):
        cls(SENDGRID_KEY, on_behalf_of=value)


async def test_bad_per_call_on_behalf_of_refused(make_client):
    rec = never_called()
    sg = make_client("sendgrid", rec)
    with pytest.raises(ValueError, match="on_behalf_of"):
        await invoke(sg.send_now, 1, on_behalf_of="a\nb")
    assert rec.count == 0


@pytest.mark.parametrize(
    "base_url",
    [
        "",
        "api.mailglyph.com",
        "ftp://api.mailglyph.com",
        "https://",
        "https://h/?x=1",
        "https://u:p@h",
    ],
)
def test_bad_base_url_refused(base_url):
    with pytest.raises(ValueError, match="base_url"):
        MailGlyph(MAILGLYPH_KEY, base_url=base_url)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("timeout", float("nan")),
        ("timeout", "30"),
        ("max_retries", -1),
        ("max_retries", True),
        ("max_retries", 1.5),
        ("max_retry_wait", -1),
        ("max_retry_wait", float("inf")),
    ],
)
def test_bad_options_refused(option, value):
    with pytest.raises(ValueError, match=option):
        SendGrid(SENDGRID_KEY, **{option: value})
