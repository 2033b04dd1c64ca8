"""A fake MailGlyph campaigns API, for testing code that sends campaigns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast, get_args

import httpx

from .. import _spec_examples
from .._constants import MAILGLYPH_BASE_URL
from .._validation import utc_z
from ..errors import reason_phrase
from ._core import FakeAPI, request_id
from ._models import MailGlyphCampaign, MailGlyphStatus, Route

DEFAULT_MAILGLYPH_KEY = "sk_test_campaign_clients_fake"
"""The key a `FakeMailGlyph` accepts unless it is given another one."""


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
    """A fake MailGlyph API: ``POST /campaigns/{id}/send`` (operation ``sendCampaign``).

    States: a new campaign is ``DRAFT``. Sending without ``scheduledFor`` (or with null)
    answers 200 and makes it ``SENDING``; with ``scheduledFor`` (a future ISO 8601 instant
    with a zone) it becomes ``SCHEDULED`` (a scheduled campaign may be scheduled again or
    sent now). Sending or scheduling a ``SENDING`` or ``SENT`` campaign answers the spec's
    400 ``CAMPAIGN_ALREADY_SENT`` envelope. An unknown id answers 404, a missing or other
    key 401, a public ``pk_`` key 403, and a ``scheduledFor`` that is not a future instant
    with a zone offset the spec's 422 ``VALIDATION_ERROR``.
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
    ) -> MailGlyphCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        A ``SCHEDULED`` campaign without ``scheduled_for`` is scheduled a day from now.
        """
        if not isinstance(campaign_id, str) or not campaign_id:
            raise ValueError("a MailGlyph campaign id is a non-empty string")
        if status not in get_args(MailGlyphStatus):
            raise ValueError(f"status must be one of {get_args(MailGlyphStatus)}, not {status!r}")
        if scheduled_for is not None and scheduled_for.tzinfo is None:
            raise ValueError("scheduled_for must be timezone-aware")
        now = datetime.now(UTC)
        if status == "SCHEDULED" and scheduled_for is None:
            scheduled_for = now + timedelta(days=1)
        with self._lock:
            if campaign_id in self._campaigns:
                raise ValueError(f"campaign {campaign_id!r} already exists")
            state = _MailGlyphState(
                id=campaign_id,
                status=status,
                scheduled_for=scheduled_for.astimezone(UTC) if scheduled_for else None,
                sent_at=now if status in ("SENDING", "SENT") else None,
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

    def _act(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        state = self._campaigns.get(cast(str, route.campaign_id))
        if state is None:
            return self._error(404, route.operation)
        if not ok or (body is not None and not isinstance(body, dict)):
            return self._invalid("body", "Request body must be a JSON object", "invalid_type")
        value = body.get("scheduledFor") if isinstance(body, dict) else None
        now = datetime.now(UTC)
        scheduled_for: datetime | None = None
        if value is not None:
            if not isinstance(value, str):
                return self._invalid(
                    "scheduledFor", "scheduledFor must be an ISO 8601 date-time", "invalid_type"
                )
            try:
                scheduled_for = datetime.fromisoformat(value)
            except ValueError:
                return self._invalid(
                    "scheduledFor", "scheduledFor must be an ISO 8601 date-time", "invalid_date"
                )
            if scheduled_for.tzinfo is None:
                return self._invalid(
                    "scheduledFor", "scheduledFor must include a time zone offset", "invalid_date"
                )
            if scheduled_for <= now:
                # The spec's documented 422 example is exactly this case.
                return httpx.Response(422, json=self._error_body(422, route.operation, None))
        if state.status in ("SENDING", "SENT"):
            return httpx.Response(400, json=self._error_body(400, route.operation, None))
        state.updated_at = now
        if scheduled_for is None:
            state.status, state.scheduled_for, state.sent_at = "SENDING", None, now
            message = "Campaign sending"
        else:
            state.status, state.scheduled_for = "SCHEDULED", scheduled_for.astimezone(UTC)
            message = "Campaign scheduled"
        answer: dict[str, Any] = _spec_examples.response("mailglyph", "sendCampaign", "200")
        data = answer["data"]
        data["id"] = state.id
        if state.name is not None:
            data["name"] = state.name
        data["status"] = state.status
        data["scheduledFor"] = (
            utc_z(state.scheduled_for, milliseconds=True) if state.scheduled_for else None
        )
        data["sentAt"] = utc_z(state.sent_at, milliseconds=True) if state.sent_at else None
        data["createdAt"] = utc_z(state.created_at, milliseconds=True)
        data["updatedAt"] = utc_z(state.updated_at, milliseconds=True)
        answer["message"] = message
        return httpx.Response(200, json=answer)
