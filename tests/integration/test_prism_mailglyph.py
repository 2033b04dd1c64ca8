"""MailGlyph's facade against Prism serving spec/mailglyph.yaml.

Every facade method, sync and async: Prism accepts the request (no
`sl-violations`), the documented example comes back as the generated model,
every documented error status becomes the right error with the example's
messages, and 200 random schema-valid bodies from `--dynamic` all parse
(prism_support.PrismContract's tests).
"""

from __future__ import annotations

import datetime
import json

import httpx
import pytest
from mailglyph_client.models import (
    CampaignResponse,
    SendCampaignResponse,
    SendTestCampaignResponse,
)
from prism_support import ErrorCase, FacadeCall, PrismContract, PrismURLs, SpecOperation, checked

from campaign_clients import errors

CAMPAIGN_ID = "cmp_8f3a2b1c"
AT = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))

TO = "qa@example.com"
SEND = SpecOperation("mailglyph", "/campaigns/{id}/send", "post")
GET = SpecOperation("mailglyph", "/campaigns/{id}", "get")
CANCEL = SpecOperation("mailglyph", "/campaigns/{id}/cancel", "post")
TEST = SpecOperation("mailglyph", "/campaigns/{id}/test", "post")
CAMPAIGN = f"/campaigns/{CAMPAIGN_ID}"
URL = f"{CAMPAIGN}/send"


class TestMailGlyph(PrismContract):
    spec_name = "mailglyph"
    api_key = "sk_test_prism"
    calls = (
        FacadeCall("send_now", SEND, URL, (CAMPAIGN_ID,), {}, SendCampaignResponse),
        FacadeCall("schedule", SEND, URL, (CAMPAIGN_ID,), {"at": AT}, SendCampaignResponse),
        FacadeCall("get_campaign", GET, CAMPAIGN, (CAMPAIGN_ID,), {}, CampaignResponse),
        FacadeCall("cancel", CANCEL, f"{CAMPAIGN}/cancel", (CAMPAIGN_ID,), {}, CampaignResponse),
        FacadeCall(
            "send_test",
            TEST,
            f"{CAMPAIGN}/test",
            (CAMPAIGN_ID,),
            {"to": TO},
            SendTestCampaignResponse,
        ),
    )

    def check_body(self, call: FacadeCall, request: httpx.Request) -> None:
        """scheduledFor only when scheduling, the address of a test copy, else no body."""
        sent = json.loads(request.content) if request.content else {}
        if "at" in call.kwargs:
            assert datetime.datetime.fromisoformat(sent["scheduledFor"]) == call.kwargs["at"]
        elif "to" in call.kwargs:
            assert sent == {"email": call.kwargs["to"]}
        else:
            assert sent.get("scheduledFor") is None
            assert call.method == "send_now" or request.content == b""

    def check_error_details(self, error: errors.APIStatusError, case: ErrorCase) -> None:
        assert error.request_id == case.example["error"]["requestId"]

    @pytest.mark.parametrize(
        ("campaign_id", "raw_path"),
        [
            ("cmp 1", "/campaigns/cmp%201/send"),
            ("cmp/1", "/campaigns/cmp%2F1/send"),
            ("cmp?x=1#f", "/campaigns/cmp%3Fx%3D1%23f/send"),
            ("cmp%2F", "/campaigns/cmp%252F/send"),
            ("cmp\u00e9", "/campaigns/cmp%C3%A9/send"),
        ],
    )
    async def test_id_stays_one_path_segment(
        self, prism: PrismURLs, campaign_id: str, raw_path: str
    ) -> None:
        """An id with reserved or non-ASCII characters is percent-encoded as one segment."""
        async with self.facade("sync", prism.url(self.spec_name)) as (recorder, client):
            result = await checked(recorder, client.send_now, campaign_id)
        assert recorder.only().request.url.raw_path.decode() == raw_path
        assert result == self.calls[0].expected_result()
