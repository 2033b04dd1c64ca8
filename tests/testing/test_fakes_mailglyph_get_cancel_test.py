"""FakeMailGlyph's read and cancel: states, transitions and refusals, and `sent_at`
(raw httpx; the test send is in test_fakes_operations.py, with SendGrid's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, get_args

import httpx
import pytest
from fakes_support import PROVIDERS
from support import SpecCheck

from campaign_clients.testing import FakeMailGlyph, MailGlyphStatus

LATER = datetime(2099, 3, 1, 9, 30, tzinfo=UTC)
LONG_AGO = datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
STARTED = ("SENDING", "SENT", "CANCELLED")  # a send has started: sentAt is set
CANNOT_CANCEL = "Can only cancel scheduled or sending campaigns"
MAILGLYPH = PROVIDERS["mailglyph"]


@pytest.fixture
def fake(mailglyph_fake: FakeMailGlyph) -> FakeMailGlyph:
    """Overrides conftest.py's FakeSendGrid; conftest.py's `client` sends this fake's key."""
    return mailglyph_fake


def add(fake: FakeMailGlyph, status: MailGlyphStatus) -> str:
    """Add campaign "c" in `status`, scheduled for LATER or sent LONG_AGO as its state says."""
    fake.add_campaign(
        "c",
        status=status,
        scheduled_for=LATER if status == "SCHEDULED" else None,
        sent_at=LONG_AGO if status in STARTED else None,
        name="Spring sale",
    )
    return "c"


@pytest.mark.parametrize("status", get_args(MailGlyphStatus))
def test_get_answers_the_campaign_in_every_state(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck, status: Any
) -> None:
    before = fake.campaign(add(fake, status))

    body = MAILGLYPH.checked(client, spec_check, "getCampaign", 200, "c")

    assert body["success"] is True
    data = body["data"]
    assert (data["id"], data["name"], data["status"]) == ("c", "Spring sale", status)
    assert data["scheduledFor"] == ("2099-03-01T09:30:00Z" if status == "SCHEDULED" else None)
    assert data["sentAt"] == ("2020-01-02T03:04:05.678Z" if status in STARTED else None)
    assert fake.campaign("c") == before


def test_get_after_a_send_shows_sending_and_when(fake: FakeMailGlyph, client: httpx.Client) -> None:
    started = datetime.now(UTC) - timedelta(milliseconds=1)  # kept to the millisecond
    client.post("/campaigns/cmp_1/send")

    data = client.get("/campaigns/cmp_1").json()["data"]

    assert data["status"] == "SENDING"
    assert started <= datetime.fromisoformat(data["sentAt"]) <= datetime.now(UTC)
    assert fake.campaign("cmp_1").sent_at == datetime.fromisoformat(data["sentAt"])


@pytest.mark.parametrize(
    ("status", "after", "scheduled_for", "sent_at"),
    [("SCHEDULED", "DRAFT", None, None), ("SENDING", "CANCELLED", None, LONG_AGO)],
    ids=["a-schedule-returns-to-draft", "a-send-is-cancelled"],
)
def test_cancel(
    fake: FakeMailGlyph,
    client: httpx.Client,
    spec_check: SpecCheck,
    status: Any,
    after: str,
    scheduled_for: datetime | None,
    sent_at: datetime | None,
) -> None:
    add(fake, status)

    body = MAILGLYPH.checked(client, spec_check, "cancelCampaign", 200, "c")

    assert (body["success"], body["message"]) == (True, "Campaign cancelled successfully")
    assert (body["data"]["id"], body["data"]["status"]) == ("c", after)
    assert body["data"]["scheduledFor"] is None
    assert body["data"]["sentAt"] == (sent_at and "2020-01-02T03:04:05.678Z")
    campaign = fake.campaign("c")
    assert (campaign.status, campaign.scheduled_for, campaign.sent_at) == (
        after,
        scheduled_for,
        sent_at,
    )


@pytest.mark.parametrize("status", ["DRAFT", "SENT", "CANCELLED"])
def test_cancel_of_anything_not_scheduled_or_sending_is_refused(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck, status: Any
) -> None:
    before = fake.campaign(add(fake, status))

    body = MAILGLYPH.checked(client, spec_check, "cancelCampaign", 400, "c")

    assert (body["success"], body["error"]["message"]) == (False, CANNOT_CANCEL)
    assert body["error"]["requestId"].startswith("req_")
    assert fake.campaign("c") == before


def test_schedule_cancel_send_cancel_then_both_are_refused(
    fake: FakeMailGlyph, client: httpx.Client
) -> None:
    def step(path: str, **kwargs: Any) -> tuple[int, str]:
        response = client.post(f"/campaigns/cmp_1/{path}", **kwargs)
        return response.status_code, fake.campaign("cmp_1").status

    assert step("send", json={"scheduledFor": "2099-03-01T09:30:00Z"}) == (200, "SCHEDULED")
    assert step("cancel") == (200, "DRAFT")
    assert step("send") == (200, "SENDING")
    assert step("cancel") == (200, "CANCELLED")
    assert step("send") == (400, "CANCELLED")
    assert step("cancel") == (400, "CANCELLED")
    assert (fake.sends("cmp_1"), fake.applied_sends("cmp_1")) == (3, 2)
    assert client.get("/campaigns/cmp_1").json()["data"]["status"] == "CANCELLED"


@pytest.mark.parametrize("status", get_args(MailGlyphStatus))
def test_add_campaign_sent_at_defaults_to_now_once_a_send_started(
    fake: FakeMailGlyph, status: Any
) -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=1)  # kept to the millisecond

    sent_at = fake.add_campaign("c", status=status).sent_at

    if status in STARTED:
        assert sent_at is not None and before <= sent_at <= datetime.now(UTC)
    else:
        assert sent_at is None


def test_add_campaign_keeps_a_given_sent_at_in_utc(fake: FakeMailGlyph) -> None:
    plus_two = LONG_AGO.astimezone(datetime.fromisoformat("2020-01-01T00:00+02:00").tzinfo)

    campaign = fake.add_campaign("c", status="SENT", sent_at=plus_two)

    assert campaign.sent_at == LONG_AGO
    assert campaign.sent_at.tzinfo == UTC
    with pytest.raises(ValueError, match="sent_at must be timezone-aware"):
        fake.add_campaign("d", status="SENT", sent_at=datetime(2020, 1, 1))
