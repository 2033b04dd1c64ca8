"""A success is the answer the spec documents, and nothing else: over real HTTP on
127.0.0.1 (the fakes, `fake.serve()`), sync and async, every operation of both specs
succeeds with its documented answer and fails with a `ResponseValidationError` on any
other 2xx: an undocumented status, a body where none is documented (a sign-in page
from a proxy), no body where one is, or a body of the wrong shape. The error says
`outcome_unknown=True` from a call that can act and False from a read, and an acting
call is never repeated blindly (`settle=False` here: nothing reads the campaign, so any
second request would be a blind retry).

Which statuses and bodies are documented comes from the spec export
(`_spec_examples.successes`), so an operation added to a spec is covered once it has a
facade call in CALLS (a test fails until it has one).
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from support import client_class, invoke

from campaign_clients import ResponseValidationError, _spec_examples
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

AT = datetime.datetime(2099, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
LATER = AT + datetime.timedelta(days=1)
SIGN_IN_PAGE = b"<!doctype html><html><body><form action=/sso>Sign in</form></body></html>"


@dataclass(frozen=True)
class FacadeCall:
    """How the facade calls one spec operation, and the campaign state it needs."""

    method: str
    kwargs: dict[str, Any]
    state: dict[str, Any]
    on: str | None = None  # the client attribute the method lives on ("single_sends")
    reads_first: int = 0  # requests the facade makes before the operation's own


SINGLE_SEND_ID = "0b9e6c1a-3f4d-4e5a-9b8c-7d6e5f4a3b2c"


MAILGLYPH_SCHEDULED = {"status": "SCHEDULED", "scheduled_for": AT}
SENDGRID_SCHEDULED = {"status": "Scheduled", "send_at": AT}
CALLS: dict[tuple[str, str], FacadeCall] = {
    ("mailglyph", "sendCampaign"): FacadeCall("send_now", {}, {}),
    ("mailglyph", "getCampaign"): FacadeCall("get_campaign", {}, {}),
    ("mailglyph", "cancelCampaign"): FacadeCall("cancel", {}, MAILGLYPH_SCHEDULED),
    ("mailglyph", "sendTestCampaign"): FacadeCall("send_test", {"to": "qa@example.com"}, {}),
    ("sendgrid", "sendCampaignNow"): FacadeCall("send_now", {}, {}),
    ("sendgrid", "scheduleCampaign"): FacadeCall("schedule", {"at": AT}, {}),
    ("sendgrid", "rescheduleCampaign"): FacadeCall("reschedule", {"at": LATER}, SENDGRID_SCHEDULED),
    ("sendgrid", "getCampaignSchedule"): FacadeCall("get_schedule", {}, SENDGRID_SCHEDULED),
    ("sendgrid", "unscheduleCampaign"): FacadeCall("unschedule", {}, SENDGRID_SCHEDULED),
    ("sendgrid", "getCampaign"): FacadeCall("get_campaign", {}, {}),
    ("sendgrid", "sendTestCampaign"): FacadeCall("send_test", {"to": "qa@example.com"}, {}),
    ("sendgrid", "scheduleSingleSend"): FacadeCall("send_now", {}, {}, "single_sends", 1),
    ("sendgrid", "unscheduleSingleSend"): FacadeCall(
        "unschedule", {}, {"status": "scheduled", "send_at": AT}, "single_sends"
    ),
    ("sendgrid", "getSingleSend"): FacadeCall("get", {}, {}, "single_sends"),
}
OPERATIONS = [
    (provider, operation)
    for provider in ("mailglyph", "sendgrid")
    for operation in _spec_examples.operations(provider)
]
NO_BODY = [
    (provider, operation)
    for provider, operation in OPERATIONS
    if None in _spec_examples.successes(provider, operation).values()
]


def acts(provider: str, operation: str) -> bool:
    """A call that can change anything (all but GET) may have been acted on."""
    return _spec_examples.route(provider, operation)[0] != "GET"


class Served:
    """A fake on 127.0.0.1 holding one campaign in the state the operation needs, and a
    client on it that neither settles nor waits."""

    def __init__(self, provider: str, operation: str, flavor: str, base_url: str, fake: Any):
        self.provider, self.operation, self.fake = provider, operation, fake
        self.flavor, self.base_url = flavor, base_url
        self.call = CALLS.get((provider, operation))
        if self.call is None:
            pytest.fail(f"add a facade call for {provider} {operation} to CALLS")
        self.campaign_id: str | int = "cmp_1" if provider == "mailglyph" else 4900
        if self.call.on == "single_sends":
            self.campaign_id = SINGLE_SEND_ID
            fake.add_single_send(self.campaign_id, **self.call.state)
        else:
            fake.add_campaign(self.campaign_id, **self.call.state)
        self.client = client_class(provider, flavor)(
            fake.api_key, base_url=base_url, timeout=5.0, settle=False
        )

    async def run(self) -> Any:
        assert self.call is not None
        owner = self.client if self.call.on is None else getattr(self.client, self.call.on)
        method = getattr(owner, self.call.method)
        return await invoke(method, self.campaign_id, **self.call.kwargs)

    async def refused(self) -> ResponseValidationError:
        """The call fails with a ResponseValidationError after exactly one request."""
        with pytest.raises(ResponseValidationError) as info:
            await self.run()
        error = info.value
        assert error.outcome_unknown is acts(self.provider, self.operation)
        assert self.call is not None
        assert self.fake.count(self.operation) == 1  # never repeated blindly
        assert self.fake.count() == 1 + self.call.reads_first  # and nothing else was asked
        return error


@pytest.fixture
async def served(request: pytest.FixtureRequest, flavor: str) -> AsyncIterator[Served]:
    provider, operation = request.param
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    with fake.serve() as base_url:
        served = Served(provider, operation, flavor, base_url, fake)
        yield served
        await invoke(served.client.close if flavor == "sync" else served.client.aclose)


def documented(served: Served) -> dict[int, Any]:
    return _spec_examples.successes(served.provider, served.operation)


def example_body(served: Served) -> bytes:
    """The documented success example of an operation with a body (b"" for none)."""
    for status, shape in documented(served).items():
        if shape is not None:
            example = _spec_examples.response(served.provider, served.operation, str(status))
            return json.dumps(example).encode()
    return b""


def ids(case: tuple[str, str]) -> str:
    return "-".join(case)


@pytest.mark.parametrize("served", OPERATIONS, indirect=True, ids=ids)
async def test_the_documented_answer_succeeds(served):
    result = await served.run()
    if all(shape is None for shape in documented(served).values()):
        assert result is None
    else:
        assert result is not None and hasattr(result, "to_dict")
    assert served.fake.count(served.operation) == 1


UNDOCUMENTED = [
    (provider, operation, status)
    for provider, operation in OPERATIONS
    for status in (200, 201, 202, 204)
    if status not in _spec_examples.successes(provider, operation)
]


@pytest.mark.parametrize(
    ("served", "status"),
    [((provider, operation), status) for provider, operation, status in UNDOCUMENTED],
    indirect=["served"],
    ids=[f"{provider}-{operation}-{status}" for provider, operation, status in UNDOCUMENTED],
)
async def test_an_undocumented_success_status_is_refused(served, status):
    body = b"" if status == 204 else example_body(served)  # a 204 carries no body
    served.fake.fail_next(status, body=body, operation=served.operation)
    error = await served.refused()
    assert error.status_code == status
    assert f"HTTP {status}: not a documented success (the spec documents " in str(error)


NOT_DOCUMENTED = {
    "a sign-in page": (200, SIGN_IN_PAGE, "text/html; charset=utf-8"),
    "a JSON object": (200, b'{"ok": true}', "application/json"),
    "an empty 200": (200, b"", None),
    "an empty 201": (201, b"", None),
}


@pytest.mark.parametrize("served", NO_BODY, indirect=True, ids=ids)
@pytest.mark.parametrize("answer", NOT_DOCUMENTED.values(), ids=NOT_DOCUMENTED.keys())
async def test_an_operation_without_a_documented_body_refuses_any_other_2xx(served, answer):
    """SendGrid's unschedule documents `204` with no body: an SSO proxy's `200` sign-in
    page would otherwise read as "unscheduled" while the campaign still goes out."""
    status, body, content_type = answer
    headers = {"Content-Type": content_type} if content_type else None
    served.fake.fail_next(status, body=body, headers=headers, operation=served.operation)
    error = await served.refused()
    assert error.status_code == status
    if served.operation == "unscheduleCampaign":
        assert served.fake.campaign(served.campaign_id).status == "Scheduled"  # still going out
    assert error.attempt is not None  # settleable by hand: client.settle(error)


@pytest.mark.parametrize(
    "served", [c for c in OPERATIONS if c not in NO_BODY], indirect=True, ids=ids
)
async def test_no_body_where_one_is_documented_is_refused(served):
    status = next(code for code, shape in documented(served).items() if shape is not None)
    served.fake.fail_next(status, body=b"", operation=served.operation)
    error = await served.refused()
    assert "not JSON" in str(error)


# -- MailGlyph's `data` must be an object -----------------------------------------------------


def campaign_body(**data_changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = _spec_examples.response("mailglyph", "getCampaign", "200")
    body["data"].update(data_changes)
    return body


@pytest.mark.parametrize(
    "served",
    [("mailglyph", "getCampaign"), ("mailglyph", "sendCampaign"), ("mailglyph", "cancelCampaign")],
    indirect=True,
    ids=ids,
)
async def test_mailglyph_data_as_key_value_pairs_is_refused(served):
    """`dict()` takes a list of pairs, so the generated model alone would build a campaign
    from `"data": [["id", "cmp_1"], ...]`; the spec says `data` is an object."""
    body = campaign_body()
    body["data"] = [[key, value] for key, value in body["data"].items()]
    (status,) = documented(served)
    served.fake.fail_next(status, body=body, operation=served.operation)
    error = await served.refused()
    assert "body.data should be object, got array" in str(error)


# -- fields the spec does not type stay lenient ------------------------------------------------

NAN_BODY = (
    json.dumps(campaign_body(openRate=0.0, sentCount=0))
    .replace('"openRate": 0.0', '"openRate": NaN, "clickRate": Infinity')
    .encode()
)


@pytest.mark.parametrize("served", [("mailglyph", "getCampaign")], indirect=True, ids=ids)
async def test_nan_in_a_field_the_spec_does_not_type_is_kept(served):
    """Python servers write `NaN` for 0/0 (an open rate of a fresh campaign): one odd
    extra field never makes every read of a campaign fail."""
    served.fake.fail_next(200, body=NAN_BODY, operation="getCampaign")
    result = await served.run()
    assert math.isnan(result.data.additional_properties["openRate"])
    assert result.data.additional_properties["clickRate"] == math.inf
    assert result.data.sent_count == 0


@pytest.mark.parametrize("served", [("mailglyph", "getCampaign")], indirect=True, ids=ids)
async def test_nan_in_a_typed_field_is_refused(served):
    body = json.dumps(campaign_body(sentCount=0)).replace('"sentCount": 0', '"sentCount": NaN')
    served.fake.fail_next(200, body=body.encode(), operation="getCampaign")
    error = await served.refused()
    assert "body.data.sentCount should be integer, got the non-finite number nan" in str(error)


# -- a send refused this way is settled, not repeated blindly -----------------------------------


@pytest.mark.parametrize(
    "served",
    [("mailglyph", "sendCampaign"), ("sendgrid", "sendCampaignNow")],
    indirect=True,
    ids=ids,
)
@pytest.mark.parametrize("acted", [False, True], ids=["not-acted", "acted"])
async def test_a_send_answered_by_a_sign_in_page_is_settled_by_reading_the_campaign(served, acted):
    """With settling on (the default), the client reads the campaign before anything
    else: sent by that request, it returns the result and sends nothing more; not sent,
    it sends once more. Either way the campaign goes out once."""
    fake = served.fake
    client = client_class(served.provider, served.flavor)(
        fake.api_key, base_url=served.base_url, timeout=5.0, settle_delay=0
    )
    headers = {"Content-Type": "text/html"}
    fake.fail_next(
        200 if served.provider == "sendgrid" else 201,
        body=SIGN_IN_PAGE,
        headers=headers,
        operation=served.operation,
        after_acting=acted,
    )
    try:
        await invoke(client.send_now, served.campaign_id)
    finally:
        await invoke(client.close if served.flavor == "sync" else client.aclose)
    operations = [request.operation for request in fake.requests]
    read = "getCampaign"
    assert operations[:2] == [served.operation, read]  # read before anything else
    assert fake.sends(served.campaign_id) == (1 if acted else 2)
    assert fake.applied_sends(served.campaign_id) == 1
