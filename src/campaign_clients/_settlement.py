"""Settling an outcome that is not known: what was asked (`Attempt`), what a read of
the campaign says about it (`Settlement`), and the rules that decide between them.

A send, schedule or reschedule that fails after the request may have reached the
provider leaves the caller guessing. Neither provider deduplicates these calls,
but each guards its campaign's state, so reading the campaign tells whether the
call was applied. The rules are pure functions of the attempt and of the JSON the
reads returned; the clients make the reads (see `_base.SettlementPlan`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._constants import SETTLE_CLOCK_SKEW
from ._validation import utc_z

Outcome = Literal["applied", "not_applied", "unknown"]

AUTO_SETTLED = frozenset({"send", "schedule", "reschedule"})
"""The settlement kinds a client settles by itself before raising (`settle=True`)."""

REFUSALS = frozenset({400, 403, 409})
"""Statuses with which a provider refuses a repeat because the campaign moved on."""


@attrs.frozen
class Attempt:
    """What a send, schedule, reschedule, unschedule or cancel asked for. Never the key.

    `at` is the requested send time (None: now); `started_at` is the wall-clock
    instant (UTC) at which the first try began.
    """

    provider: str
    operation: str
    campaign_id: str | int
    settles: str
    at: datetime.datetime | None = None
    on_behalf_of: str | None = None
    started_at: datetime.datetime | None = None

    def to_json(self) -> str:
        """This attempt as a JSON string (it holds no key), to keep with a job or in a
        database; `Attempt.from_json` rebuilds it for `client.settle(attempt)`."""
        from ._attempt_json import dump

        return dump(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Attempt:
        """The attempt `to_json` wrote; ValueError for any text that is not one."""
        from ._attempt_json import load

        return load(text)


@attrs.frozen
class Settlement:
    """What reading the campaign says about an attempt whose outcome was not known.

    `outcome`: "applied" (the provider acted on it), "not_applied" (it did not; then
    `can_repeat` says whether making the call again would act), or "unknown" (the
    campaign could not be read, or its state does not tell). `status` is the
    campaign's status as read, `state` everything read (plain JSON), `reason` one line.
    """

    outcome: Outcome
    reason: str
    status: str | None = None
    state: Mapping[str, Any] = attrs.field(factory=dict)
    can_repeat: bool = False

    def describe(self) -> str:
        return f"settled as {self.outcome.replace('_', ' ')}: {self.reason}"


def settleable(error: object, provider: str) -> Attempt:
    """The attempt to settle: `error` itself when it is an `Attempt`, else the one behind
    the error; checked to be `provider`'s (else ValueError)."""
    attempt = error if isinstance(error, Attempt) else getattr(error, "attempt", None)
    if not isinstance(attempt, Attempt) or not isinstance(error, Exception | Attempt):
        raise ValueError(
            "settle() takes an Attempt, or an error raised by a send, schedule, reschedule, "
            "unschedule or cancel; this one has no attempt to settle"
        )
    if attempt.provider != provider:
        raise ValueError(f"this attempt was made with {attempt.provider}, not {provider}")
    if attempt.started_at is None:
        raise ValueError("this attempt has no started_at, so nothing can be settled against it")
    return attempt


def unreadable(error: object) -> Settlement:
    """The settlement when a read failed even after its own retries."""
    return Settlement("unknown", f"the campaign could not be read ({error})")


# -- the rules ------------------------------------------------------------------------------


def _instant(value: object) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _since(attempt: Attempt, at: datetime.datetime | None = None) -> datetime.datetime:
    """The earliest instant a send made by this attempt (for a schedule: at `at`) can
    carry, allowing for the provider's clock to differ from ours."""
    assert attempt.started_at is not None
    earliest = attempt.started_at if at is None else max(attempt.started_at, at)
    return earliest - datetime.timedelta(seconds=SETTLE_CLOCK_SKEW)


def _passed(at: datetime.datetime | None) -> bool:
    return at is not None and at <= datetime.datetime.now(datetime.UTC)


class _Verdicts:
    """Builds settlements that carry what was read."""

    def __init__(self, status: str | None, state: Mapping[str, Any]) -> None:
        self.status, self.state = status, state

    def applied(self, reason: str) -> Settlement:
        return Settlement("applied", reason, self.status, self.state)

    def not_applied(self, reason: str, *, can_repeat: bool) -> Settlement:
        return Settlement("not_applied", reason, self.status, self.state, can_repeat)

    def unknown(self, reason: str) -> Settlement:
        return Settlement("unknown", reason, self.status, self.state)


def mailglyph(attempt: Attempt, campaign: Mapping[str, Any]) -> Settlement:
    """Settle a MailGlyph attempt from the campaign read with `getCampaign`."""
    status = campaign.get("status")
    says = _Verdicts(status if isinstance(status, str) else None, {"campaign": dict(campaign)})
    if attempt.settles == "cancel":
        return _mailglyph_cancel(says, status, _instant(campaign.get("scheduledFor")))
    sent_at = _instant(campaign.get("sentAt"))
    if status in ("SENDING", "SENT", "CANCELLED") and sent_at is not None:
        since = _since(attempt, attempt.at)
        if sent_at >= since and (attempt.at is None or _passed(attempt.at)):
            sent = campaign.get("sentAt")
            return says.applied(f"status {status}, sent at {sent} by this attempt")
        return says.not_applied(
            f"status {status}, sent at {campaign.get('sentAt')}, before this attempt",
            can_repeat=False,
        )
    if status in ("SENDING", "SENT"):
        return says.unknown(f"status {status} without a sentAt")
    if status == "CANCELLED":
        return says.not_applied("the campaign is CANCELLED", can_repeat=False)
    scheduled_for = _instant(campaign.get("scheduledFor"))
    if status == "SCHEDULED" and _same_instant(scheduled_for, attempt.at):
        return says.applied(f"SCHEDULED for {campaign.get('scheduledFor')}, as asked")
    if status in ("DRAFT", "SCHEDULED"):
        when = f" for {campaign.get('scheduledFor')}" if status == "SCHEDULED" else ""
        return says.not_applied(f"the campaign is still {status}{when}", can_repeat=True)
    return says.unknown(f"status {status!r} is not one the rules know")


def _same_instant(read: datetime.datetime | None, asked: datetime.datetime | None) -> bool:
    """Equal to the millisecond, the precision the providers keep."""
    if read is None or asked is None:
        return False
    return abs(read - asked) < datetime.timedelta(milliseconds=1)


def _mailglyph_cancel(
    says: _Verdicts, status: object, scheduled_for: datetime.datetime | None
) -> Settlement:
    if status == "CANCELLED" or (status == "DRAFT" and scheduled_for is None):
        return says.applied(f"the campaign is {status} and not scheduled")
    if status in ("SCHEDULED", "SENDING"):
        return says.not_applied(f"the campaign is still {status}", can_repeat=True)
    if status == "SENT":
        return says.not_applied("the campaign was already sent", can_repeat=False)
    return says.unknown(f"status {status!r} is not one the rules know")


_SENDING = ("In Progress", "Sent", "Paused")
"""SendGrid statuses of a campaign whose send has started."""


def sendgrid(
    attempt: Attempt, campaign: Mapping[str, Any], schedule: Mapping[str, Any] | None
) -> Settlement:
    """Settle a SendGrid attempt from `getCampaign`, and `getCampaignSchedule` when the
    campaign reads Scheduled. SendGrid's campaign carries no send time, so a send
    that reads In Progress, Sent or Paused counts as this attempt's."""
    status = campaign.get("status")
    state = {"campaign": dict(campaign)} | ({"schedule": dict(schedule)} if schedule else {})
    says = _Verdicts(status if isinstance(status, str) else None, state)
    send_at = schedule.get("send_at") if schedule else None
    if status == "Scheduled" and not isinstance(send_at, int):
        return says.unknown("the campaign is Scheduled but its schedule could not be read")
    rule = {
        "send": _sendgrid_send,
        "schedule": _sendgrid_schedule,
        "reschedule": _sendgrid_schedule,
        "unschedule": _sendgrid_unschedule,
    }[attempt.settles]
    return rule(attempt, says, status, send_at)


def _sendgrid_send(attempt: Attempt, says: _Verdicts, status: object, send_at: Any) -> Settlement:
    if status in _SENDING:
        return says.applied(f"status {status}")
    if status == "Draft":
        return says.not_applied("the campaign is still a Draft", can_repeat=True)
    if status == "Scheduled":
        assert attempt.started_at is not None
        if send_at <= attempt.started_at.timestamp() + SETTLE_CLOCK_SKEW:
            return says.applied(f"Scheduled to send at {send_at}, that is now")
        return says.not_applied(f"Scheduled for later ({send_at}), not sent", can_repeat=False)
    return says.unknown(f"status {status!r} is not one the rules know")


def _sendgrid_schedule(
    attempt: Attempt, says: _Verdicts, status: object, send_at: Any
) -> Settlement:
    assert attempt.at is not None
    asked, rescheduling = int(attempt.at.timestamp()), attempt.settles == "reschedule"
    if status == "Scheduled":
        if send_at == asked:
            return says.applied(f"Scheduled for {send_at}, as asked")
        return says.not_applied(f"Scheduled for {send_at}, not {asked}", can_repeat=rescheduling)
    if status == "Draft":
        return says.not_applied("the campaign is a Draft", can_repeat=not rescheduling)
    if status in _SENDING and not _passed(attempt.at):
        return says.not_applied(f"status {status} before the time asked", can_repeat=False)
    if status in _SENDING:
        return says.unknown(f"status {status} after the time asked: it may be this schedule")
    return says.unknown(f"status {status!r} is not one the rules know")


def _sendgrid_unschedule(
    attempt: Attempt, says: _Verdicts, status: object, send_at: Any
) -> Settlement:
    if status == "Draft":
        return says.applied("the campaign is a Draft again")
    if status == "Scheduled":
        return says.not_applied(f"still Scheduled for {send_at}", can_repeat=True)
    if status in _SENDING:
        return says.not_applied(f"status {status}: too late to unschedule", can_repeat=False)
    return says.unknown(f"status {status!r} is not one the rules know")


# -- SendGrid Single Sends ----------------------------------------------------------------


def _z(moment: datetime.datetime | None) -> str:
    return "?" if moment is None else utc_z(moment, milliseconds=True)


SINGLE_SEND_STATUSES = ("draft", "scheduled", "triggered")
"""The statuses SendGrid documents for a Single Send; any other is unknown to the rules."""


def single_send(attempt: Attempt, read: Mapping[str, Any]) -> Settlement:
    """Settle a Single Send attempt from the Single Send read with `getSingleSend`.

    SendGrid refuses no repeat here, so every verdict rests on `status` and `send_at`:
    a send applied reads `triggered` (or `scheduled` for about now) with a `send_at` no
    earlier than the attempt's start less `SETTLE_CLOCK_SKEW`; a schedule applied reads
    the instant asked, to the second. A schedule someone else made meanwhile is theirs:
    not applied, and not to be overridden by a repeat.
    """
    status = read.get("status")
    says = _Verdicts(status if isinstance(status, str) else None, {"single_send": dict(read)})
    if status not in SINGLE_SEND_STATUSES:
        return says.unknown(f"status {status!r} is not one the rules know")
    send_at = _instant(read.get("send_at"))
    if status in ("scheduled", "triggered") and send_at is None:
        return says.unknown(f"status {status} without a readable send_at")
    rule = {
        "send": _single_send_now,
        "schedule": _single_send_schedule,
        "unschedule": _single_send_unschedule,
    }[attempt.settles]
    return rule(attempt, says, status, send_at)


def _single_send_now(
    attempt: Attempt, says: _Verdicts, status: object, send_at: datetime.datetime | None
) -> Settlement:
    if status == "draft":
        return says.not_applied("the Single Send is still a draft", can_repeat=True)
    assert send_at is not None and attempt.started_at is not None
    since = _since(attempt)
    if status == "triggered":
        if send_at >= since:
            return says.applied(f"triggered, send_at {_z(send_at)} by this attempt")
        return says.not_applied(
            f"triggered at {_z(send_at)}, before this attempt", can_repeat=False
        )
    # scheduled: SendGrid's record of a send-now until it triggers, when it is for now
    latest = attempt.started_at + datetime.timedelta(seconds=SETTLE_CLOCK_SKEW)
    if since <= send_at <= latest:
        return says.applied(f"scheduled for {_z(send_at)}, that is now")
    return says.not_applied(
        f"scheduled for {_z(send_at)} by someone else, not sent now", can_repeat=False
    )


def _single_send_schedule(
    attempt: Attempt, says: _Verdicts, status: object, send_at: datetime.datetime | None
) -> Settlement:
    assert attempt.at is not None
    if status == "draft":
        return says.not_applied("the Single Send is still a draft", can_repeat=True)
    assert send_at is not None
    if send_at.replace(microsecond=0) == attempt.at.replace(microsecond=0):
        return says.applied(f"{status} for {_z(send_at)}, as asked")
    if status == "scheduled":
        return says.not_applied(
            f"scheduled for {_z(send_at)}, not {_z(attempt.at)}: someone else's schedule",
            can_repeat=False,
        )
    return says.not_applied(f"triggered at {_z(send_at)}, not at the time asked", can_repeat=False)


def _single_send_unschedule(
    attempt: Attempt, says: _Verdicts, status: object, send_at: datetime.datetime | None
) -> Settlement:
    if status == "draft":
        return says.applied("the Single Send is a draft again")
    if status == "scheduled":
        return says.not_applied(f"still scheduled for {_z(send_at)}", can_repeat=True)
    return says.not_applied("triggered: too late to unschedule", can_repeat=False)
