"""The Single Sends settlement rules, as pure functions of what was asked and what was
read (`_settlement.single_send`). README.md's settlement table states the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from campaign_clients import Attempt
from campaign_clients._constants import SETTLE_CLOCK_SKEW
from campaign_clients._settlement import single_send

SID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
NOW = dt.datetime.now(dt.UTC)
STARTED = NOW - dt.timedelta(seconds=2)
LATER = (NOW + dt.timedelta(days=1)).replace(microsecond=0)
LONG_AGO = NOW - dt.timedelta(days=3)
SKEW = dt.timedelta(seconds=SETTLE_CLOCK_SKEW)
OPERATION = {"send": "scheduleSingleSend", "schedule": "scheduleSingleSend"}


def attempt(settles: str, at: dt.datetime | None = None) -> Attempt:
    operation = OPERATION.get(settles, "unscheduleSingleSend")
    return Attempt("SendGrid", operation, SID, settles, at, None, STARTED)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def read(status: str | None, send_at: dt.datetime | str | None = None) -> dict[str, Any]:
    single: dict[str, Any] = {"id": SID, "name": "April product news"}
    if status is not None:
        single["status"] = status
    single["send_at"] = iso(send_at) if isinstance(send_at, dt.datetime) else send_at
    return single


SEND_NOW = [
    # status, send_at, outcome, can_repeat
    ("draft", None, "not_applied", True),
    ("triggered", NOW, "applied", False),
    ("triggered", STARTED - SKEW + dt.timedelta(seconds=1), "applied", False),  # within skew
    ("triggered", STARTED - SKEW - dt.timedelta(seconds=1), "not_applied", False),
    ("triggered", LONG_AGO, "not_applied", False),  # sent before this attempt
    ("scheduled", NOW, "applied", False),  # SendGrid's record of a send-now, not yet triggered
    ("scheduled", LATER, "not_applied", False),  # someone else's schedule: not overridden
    ("scheduled", LONG_AGO, "not_applied", False),
    ("triggered", None, "unknown", False),  # no send time: cannot tell whose send
    ("scheduled", "not a time", "unknown", False),
    ("archived", NOW, "unknown", False),  # a status the rules do not know
    ("Triggered", NOW, "unknown", False),  # statuses are compared exactly
    (None, NOW, "unknown", False),  # no status at all (the published schema requires none)
]


@pytest.mark.parametrize(("status", "send_at", "outcome", "repeat"), SEND_NOW)
def test_send_now(status, send_at, outcome, repeat):
    settled = single_send(attempt("send"), read(status, send_at))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason
    assert settled.status == status
    assert settled.state["single_send"]["id"] == SID


SCHEDULE = [
    ("scheduled", LATER, "applied", False),
    ("scheduled", LATER + dt.timedelta(milliseconds=999), "applied", False),  # to the second
    ("scheduled", LATER + dt.timedelta(seconds=1), "not_applied", False),  # someone else's
    ("scheduled", LATER - dt.timedelta(hours=1), "not_applied", False),
    ("draft", None, "not_applied", True),
    ("draft", LATER, "not_applied", True),  # a draft's send_at schedules nothing
    ("triggered", LATER, "applied", False),  # this schedule has fired
    ("triggered", LONG_AGO, "not_applied", False),  # sent by someone else
    ("triggered", None, "unknown", False),
    ("scheduled", None, "unknown", False),
    ("canceled", LATER, "unknown", False),
]


@pytest.mark.parametrize(("status", "send_at", "outcome", "repeat"), SCHEDULE)
def test_schedule(status, send_at, outcome, repeat):
    settled = single_send(attempt("schedule", at=LATER), read(status, send_at))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason


def test_a_schedule_read_with_an_offset_is_the_same_instant():
    offset = LATER.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
    settled = single_send(attempt("schedule", at=LATER), read("scheduled", offset))
    assert settled.outcome == "applied"


UNSCHEDULE = [
    ("draft", None, "applied", False),
    ("scheduled", LATER, "not_applied", True),
    ("triggered", NOW, "not_applied", False),  # too late
    ("paused", None, "unknown", False),
]


@pytest.mark.parametrize(("status", "send_at", "outcome", "repeat"), UNSCHEDULE)
def test_unschedule(status, send_at, outcome, repeat):
    settled = single_send(attempt("unschedule"), read(status, send_at))
    assert (settled.outcome, settled.can_repeat) == (outcome, repeat), settled.reason


def test_the_reason_names_what_was_read():
    settled = single_send(attempt("schedule", at=LATER), read("scheduled", LATER + SKEW))
    assert "someone else's schedule" in settled.reason
    assert iso(LATER + SKEW).removesuffix(".000Z") in settled.reason
