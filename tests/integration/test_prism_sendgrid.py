"""SendGrid's facade against Prism serving spec/sendgrid.yaml.

Every facade method, sync and async, the legacy campaigns' and `client.single_sends`':
Prism accepts the request (no `sl-violations`), the documented example comes back as
the generated model, every documented error status becomes the right error with the
example's messages, and 200 random schema-valid bodies from `--dynamic` all parse
(prism_support.PrismContract's tests); and the on-behalf-of header.

A Single Send's `send_now` and `schedule` read it first (a GET): Prism answers that read
with the spec's example, a draft (`Prefer: dynamic=false` under `--dynamic`), and the
documented errors and random bodies go to the call's own PUT.
"""

from __future__ import annotations

import datetime
import json

import httpx
from prism_support import FacadeCall, PrismContract, PrismURLs, SpecOperation, checked
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

CAMPAIGN_ID = 4900
AT = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)

SCHEDULES = "/v3/campaigns/{campaign_id}/schedules"
SEND_NOW = SpecOperation("sendgrid", SCHEDULES + "/now", "post")
SCHEDULE = SpecOperation("sendgrid", SCHEDULES, "post")
RESCHEDULE = SpecOperation("sendgrid", SCHEDULES, "patch")
GET_SCHEDULE = SpecOperation("sendgrid", SCHEDULES, "get")
UNSCHEDULE = SpecOperation("sendgrid", SCHEDULES, "delete")
GET = SpecOperation("sendgrid", "/v3/campaigns/{campaign_id}", "get")
TEST = SpecOperation("sendgrid", SCHEDULES + "/test", "post")
CAMPAIGN = f"/v3/campaigns/{CAMPAIGN_ID}"
URL = f"{CAMPAIGN}/schedules"
TO = "qa@example.com"
DEFAULT_OBO = "subuser-marketing"
OVERRIDE_OBO = "account-id 42"

SINGLE_SEND_ID = "0b5e9c55-0c4a-4b83-9b9b-7a2a1c8f6d21"
SINGLE_SEND = f"/v3/marketing/singlesends/{SINGLE_SEND_ID}"
SS_SCHEDULE = SpecOperation("sendgrid", "/v3/marketing/singlesends/{id}/schedule", "put")
SS_UNSCHEDULE = SpecOperation("sendgrid", "/v3/marketing/singlesends/{id}/schedule", "delete")
SS_GET = SpecOperation("sendgrid", "/v3/marketing/singlesends/{id}", "get")
SS = {"on": "single_sends"}
READS_FIRST = {**SS, "reads_first": SS_GET, "read_path": SINGLE_SEND}


class TestSendGrid(PrismContract):
    spec_name = "sendgrid"
    api_key = "SG.test-prism.key"
    calls = (
        FacadeCall("send_now", SEND_NOW, URL + "/now", (CAMPAIGN_ID,), {}, SendCampaignNowResponse),
        FacadeCall("schedule", SCHEDULE, URL, (CAMPAIGN_ID,), {"at": AT}, ScheduleResponse),
        FacadeCall("reschedule", RESCHEDULE, URL, (CAMPAIGN_ID,), {"at": AT}, ScheduleResponse),
        FacadeCall("get_schedule", GET_SCHEDULE, URL, (CAMPAIGN_ID,), {}, ScheduleInfo),
        FacadeCall("unschedule", UNSCHEDULE, URL, (CAMPAIGN_ID,), {}, None),
        FacadeCall("get_campaign", GET, CAMPAIGN, (CAMPAIGN_ID,), {}, Campaign),
        FacadeCall("send_test", TEST, URL + "/test", (CAMPAIGN_ID,), {"to": TO}, SendTestResponse),
        FacadeCall(
            "send_now",
            SS_SCHEDULE,
            SINGLE_SEND + "/schedule",
            (SINGLE_SEND_ID,),
            {},
            SingleSendScheduleResponse,
            **READS_FIRST,
        ),
        FacadeCall(
            "schedule",
            SS_SCHEDULE,
            SINGLE_SEND + "/schedule",
            (SINGLE_SEND_ID,),
            {"at": AT},
            SingleSendScheduleResponse,
            **READS_FIRST,
        ),
        FacadeCall(
            "unschedule",
            SS_UNSCHEDULE,
            SINGLE_SEND + "/schedule",
            (SINGLE_SEND_ID,),
            {},
            SingleSendUnscheduleResponse,
            **SS,
        ),
        FacadeCall("get", SS_GET, SINGLE_SEND, (SINGLE_SEND_ID,), {}, SingleSend, **SS),
    )
    unrequested_headers = ("on-behalf-of",)

    def check_body(self, call: FacadeCall, request: httpx.Request) -> None:
        """A body only when scheduling, or the address of a test copy; a Single Send's
        schedule takes "now" or the instant as yyyy-MM-ddTHH:mm:ssZ."""
        if call.operation == SS_SCHEDULE:
            at = call.kwargs.get("at")
            send_at = "now" if at is None else at.strftime("%Y-%m-%dT%H:%M:%SZ")
            assert json.loads(request.content) == {"send_at": send_at}
        elif "at" in call.kwargs:
            assert json.loads(request.content) == {"send_at": int(call.kwargs["at"].timestamp())}
        elif "to" in call.kwargs:
            assert json.loads(request.content) == {"to": call.kwargs["to"]}
        else:
            assert request.content == b""

    async def test_on_behalf_of(self, prism: PrismURLs, flavor: str, call: FacadeCall) -> None:
        """The client's default on-behalf-of header, and a call's own override, are accepted."""
        url = prism.url(self.spec_name)
        async with self.facade(flavor, url, on_behalf_of=DEFAULT_OBO) as (recorder, client):
            await checked(recorder, call.run, client)
            result = await checked(recorder, call.run, client, on_behalf_of=OVERRIDE_OBO)
        sent = [response.request.headers["on-behalf-of"] for response in recorder.responses]
        # Each call's every request, its read first included, carries its on-behalf-of.
        assert sent == [DEFAULT_OBO] * call.requests + [OVERRIDE_OBO] * call.requests
        self.check_result(call, result, recorder.acting(call)[-1])
