"""SendGrid legacy Marketing Campaigns: send now, schedule, reschedule, view and
unschedule a campaign under `/v3/campaigns/{campaign_id}/schedules`."""

from __future__ import annotations

import datetime

import httpx
from sendgrid_client.api.campaigns import (
    get_campaign_schedule,
    reschedule_campaign,
    schedule_campaign,
    send_campaign_now,
    unschedule_campaign,
)
from sendgrid_client.models import (
    ScheduleInfo,
    ScheduleRequest,
    ScheduleResponse,
    SendCampaignNowResponse,
)
from sendgrid_client.types import UNSET, Unset

from ._base import AsyncClient, Call, Operation, SyncClient
from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_SENDGRID_REGION,
    DEFAULT_TIMEOUT,
    SENDGRID,
    SENDGRID_REGIONS,
)
from ._validation import (
    check_api_key,
    check_aware,
    check_choice,
    check_header_value,
    check_int_id,
)

__all__ = ["AsyncSendGrid", "SendGrid"]

# Sends, schedules and reschedules act on the campaign: never repeated after an
# unknown outcome. Reading and unscheduling are safe to repeat.
SEND_NOW = Operation("sendCampaignNow", idempotent=False, parse=SendCampaignNowResponse.from_dict)
SCHEDULE = Operation("scheduleCampaign", idempotent=False, parse=ScheduleResponse.from_dict)
RESCHEDULE = Operation("rescheduleCampaign", idempotent=False, parse=ScheduleResponse.from_dict)
GET_SCHEDULE = Operation("getCampaignSchedule", idempotent=True, parse=ScheduleInfo.from_dict)
UNSCHEDULE: Operation[None] = Operation("unscheduleCampaign", idempotent=True, parse=None)


def _send_at(at: object) -> ScheduleRequest:
    send_at = int(check_aware(at).timestamp())
    if send_at <= 0:
        raise ValueError("at= must be after 1970-01-01T00:00:00Z")
    return ScheduleRequest(send_at=send_at)


class _SendGridCalls:
    """Checks input and builds each call; shared by the sync and async clients."""

    provider = SENDGRID
    default_base_url = SENDGRID_REGIONS[DEFAULT_SENDGRID_REGION]

    def _setup(
        self, api_key: object, region: object, on_behalf_of: object, base_url: str | None
    ) -> str:
        """Check the SendGrid-only arguments (the key first); return the base URL to use."""
        check_api_key(api_key, provider=SENDGRID)
        region = check_choice(region, SENDGRID_REGIONS, name="region")
        self._on_behalf_of: str | Unset = (
            UNSET if on_behalf_of is None else check_header_value(on_behalf_of, name="on_behalf_of")
        )
        return SENDGRID_REGIONS[region] if base_url is None else base_url

    def _obo(self, on_behalf_of: str | None) -> str | Unset:
        """This call's on-behalf-of: the override if given, else the client's default."""
        if on_behalf_of is None:
            return self._on_behalf_of
        return check_header_value(on_behalf_of, name="on_behalf_of")

    def _send_now(self, campaign_id: object, obo: str | None) -> Call[SendCampaignNowResponse]:
        kwargs = send_campaign_now._get_kwargs(
            check_int_id(campaign_id), on_behalf_of=self._obo(obo)
        )
        return Call(SEND_NOW, kwargs)

    def _schedule(self, campaign_id: object, at: object, obo: str | None) -> Call[ScheduleResponse]:
        kwargs = schedule_campaign._get_kwargs(
            check_int_id(campaign_id), body=_send_at(at), on_behalf_of=self._obo(obo)
        )
        return Call(SCHEDULE, kwargs)

    def _reschedule(
        self, campaign_id: object, at: object, obo: str | None
    ) -> Call[ScheduleResponse]:
        kwargs = reschedule_campaign._get_kwargs(
            check_int_id(campaign_id), body=_send_at(at), on_behalf_of=self._obo(obo)
        )
        return Call(RESCHEDULE, kwargs)

    def _get_schedule(self, campaign_id: object, obo: str | None) -> Call[ScheduleInfo]:
        kwargs = get_campaign_schedule._get_kwargs(
            check_int_id(campaign_id), on_behalf_of=self._obo(obo)
        )
        return Call(GET_SCHEDULE, kwargs)

    def _unschedule(self, campaign_id: object, obo: str | None) -> Call[None]:
        kwargs = unschedule_campaign._get_kwargs(
            check_int_id(campaign_id), on_behalf_of=self._obo(obo)
        )
        return Call(UNSCHEDULE, kwargs)


class SendGrid(_SendGridCalls, SyncClient):
    """SendGrid legacy campaigns client. One instance keeps one pool of keep-alive connections.

    `region="eu"` uses the EU data-residency host; `base_url` overrides either.
    `on_behalf_of` is the default `on-behalf-of` header; each method's own
    `on_behalf_of=` overrides it for that call only.
    """

    def __init__(
        self,
        api_key: str,
        *,
        region: str = DEFAULT_SENDGRID_REGION,
        on_behalf_of: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url=self._setup(api_key, region, on_behalf_of, base_url),
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            http_client=http_client,
        )

    def send_now(
        self, campaign_id: int, *, on_behalf_of: str | None = None
    ) -> SendCampaignNowResponse:
        """Send a draft campaign now."""
        return self._request(self._send_now(campaign_id, on_behalf_of))

    def schedule(
        self, campaign_id: int, *, at: datetime.datetime, on_behalf_of: str | None = None
    ) -> ScheduleResponse:
        """Schedule a draft campaign for `at` (timezone-aware; whole seconds)."""
        return self._request(self._schedule(campaign_id, at, on_behalf_of))

    def reschedule(
        self, campaign_id: int, *, at: datetime.datetime, on_behalf_of: str | None = None
    ) -> ScheduleResponse:
        """Move a scheduled campaign to `at`."""
        return self._request(self._reschedule(campaign_id, at, on_behalf_of))

    def get_schedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> ScheduleInfo:
        """When the campaign is scheduled to be sent."""
        return self._request(self._get_schedule(campaign_id, on_behalf_of))

    def unschedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> None:
        """Return a scheduled campaign to draft."""
        self._request(self._unschedule(campaign_id, on_behalf_of))


class AsyncSendGrid(_SendGridCalls, AsyncClient):
    """The async twin of `SendGrid`: same arguments, methods are coroutines."""

    def __init__(
        self,
        api_key: str,
        *,
        region: str = DEFAULT_SENDGRID_REGION,
        on_behalf_of: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            api_key,
            base_url=self._setup(api_key, region, on_behalf_of, base_url),
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            http_client=http_client,
        )

    async def send_now(
        self, campaign_id: int, *, on_behalf_of: str | None = None
    ) -> SendCampaignNowResponse:
        """Send a draft campaign now."""
        return await self._request(self._send_now(campaign_id, on_behalf_of))

    async def schedule(
        self, campaign_id: int, *, at: datetime.datetime, on_behalf_of: str | None = None
    ) -> ScheduleResponse:
        """Schedule a draft campaign for `at` (timezone-aware; whole seconds)."""
        return await self._request(self._schedule(campaign_id, at, on_behalf_of))

    async def reschedule(
        self, campaign_id: int, *, at: datetime.datetime, on_behalf_of: str | None = None
    ) -> ScheduleResponse:
        """Move a scheduled campaign to `at`."""
        return await self._request(self._reschedule(campaign_id, at, on_behalf_of))

    async def get_schedule(
        self, campaign_id: int, *, on_behalf_of: str | None = None
    ) -> ScheduleInfo:
        """When the campaign is scheduled to be sent."""
        return await self._request(self._get_schedule(campaign_id, on_behalf_of))

    async def unschedule(self, campaign_id: int, *, on_behalf_of: str | None = None) -> None:
        """Return a scheduled campaign to draft."""
        await self._request(self._unschedule(campaign_id, on_behalf_of))
