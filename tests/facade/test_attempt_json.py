"""Attempts as data: `Attempt.to_json` and `Attempt.from_json` round-trip the attempts the
clients record (never a key), refuse any text that is not one, and `client.settle()`
settles a rebuilt attempt, sync and async, in a client that never saw the error; an
attempt of the other provider is refused before any request.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from support import SECRETS, invoke

from campaign_clients import Attempt, BadRequestError, CampaignClientError, ServerError
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

SID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
STARTED = dt.datetime(2026, 12, 6, 9, 30, 0, 123456, tzinfo=dt.UTC)
AT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)

ATTEMPTS = [
    Attempt("MailGlyph", "sendCampaign", "cmp_1", "send", None, None, STARTED),
    Attempt("MailGlyph", "sendCampaign", "a/../b ü", "send", AT, None, STARTED),
    Attempt("MailGlyph", "cancelCampaign", "cmp_1", "cancel", None, None, STARTED),
    Attempt("SendGrid", "sendCampaignNow", 4900, "send", None, "subuser", STARTED),
    Attempt("SendGrid", "scheduleCampaign", 4900, "schedule", AT, None, STARTED),
    Attempt("SendGrid", "rescheduleCampaign", 2**63 - 1, "reschedule", AT, None, STARTED),
    Attempt("SendGrid", "unscheduleCampaign", 4900, "unschedule", None, None, STARTED),
    Attempt("SendGrid", "scheduleSingleSend", SID, "send", None, "subuser", STARTED),
    Attempt("SendGrid", "scheduleSingleSend", SID, "schedule", AT, None, STARTED),
    Attempt("SendGrid", "unscheduleSingleSend", SID, "unschedule", None, None, STARTED),
]


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: f"{a.operation}-{a.settles}")
def test_an_attempt_round_trips(attempt: Attempt) -> None:
    text = attempt.to_json()

    assert isinstance(text, str) and "\n" not in text
    assert Attempt.from_json(text) == attempt
    assert Attempt.from_json(text.encode()) == attempt  # as a store may hand it back


def test_the_json_is_plain_and_names_what_it_is() -> None:
    data = json.loads(ATTEMPTS[3].to_json())

    assert data == {
        "format": "campaign_clients.Attempt",
        "version": 1,
        "provider": "SendGrid",
        "operation": "sendCampaignNow",
        "campaign_id": 4900,
        "settles": "send",
        "at": None,
        "on_behalf_of": "subuser",
        "started_at": "2026-12-06T09:30:00.123456+00:00",
    }


def test_a_time_in_another_zone_is_read_as_the_same_instant() -> None:
    data = json.loads(ATTEMPTS[4].to_json())
    data["at"] = "2030-01-02T04:04:05+01:00"

    assert Attempt.from_json(json.dumps(data)).at == AT


def test_an_uppercase_single_send_id_is_the_lowercase_one() -> None:
    data = json.loads(ATTEMPTS[7].to_json())
    data["campaign_id"] = SID.upper()

    assert Attempt.from_json(json.dumps(data)).campaign_id == SID


def _with(**changes: Any) -> str:
    """A MailGlyph schedule's JSON with fields changed (a value of ... drops the field)."""
    data = json.loads(ATTEMPTS[1].to_json())
    for name, value in changes.items():
        if value is ...:
            del data[name]
        else:
            data[name] = value
    return json.dumps(data)


def _sendgrid_with(**changes: Any) -> str:
    data = json.loads(ATTEMPTS[3].to_json())
    data.update(changes)
    return json.dumps(data)


NOT_ATTEMPTS = {
    "empty": "",
    "truncated": ATTEMPTS[0].to_json()[:-5],
    "not JSON": "attempt",
    "a list": "[]",
    "null": "null",
    "another document": '{"id": "cmp_1", "status": "SENT"}',
    "an error's JSON": json.dumps({"message": "x", "outcome_unknown": False}),
    "another format": _with(format="campaign_clients.Settlement"),
    "a newer version": _with(version=2),
    "a field missing": _with(settles=...),
    "a field too many": _with(api_key=SECRETS[0]),
    "unknown provider": _with(provider="Mailchimp"),
    "provider in lower case": _with(provider="mailglyph"),
    "unknown operation": _with(operation="deleteCampaign"),
    "an operation of the other provider": _with(operation="sendCampaignNow"),
    "a read": _with(operation="getCampaign"),
    "a test copy": _with(operation="sendTestCampaign"),
    "settles what the operation does not": _with(settles="unschedule"),
    "a provider that is not a string": _with(provider=1),
    "a MailGlyph id that is an int": _with(campaign_id=4900),
    "an empty MailGlyph id": _with(campaign_id=""),
    "a SendGrid id that is a string": _sendgrid_with(campaign_id="4900"),
    "a SendGrid id that is a bool": _sendgrid_with(campaign_id=True),
    "a SendGrid id that is a float": _sendgrid_with(campaign_id=4900.0),
    "a Single Send id that is an int": _sendgrid_with(
        operation="scheduleSingleSend", campaign_id=4900
    ),
    "a legacy id that is a UUID": _sendgrid_with(campaign_id=SID),
    "a naive started_at": _with(started_at="2026-12-06T09:30:00"),
    "a naive at": _with(at="2030-01-02T03:04:05"),
    "no started_at": _with(started_at=None),
    "a started_at that is a number": _with(started_at=1796635907),
    "a started_at that is not a time": _with(started_at="yesterday"),
    "a schedule without its at": _sendgrid_with(
        operation="scheduleCampaign", settles="schedule", at=None
    ),
    "an on_behalf_of for MailGlyph": _with(on_behalf_of="subuser"),
    "an on_behalf_of with a newline": _sendgrid_with(on_behalf_of="sub\nuser"),
    "an on_behalf_of that is a list": _sendgrid_with(on_behalf_of=["subuser"]),
}


@pytest.mark.parametrize("text", NOT_ATTEMPTS.values(), ids=NOT_ATTEMPTS.keys())
def test_a_text_that_is_not_an_attempt_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        Attempt.from_json(text)

    assert not any(secret in str(refused.value) for secret in SECRETS)


@pytest.mark.parametrize("value", [None, 42, {"provider": "MailGlyph"}, b"\xff\xfe"])
def test_from_json_takes_only_text(value: Any) -> None:
    with pytest.raises(ValueError):
        Attempt.from_json(value)


# -- settling a stored attempt in a client that never saw the error --------------------------


async def _error_of_a_lost_answer(on_fake: Any, fake: FakeMailGlyph) -> CampaignClientError:
    """A send acted on whose answer was lost, raised without settling (`settle=False`)."""
    fake.fail_next(503, after_acting=True, operation="sendCampaign")
    with pytest.raises(ServerError) as lost:
        await invoke(on_fake(fake, settle=False).send_now, "cmp_1")
    return lost.value


async def test_a_stored_attempt_is_settled_by_another_client(on_fake) -> None:
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    error = await _error_of_a_lost_answer(on_fake, fake)
    assert error.attempt is not None
    stored = error.attempt.to_json()  # kept with the job; the error and its client are gone
    fake.clear_requests()

    settlement = await invoke(on_fake(fake).settle, Attempt.from_json(stored))

    assert settlement.outcome == "applied" and settlement.status == "SENDING"
    assert [request.operation for request in fake.requests] == ["getCampaign"]
    assert not any(secret in stored for secret in SECRETS)


async def test_a_stored_attempt_of_a_single_send_is_settled(on_fake) -> None:
    fake = FakeSendGrid()
    sent_at = STARTED + dt.timedelta(seconds=2)
    fake.add_single_send(SID, status="triggered", send_at=sent_at, on_behalf_of="subuser")
    stored = ATTEMPTS[7].to_json()  # made on behalf of the subuser, read as the subuser

    settlement = await invoke(on_fake(fake).settle, Attempt.from_json(stored))

    assert settlement.outcome == "applied" and settlement.status == "triggered"
    assert [request.operation for request in fake.requests] == ["getSingleSend"]
    assert fake.requests[0].header("on-behalf-of") == "subuser"


async def test_a_stored_attempt_of_a_send_before_it_is_not_applied(on_fake) -> None:
    fake = FakeSendGrid()
    fake.add_single_send(SID, status="triggered", send_at=STARTED - dt.timedelta(days=1))

    settlement = await invoke(on_fake(fake).settle, Attempt.from_json(ATTEMPTS[9].to_json()))

    assert settlement.outcome == "not_applied" and settlement.can_repeat is False


@pytest.mark.parametrize(
    ("fake_kind", "attempt"),
    [("mailglyph", ATTEMPTS[3]), ("sendgrid", ATTEMPTS[0]), ("sendgrid", ATTEMPTS[2])],
    ids=["sendgrid-attempt-to-mailglyph", "mailglyph-attempt-to-sendgrid", "mailglyph-cancel"],
)
async def test_an_attempt_of_the_other_provider_is_refused(on_fake, fake_kind, attempt) -> None:
    fake = FakeMailGlyph() if fake_kind == "mailglyph" else FakeSendGrid()

    with pytest.raises(ValueError, match="was made with"):
        await invoke(on_fake(fake).settle, Attempt.from_json(attempt.to_json()))

    assert fake.requests == []


async def test_an_attempt_without_a_start_is_refused(on_fake) -> None:
    fake = FakeMailGlyph()
    attempt = Attempt("MailGlyph", "sendCampaign", "cmp_1", "send")

    with pytest.raises(ValueError, match="started_at"):
        await invoke(on_fake(fake).settle, attempt)

    assert fake.requests == []


async def test_a_launch_refused_by_its_read_carries_a_storable_attempt(on_fake) -> None:
    # An error raised before anything was sent still carries its attempt for later.
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1", status="SENT", sent_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with pytest.raises(BadRequestError) as refused:
        await invoke(on_fake(fake).send_now, "cmp_1", since=since)
    assert refused.value.attempt is not None

    rebuilt = Attempt.from_json(refused.value.attempt.to_json())

    assert rebuilt == refused.value.attempt and rebuilt.started_at == since
