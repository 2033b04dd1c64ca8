"""MailGlyph: send a campaign now, or schedule it, through `POST /campaigns/{id}/send`."""

from __future__ import annotations

import datetime

from mailglyph_client.api.campaigns import send_campaign
from mailglyph_client.models import SendCampaignRequest, SendCampaignResponse
from mailglyph_client.types import UNSET

from ._base import AsyncClient, Call, Operation, SyncClient
from ._constants import MAILGLYPH, MAILGLYPH_BASE_URL
from ._validation import check_api_key, check_aware, check_string_id, utc_z

__all__ = ["AsyncMailGlyph", "MailGlyph"]

# Sending is not idempotent: a repeat after an unknown outcome could send twice.
SEND_CAMPAIGN = Operation("sendCampaign", idempotent=False, parse=SendCampaignResponse.from_dict)


def _send_call(campaign_id: object, at: object | None) -> Call[SendCampaignResponse]:
    campaign_id = check_string_id(campaign_id)
    if at is None:
        return Call(SEND_CAMPAIGN, send_campaign._get_kwargs(campaign_id, body=UNSET))
    when = check_aware(at)
    kwargs = send_campaign._get_kwargs(campaign_id, body=SendCampaignRequest(scheduled_for=when))
    kwargs["json"]["scheduledFor"] = utc_z(when)  # the documented "...Z" form
    return Call(SEND_CAMPAIGN, kwargs)


class _MailGlyphKeys:
    """MailGlyph's facts for the client core: its name, its host, its kind of key."""

    provider = MAILGLYPH
    default_base_url = MAILGLYPH_BASE_URL

    def _check_key(self, api_key: object) -> str:
        key = check_api_key(api_key, provider=MAILGLYPH)
        if key.startswith("pk_"):
            raise ValueError(
                "MailGlyph public keys (pk_...) only work for client-side event tracking; "
                "sending campaigns needs a secret key (sk_...)"
            )
        return key


class MailGlyph(_MailGlyphKeys, SyncClient):
    """MailGlyph campaigns client. One instance keeps one pool of keep-alive connections.

    `http_client` (optional) supplies transport, proxies, limits and extra headers;
    requests still go to `base_url`, and the client is not closed by `close()`.
    """

    def send_now(self, campaign_id: str) -> SendCampaignResponse:
        """Send the campaign now (`scheduledFor` omitted)."""
        return self._request(_send_call(campaign_id, None))

    def schedule(self, campaign_id: str, *, at: datetime.datetime) -> SendCampaignResponse:
        """Schedule the campaign for `at` (timezone-aware; sent as UTC)."""
        return self._request(_send_call(campaign_id, at))


class AsyncMailGlyph(_MailGlyphKeys, AsyncClient):
    """The async twin of `MailGlyph`: same arguments, methods are coroutines."""

    async def send_now(self, campaign_id: str) -> SendCampaignResponse:
        """Send the campaign now (`scheduledFor` omitted)."""
        return await self._request(_send_call(campaign_id, None))

    async def schedule(self, campaign_id: str, *, at: datetime.datetime) -> SendCampaignResponse:
        """Schedule the campaign for `at` (timezone-aware; sent as UTC)."""
        return await self._request(_send_call(campaign_id, at))
