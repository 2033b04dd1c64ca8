"""What a `mypy --strict` caller sees: checked by mypy in scripts/test, never run.

Each `assert_type` fails the type check if a facade method's return type drifts from the
generated model it promises.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Literal, assert_type

import httpx
from mailglyph_client.models import CampaignResponse, SendCampaignResponse, SendTestCampaignResponse
from sendgrid_client.models import (
    Campaign,
    ScheduleInfo,
    ScheduleResponse,
    SendCampaignNowResponse,
    SendTestResponse,
    SingleSend,
    SingleSendScheduleResponse,
    SingleSendUnscheduleResponse,
)
from sendgrid_client.types import Unset

from campaign_clients import (
    AlreadySentError,
    APIStatusError,
    AsyncMailGlyph,
    AsyncSendGrid,
    AsyncSingleSends,
    Attempt,
    CampaignClientError,
    CampaignStateError,
    MailGlyph,
    RateLimitError,
    SendGrid,
    Settlement,
    SingleSends,
)

AT = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
SID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"


def sync_caller(http_client: httpx.Client) -> None:
    with MailGlyph("sk_test", http_client=http_client) as mailglyph:
        assert_type(mailglyph.send_now("cmp_1"), SendCampaignResponse)
        assert_type(mailglyph.schedule("cmp_1", at=AT), SendCampaignResponse)
        assert_type(mailglyph.send_now("cmp_1").data.total_recipients, int)
        assert_type(mailglyph.get_campaign("cmp_1"), CampaignResponse)
        assert_type(mailglyph.cancel("cmp_1"), CampaignResponse)
        assert_type(mailglyph.send_test("cmp_1", to="qa@example.com"), SendTestCampaignResponse)
    with SendGrid("SG.x", region="eu", on_behalf_of="sub") as sendgrid:
        assert_type(sendgrid.send_now(1, on_behalf_of="other"), SendCampaignNowResponse)
        assert_type(sendgrid.schedule(1, at=AT), ScheduleResponse)
        assert_type(sendgrid.reschedule(1, at=AT), ScheduleResponse)
        assert_type(sendgrid.get_schedule(1), ScheduleInfo)
        assert_type(sendgrid.unschedule(1), None)
        assert_type(sendgrid.get_schedule(1).send_at, int)
        assert_type(sendgrid.get_campaign(1), Campaign)
        assert_type(sendgrid.get_campaign(1).status, str | Unset)
        assert_type(sendgrid.send_test(1, to="qa@example.com"), SendTestResponse)
        single_sends = sendgrid.single_sends
        assert_type(single_sends, SingleSends)
        assert_type(single_sends.send_now(SID, on_behalf_of="other"), SingleSendScheduleResponse)
        assert_type(single_sends.schedule(uuid.UUID(SID), at=AT), SingleSendScheduleResponse)
        assert_type(single_sends.schedule(SID, at=AT).send_at, datetime.datetime)
        assert_type(single_sends.send_now(SID).status, str)
        assert_type(single_sends.unschedule(SID), SingleSendUnscheduleResponse)
        assert_type(single_sends.unschedule(SID).send_at, datetime.datetime | None)
        assert_type(single_sends.get(SID), SingleSend)
        assert_type(single_sends.get(SID).status, str | Unset)
        assert_type(single_sends.get(SID).send_at, datetime.datetime | None | Unset)
        assert_type(single_sends.get(SID).id, uuid.UUID | Unset)


async def async_caller() -> None:
    async with AsyncMailGlyph("sk_test") as mailglyph:
        assert_type(await mailglyph.send_now("cmp_1"), SendCampaignResponse)
        assert_type(await mailglyph.schedule("cmp_1", at=AT), SendCampaignResponse)
        assert_type(await mailglyph.get_campaign("cmp_1"), CampaignResponse)
        assert_type(await mailglyph.cancel("cmp_1"), CampaignResponse)
        assert_type(await mailglyph.send_test("cmp_1", to="q@x.io"), SendTestCampaignResponse)
    async with AsyncSendGrid("SG.x") as sendgrid:
        assert_type(await sendgrid.send_now(1), SendCampaignNowResponse)
        assert_type(await sendgrid.schedule(1, at=AT), ScheduleResponse)
        assert_type(await sendgrid.reschedule(1, at=AT), ScheduleResponse)
        assert_type(await sendgrid.get_schedule(1), ScheduleInfo)
        assert_type(await sendgrid.unschedule(1), None)
        assert_type(await sendgrid.get_campaign(1), Campaign)
        assert_type(await sendgrid.send_test(1, to="qa@example.com"), SendTestResponse)
        assert_type(sendgrid.single_sends, AsyncSingleSends)
        assert_type(await sendgrid.single_sends.send_now(SID), SingleSendScheduleResponse)
        assert_type(await sendgrid.single_sends.schedule(SID, at=AT), SingleSendScheduleResponse)
        assert_type(await sendgrid.single_sends.unschedule(SID), SingleSendUnscheduleResponse)
        assert_type(await sendgrid.single_sends.get(SID), SingleSend)


def error_caller(error: CampaignClientError, mailglyph: MailGlyph) -> None:
    assert_type(error.outcome_unknown, bool)
    assert_type(error.attempt, Attempt | None)
    assert_type(error.settlement, Settlement | None)
    assert_type(mailglyph.settle(error), Settlement)
    assert_type(mailglyph.settle(error).outcome, Literal["applied", "not_applied", "unknown"])
    if isinstance(error, APIStatusError):
        assert_type(error.status_code, int)
        assert_type(error.messages, list[str])
        assert_type(error.request_id, str | None)
    if isinstance(error, RateLimitError):
        assert_type(error.retry_after, float | None)
    assert_type(error.nothing_sent, bool)
    if isinstance(error, CampaignStateError):
        assert_type(error.status, str | None)
        assert_type(error.state, dict[str, Any])
    if isinstance(error, AlreadySentError):
        assert_type(error.outcome_unknown, bool)


def single_send_settler(error: CampaignClientError, sendgrid: SendGrid) -> None:
    assert_type(sendgrid.settle(error), Settlement)


def launch_caller(mailglyph: MailGlyph, sendgrid: SendGrid, since: datetime.datetime) -> None:
    """A job that knows when its launch began (`since=`) and keeps attempts as JSON."""
    assert_type(mailglyph.send_now("cmp_1", since=since), SendCampaignResponse)
    assert_type(mailglyph.schedule("cmp_1", at=AT, since=since), SendCampaignResponse)
    assert_type(sendgrid.send_now(1, since=since), SendCampaignNowResponse)
    assert_type(sendgrid.schedule(1, at=AT, since=since), ScheduleResponse)
    assert_type(sendgrid.reschedule(1, at=AT, on_behalf_of="s", since=since), ScheduleResponse)
    assert_type(sendgrid.single_sends.send_now(SID, since=since), SingleSendScheduleResponse)
    assert_type(sendgrid.single_sends.schedule(SID, at=AT, since=since), SingleSendScheduleResponse)
    attempt = Attempt.from_json(b"{}")
    assert_type(attempt, Attempt)
    assert_type(attempt.to_json(), str)
    assert_type(sendgrid.settle(Attempt.from_json(attempt.to_json())), Settlement)


async def async_launch_caller(sendgrid: AsyncSendGrid, since: datetime.datetime) -> None:
    assert_type(await sendgrid.send_now(1, since=since), SendCampaignNowResponse)
    assert_type(await sendgrid.single_sends.send_now(SID, since=since), SingleSendScheduleResponse)
    assert_type(await sendgrid.settle(Attempt.from_json("{}")), Settlement)
