"""SendGrid's facade against Prism serving spec/sendgrid.yaml.

Every facade method, sync and async: Prism accepts the request (no
`sl-violations`), the documented example comes back as the generated model,
every documented error status becomes the right error with the example's
messages, and 200 random schema-valid bodies from `--dynamic` all parse.
"""

from __future__ import annotations

import datetime
import json

import httpx
import pytest
from prism_support import (
    ErrorCase,
    FacadeCall,
    Recorder,
    SpecOperation,
    achecked,
    check_error,
    checked,
)
from sendgrid_client.models import ScheduleInfo, ScheduleResponse, SendCampaignNowResponse

from campaign_clients import APIStatusError, AsyncSendGrid, SendGrid

API_KEY = "SG.test-prism.key"
CAMPAIGN_ID = 4900
AT = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
DYNAMIC_RESPONSES = 200

SCHEDULES = "/v3/campaigns/{campaign_id}/schedules"
SEND_NOW = SpecOperation("sendgrid", SCHEDULES + "/now", "post")
SCHEDULE = SpecOperation("sendgrid", SCHEDULES, "post")
RESCHEDULE = SpecOperation("sendgrid", SCHEDULES, "patch")
GET_SCHEDULE = SpecOperation("sendgrid", SCHEDULES, "get")
UNSCHEDULE = SpecOperation("sendgrid", SCHEDULES, "delete")
URL = f"/v3/campaigns/{CAMPAIGN_ID}/schedules"
CALLS = [
    FacadeCall("send_now", SEND_NOW, URL + "/now", (CAMPAIGN_ID,), {}, SendCampaignNowResponse),
    FacadeCall("schedule", SCHEDULE, URL, (CAMPAIGN_ID,), {"at": AT}, ScheduleResponse),
    FacadeCall("reschedule", RESCHEDULE, URL, (CAMPAIGN_ID,), {"at": AT}, ScheduleResponse),
    FacadeCall("get_schedule", GET_SCHEDULE, URL, (CAMPAIGN_ID,), {}, ScheduleInfo),
    FacadeCall("unschedule", UNSCHEDULE, URL, (CAMPAIGN_ID,), {}, None),
]
ERROR_CASES = [
    pytest.param(call, case, id=f"{call.id}-{case.id}")
    for call in CALLS
    for case in call.operation.error_cases()
]
DEFAULT_OBO = "subuser-marketing"
OVERRIDE_OBO = "account-id 42"


def check_request(call: FacadeCall, request: httpx.Request) -> None:
    """The call hit its operation, with a body only when scheduling."""
    assert request.method == call.operation.method.upper()
    assert request.url.raw_path.decode() == call.url_path
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    if "at" in call.kwargs:
        assert json.loads(request.content) == {"send_at": int(call.kwargs["at"].timestamp())}
    else:
        assert request.content == b""


def sync_client(
    url: str, http: httpx.Client, max_retries: int = 2, on_behalf_of: str | None = None
) -> SendGrid:
    return SendGrid(
        API_KEY,
        base_url=url,
        max_retries=max_retries,
        http_client=http,
        on_behalf_of=on_behalf_of,
    )


def async_client(
    url: str, http: httpx.AsyncClient, max_retries: int = 2, on_behalf_of: str | None = None
) -> AsyncSendGrid:
    return AsyncSendGrid(
        API_KEY,
        base_url=url,
        max_retries=max_retries,
        http_client=http,
        on_behalf_of=on_behalf_of,
    )


def check_result(call: FacadeCall, result: object, response: httpx.Response) -> None:
    check_request(call, response.request)
    assert response.status_code == call.operation.success_status
    if call.model is None:
        assert result is None
        assert response.content == b""
    else:
        assert isinstance(result, call.model)
        assert result == call.expected_result()


def test_every_operation_is_covered() -> None:
    """A new operation in the spec needs a facade call here."""
    spec_operations = {
        operation["operationId"]
        for item in SEND_NOW.document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert spec_operations == {call.operation.operation_id for call in CALLS}


# ---------------------------------------------------------------- documented examples


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_example_response(sendgrid_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    with recorder.client() as http, sync_client(sendgrid_url, http) as client:
        result = checked(recorder, lambda: call.run(client))
    response = recorder.only()
    check_result(call, result, response)
    assert "on-behalf-of" not in response.request.headers


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
async def test_example_response_async(sendgrid_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    async with recorder.async_client() as http, async_client(sendgrid_url, http) as client:
        result = await achecked(recorder, lambda: call.arun(client))
    response = recorder.only()
    check_result(call, result, response)
    assert "on-behalf-of" not in response.request.headers


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_on_behalf_of(sendgrid_url: str, call: FacadeCall) -> None:
    """The client's default on-behalf-of header, and a call's own override, are accepted."""
    recorder = Recorder()
    with (
        recorder.client() as http,
        sync_client(sendgrid_url, http, on_behalf_of=DEFAULT_OBO) as client,
    ):
        checked(recorder, lambda: call.run(client))
        override = {**call.kwargs, "on_behalf_of": OVERRIDE_OBO}
        result = checked(recorder, lambda: getattr(client, call.method)(*call.args, **override))
    default_response, override_response = recorder.responses
    assert default_response.request.headers["on-behalf-of"] == DEFAULT_OBO
    assert override_response.request.headers["on-behalf-of"] == OVERRIDE_OBO
    check_result(call, result, override_response)


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
async def test_on_behalf_of_async(sendgrid_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    async with (
        recorder.async_client() as http,
        async_client(sendgrid_url, http, on_behalf_of=DEFAULT_OBO) as client,
    ):
        await achecked(recorder, lambda: call.arun(client))
        override = {**call.kwargs, "on_behalf_of": OVERRIDE_OBO}
        result = await achecked(
            recorder, lambda: getattr(client, call.method)(*call.args, **override)
        )
    default_response, override_response = recorder.responses
    assert default_response.request.headers["on-behalf-of"] == DEFAULT_OBO
    assert override_response.request.headers["on-behalf-of"] == OVERRIDE_OBO
    check_result(call, result, override_response)


# ---------------------------------------------------------------- documented errors


@pytest.mark.parametrize(("call", "case"), ERROR_CASES)
def test_documented_error(sendgrid_url: str, call: FacadeCall, case: ErrorCase) -> None:
    recorder = Recorder()
    prefer = {"Prefer": f"code={case.status}"}
    with (
        recorder.client(prefer) as http,
        sync_client(sendgrid_url, http, 0) as client,
        pytest.raises(APIStatusError) as raised,
    ):
        checked(recorder, lambda: call.run(client))
    response = recorder.only()
    check_request(call, response.request)
    check_error(raised.value, case, response)


@pytest.mark.anyio
@pytest.mark.parametrize(("call", "case"), ERROR_CASES)
async def test_documented_error_async(sendgrid_url: str, call: FacadeCall, case: ErrorCase) -> None:
    recorder = Recorder()
    prefer = {"Prefer": f"code={case.status}"}
    async with (
        recorder.async_client(prefer) as http,
        async_client(sendgrid_url, http, 0) as client,
    ):
        with pytest.raises(APIStatusError) as raised:
            await achecked(recorder, lambda: call.arun(client))
    response = recorder.only()
    check_request(call, response.request)
    check_error(raised.value, case, response)


# ---------------------------------------------------------------- random valid bodies


def check_dynamic(call: FacadeCall, results: list[object], recorder: Recorder) -> None:
    assert len(recorder.responses) == DYNAMIC_RESPONSES
    if call.model is None:
        assert results == [None] * DYNAMIC_RESPONSES
        return
    assert all(isinstance(result, call.model) for result in results)
    # Unseeded --dynamic: the bodies differ (a seed would make them all the same).
    assert len({repr(result) for result in results}) > DYNAMIC_RESPONSES // 2


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_dynamic_responses_parse(sendgrid_dynamic_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    with recorder.client() as http, sync_client(sendgrid_dynamic_url, http, 0) as client:
        results = [checked(recorder, lambda: call.run(client)) for _ in range(DYNAMIC_RESPONSES)]
    check_dynamic(call, results, recorder)


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
async def test_dynamic_responses_parse_async(sendgrid_dynamic_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    results = []
    async with (
        recorder.async_client() as http,
        async_client(sendgrid_dynamic_url, http, 0) as client,
    ):
        for _ in range(DYNAMIC_RESPONSES):
            results.append(await achecked(recorder, lambda: call.arun(client)))
    check_dynamic(call, results, recorder)
