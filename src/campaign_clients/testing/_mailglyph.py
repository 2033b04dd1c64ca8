"""A fake MailGlyph campaigns API, for testing code that sends campaigns."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast, get_args

import httpx

from .. import _spec_examples
from .._constants import MAILGLYPH_BASE_URL
from .._validation import utc_z
from ..errors import reason_phrase
from ._core import FakeAPI
from ._models import MailGlyphCampaign, MailGlyphStatus, Route
from ._request_schema import Violation


def request_id() -> str:
    """A fresh request id, as MailGlyph puts in its error bodies."""
    return f"req_{secrets.token_hex(4)}"


DEFAULT_MAILGLYPH_KEY = "sk_test_campaign_clients_fake"
"""The key a `FakeMailGlyph` accepts unless it is given another one."""

_STARTED: tuple[MailGlyphStatus, ...] = ("SENDING", "SENT", "CANCELLED")  # sentAt is set
_CANNOT_CANCEL = "Can only cancel scheduled or sending campaigns"


@dataclass
class _MailGlyphState:
    id: str
    status: MailGlyphStatus
    scheduled_for: datetime | None
    sent_at: datetime | None
    name: str | None
    created_at: datetime
    updated_at: datetime


class FakeMailGlyph(FakeAPI):
    """A fake MailGlyph campaigns API.

    Operations (spec operationIds): ``sendCampaign`` (POST /campaigns/{id}/send),
    ``getCampaign`` (GET /campaigns/{id}), ``cancelCampaign`` (POST .../cancel) and
    ``sendTestCampaign`` (POST .../test).

    States: ``DRAFT``, ``SCHEDULED``, ``SENDING``, ``SENT``, ``CANCELLED``; a new campaign is
    ``DRAFT``. Send without ``scheduledFor`` (or with null) answers 200 and makes it
    ``SENDING`` with ``sentAt`` now; with ``scheduledFor`` (a future ISO 8601 instant with a
    zone) it becomes ``SCHEDULED`` (a scheduled campaign may be scheduled again or sent
    now). Only a ``DRAFT`` or ``SCHEDULED`` campaign may be sent: any other gets the spec's
    400 ``CAMPAIGN_ALREADY_SENT`` envelope. The fake never finishes a send by itself; add a
    campaign as ``SENT`` for that. Cancel returns a ``SCHEDULED`` campaign to ``DRAFT``
    (``scheduledFor`` cleared) and makes a ``SENDING`` one ``CANCELLED`` (``sentAt`` kept),
    answering 200 with the campaign and "Campaign cancelled successfully"; any other state
    gets the spec's 400 envelope with "Can only cancel scheduled or sending campaigns".
    Get answers 200 ``{success, data}`` with the campaign in any state. A test send needs a
    JSON object with a string ``email`` and answers 200 "Test email sent to <email>" in any
    state, changing nothing. Campaign answers are the operation's spec example with this
    campaign's ``id``, ``status``, ``scheduledFor``, ``sentAt`` and times filled in.

    Every operation, in this order: a missing or other key answers 401, a public ``pk_``
    key 403; a method the spec does not have on a path 405 with ``Allow``; a request that
    breaks the operation's schema in the spec (a body that is not the documented object,
    a ``scheduledFor`` that is not an RFC 3339 date-time, a test send whose ``email`` is
    missing or not an address, such as ``useratexample.com``) the spec's 422
    ``VALIDATION_ERROR`` naming the field, checked before the campaign is looked up; an
    unknown id 404; a ``scheduledFor`` that is not in the future the spec's 422 example.
    Faults (`fail_next`, `stall_next`, `reset_next`) may target any of them.
    """

    _provider = "mailglyph"
    _default_operation = "sendCampaign"
    _send_operations = frozenset({"sendCampaign"})
    _default_base_url = MAILGLYPH_BASE_URL

    def __init__(
        self, api_key: str = DEFAULT_MAILGLYPH_KEY, *, base_url: str | None = None
    ) -> None:
        super().__init__(api_key, base_url=base_url)
        self._campaigns: dict[str, _MailGlyphState] = {}

    def add_campaign(
        self,
        campaign_id: str,
        *,
        status: MailGlyphStatus = "DRAFT",
        scheduled_for: datetime | None = None,
        name: str | None = None,
        sent_at: datetime | None = None,
    ) -> MailGlyphCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        A ``SCHEDULED`` campaign without ``scheduled_for`` is scheduled a day from now.
        ``sent_at`` (timezone-aware) is when its send started, such as long ago; by default
        now for ``SENDING``, ``SENT`` and ``CANCELLED``, else None. Instants are kept in UTC
        to the millisecond, as MailGlyph keeps and answers them.
        """
        if not isinstance(campaign_id, str) or not campaign_id:
            raise ValueError("a MailGlyph campaign id is a non-empty string")
        if status not in get_args(MailGlyphStatus):
            raise ValueError(f"status must be one of {get_args(MailGlyphStatus)}, not {status!r}")
        for label, value in (("scheduled_for", scheduled_for), ("sent_at", sent_at)):
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{label} must be timezone-aware")
        now = _now()
        if status == "SCHEDULED" and scheduled_for is None:
            scheduled_for = now + timedelta(days=1)
        if status in _STARTED and sent_at is None:
            sent_at = now
        with self._lock:
            if campaign_id in self._campaigns:
                raise ValueError(f"campaign {campaign_id!r} already exists")
            state = _MailGlyphState(
                id=campaign_id,
                status=status,
                scheduled_for=_utc_ms(scheduled_for) if scheduled_for else None,
                sent_at=_utc_ms(sent_at) if sent_at else None,
                name=name,
                created_at=now,
                updated_at=now,
            )
            self._campaigns[campaign_id] = state
            return self._snapshot(state)

    def campaign(self, campaign_id: str) -> MailGlyphCampaign:
        """The campaign's current state (KeyError if there is no such campaign)."""
        with self._lock:
            return self._snapshot(self._campaigns[campaign_id])

    @staticmethod
    def _snapshot(state: _MailGlyphState) -> MailGlyphCampaign:
        return MailGlyphCampaign(state.id, state.status, state.scheduled_for, state.sent_at)

    # ------------------------------------------------------------------ hooks

    def _campaign_count(self) -> int:
        return len(self._campaigns)

    def _campaign_id(self, segment: str) -> str | None:
        return segment or None

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        token = self._bearer(request)
        if token is not None and token.startswith("pk_"):
            return self._error(403, operation)
        if token != self._api_key:
            return self._error(401, operation)
        return None

    def _envelope(self, status: int, template: str) -> dict[str, Any]:
        body: dict[str, Any] = _spec_examples.response("mailglyph", "sendCampaign", template)
        body["error"]["statusCode"] = status
        body["error"]["requestId"] = request_id()
        body["timestamp"] = utc_z(datetime.now(UTC).replace(microsecond=0))
        return body

    def _error_body(
        self, status: int, operation: str | None, message: str | None
    ) -> dict[str, Any]:
        documented = self._examples(operation)
        if documented.get(str(status)) is not None:
            body = self._envelope(status, str(status))
        elif 500 <= status <= 599:
            body = self._envelope(status, "5XX")
        else:  # not documented: the spec's envelope with a generic code
            body = self._envelope(status, "404")
            phrase = reason_phrase(status, "Error")
            body["error"]["code"] = phrase.upper().replace(" ", "_") or "ERROR"
            body["error"]["message"] = phrase
        if message is not None:
            body["error"]["message"] = message
        return body

    def _fault_body(
        self, status: int, operation: str | None, retry_after: int | float | str | None
    ) -> Any:
        body = super()._fault_body(status, operation, retry_after)
        if status == 429 and isinstance(retry_after, int | float):
            body["error"]["details"] = {"retryAfter": retry_after}
        return body

    def _invalid(self, field_name: str, message: str, code: str) -> httpx.Response:
        body = self._error_body(422, "sendCampaign", None)
        body["error"]["errors"] = [{"field": field_name, "message": message, "code": code}]
        return httpx.Response(422, json=body)

    def _refuse(self, operation: str, broken: Violation) -> httpx.Response:
        """The spec's 422 ``VALIDATION_ERROR`` ("the body is well-formed but a field is not
        valid") naming the field; MailGlyph's 400 is its refusal of the campaign's state."""
        return self._invalid(broken.field or "body", broken.message, "invalid_value")

    def _act(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        state = self._campaigns.get(cast(str, route.campaign_id))
        if state is None:
            return self._error(404, route.operation)
        actions: dict[str, Callable[[_MailGlyphState, bool, Any], httpx.Response]] = {
            "sendCampaign": self._send,
            "getCampaign": self._get,
            "cancelCampaign": self._cancel,
            "sendTestCampaign": self._send_test,
        }
        return actions[cast(str, route.operation)](state, ok, body)

    # ------------------------------------------------------------------ operations

    def _send(self, state: _MailGlyphState, ok: bool, body: Any) -> httpx.Response:
        scheduled_for = self._scheduled_for(body)
        if isinstance(scheduled_for, httpx.Response):
            return scheduled_for
        if state.status not in ("DRAFT", "SCHEDULED"):
            return self._error(400, "sendCampaign")
        now = _now()
        state.updated_at = now
        if scheduled_for is None:
            state.status, state.scheduled_for, state.sent_at = "SENDING", None, now
            return self._campaign_answer("sendCampaign", state, "Campaign sending")
        state.status, state.scheduled_for = "SCHEDULED", _utc_ms(scheduled_for)
        return self._campaign_answer("sendCampaign", state, "Campaign scheduled")

    def _get(self, state: _MailGlyphState, ok: bool, body: Any) -> httpx.Response:
        return self._campaign_answer("getCampaign", state)

    def _cancel(self, state: _MailGlyphState, ok: bool, body: Any) -> httpx.Response:
        if state.status == "SCHEDULED":
            state.status, state.scheduled_for = "DRAFT", None
        elif state.status == "SENDING":
            state.status = "CANCELLED"  # sentAt kept: some recipients may have it
        else:
            return self._error(400, "cancelCampaign", _CANNOT_CANCEL)
        state.updated_at = _now()
        return self._campaign_answer("cancelCampaign", state, "Campaign cancelled successfully")

    def _send_test(self, state: _MailGlyphState, ok: bool, body: Any) -> httpx.Response:
        """200 "Test email sent to <email>": the schema check made sure of an address."""
        answer = _spec_examples.response("mailglyph", "sendTestCampaign", "200")
        answer["message"] = f"Test email sent to {body['email']}"
        return httpx.Response(200, json=answer)

    # ------------------------------------------------------------------ helpers

    def _scheduled_for(self, body: Any) -> datetime | httpx.Response | None:
        """The send's ``scheduledFor`` (None: send now), or the spec's 422 for one that is
        not in the future (the schema check made sure of an RFC 3339 date-time or null)."""
        value = body.get("scheduledFor") if isinstance(body, dict) else None
        if value is None:
            return None
        scheduled_for = datetime.fromisoformat(value.upper())  # RFC 3339 allows "t", "z"
        if scheduled_for <= datetime.now(UTC):
            # The spec's documented 422 example is exactly this case.
            return httpx.Response(422, json=self._error_body(422, "sendCampaign", None))
        return scheduled_for

    def _campaign_answer(
        self, operation: str, state: _MailGlyphState, message: str | None = None
    ) -> httpx.Response:
        """200 with the spec's example for the operation, this campaign's fields filled in."""
        answer: dict[str, Any] = _spec_examples.response("mailglyph", operation, "200")
        data = answer["data"]
        data["id"] = state.id
        if state.name is not None:
            data["name"] = state.name
        data["status"] = state.status
        data["scheduledFor"] = _instant(state.scheduled_for)
        data["sentAt"] = _instant(state.sent_at)
        data["createdAt"] = _instant(state.created_at)
        data["updatedAt"] = _instant(state.updated_at)
        if message is not None:
            answer["message"] = message
        return httpx.Response(200, json=answer)


def _utc_ms(value: datetime) -> datetime:
    """In UTC and to the millisecond, the precision MailGlyph keeps and answers with."""
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _now() -> datetime:
    return _utc_ms(datetime.now(UTC))


def _instant(value: datetime | None) -> str | None:
    return utc_z(value, milliseconds=True) if value is not None else None
