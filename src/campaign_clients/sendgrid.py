"""SendGrid legacy Marketing Campaigns: send now, schedule, reschedule, view and
unschedule a campaign under `/v3/campaigns/{campaign_id}/schedules`, and its launch
siblings: read a campaign and send a test copy. The same clients carry the Single
Sends of the new Marketing Campaigns as `.single_sends` (`single_sends.py`)."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

import httpx
from sendgrid_client.api.campaigns import (
    get_campaign,
    get_campaign_schedule,
    reschedule_campaign,
    schedule_campaign,
    send_campaign_now,
    send_test_campaign,
    unschedule_campaign,
)
from sendgrid_client.models import (
    Campaign,
    ScheduleInfo,
    ScheduleRequest,
    ScheduleResponse,
    SendCampaignNowResponse,
    SendTestRequest,
    SendTestResponse,
)
from sendgrid_client.types import UNSET, Unset

from . import _settlement, single_sends
from ._base import AsyncClient, SettlementPlan, SyncClient
from ._calls import Call, Operation
from ._constants import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_SENDGRID_REGION,
    DEFAULT_SETTLE_DELAY,
    DEFAULT_TIMEOUT,
    SENDGRID,
    SENDGRID_REGIONS,
)
from ._schema import parse_model
from ._settlement import Attempt, Settlement
from ._validation import (
    check_aware,
    check_choice,
    check_email,
    check_header_value,
    check_int_id,
    check_since,
    resolve_api_key,
)
from .errors import CampaignClientError
from .single_sends import AsyncSingleSends, SingleSends

__all__ = ["AsyncSendGrid", "SendGrid"]

T = TypeVar("T")

# Each operation's safety class (repeatable, settles) comes from the spec.
SEND_NOW = Operation(SENDGRID, "sendCampaignNow", SendCampaignNowResponse.from_dict)
SCHEDULE = Operation(SENDGRID, "scheduleCampaign", ScheduleResponse.from_dict)
RESCHEDULE = Operation(SENDGRID, "rescheduleCampaign", ScheduleResponse.from_dict)
GET_SCHEDULE = Operation(SENDGRID, "getCampaignSchedule", ScheduleInfo.from_dict)
UNSCHEDULE: Operation[None] = Operation(SENDGRID, "unscheduleCampaign", None)
GET_CAMPAIGN = Operation(SENDGRID, "getCampaign", Campaign.from_dict)
SEND_TEST = Operation(SENDGRID, "sendTestCampaign", SendTestResponse.from_dict)


def _send_at(at: object) -> tuple[datetime.datetime, ScheduleRequest]:
    """The instant asked for, in whole seconds, and the body that asks for it."""
    send_at = int(check_aware(at).timestamp())
    if send_at <= 0:
        raise ValueError("at= must be after 1970-01-01T00:00:00Z")
    return datetime.datetime.fromtimestamp(send_at, datetime.UTC), ScheduleRequest(send_at)


class _SendGridProvider:
    """SendGrid's facts for the client core: checks input, builds each call and says how
    an attempt is settled; shared by the sync and async clients."""

    provider = SENDGRID
    default_base_url = SENDGRID_REGIONS[DEFAULT_SENDGRID_REGION]

    def _setup(
        self, api_key: object, region: object, on_behalf_of: object, base_url: str | None
    ) -> tuple[str, str]:
        """Check the SendGrid-only arguments (the key first, from `SENDGRID_API_KEY` when it
        is None); return the key and the base URL to use."""
        key = resolve_api_key(api_key, provider=SENDGRID)
        region = check_choice(region, SENDGRID_REGIONS, name="region")
        self._on_behalf_of: str | Unset = (
            UNSET if on_behalf_of is None else check_header_value(on_behalf_of, name="on_behalf_of")
        )
        return key, SENDGRID_REGIONS[region] if base_url is None else base_url

    def _obo(self, on_behalf_of: str | None) -> str | Unset:
        """This call's on-behalf-of: the override if given, else the client's default."""
        if on_behalf_of is None:
            return self._on_behalf_of
        return check_header_value(on_behalf_of, name="on_behalf_of")

    def _call(
        self,
        operation: Operation[T],
        module: Any,
        campaign_id: object,
        obo: str | None,
        at: object | None = None,
        since: object = None,
        **body: Any,
    ) -> Call[T]:
        """One call of `operation` through its generated module's `_get_kwargs`; `since`
        (checked) is when the launch began, for a send, schedule or reschedule."""
        campaign_id = check_int_id(campaign_id)
        on_behalf_of = self._obo(obo)
        began = check_since(since)
        when = None
        if at is not None:
            when, body["body"] = _send_at(at)
        kwargs = module._get_kwargs(campaign_id, on_behalf_of=on_behalf_of, **body)
        recorded = None if isinstance(on_behalf_of, Unset) else on_behalf_of
        return Call(
            operation, kwargs, campaign_id=campaign_id, at=when, on_behalf_of=recorded, since=began
        )

    def _settle_plan(self, attempt: Attempt) -> SettlementPlan:
        if attempt.operation in single_sends.OPERATIONS:
            return single_sends.settle_plan(attempt)
        return self._campaign_settle_plan(attempt)

    def _campaign_settle_plan(self, attempt: Attempt) -> SettlementPlan:
        obo = attempt.on_behalf_of
        read = yield self._call(GET_CAMPAIGN, get_campaign, attempt.campaign_id, obo)
        if isinstance(read, CampaignClientError):
            return _settlement.unreadable(read)
        campaign = read.to_dict()
        schedule = None
        if campaign.get("status") == "Scheduled":
            info = yield self._call(GET_SCHEDULE, get_campaign_schedule, attempt.campaign_id, obo)
            schedule = None if isinstance(info, CampaignClientError) else info.to_dict()
        return _settlement.sendgrid(attempt, campaign, schedule)

    def _settled_result(self, call: Call[Any], settlement: Settlement) -> Any:
        if call.operation.name in single_sends.OPERATIONS:
            return single_sends.settled_result(call, settlement)
        campaign = settlement.state["campaign"]
        answer = {"id": call.asked[0]}
        answer["status"] = campaign["status"]
        if call.operation is not SEND_NOW:
            answer["send_at"] = settlement.state["schedule"]["send_at"]
        return parse_model(call.operation.parse or SendCampaignNowResponse.from_dict, answer)


class SendGrid(_SendGridProvider, SyncClient):
    """SendGrid legacy campaigns client. One instance keeps one pool of keep-alive connections.

    `region="eu"` uses the EU data-residency host; `base_url` overrides either.
    `on_behalf_of` is the default `on-behalf-of` header; each method's own
    `on_behalf_of=` overrides it for that call only. `single_sends` sends, schedules,
    unschedules and reads Single Sends with this client's connections and settings.
    """

    single_sends: SingleSends

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str = DEFAULT_SENDGRID_REGION,
        on_behalf_of: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        settle: bool = True,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
        http_client: httpx.Client | None = None,
    ) -> None:
        key, url = self._setup(api_key, region, on_behalf_of, base_url)
        super().__init__(
            key,
            base_url=url,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            settle=settle,
            settle_delay=settle_delay,
            http_client=http_client,
        )
        self.single_sends = SingleSends(self)

    def send_now(
        self,
        campaign_id: int,
        *,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SendCampaignNowResponse:
        """Send a draft campaign now. `since`: when the launch began (timezone-aware); a
        refusal because an earlier try of it already sent the campaign is settled."""
        call = self._call(SEND_NOW, send_campaign_now, campaign_id, on_behalf_of, since=since)
        return self._request(call)

    def schedule(
        self,
        campaign_id: int,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> ScheduleResponse:
        """Schedule a draft campaign for `at` (timezone-aware; whole seconds). `since`: as
        for `send_now`."""
        call = self._call(SCHEDULE, schedule_campaign, campaign_id, on_behalf_of, at, since)
        return self._request(call)

    def reschedule(
        self,
        campaign_id: int,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> ScheduleResponse:
        """Move a scheduled campaign to `at`. `since`: as for `send_now`."""
        call = self._call(RESCHEDULE, reschedule_campaign, campaign_id, on_behalf_of, at, since)
        return self._request(call)

    def get_schedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> ScheduleInfo:
        """When the campaign is scheduled to be sent."""
        return self._request(
            self._call(GET_SCHEDULE, get_campaign_schedule, campaign_id, on_behalf_of)
        )

    def unschedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> None:
        """Return a scheduled campaign to draft."""
        self._request(self._call(UNSCHEDULE, unschedule_campaign, campaign_id, on_behalf_of))

    def get_campaign(self, campaign_id: int, *, on_behalf_of: str | None = None) -> Campaign:
        """Read the campaign, with its `status`."""
        return self._request(self._call(GET_CAMPAIGN, get_campaign, campaign_id, on_behalf_of))

    def send_test(
        self, campaign_id: int, *, to: str, on_behalf_of: str | None = None
    ) -> SendTestResponse:
        """Send one test copy of the campaign to the address `to`."""
        body = SendTestRequest(to=check_email(to))
        return self._request(
            self._call(SEND_TEST, send_test_campaign, campaign_id, on_behalf_of, body=body)
        )


class AsyncSendGrid(_SendGridProvider, AsyncClient):
    """The async twin of `SendGrid`: same arguments, methods are coroutines."""

    single_sends: AsyncSingleSends

    def __init__(
        self,
        api_key: str | None = None,
        *,
        region: str = DEFAULT_SENDGRID_REGION,
        on_behalf_of: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        settle: bool = True,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        key, url = self._setup(api_key, region, on_behalf_of, base_url)
        super().__init__(
            key,
            base_url=url,
            timeout=timeout,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            settle=settle,
            settle_delay=settle_delay,
            http_client=http_client,
        )
        self.single_sends = AsyncSingleSends(self)

    async def send_now(
        self,
        campaign_id: int,
        *,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SendCampaignNowResponse:
        """Send a draft campaign now. `since`: when the launch began (timezone-aware); a
        refusal because an earlier try of it already sent the campaign is settled."""
        call = self._call(SEND_NOW, send_campaign_now, campaign_id, on_behalf_of, since=since)
        return await self._request(call)

    async def schedule(
        self,
        campaign_id: int,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> ScheduleResponse:
        """Schedule a draft campaign for `at` (timezone-aware; whole seconds). `since`: as
        for `send_now`."""
        call = self._call(SCHEDULE, schedule_campaign, campaign_id, on_behalf_of, at, since)
        return await self._request(call)

    async def reschedule(
        self,
        campaign_id: int,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> ScheduleResponse:
        """Move a scheduled campaign to `at`. `since`: as for `send_now`."""
        call = self._call(RESCHEDULE, reschedule_campaign, campaign_id, on_behalf_of, at, since)
        return await self._request(call)

    async def get_schedule(
        self, campaign_id: int, *, on_behalf_of: str | None = None
    ) -> ScheduleInfo:
        """When the campaign is scheduled to be sent."""
        return await self._request(
            self._call(GET_SCHEDULE, get_campaign_schedule, campaign_id, on_behalf_of)
        )

    async def unschedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> None:
        """Return a scheduled campaign to draft."""
        await self._request(self._call(UNSCHEDULE, unschedule_campaign, campaign_id, on_behalf_of))

    async def get_campaign(self, campaign_id: int, *, on_behalf_of: str | None = None) -> Campaign:
        """Read the campaign, with its `status`."""
        return await self._request(
            self._call(GET_CAMPAIGN, get_campaign, campaign_id, on_behalf_of)
        )

    async def send_test(
        self, campaign_id: int, *, to: str, on_behalf_of: str | None = None
    ) -> SendTestResponse:
        """Send one test copy of the campaign to the address `to`."""
        body = SendTestRequest(to=check_email(to))
        return await self._request(
            self._call(SEND_TEST, send_test_campaign, campaign_id, on_behalf_of, body=body)
        )
