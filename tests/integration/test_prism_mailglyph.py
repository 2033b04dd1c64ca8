"""MailGlyph's facade against Prism serving spec/mailglyph.yaml.

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
from mailglyph_client.models import SendCampaignResponse
from prism_support import (
    ErrorCase,
    FacadeCall,
    Recorder,
    SpecOperation,
    achecked,
    check_error,
    checked,
)

from campaign_clients import APIStatusError, AsyncMailGlyph, MailGlyph

API_KEY = "sk_test_prism"
CAMPAIGN_ID = "cmp_8f3a2b1c"
AT = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
DYNAMIC_RESPONSES = 200

SEND = SpecOperation("mailglyph", "/campaigns/{id}/send", "post")
URL = f"/campaigns/{CAMPAIGN_ID}/send"
CALLS = [
    FacadeCall("send_now", SEND, URL, (CAMPAIGN_ID,), {}, SendCampaignResponse),
    FacadeCall("schedule", SEND, URL, (CAMPAIGN_ID,), {"at": AT}, SendCampaignResponse),
]
ERROR_CASES = [
    pytest.param(call, case, id=f"{call.id}-{case.id}")
    for call in CALLS
    for case in call.operation.error_cases()
]


def check_request(call: FacadeCall, request: httpx.Request) -> None:
    """The call hit its operation, with scheduledFor only when scheduling."""
    assert request.method == call.operation.method.upper()
    assert request.url.raw_path.decode() == call.url_path
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    sent = json.loads(request.content) if request.content else {}
    if "at" in call.kwargs:
        assert datetime.datetime.fromisoformat(sent["scheduledFor"]) == call.kwargs["at"]
    else:
        assert sent.get("scheduledFor") is None


def sync_client(url: str, http: httpx.Client, max_retries: int = 2) -> MailGlyph:
    return MailGlyph(API_KEY, base_url=url, max_retries=max_retries, http_client=http)


def async_client(url: str, http: httpx.AsyncClient, max_retries: int = 2) -> AsyncMailGlyph:
    return AsyncMailGlyph(API_KEY, base_url=url, max_retries=max_retries, http_client=http)


def test_every_operation_is_covered() -> None:
    """A new operation in the spec needs a facade call here."""
    spec_operations = {
        operation["operationId"]
        for item in SEND.document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert spec_operations == {call.operation.operation_id for call in CALLS}


# ---------------------------------------------------------------- documented examples


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_example_response(mailglyph_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    with recorder.client() as http, sync_client(mailglyph_url, http) as client:
        result = checked(recorder, lambda: call.run(client))
    response = recorder.only()
    check_request(call, response.request)
    assert response.status_code == call.operation.success_status
    assert isinstance(result, SendCampaignResponse)
    assert result == call.expected_result()


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
async def test_example_response_async(mailglyph_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    async with recorder.async_client() as http, async_client(mailglyph_url, http) as client:
        result = await achecked(recorder, lambda: call.arun(client))
    response = recorder.only()
    check_request(call, response.request)
    assert response.status_code == call.operation.success_status
    assert isinstance(result, SendCampaignResponse)
    assert result == call.expected_result()


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
def test_id_stays_one_path_segment(mailglyph_url: str, campaign_id: str, raw_path: str) -> None:
    """An id with reserved or non-ASCII characters is percent-encoded as one segment."""
    recorder = Recorder()
    with recorder.client() as http, sync_client(mailglyph_url, http) as client:
        result = checked(recorder, lambda: client.send_now(campaign_id))
    assert recorder.only().request.url.raw_path.decode() == raw_path
    assert result == CALLS[0].expected_result()


# ---------------------------------------------------------------- documented errors


@pytest.mark.parametrize(("call", "case"), ERROR_CASES)
def test_documented_error(mailglyph_url: str, call: FacadeCall, case: ErrorCase) -> None:
    recorder = Recorder()
    prefer = {"Prefer": f"code={case.status}"}
    with (
        recorder.client(prefer) as http,
        sync_client(mailglyph_url, http, 0) as client,
        pytest.raises(APIStatusError) as raised,
    ):
        checked(recorder, lambda: call.run(client))
    response = recorder.only()
    check_request(call, response.request)
    check_error(raised.value, case, response)
    assert raised.value.request_id == case.example["error"]["requestId"]


@pytest.mark.anyio
@pytest.mark.parametrize(("call", "case"), ERROR_CASES)
async def test_documented_error_async(
    mailglyph_url: str, call: FacadeCall, case: ErrorCase
) -> None:
    recorder = Recorder()
    prefer = {"Prefer": f"code={case.status}"}
    async with (
        recorder.async_client(prefer) as http,
        async_client(mailglyph_url, http, 0) as client,
    ):
        with pytest.raises(APIStatusError) as raised:
            await achecked(recorder, lambda: call.arun(client))
    response = recorder.only()
    check_request(call, response.request)
    check_error(raised.value, case, response)
    assert raised.value.request_id == case.example["error"]["requestId"]


# ---------------------------------------------------------------- random valid bodies


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_dynamic_responses_parse(mailglyph_dynamic_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    with recorder.client() as http, sync_client(mailglyph_dynamic_url, http, 0) as client:
        results = [checked(recorder, lambda: call.run(client)) for _ in range(DYNAMIC_RESPONSES)]
    assert len(recorder.responses) == DYNAMIC_RESPONSES
    assert all(isinstance(result, SendCampaignResponse) for result in results)
    # Unseeded --dynamic: the bodies differ (a seed would make them all the same).
    assert len({repr(result) for result in results}) > DYNAMIC_RESPONSES // 2


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
async def test_dynamic_responses_parse_async(mailglyph_dynamic_url: str, call: FacadeCall) -> None:
    recorder = Recorder()
    results = []
    async with (
        recorder.async_client() as http,
        async_client(mailglyph_dynamic_url, http, 0) as client,
    ):
        for _ in range(DYNAMIC_RESPONSES):
            results.append(await achecked(recorder, lambda: call.arun(client)))
    assert len(recorder.responses) == DYNAMIC_RESPONSES
    assert all(isinstance(result, SendCampaignResponse) for result in results)
    assert len({repr(result) for result in results}) > DYNAMIC_RESPONSES // 2
