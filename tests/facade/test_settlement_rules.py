"""The settlement rules, as pure functions of what was asked and what was read.

Each row: the attempt, the campaign (and SendGrid schedule) read, and the outcome with
`can_repeat`. README.md's settlement table states the same rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from campaign_clients import Attempt
from campaign_clients._settlement import mailglyph, sendgrid

NOW = dt.datetime.now(dt.UTC)
STARTED = NOW - dt.timedelta(seconds=2)
LATER = (NOW + dt.timedelta(days=1)).replace(microsecond=0)
LONG_AGO = NOW - dt.timedelta(days=3)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def attempt(provider: str, settles: str, at: dt.datetime | None = None) -> Attempt:
    operation = {
        ("MailGlyph", "send"): "sendCampaign",
        ("MailGlyph", "cancel"): "cancelCampaign",
        ("SendGrid", "send"): "sendCampaignNow",
        ("SendGrid", "schedule"): "scheduleCampaign",
        ("SendGrid", "reschedule"): "rescheduleCampaign",
        ("SendGrid", "unschedule"): "unscheduleCampaign",
    }[(provider, settles)]
    campaign_id: str | int = "cmp_1" if provider == "MailGlyph" else 4900
    return Attempt(provider, operation, campaign_id, settles, at, None, STARTED)


def mg(status: str | None, sent_at: dt.datetime | None = None, scheduled: Any = None) -> Any:
    campaign: dict[str, Any] = {"id": "cmp_1", "sentAt": sent_at and iso(sent_at)}
    campaign["scheduledFor"] = scheduled and iso(scheduled)
    if status is not None:
        campaign["status"] = status
    return campaign


MAILGLYPH_SEND_NOW = [
    ("SENDING", NOW, None, "applied", False),
    ("SENT", NOW, None, "applied", False),
    ("CANCELLED", NOW, None, "applied", False),  # this send started, then was cancelled
    ("SENT", LONG_AGO, None, "not_applied", False),  # sent before this attempt began
    ("SENDING", LONG_AGO, None, "not_applied", False),
    ("CANCELLED", None, None, "not_applied", False),
    ("DRAFT", None, None, "not_applied", True),
    ("SCHEDULED", None, LATER, "not_applied", True),
    ("SENDING", None, None, "unknown", False),  # no sentAt: cannot tell whose send
    ("ARCHIVED", None, None, "unknown", False),  # a status the rules do not know
    (None, None, None, "unknown", False),
]


@pytest.mark.parametrize(
    ("status", "sent_at", "scheduled", "outcome", "repeat"), MAILGLYPH_SEND_NOW
)
def test_mailglyph_send_now(status, sent_at, scheduled, outcome, repeat):
    settled = mailglyph(attempt("MailGlyph", "send"), mg(status, sent_at, scheduled))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason
    assert settled.status == status
    assert settled.state["campaign"]["id"] == "cmp_1"


MAILGLYPH_SCHEDULE = [
    ("SCHEDULED", None, LATER, "applied", False),
    ("SCHEDULED", None, LATER + dt.timedelta(hours=1), "not_applied", True),
    ("DRAFT", None, None, "not_applied", True),
    ("SENT", LONG_AGO, None, "not_applied", False),
    ("SENDING", NOW, None, "not_applied", False),  # the time asked has not come
    ("CANCELLED", None, None, "not_applied", False),
    ("PAUSED", None, None, "unknown", False),
]


@pytest.mark.parametrize(
    ("status", "sent_at", "scheduled", "outcome", "repeat"), MAILGLYPH_SCHEDULE
)
def test_mailglyph_schedule(status, sent_at, scheduled, outcome, repeat):
    asked = attempt("MailGlyph", "send", at=LATER)
    settled = mailglyph(asked, mg(status, sent_at, scheduled))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason


def test_mailglyph_schedule_in_the_past_that_went_out_was_applied():
    at = NOW - dt.timedelta(seconds=1)
    settled = mailglyph(attempt("MailGlyph", "send", at=at), mg("SENDING", NOW))
    assert settled.outcome == "applied"


@pytest.mark.parametrize(
    ("status", "scheduled", "outcome", "repeat"),
    [
        ("DRAFT", None, "applied", False),
        ("CANCELLED", None, "applied", False),
        ("SCHEDULED", LATER, "not_applied", True),
        ("SENDING", None, "not_applied", True),
        ("SENT", None, "not_applied", False),
        ("DRAFT", LATER, "unknown", False),
    ],
)
def test_mailglyph_cancel(status, scheduled, outcome, repeat):
    settled = mailglyph(attempt("MailGlyph", "cancel"), mg(status, None, scheduled))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason


def sg(status: str | None) -> dict[str, Any]:
    return {"id": 4900, "status": status} if status is not None else {"id": 4900}


NOW_S, LATER_S = int(NOW.timestamp()), int(LATER.timestamp())
# Test ids name the instants, not their clock values: pytest-xdist's workers collect at
# different moments and must see the same ids.
INSTANTS = {NOW_S: "now", LATER_S: "later", LATER_S + 60: "later+60s"}


def instant_id(value: object) -> str | None:
    return INSTANTS.get(value) if isinstance(value, int) else None


SENDGRID_RULES = [
    # settles, at, status, schedule send_at, outcome, can_repeat
    ("send", None, "Draft", None, "not_applied", True),
    ("send", None, "In Progress", None, "applied", False),
    ("send", None, "Sent", None, "applied", False),
    ("send", None, "Paused", None, "applied", False),
    ("send", None, "Scheduled", NOW_S, "applied", False),  # send-now reads Scheduled for now
    ("send", None, "Scheduled", LATER_S, "not_applied", False),
    ("send", None, "Scheduled", None, "unknown", False),  # its schedule could not be read
    ("send", None, "Canceled", None, "unknown", False),
    ("send", None, "Archived", None, "unknown", False),
    ("send", None, None, None, "unknown", False),
    ("schedule", LATER, "Scheduled", LATER_S, "applied", False),
    ("schedule", LATER, "Scheduled", LATER_S + 60, "not_applied", False),
    ("schedule", LATER, "Draft", None, "not_applied", True),
    ("schedule", LATER, "Sent", None, "not_applied", False),
    ("schedule", NOW - dt.timedelta(minutes=1), "Sent", None, "unknown", False),
    ("reschedule", LATER, "Scheduled", LATER_S, "applied", False),
    ("reschedule", LATER, "Scheduled", LATER_S + 60, "not_applied", True),
    ("reschedule", LATER, "Draft", None, "not_applied", False),
    ("unschedule", None, "Draft", None, "applied", False),
    ("unschedule", None, "Scheduled", LATER_S, "not_applied", True),
    ("unschedule", None, "In Progress", None, "not_applied", False),
    ("unschedule", None, "Canceled", None, "unknown", False),
]


@pytest.mark.parametrize(
    ("settles", "at", "status", "send_at", "outcome", "repeat"), SENDGRID_RULES, ids=instant_id
)
def test_sendgrid(settles, at, status, send_at, outcome, repeat):
    schedule = None if send_at is None else {"send_at": send_at}
    settled = sendgrid(attempt("SendGrid", settles, at), sg(status), schedule)
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason
    assert settled.state["campaign"] == sg(status)
    if schedule is not None:
        assert settled.state["schedule"] == schedule
