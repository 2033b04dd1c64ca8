"""The API key never shows up in a repr, an error, a pickle or a log record."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest
from support import MAILGLYPH_KEY, SECRETS, SENDGRID_KEY, Recorder, example, invoke

from campaign_clients import CampaignClientError

pytestmark = pytest.mark.anyio

FAILURES = [
    lambda: httpx.Response(401, json=example("mailglyph", "sendCampaign", "401")),
    lambda: httpx.Response(429, json={}, headers={"Retry-After": "999"}),
    lambda: httpx.Response(500, text="<html>oops</html>"),
    lambda: httpx.Response(200, text="not json"),
    lambda: httpx.Response(200, json={"success": True}),
    lambda: httpx.ConnectError("refused"),
    lambda: httpx.ReadTimeout("slow"),
    lambda: httpx.RemoteProtocolError("disconnected"),
]


def assert_no_secret(text: str | bytes) -> None:
    for secret in SECRETS:
        needle = secret.encode() if isinstance(text, bytes) else secret
        assert needle not in text


def test_client_repr_hides_the_key(flavor, make_client):
    for provider in ("mailglyph", "sendgrid"):
        client = make_client(provider, Recorder())
        assert_no_secret(repr(client))
        assert_no_secret(str(client))


def test_clients_refuse_to_pickle_without_showing_the_key(make_client):
    client = make_client("mailglyph", Recorder())
    with pytest.raises(TypeError) as info:
        pickle.dumps(client)
    assert_no_secret(str(info.value))


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("provider", ["mailglyph", "sendgrid"])
async def test_errors_and_logs_hold_no_key(make_client, no_sleep, caplog, failure, provider):
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    client = make_client(provider, Recorder([failure()]), max_retries=1)
    campaign_id = "cmp_1" if provider == "mailglyph" else 4900
    with pytest.raises(CampaignClientError) as info:
        await invoke(client.send_now, campaign_id)
    error = info.value
    assert_no_secret(str(error))
    assert_no_secret(repr(error))
    assert_no_secret(repr(error.args))
    assert_no_secret(repr(error.__dict__))
    assert_no_secret(pickle.dumps(error))
    # The original httpx error (whose request holds our headers) is not chained.
    assert error.__cause__ is None
    assert not isinstance(error.__context__, httpx.HTTPError)
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(repr(record.args))
        assert_no_secret(repr(record.__dict__))
    assert_no_secret(caplog.text)


def test_bad_input_errors_hold_no_key():
    from campaign_clients import MailGlyph, SendGrid

    with pytest.raises(ValueError) as info:
        MailGlyph(MAILGLYPH_KEY, base_url="not a url")
    assert_no_secret(str(info.value))
    with pytest.raises(ValueError) as info:
        SendGrid(SENDGRID_KEY, region="mars")
    assert_no_secret(str(info.value))
