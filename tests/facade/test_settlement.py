"""Settling an unknown outcome in the request loop, on scripted answers, sync and async:
what is returned or raised, what was read, and every request made.

test_settlement_faults.py has the same over real HTTP against the fakes;
test_settlement_rules.py has the rules themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
import pickle
from typing import Any

import httpx
import pytest
from support import SECRETS, Recorder, example, invoke

from campaign_clients import (
    APITimeoutError,
    Attempt,
    BadRequestError,
    CampaignClientError,
    NotFoundError,
    ServerError,
    Settlement,
)

pytestmark = pytest.mark.anyio

AT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mailglyph_campaign(status: str, **fields: Any) -> httpx.Response:
    body = example("mailglyph", "getCampaign", "200")
    body["data"].update(status=status, **fields)
    return httpx.Response(200, json=body)


def sendgrid_campaign(status: str) -> httpx.Response:
    body = example("sendgrid", "getCampaign", "200")
    body.update(id=4900, status=status)
    return httpx.Response(200, json=body)


def failure(provider: str, status: int = 500) -> httpx.Response:
    operation = "sendCampaign" if provider == "mailglyph" else "sendCampaignNow"
    body = example(provider, operation, "5XX") if provider == "mailglyph" else None
    return httpx.Response(status, json=body)


def sent_ok() -> httpx.Response:
    return httpx.Response(200, json=example("mailglyph", "sendCampaign", "200"))


def paths(rec: Recorder) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in rec.requests]


SEND = "POST /campaigns/cmp_1/send"
READ = "GET /campaigns/cmp_1"


async def test_applied_returns_the_result_built_from_the_read(make_client, no_sleep, caplog):
    rec = Recorder([failure("mailglyph"), mailglyph_campaign("SENDING", sentAt=now_iso())])
    mg = make_client("mailglyph", rec, settle=True, settle_delay=0.25)
    with caplog.at_level(logging.DEBUG, logger="campaign_clients"):
        result = await invoke(mg.send_now, "cmp_1")
    assert paths(rec) == [SEND, READ]
    assert result.data.status == "SENDING"
    assert result.message.startswith("Settled by reading the campaign: status SENDING")
    assert no_sleep == [0.25]  # settle_delay before the read, nothing else
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "was applied" in warnings[0].getMessage()


async def test_not_applied_is_repeated_once(make_client, no_sleep):
    rec = Recorder([failure("mailglyph", 503), mailglyph_campaign("DRAFT"), sent_ok()])
    result = await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert paths(rec) == [SEND, READ, SEND]
    assert result.success is True


async def test_not_applied_with_no_retries_left_is_a_definite_error(make_client, no_sleep):
    rec = Recorder([failure("mailglyph"), mailglyph_campaign("DRAFT")])
    mg = make_client("mailglyph", rec, settle=True, max_retries=0)
    with pytest.raises(ServerError) as info:
        await invoke(mg.send_now, "cmp_1")
    assert paths(rec) == [SEND, READ]
    assert info.value.outcome_unknown is False
    assert info.value.settlement is not None
    assert info.value.settlement.outcome == "not_applied"
    assert "settled as not applied: the campaign is still DRAFT" in str(info.value)


async def test_a_campaign_sent_before_the_attempt_is_not_reported_as_ours(make_client, no_sleep):
    long_ago = "2023-11-07T05:31:56.000Z"
    rec = Recorder([failure("mailglyph"), mailglyph_campaign("SENT", sentAt=long_ago)])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert paths(rec) == [SEND, READ]  # not repeated: it would be refused
    assert info.value.outcome_unknown is False
    settlement = info.value.settlement
    assert settlement is not None
    assert settlement.outcome == "not_applied" and "before this attempt" in settlement.reason


async def test_a_refused_repeat_is_settled_again(make_client, no_sleep):
    # The first send acted late: the read still said DRAFT, the repeat was refused.
    refused = httpx.Response(400, json=example("mailglyph", "sendCampaign", "400"))
    answers = [failure("mailglyph"), mailglyph_campaign("DRAFT"), refused]
    rec = Recorder([*answers, mailglyph_campaign("SENDING", sentAt=now_iso())])
    result = await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert paths(rec) == [SEND, READ, SEND, READ]
    assert result.data.status == "SENDING"


async def test_a_read_that_fails_leaves_the_outcome_unknown(make_client, no_sleep):
    rec = Recorder([failure("mailglyph"), failure("mailglyph", 503)])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert paths(rec) == [SEND, READ, READ, READ]  # the read's own idempotent retries
    error = info.value
    assert error.status_code == 500  # the original error, not the read's
    assert error.outcome_unknown is True
    assert error.settlement is not None and error.settlement.outcome == "unknown"
    assert "could not be read" in str(error)


async def test_a_timeout_is_settled(make_client, no_sleep):
    timeout = httpx.ReadTimeout("timed out")
    rec = Recorder([timeout, mailglyph_campaign("SENDING", sentAt=now_iso())])
    result = await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert result.data.status == "SENDING"


async def test_settle_false_raises_at_once(make_client, no_sleep):
    rec = Recorder([failure("mailglyph")])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("mailglyph", rec, settle=False).send_now, "cmp_1")
    assert paths(rec) == [SEND]
    assert info.value.outcome_unknown is True and info.value.settlement is None


async def test_sendgrid_schedule_applied_reads_the_schedule(make_client, no_sleep):
    schedule = httpx.Response(200, json={"send_at": int(AT.timestamp())})
    rec = Recorder([failure("sendgrid", 502), sendgrid_campaign("Scheduled"), schedule])
    sg = make_client("sendgrid", rec, settle=True, on_behalf_of="subuser-1")
    result = await invoke(sg.schedule, 4900, at=AT)
    assert paths(rec) == [
        "POST /v3/campaigns/4900/schedules",
        "GET /v3/campaigns/4900",
        "GET /v3/campaigns/4900/schedules",
    ]
    assert all(r.headers["on-behalf-of"] == "subuser-1" for r in rec.requests)
    assert (result.id, result.send_at, result.status) == (4900, int(AT.timestamp()), "Scheduled")


async def test_sendgrid_send_now_not_applied_is_repeated(make_client, no_sleep):
    done = httpx.Response(201, json={"id": 4900, "status": "Scheduled"})
    rec = Recorder([failure("sendgrid"), sendgrid_campaign("Draft"), done])
    result = await invoke(make_client("sendgrid", rec, settle=True).send_now, 4900)
    assert [r.method for r in rec.requests] == ["POST", "GET", "POST"]
    assert result.status == "Scheduled"


# -- settle() called by the caller -----------------------------------------------------------


async def test_settle_reads_the_campaign_of_an_error(make_client, no_sleep):
    rec = Recorder([failure("mailglyph"), mailglyph_campaign("SENDING", sentAt=now_iso())])
    mg = make_client("mailglyph", rec)  # settle=False: the error comes back to us
    with pytest.raises(ServerError) as info:
        await invoke(mg.send_now, "cmp_1")
    attempt = info.value.attempt
    assert isinstance(attempt, Attempt)
    assert (attempt.provider, attempt.operation, attempt.campaign_id) == (
        "MailGlyph",
        "sendCampaign",
        "cmp_1",
    )
    assert attempt.started_at is not None and attempt.at is None
    settlement = await invoke(mg.settle, info.value)
    assert isinstance(settlement, Settlement)
    assert settlement.outcome == "applied" and settlement.status == "SENDING"
    assert paths(rec) == [SEND, READ]


async def test_errors_of_reads_have_no_attempt_and_cannot_be_settled(make_client, no_sleep):
    rec = Recorder([httpx.Response(404, json=example("mailglyph", "getCampaign", "404"))])
    mg = make_client("mailglyph", rec)
    with pytest.raises(NotFoundError) as info:
        await invoke(mg.get_campaign, "cmp_1")
    assert info.value.attempt is None
    with pytest.raises(ValueError, match="no attempt to settle"):
        await invoke(mg.settle, info.value)
    with pytest.raises(ValueError, match="no attempt to settle"):
        await invoke(mg.settle, RuntimeError("not ours"))
    assert rec.count == 1  # settle() made no request


async def test_an_attempt_from_the_other_provider_is_refused(make_client, no_sleep):
    rec = Recorder([failure("sendgrid")])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("sendgrid", rec).send_now, 4900)
    mg_rec = Recorder([])
    with pytest.raises(ValueError, match="made with SendGrid, not MailGlyph"):
        await invoke(make_client("mailglyph", mg_rec).settle, info.value)
    assert mg_rec.count == 0


async def test_cancel_and_unschedule_errors_carry_their_attempt(make_client, no_sleep):
    rec = Recorder([failure("mailglyph", 503)])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("mailglyph", rec, max_retries=0).cancel, "cmp_1")
    assert info.value.attempt is not None and info.value.attempt.settles == "cancel"
    sg_rec = Recorder([httpx.Response(503)])
    with pytest.raises(ServerError) as sg_info:
        await invoke(make_client("sendgrid", sg_rec, max_retries=0).unschedule, 4900)
    assert sg_info.value.attempt is not None and sg_info.value.attempt.settles == "unschedule"


async def test_a_settled_error_pickles_without_the_key(make_client, no_sleep):
    rec = Recorder([failure("mailglyph"), failure("mailglyph", 503)])
    with pytest.raises(CampaignClientError) as info:
        await invoke(make_client("mailglyph", rec, settle=True).schedule, "cmp_1", at=AT)
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.attempt == info.value.attempt and copy.attempt.at == AT
    assert copy.settlement == info.value.settlement
    assert str(copy) == str(info.value)
    dumped = pickle.dumps(info.value) + repr(info.value).encode() + repr(copy.attempt).encode()
    assert not any(secret.encode() in dumped for secret in SECRETS)


async def test_settle_options_are_checked(make_client):
    rec = Recorder([])
    for options, message in (
        ({"settle": "yes"}, "settle must be True or False"),
        ({"settle_delay": -1}, "settle_delay must be a finite number"),
    ):
        with pytest.raises(ValueError, match=message):
            make_client("mailglyph", rec, **options)


async def test_send_test_checks_the_address_before_any_request(make_client):
    for provider, campaign_id in (("mailglyph", "cmp_1"), ("sendgrid", 4900)):
        rec = Recorder([])
        client = make_client(provider, rec)
        for bad in ("", "qa", "qa@example", "a@b.com, c@d.com", "qa@example.com\r\nBcc: x"):
            with pytest.raises(ValueError, match="to= must be one email address"):
                await invoke(client.send_test, campaign_id, to=bad)
        with pytest.raises(ValueError, match="to= must be a string"):
            await invoke(client.send_test, campaign_id, to=["qa@example.com"])
        assert rec.count == 0


async def test_timeout_without_settling_keeps_today_s_error(make_client, no_sleep):
    rec = Recorder([httpx.ReadTimeout("timed out")])
    with pytest.raises(APITimeoutError) as info:
        await invoke(make_client("mailglyph", rec).send_now, "cmp_1")
    assert info.value.outcome_unknown is True


async def test_a_definite_refusal_is_not_settled(make_client, no_sleep):
    refused = httpx.Response(400, json=example("mailglyph", "sendCampaign", "400"))
    rec = Recorder([refused])
    with pytest.raises(BadRequestError) as info:
        await invoke(make_client("mailglyph", rec, settle=True).send_now, "cmp_1")
    assert rec.count == 1 and info.value.settlement is None


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(503), httpx.ReadTimeout("timed out"), httpx.Response(200, text="<html>")],
    ids=["5xx", "timeout", "malformed"],
)
async def test_a_failed_read_changed_nothing(make_client, no_sleep, answer):
    rec = Recorder([answer])
    with pytest.raises(CampaignClientError) as info:
        await invoke(make_client("mailglyph", rec, max_retries=0).get_campaign, "cmp_1")
    assert info.value.outcome_unknown is False  # a GET cannot have sent anything
    assert info.value.attempt is None
