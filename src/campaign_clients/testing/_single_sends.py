"""The Single Sends a `FakeSendGrid` holds, and what SendGrid's three Single Send
operations do to them: a state machine without HTTP (the fake turns its answers and
refusals into responses)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, get_args

from .._validation import check_uuid_id, utc_z
from ._models import SingleSend, SingleSendStatus

SCHEDULE = "scheduleSingleSend"
UNSCHEDULE = "unscheduleSingleSend"
GET = "getSingleSend"
OPERATIONS = frozenset({SCHEDULE, UNSCHEDULE, GET})
"""The spec's Single Send operationIds (the rest of FakeSendGrid's are legacy campaigns)."""

ALREADY_TRIGGERED = "This Single Send has already been triggered and cannot be scheduled again."
"""The message of the fake's 403 to a schedule of a triggered Single Send."""


def single_send_id(value: object) -> str | None:
    """The lower-case canonical UUID string of a Single Send id (what the client takes:
    a `uuid.UUID` or its 8-4-4-4-12 hex string, any case), or None when `value` is not one."""
    try:
        return str(check_uuid_id(value))
    except ValueError:
        return None


class Refusal(Exception):
    """What the fake answers instead of acting: a status and its message (None: the
    spec's example for that status; the 400 example names ``send_at``)."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(status, message)
        self.status, self.message = status, message


@dataclass
class _State:
    id: str
    status: SingleSendStatus
    send_at: datetime | None
    on_behalf_of: str | None


def _iso(at: datetime | None) -> str | None:
    return None if at is None else utc_z(at, milliseconds=True)


def _send_at(ok: bool, body: Any, now: datetime) -> datetime | None:
    """The instant a schedule body asks for (None: "now"), or the spec's 400, which
    names send_at."""
    send_at = body.get("send_at") if ok and isinstance(body, dict) else None
    if send_at == "now":
        return None
    try:
        at = datetime.fromisoformat(send_at.upper()) if isinstance(send_at, str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None or at <= now:
        raise Refusal(400)
    return at.astimezone(UTC)


class SingleSends:
    """A fake account's Single Sends, keyed by (on-behalf-of account, id).

    A Single Send is ``draft`` (``send_at`` None, or a time set at creation, which does
    not send it), ``scheduled`` (for ``send_at``) or ``triggered`` (its send started at
    ``send_at``). The fake never triggers a scheduled one by itself.
    The caller (the fake) holds its lock around every method.
    """

    def __init__(self) -> None:
        self._states: dict[tuple[str | None, str], _State] = {}

    def __len__(self) -> int:
        return len(self._states)

    def add(
        self,
        single_send_id: uuid.UUID | str,
        status: SingleSendStatus,
        send_at: datetime | None,
        on_behalf_of: str | None,
    ) -> SingleSend:
        key = single_send_id_or_error(single_send_id)
        if status not in get_args(SingleSendStatus):
            raise ValueError(f"status must be one of {get_args(SingleSendStatus)}, not {status!r}")
        if send_at is not None and (not isinstance(send_at, datetime) or send_at.tzinfo is None):
            raise ValueError("send_at must be None or a timezone-aware datetime")
        now = datetime.now(UTC)
        if send_at is None and status == "scheduled":
            send_at = now + timedelta(days=1)
        elif send_at is None and status == "triggered":
            send_at = now
        if (on_behalf_of, key) in self._states:
            raise ValueError(f"Single Send {key} already exists")
        at = None if send_at is None else send_at.astimezone(UTC)
        state = _State(key, status, at, on_behalf_of)
        self._states[(on_behalf_of, key)] = state
        return _snapshot(state)

    def snapshot(self, single_send_id: uuid.UUID | str, on_behalf_of: str | None) -> SingleSend:
        """The Single Send's state (KeyError if there is none)."""
        return _snapshot(self._states[(on_behalf_of, single_send_id_or_error(single_send_id))])

    def act(
        self,
        operation: str,
        account: str | None,
        single_send_id: object,
        ok: bool,
        body: Any,
        *,
        accept_second_schedule: bool,
    ) -> tuple[int, dict[str, Any]]:
        """(success status, the answer's fields) of one operation, or a Refusal."""
        key = single_send_id if isinstance(single_send_id, str) else None
        state = self._states.get((account, key)) if key is not None else None
        if state is None:
            raise Refusal(404)
        if operation == SCHEDULE:
            return self._schedule(state, ok, body, accept_second_schedule)
        if operation == UNSCHEDULE:
            return self._unschedule(state)
        return 200, {"id": state.id, "status": state.status, "send_at": _iso(state.send_at)}

    @staticmethod
    def _schedule(
        state: _State, ok: bool, body: Any, accept_second_schedule: bool
    ) -> tuple[int, dict[str, Any]]:
        """ "now" triggers the send (send_at: now); a future time schedules it, also a
        scheduled one anew. A triggered one is refused, unless the switch accepts it."""
        now = datetime.now(UTC)
        at = _send_at(ok, body, now)
        if state.status == "triggered" and not accept_second_schedule:
            raise Refusal(403, ALREADY_TRIGGERED)
        state.status, state.send_at = ("triggered", now) if at is None else ("scheduled", at)
        return 201, {"send_at": _iso(state.send_at), "status": "scheduled"}

    @staticmethod
    def _unschedule(state: _State) -> tuple[int, dict[str, Any]]:
        """A scheduled one goes back to draft; a draft stays; a triggered one cannot be
        stopped: the answer says what it is now."""
        if state.status == "scheduled":
            state.status, state.send_at = "draft", None
        return 200, {"send_at": _iso(state.send_at), "status": state.status}


def single_send_id_or_error(value: object) -> str:
    """`single_send_id(value)`, or the client's ValueError saying what a Single Send id is."""
    return str(check_uuid_id(value))


def _snapshot(state: _State) -> SingleSend:
    return SingleSend(state.id, state.status, state.send_at, state.on_behalf_of)
