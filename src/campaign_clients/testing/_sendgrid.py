"""A fake SendGrid legacy Marketing Campaigns schedules API, for testing code that
sends campaigns."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast, get_args

import httpx

from .. import _spec_examples
from .._constants import DEFAULT_SENDGRID_REGION, SENDGRID_REGIONS
from ..errors import reason_phrase
from ._core import FakeAPI
from ._models import Route, SendGridCampaign, SendGridStatus

DEFAULT_SENDGRID_KEY = "SG.campaign-clients-fake.test-key"
"""The key a `FakeSendGrid` accepts unless it is given another one."""


@dataclass
class _SendGridState:
    id: int
    status: SendGridStatus
    send_at: int | None
    on_behalf_of: str | None


class FakeSendGrid(FakeAPI):
    """A fake SendGrid legacy Marketing Campaigns schedules API.

    Operations (spec operationIds): ``sendCampaignNow`` (POST .../schedules/now),
    ``scheduleCampaign`` (POST .../schedules), ``rescheduleCampaign`` (PATCH),
    ``getCampaignSchedule`` (GET) and ``unscheduleCampaign`` (DELETE).

    States: a new campaign is ``Draft``. Send now answers 201 ``{id, status: "Scheduled"}``
    (the spec's example) and makes it ``Sent``; schedule answers 201 and makes it
    ``Scheduled``; reschedule (only when ``Scheduled``) answers 200; unschedule returns a
    ``Scheduled`` campaign to ``Draft`` with 204. Refusals are the spec's 403 examples: send
    now when not a draft ("You may only send a campaign when it is in draft mode."),
    schedule when not a draft, reschedule when not scheduled, unschedule when ``Sent``
    ("This campaign is already In Progress."). Choices the docs leave open: viewing or
    unscheduling the schedule of a ``Draft`` answers the spec's 404 ``not found``; a
    ``send_at`` that is not a future Unix time answers 400 (the spec's ``ErrorItem`` example
    message). A campaign belongs to the account named by ``on_behalf_of`` (None: the parent
    account), so a request with another ``on-behalf-of`` header gets 404. An unknown id
    answers 404 and a missing or other key 401.
    """

    _provider = "sendgrid"
    _default_operation = "sendCampaignNow"
    _send_operations = frozenset({"sendCampaignNow", "scheduleCampaign"})
    _default_base_url = SENDGRID_REGIONS[DEFAULT_SENDGRID_REGION]

    def __init__(self, api_key: str = DEFAULT_SENDGRID_KEY, *, base_url: str | None = None) -> None:
        super().__init__(api_key, base_url=base_url)
        self._campaigns: dict[tuple[str | None, int], _SendGridState] = {}

    def add_campaign(
        self,
        campaign_id: int,
        *,
        status: SendGridStatus = "Draft",
        send_at: int | datetime | None = None,
        on_behalf_of: str | None = None,
    ) -> SendGridCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        ``on_behalf_of`` puts it in a subuser's account: only requests with that
        ``on-behalf-of`` header see it. A ``Scheduled`` campaign without ``send_at`` is
        scheduled a day from now.
        """
        if isinstance(campaign_id, bool) or not isinstance(campaign_id, int) or campaign_id < 1:
            raise ValueError("a SendGrid campaign id is a positive int")
        if status not in get_args(SendGridStatus):
            raise ValueError(f"status must be one of {get_args(SendGridStatus)}, not {status!r}")
        if isinstance(send_at, datetime):
            if send_at.tzinfo is None:
                raise ValueError("send_at must be timezone-aware")
            send_at = int(send_at.timestamp())
        if status == "Scheduled" and send_at is None:
            send_at = int(time.time()) + 86400
        with self._lock:
            key = (on_behalf_of, campaign_id)
            if key in self._campaigns:
                raise ValueError(f"campaign {campaign_id} already exists")
            state = _SendGridState(campaign_id, status, send_at, on_behalf_of)
            self._campaigns[key] = state
            return self._snapshot(state)

    def campaign(self, campaign_id: int, *, on_behalf_of: str | None = None) -> SendGridCampaign:
        """The campaign's current state (KeyError if there is no such campaign)."""
        with self._lock:
            return self._snapshot(self._campaigns[(on_behalf_of, campaign_id)])

    @staticmethod
    def _snapshot(state: _SendGridState) -> SendGridCampaign:
        return SendGridCampaign(state.id, state.status, state.send_at, state.on_behalf_of)

    # ------------------------------------------------------------------ hooks

    def _campaign_count(self) -> int:
        return len(self._campaigns)

    def _campaign_id(self, segment: str) -> int | None:
        if not (segment.isascii() and segment.isdigit()) or int(segment) < 1:
            return None
        return int(segment)

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        if self._bearer(request) != self._api_key:
            return self._error(401, operation)
        return None

    def _error_body(self, status: int, operation: str | None, message: str | None) -> Any:
        documented = self._examples(operation).get(str(status))
        if documented is not None:
            body = copy.deepcopy(documented)
        else:  # not documented: SendGrid's error shape with the status's phrase
            body = {"errors": [{"field": None, "message": reason_phrase(status, "Error").lower()}]}
        if message is not None:
            body["errors"] = [{"field": None, "message": message}]
        return body

    def _bad_send_at(self, operation: str, message: str) -> httpx.Response:
        body = self._error_body(400, operation, None)
        body["errors"] = [{"field": "send_at", "message": message}]
        return httpx.Response(400, json=body)

    def _send_at(self, operation: str, ok: bool, body: Any) -> int | httpx.Response:
        if not ok or not isinstance(body, dict):
            return self._bad_send_at(operation, "The request body must be a JSON object.")
        send_at = body.get("send_at")
        if isinstance(send_at, bool) or not isinstance(send_at, int):
            return self._bad_send_at(operation, "send_at must be a Unix timestamp (integer).")
        if send_at <= time.time():
            # The spec's ErrorItem example message.
            return self._bad_send_at(
                operation, "Please choose a future time for sending your campaign."
            )
        return send_at

    def _act(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        operation = cast(str, route.operation)
        account = request.headers.get("on-behalf-of")
        state = self._campaigns.get((account, cast(int, route.campaign_id)))
        if state is None:
            return self._error(404, operation)

        if operation == "sendCampaignNow":
            if state.status != "Draft":
                return self._error(403, operation)
            state.status, state.send_at = "Sent", int(time.time())
            answer = _spec_examples.response("sendgrid", operation, "201")
            answer["id"] = state.id
            return httpx.Response(201, json=answer)

        if operation in ("scheduleCampaign", "rescheduleCampaign"):
            send_at = self._send_at(operation, ok, body)
            if isinstance(send_at, httpx.Response):
                return send_at
            wanted = "Draft" if operation == "scheduleCampaign" else "Scheduled"
            if state.status != wanted:
                return self._error(403, operation)
            state.status, state.send_at = "Scheduled", send_at
            code = "201" if operation == "scheduleCampaign" else "200"
            answer = _spec_examples.response("sendgrid", operation, code)
            answer.update(id=state.id, send_at=send_at, status="Scheduled")
            return httpx.Response(int(code), json=answer)

        if operation == "getCampaignSchedule":
            if state.status != "Scheduled":
                return self._error(404, operation)
            answer = _spec_examples.response("sendgrid", operation, "200")
            answer["send_at"] = state.send_at
            return httpx.Response(200, json=answer)

        # unscheduleCampaign
        if state.status == "Sent":
            return self._error(403, operation)
        if state.status == "Draft":
            return self._error(404, operation)
        state.status, state.send_at = "Draft", None
        return httpx.Response(204)
