"""Plain helpers for the tests that run on both fakes, and on FakeSendGrid's Single
Sends as a third kind of campaign (a unique module name, so no other folder shadows it;
the fixtures `provider` and `lost` are in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from support import SPEC_EXAMPLES, SpecCheck

from campaign_clients import _spec_examples
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

Fake = FakeMailGlyph | FakeSendGrid


SINGLE_SENDS_PATH = "/v3/marketing/singlesends/"


def is_single_send(operation: str) -> bool:
    """Whether a SendGrid operation is a Single Send's (by its path in the spec)."""
    return _spec_examples.route("sendgrid", operation)[1].startswith(SINGLE_SENDS_PATH)


@dataclass(frozen=True)
class Provider:
    """What a test that runs on every fake needs to know of one kind of campaign: a
    MailGlyph campaign, a SendGrid legacy campaign or a SendGrid Single Send."""

    key: str  # PROVIDERS' key and the test ids': "mailglyph", "sendgrid", "singlesend"
    name: str  # the spec's: "mailglyph" or "sendgrid"
    fake_class: type[FakeMailGlyph] | type[FakeSendGrid]
    campaign_id: Any  # the draft `fake()` holds
    other_id: Any  # an id for a campaign a test adds
    send_now: str  # the operation that sends at once
    get: str  # the operation that reads the campaign
    refused: int  # the status a send of a campaign that was sent gets
    draft: str
    sending: str  # the status after a send now
    statuses: tuple[str, ...]  # every status the fake knows
    test_field: str | None  # where sendTestCampaign's body names the address (None: no test)
    invalid: int  # the status of a body that is not valid
    send_now_body: Any = None  # the JSON body of a send now (None: none)

    @property
    def operations(self) -> tuple[str, ...]:
        """The spec's operations on this kind of campaign."""
        return tuple(
            operation
            for operation in _spec_examples.operations(self.name)
            if self.name != "sendgrid" or is_single_send(operation) == (self.key == "singlesend")
        )

    def add(self, fake: Fake, campaign_id: Any, **state: Any) -> Any:
        """Add a campaign of this kind to `fake` (``add_campaign`` or ``add_single_send``)."""
        if self.key == "singlesend":
            assert isinstance(fake, FakeSendGrid)
            return fake.add_single_send(campaign_id, **state)
        return fake.add_campaign(campaign_id, **state)

    def snapshot(self, fake: Fake, campaign_id: Any = None) -> Any:
        """The campaign's snapshot (default `campaign_id`)."""
        wanted = self.campaign_id if campaign_id is None else campaign_id
        if self.key == "singlesend":
            assert isinstance(fake, FakeSendGrid)
            return fake.single_send(wanted)
        return fake.campaign(wanted)

    def fake(self) -> Fake:
        """A fresh fake of this provider holding draft `campaign_id`."""
        fake = self.fake_class()
        self.add(fake, self.campaign_id)
        return fake

    def path(self, operation: str, campaign_id: Any = None) -> tuple[str, str]:
        """(method, raw path) of an operation on a campaign (default `campaign_id`)."""
        method, template = _spec_examples.route(self.name, operation)
        wanted = self.campaign_id if campaign_id is None else campaign_id
        return method, re.sub(r"\{[^}]+\}", str(wanted), template)

    def body(self, operation: str) -> dict[str, Any]:
        """httpx's body argument of an operation's plain call: a send now's body, if any."""
        if operation == self.send_now and self.send_now_body is not None:
            return {"json": self.send_now_body}
        return {}

    def call(
        self, client: httpx.Client, operation: str, campaign_id: Any = None, **kwargs: Any
    ) -> httpx.Response:
        """Make one request of an operation (kwargs go to httpx; without a body, a send
        now sends its own)."""
        method, path = self.path(operation, campaign_id)
        if "json" not in kwargs and "content" not in kwargs:
            kwargs.update(self.body(operation))
        return client.request(method, path, **kwargs)

    def checked(
        self,
        client: httpx.Client,
        spec_check: SpecCheck,
        operation: str,
        expected: int,
        campaign_id: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Make one request, check its status and that the spec validates its body; the body."""
        response = self.call(client, operation, campaign_id, **kwargs)
        assert response.status_code == expected, response.text
        body = response.json() if response.content else None
        spec_check(self.name, operation, expected, body)
        return body

    def example_request(self, operation: str) -> Any:
        """The spec's example request body of an operation (None: it has none)."""
        return SPEC_EXAMPLES[self.name][operation]["request"]

    def status(self, fake: Fake, campaign_id: Any = None) -> str:
        return str(self.snapshot(fake, campaign_id).status)

    def read_status(self, response: httpx.Response) -> str:
        """The campaign's status in an answer of the `get` operation."""
        campaign = response.json()["data"] if self.name == "mailglyph" else response.json()
        return str(campaign["status"])

    def error_fields(self, body: Any) -> list[Any]:
        """The fields an error body names."""
        errors = body["error"]["errors"] if self.name == "mailglyph" else body["errors"]
        return [error["field"] for error in errors]

    def counts(self, fake: Fake) -> tuple[int, int]:
        """(sends received, sends applied) of `campaign_id`."""
        return fake.sends(self.campaign_id), fake.applied_sends(self.campaign_id)

    def success(self, operation: str) -> int:
        """The operation's documented success status."""
        return _spec_examples.success_status(self.name, operation)


PROVIDERS = {
    "mailglyph": Provider(
        key="mailglyph",
        name="mailglyph",
        fake_class=FakeMailGlyph,
        campaign_id="cmp_1",
        other_id="cmp_7",
        send_now="sendCampaign",
        get="getCampaign",
        refused=400,
        draft="DRAFT",
        sending="SENDING",
        statuses=("DRAFT", "SCHEDULED", "SENDING", "SENT", "CANCELLED"),
        test_field="email",
        invalid=422,
    ),
    "sendgrid": Provider(
        key="sendgrid",
        name="sendgrid",
        fake_class=FakeSendGrid,
        campaign_id=4900,
        other_id=7,
        send_now="sendCampaignNow",
        get="getCampaign",
        refused=403,
        draft="Draft",
        sending="Sent",
        statuses=("Draft", "Scheduled", "Sent", "In Progress", "Paused", "Canceled"),
        test_field="to",
        invalid=400,
    ),
    "singlesend": Provider(
        key="singlesend",
        name="sendgrid",
        fake_class=FakeSendGrid,
        campaign_id="2f6dec81-43b9-4c67-a890-3a38cb63b54a",
        other_id="0b5e9c55-0c4a-4b83-9b9b-7a2a1c8f6d21",
        send_now="scheduleSingleSend",
        get="getSingleSend",
        refused=403,
        draft="draft",
        sending="triggered",
        statuses=("draft", "scheduled", "triggered"),
        test_field=None,
        invalid=400,
        send_now_body={"send_at": "now"},
    ),
}


@dataclass(frozen=True)
class LostAnswer:
    """A fault injected into the next send now, what the client gets, and whether the
    fake acted on the send before answering so."""

    inject: Callable[[Fake], None]
    answer: int | type[Exception]  # a status, or what httpx raises
    acted: bool

    def send(self, provider: Provider, client: httpx.Client) -> None:
        """Send now through the fault and check what the client got."""
        if isinstance(self.answer, int):
            assert provider.call(client, provider.send_now).status_code == self.answer
            return
        with pytest.raises(self.answer):
            provider.call(client, provider.send_now)

    def check_and_retry(self, provider: Provider, fake: Fake, client: httpx.Client) -> None:
        """The campaign and counts after the fault, then after the client sends again:
        received 2, applied 1 either way."""
        assert provider.status(fake) == (provider.sending if self.acted else provider.draft)
        assert provider.counts(fake) == (1, int(self.acted))

        again = provider.call(client, provider.send_now)

        refused, sent = provider.refused, provider.success(provider.send_now)
        assert again.status_code == (refused if self.acted else sent)
        assert provider.counts(fake) == (2, 1)
        assert provider.status(fake) == provider.sending


LOST = [
    pytest.param(LostAnswer(lambda f: f.fail_next(503), 503, False), id="fail"),
    pytest.param(
        LostAnswer(lambda f: f.fail_next(503, after_acting=True), 503, True),
        id="fail-after-acting",
    ),
    pytest.param(
        LostAnswer(lambda f: f.fail_next(200, body=b"{", after_acting=True), 200, True),
        id="malformed-200-after-acting",
    ),
    pytest.param(LostAnswer(lambda f: f.reset_next(), httpx.ReadError, True), id="reset"),
    pytest.param(
        LostAnswer(lambda f: f.reset_next(after_acting=False), httpx.ReadError, False),
        id="reset-without-acting",
    ),
    pytest.param(LostAnswer(lambda f: f.stall_next(), httpx.ReadTimeout, True), id="stall"),
]
