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
from mailglyph_client.models import SendCampaignResponse
from prism_support import ErrorCase, FacadeCall, PrismContract, PrismURLs, SpecOperation, checked

from campaign_clients import errors

CAMPAIGN_ID = "cmp_8f3a2b1c"
AT = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))

SEND = SpecOperation("mailglyph", "/campaigns/{id}/send", "post")
URL = f"/campaigns/{CAMPAIGN_ID}/send"


class TestMailGlyph(PrismContract):
    spec_name = "mailglyph"
    api_key = "sk_test_prism"
    calls = (
        FacadeCall("send_now", SEND, URL, (CAMPAIGN_ID,), {}, SendCampaignResponse),
        FacadeCall("schedule", SEND, URL, (CAMPAIGN_ID,), {"at": AT}, SendCampaignResponse),
    )

    def check_body(self, call: FacadeCall, request: httpx.Request) -> None:
        """scheduledFor only when scheduling."""
        sent = json.loads(request.content) if request.content else {}
        if "at" in call.kwargs:
            assert datetime.datetime.fromisoformat(sent["scheduledFor"]) == call.kwargs["at"]
        else:
            assert sent.get("scheduledFor") is None

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
