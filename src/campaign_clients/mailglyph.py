"""MailGlyph: send a campaign now or schedule it (`POST /campaigns/{id}/send`), and its
launch siblings: read, cancel and test-send a campaign."""

from __future__ import annotations

import datetime
import time
from typing import Any

from mailglyph_client.api.campaigns import (
    cancel_campaign,
    get_campaign,
    send_campaign,
    send_test_campaign,
)
from mailglyph_client.models import (
    CampaignResponse,
    SendCampaignRequest,
    SendCampaignResponse,
    SendTestCampaignRequest,
    SendTestCampaignResponse,
)
from mailglyph_client.types import UNSET

from . import _launch, _settlement
from ._base import AsyncClient, SettlementPlan, Steps, SyncClient
from ._calls import Call, Operation
from ._constants import MAILGLYPH, MAILGLYPH_BASE_URL
from ._schema import parse_model
from ._settlement import Attempt, Settlement
from ._validation import (
    check_aware,
    check_email,
    check_since,
    check_string_id,
    resolve_api_key,
    utc_z,
)
from .errors import CampaignClientError

__all__ = ["AsyncMailGlyph", "MailGlyph"]

# Each operation's safety class (repeatable, settles) comes from the spec.
SEND_CAMPAIGN = Operation(MAILGLYPH, "sendCampaign", SendCampaignResponse.from_dict)
GET_CAMPAIGN = Operation(MAILGLYPH, "getCampaign", CampaignResponse.from_dict)
CANCEL_CAMPAIGN = Operation(MAILGLYPH, "cancelCampaign", CampaignResponse.from_dict)
SEND_TEST = Operation(MAILGLYPH, "sendTestCampaign", SendTestCampaignResponse.from_dict)


def _send_call(
    campaign_id: object, at: object | None, since: object = None
) -> Call[SendCampaignResponse]:
    campaign_id = check_string_id(campaign_id)
    began = check_since(since)
    if at is None:
        kwargs = send_campaign._get_kwargs(campaign_id, body=UNSET)
        return Call(SEND_CAMPAIGN, kwargs, campaign_id=campaign_id, since=began)
    when = check_aware(at)
    kwargs = send_campaign._get_kwargs(campaign_id, body=SendCampaignRequest(scheduled_for=when))
    kwargs["json"]["scheduledFor"] = utc_z(when)  # the documented "...Z" form
    return Call(SEND_CAMPAIGN, kwargs, campaign_id=campaign_id, at=when, since=began)


def _read_then_schedule(call: Call[SendCampaignResponse]) -> Steps[SendCampaignResponse]:
    """A schedule with `since=`: MailGlyph accepts a second schedule of a `SCHEDULED`
    campaign (it moves it), so the campaign is read first and only a `DRAFT` is
    scheduled; this launch's schedule (or its send, once `at` has passed) is returned
    as the result, and any other state is a `CampaignStateError`, nothing sent."""
    began = time.time()
    read = yield _get_call(call.asked[0])
    if isinstance(read, CampaignClientError):
        raise _launch.unread(read, call, began)
    campaign = read.data.to_dict()
    settlement = _settlement.mailglyph(_launch.attempt(call, began), campaign)
    if settlement.outcome == "applied":
        _launch.already(call, settlement)
        settled: SendCampaignResponse = _settled(call, settlement)
        return settled
    if campaign.get("status") != "DRAFT":
        found = f"the read before it found status {campaign.get('status')!r}"
        what = f"MailGlyph campaign {call.asked[0]} was not scheduled: {found}"
        raise _launch.refused(
            call, began, what, settlement, sent=campaign.get("sentAt") is not None
        )
    answer = yield call
    if isinstance(answer, CampaignClientError):
        raise answer
    result: SendCampaignResponse = answer
    return result


def _settled(call: Call[Any], settlement: Settlement) -> Any:
    """The answer an applied send or schedule stands for, built from the campaign read."""
    answer = {"success": True, "data": settlement.state["campaign"]}
    answer["message"] = f"Settled by reading the campaign: {settlement.reason}"
    return parse_model(call.operation.parse or SendCampaignResponse.from_dict, answer)


def _get_call(campaign_id: object) -> Call[CampaignResponse]:
    campaign_id = check_string_id(campaign_id)
    return Call(GET_CAMPAIGN, get_campaign._get_kwargs(campaign_id), campaign_id=campaign_id)


def _cancel_call(campaign_id: object) -> Call[CampaignResponse]:
    campaign_id = check_string_id(campaign_id)
    kwargs = cancel_campaign._get_kwargs(campaign_id)
    return Call(CANCEL_CAMPAIGN, kwargs, campaign_id=campaign_id)


def _test_call(campaign_id: object, to: object) -> Call[SendTestCampaignResponse]:
    campaign_id = check_string_id(campaign_id)
    body = SendTestCampaignRequest(email=check_email(to))
    kwargs = send_test_campaign._get_kwargs(campaign_id, body=body)
    return Call(SEND_TEST, kwargs, campaign_id=campaign_id)


class _MailGlyphProvider:
    """MailGlyph's facts for the client core: its name, its host, its kind of key, how
    it settles an attempt."""

    provider = MAILGLYPH
    default_base_url = MAILGLYPH_BASE_URL

    def _check_key(self, api_key: object) -> str:
        key = resolve_api_key(api_key, provider=MAILGLYPH)
        if key.startswith("pk_"):
            raise ValueError(
                "MailGlyph public keys (pk_...) only work for client-side event tracking; "
                "sending campaigns needs a secret key (sk_...)"
            )
        return key

    def _settle_plan(self, attempt: Attempt) -> SettlementPlan:
        read = yield _get_call(attempt.campaign_id)
        if isinstance(read, CampaignClientError):
            return _settlement.unreadable(read)
        return _settlement.mailglyph(attempt, read.data.to_dict())

    def _settled_result(self, call: Call[Any], settlement: Settlement) -> Any:
        return _settled(call, settlement)


class MailGlyph(_MailGlyphProvider, SyncClient):
    """MailGlyph campaigns client. One instance keeps one pool of keep-alive connections.

    `http_client` (optional) supplies transport, proxies, limits and extra headers;
    requests still go to `base_url`, and the client is not closed by `close()`.
    """

    def send_now(
        self, campaign_id: str, *, since: datetime.datetime | None = None
    ) -> SendCampaignResponse:
        """Send the campaign now (`scheduledFor` omitted). `since`: when the launch began
        (timezone-aware); a refusal because an earlier try of it already sent the
        campaign is settled, and that send returned as this call's result."""
        return self._request(_send_call(campaign_id, None, since))

    def schedule(
        self,
        campaign_id: str,
        *,
        at: datetime.datetime,
        since: datetime.datetime | None = None,
    ) -> SendCampaignResponse:
        """Schedule the campaign for `at` (timezone-aware; sent as UTC). With `since` (when
        the launch began) the campaign is read first and only a DRAFT is scheduled."""
        call = _send_call(campaign_id, at, since)
        if call.since is None:
            return self._request(call)
        with self._span(SEND_CAMPAIGN.name, call.asked[0]):
            return self._run(_read_then_schedule(call))

    def get_campaign(self, campaign_id: str) -> CampaignResponse:
        """Read the campaign: its `status`, `scheduledFor`, `sentAt` and the rest."""
        return self._request(_get_call(campaign_id))

    def cancel(self, campaign_id: str) -> CampaignResponse:
        """Stop a scheduled or sending campaign."""
        return self._request(_cancel_call(campaign_id))

    def send_test(self, campaign_id: str, *, to: str) -> SendTestCampaignResponse:
        """Send one test copy of the campaign to the address `to`."""
        return self._request(_test_call(campaign_id, to))


class AsyncMailGlyph(_MailGlyphProvider, AsyncClient):
    """The async twin of `MailGlyph`: same arguments, methods are coroutines."""

    async def send_now(
        self, campaign_id: str, *, since: datetime.datetime | None = None
    ) -> SendCampaignResponse:
        """Send the campaign now (`scheduledFor` omitted). `since`: when the launch began
        (timezone-aware); a refusal because an earlier try of it already sent the
        campaign is settled, and that send returned as this call's result."""
        return await self._request(_send_call(campaign_id, None, since))

    async def schedule(
        self,
        campaign_id: str,
        *,
        at: datetime.datetime,
        since: datetime.datetime | None = None,
    ) -> SendCampaignResponse:
        """Schedule the campaign for `at` (timezone-aware; sent as UTC). With `since` (when
        the launch began) the campaign is read first and only a DRAFT is scheduled."""
        call = _send_call(campaign_id, at, since)
        if call.since is None:
            return await self._request(call)
        with self._span(SEND_CAMPAIGN.name, call.asked[0]):
            return await self._run(_read_then_schedule(call))

    async def get_campaign(self, campaign_id: str) -> CampaignResponse:
        """Read the campaign: its `status`, `scheduledFor`, `sentAt` and the rest."""
        return await self._request(_get_call(campaign_id))

    async def cancel(self, campaign_id: str) -> CampaignResponse:
        """Stop a scheduled or sending campaign."""
        return await self._request(_cancel_call(campaign_id))

    async def send_test(self, campaign_id: str, *, to: str) -> SendTestCampaignResponse:
        """Send one test copy of the campaign to the address `to`."""
        return await self._request(_test_call(campaign_id, to))
