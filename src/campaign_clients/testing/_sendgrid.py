"""A fake SendGrid API: legacy Marketing Campaigns' schedules and Single Sends, for
testing code that sends campaigns."""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, cast, get_args

import httpx

from .. import _spec_examples
from .._constants import DEFAULT_SENDGRID_REGION, SENDGRID_REGIONS
from ..errors import reason_phrase
from . import _single_sends
from ._core import FakeAPI
from ._models import Route, SendGridCampaign, SendGridStatus, SingleSend, SingleSendStatus
from ._request_schema import Violation

DEFAULT_SENDGRID_KEY = "SG.campaign-clients-fake.test-key"
"""The key a `FakeSendGrid` accepts unless it is given another one."""

_STARTED: tuple[SendGridStatus, ...] = ("Sent", "In Progress", "Paused", "Canceled")


@dataclass
class _SendGridState:
    id: int
    status: SendGridStatus
    send_at: int | None
    on_behalf_of: str | None
    sent_at: int | None  # unix seconds: when its send started


def _unix(name: str, value: int | datetime | None) -> int | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware")
        return int(value.timestamp())
    return value


class FakeSendGrid(FakeAPI):
    """A fake SendGrid API: legacy Marketing Campaigns (a campaign's schedule and its
    siblings) and Single Sends.

    Operations (spec operationIds): ``sendCampaignNow`` (POST .../schedules/now),
    ``scheduleCampaign`` (POST .../schedules), ``rescheduleCampaign`` (PATCH),
    ``getCampaignSchedule`` (GET), ``unscheduleCampaign`` (DELETE), ``getCampaign``
    (GET /v3/campaigns/{campaign_id}) and ``sendTestCampaign`` (POST .../schedules/test).

    States: ``Draft``, ``Scheduled``, ``Sent``, ``In Progress``, ``Paused``, ``Canceled``; a
    new campaign is ``Draft``, and the fake itself only moves between the first three (add
    a campaign in another). Send now answers 201 ``{id, status: "Scheduled"}`` (the spec's
    example) and makes it ``Sent``, remembering when (``sent_at``); schedule answers 201 and
    makes it ``Scheduled``; reschedule (only when ``Scheduled``) answers 200; unschedule
    returns a ``Scheduled`` campaign to ``Draft`` with 204. Refusals are the spec's 403
    examples: send now when not a draft ("You may only send a campaign when it is in draft
    mode."), schedule when not a draft, reschedule when not scheduled, unschedule once a
    send started ("This campaign is already In Progress."). Get answers 200 with the spec's
    example campaign carrying this campaign's ``id`` and ``status``, in any state. A test
    send needs a JSON object with an address in ``to`` (else 400 naming ``to``) and answers
    201 ``{to}`` in any state, changing nothing. Choices the docs leave open: viewing or
    unscheduling the schedule of a ``Draft`` answers the spec's 404 ``not found``; a
    ``send_at`` that is not a future Unix time answers 400 (the spec's ``ErrorItem`` example
    message). A campaign belongs to the account named by ``on_behalf_of`` (None: the parent
    account), so a request with another ``on-behalf-of`` header gets 404. An unknown id
    answers 404 and a missing or other key 401, for every operation. First the key (401),
    then the method (405 with ``Allow`` for one the spec does not have on the path), then
    the request against the operation's schema in the spec (a body that is not the
    documented object, a ``send_at`` that is not an int64, a ``to`` that is not an
    address: the operation's 400 naming the field), then the campaign (404). Faults
    (`fail_next`, `stall_next`, `reset_next`) may target any operation, reads included.

    Single Sends (``add_single_send``; ids are UUIDs): ``scheduleSingleSend`` (PUT
    /v3/marketing/singlesends/{id}/schedule), ``unscheduleSingleSend`` (DELETE, the same
    path) and ``getSingleSend`` (GET /v3/marketing/singlesends/{id}). States ``draft``,
    ``scheduled``, ``triggered``. A schedule body ``{"send_at": "now"}`` triggers the send
    (``send_at`` becomes the fake's now); a future ISO 8601 time with a zone schedules it
    (a draft, or a scheduled one anew); both answer 201 ``{send_at, status: "scheduled"}``
    (the spec's example with this ``send_at``) and count as applied sends. Any other
    ``send_at`` (a past time, no zone, not a string, no body) is the spec's 400, which
    names ``send_at``. The spec
    documents no refusal of a second schedule, and the fake refuses one of a ``triggered``
    Single Send with 403 (`ALREADY_TRIGGERED`) unless ``accept_second_schedule`` is true:
    then it is sent again, as a server that guards nothing would. Unschedule answers 200
    ``{send_at, status}`` with the state after it: a ``scheduled`` one goes back to
    ``draft`` (``send_at`` null), a draft or a triggered one is left as it is. Get answers
    200 with the spec's example carrying this ``id``, ``status`` and ``send_at``. The fake
    never triggers a scheduled Single Send by itself (add one as ``triggered`` for that).
    `sends`, `applied_sends`, `count` and every fault work for Single Sends as for
    campaigns, with the id as a ``uuid.UUID`` or its string.
    """

    _provider = "sendgrid"
    _default_operation = "sendCampaignNow"
    _send_operations = frozenset({"sendCampaignNow", "scheduleCampaign", _single_sends.SCHEDULE})
    _default_base_url = SENDGRID_REGIONS[DEFAULT_SENDGRID_REGION]

    ALREADY_TRIGGERED: ClassVar[str] = _single_sends.ALREADY_TRIGGERED
    """The message of the 403 that refuses a second schedule of a triggered Single Send."""

    def __init__(
        self,
        api_key: str = DEFAULT_SENDGRID_KEY,
        *,
        base_url: str | None = None,
        accept_second_schedule: bool = False,
    ) -> None:
        super().__init__(api_key, base_url=base_url)
        self._campaigns: dict[tuple[str | None, int], _SendGridState] = {}
        self._single_sends = _single_sends.SingleSends()
        self.accept_second_schedule: bool = accept_second_schedule
        """True: a schedule of a ``triggered`` Single Send is accepted and sent again (the
        published spec documents no refusal); False (the default): refused with 403."""

    def add_campaign(
        self,
        campaign_id: int,
        *,
        status: SendGridStatus = "Draft",
        send_at: int | datetime | None = None,
        on_behalf_of: str | None = None,
        sent_at: int | datetime | None = None,
    ) -> SendGridCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        ``on_behalf_of`` puts it in a subuser's account: only requests with that
        ``on-behalf-of`` header see it. A ``Scheduled`` campaign without ``send_at`` is
        scheduled a day from now. ``sent_at`` (Unix seconds or a timezone-aware datetime) is
        when its send started, such as long ago; by default now for ``Sent``, ``In
        Progress``, ``Paused`` and ``Canceled``, else None.
        """
        if isinstance(campaign_id, bool) or not isinstance(campaign_id, int) or campaign_id < 1:
            raise ValueError("a SendGrid campaign id is a positive int")
        if status not in get_args(SendGridStatus):
            raise ValueError(f"status must be one of {get_args(SendGridStatus)}, not {status!r}")
        send_at, sent_at = _unix("send_at", send_at), _unix("sent_at", sent_at)
        if status == "Scheduled" and send_at is None:
            send_at = int(time.time()) + 86400
        if status in _STARTED and sent_at is None:
            sent_at = int(time.time())
        with self._lock:
            key = (on_behalf_of, campaign_id)
            if key in self._campaigns:
                raise ValueError(f"campaign {campaign_id} already exists")
            state = _SendGridState(campaign_id, status, send_at, on_behalf_of, sent_at)
            self._campaigns[key] = state
            return self._snapshot(state)

    def campaign(self, campaign_id: int, *, on_behalf_of: str | None = None) -> SendGridCampaign:
        """The campaign's current state (KeyError if there is no such campaign)."""
        with self._lock:
            return self._snapshot(self._campaigns[(on_behalf_of, campaign_id)])

    def add_single_send(
        self,
        single_send_id: uuid.UUID | str,
        *,
        status: SingleSendStatus = "draft",
        send_at: datetime | None = None,
        on_behalf_of: str | None = None,
    ) -> SingleSend:
        """Create a Single Send (a draft unless ``status`` says otherwise) and return it.

        ``single_send_id`` is a ``uuid.UUID`` or its 8-4-4-4-12 hex string. ``send_at`` (a
        timezone-aware datetime): when a ``scheduled`` one is due (default: a day from
        now) or a ``triggered`` one was sent (default: now; give a time long ago for one
        sent before the code under test ran); a draft may carry one too, as a Single Send
        created with ``send_at`` does (it is not sent until scheduled). ``on_behalf_of``
        puts it in a subuser's account, as for `add_campaign`.
        """
        with self._lock:
            return self._single_sends.add(single_send_id, status, send_at, on_behalf_of)

    def single_send(
        self, single_send_id: uuid.UUID | str, *, on_behalf_of: str | None = None
    ) -> SingleSend:
        """The Single Send's current state (KeyError if there is no such Single Send)."""
        with self._lock:
            return self._single_sends.snapshot(single_send_id, on_behalf_of)

    @staticmethod
    def _snapshot(state: _SendGridState) -> SendGridCampaign:
        return SendGridCampaign(
            state.id, state.status, state.send_at, state.on_behalf_of, state.sent_at
        )

    # ------------------------------------------------------------------ hooks

    def _campaign_count(self) -> int:
        return len(self._campaigns) + len(self._single_sends)

    def _campaign_id(self, segment: str) -> int | str | None:
        """A legacy campaign's int, or a Single Send's UUID (lower case)."""
        if segment.isascii() and segment.isdigit():
            return int(segment) if int(segment) >= 1 else None
        return _single_sends.single_send_id(segment)

    def _id_key(self, campaign_id: str | int | uuid.UUID) -> str | int:
        return _single_sends.single_send_id(campaign_id) or super()._id_key(campaign_id)

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

    def _bad_field(self, operation: str, field: str | None, message: str) -> httpx.Response:
        body = self._error_body(400, operation, None)
        body["errors"] = [{"field": field, "message": message}]
        return httpx.Response(400, json=body)

    def _send_at(self, operation: str, body: dict[str, Any]) -> int | httpx.Response:
        """The body's ``send_at`` (the schema check made sure of an int64), or the 400
        for one that is not in the future."""
        send_at: int = body["send_at"]
        if send_at <= time.time():
            # The spec's ErrorItem example message.
            return self._bad_field(
                operation, "send_at", "Please choose a future time for sending your campaign."
            )
        return send_at

    def _refuse(self, operation: str, broken: Violation) -> httpx.Response:
        """The operation's documented 400 as it is when it names this field (SendGrid's
        own words for it, as Single Sends' send_at), else with one error naming it."""
        documented = self._error_body(400, operation, None)
        if [error.get("field") for error in documented["errors"]] == [broken.field]:
            return httpx.Response(400, json=documented)
        return self._bad_field(operation, broken.field, broken.message)

    def _act(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        operation = cast(str, route.operation)
        account = request.headers.get("on-behalf-of")
        if operation in _single_sends.OPERATIONS:
            return self._act_single_send(operation, account, route.campaign_id, ok, body)
        state = self._campaigns.get((account, cast(int, route.campaign_id)))
        if state is None:
            return self._error(404, operation)
        actions: dict[str, Callable[[str, _SendGridState, bool, Any], httpx.Response]] = {
            "sendCampaignNow": self._send_now,
            "scheduleCampaign": self._schedule,
            "rescheduleCampaign": self._schedule,
            "getCampaignSchedule": self._get_schedule,
            "unscheduleCampaign": self._unschedule,
            "getCampaign": self._get,
            "sendTestCampaign": self._send_test,
        }
        return actions[operation](operation, state, ok, body)

    # ------------------------------------------------------------------ operations

    def _send_now(
        self, operation: str, state: _SendGridState, ok: bool, body: Any
    ) -> httpx.Response:
        if state.status != "Draft":
            return self._error(403, operation)
        state.status = "Sent"
        state.send_at = state.sent_at = int(time.time())
        return self._answer(operation, 201, id=state.id)

    def _schedule(
        self, operation: str, state: _SendGridState, ok: bool, body: Any
    ) -> httpx.Response:
        """scheduleCampaign (a Draft, 201) or rescheduleCampaign (a Scheduled one, 200)."""
        send_at = self._send_at(operation, body)
        if isinstance(send_at, httpx.Response):
            return send_at
        wanted = "Draft" if operation == "scheduleCampaign" else "Scheduled"
        if state.status != wanted:
            return self._error(403, operation)
        state.status, state.send_at = "Scheduled", send_at
        code = 201 if operation == "scheduleCampaign" else 200
        return self._answer(operation, code, id=state.id, send_at=send_at, status="Scheduled")

    def _get_schedule(
        self, operation: str, state: _SendGridState, ok: bool, body: Any
    ) -> httpx.Response:
        if state.status != "Scheduled":
            return self._error(404, operation)
        return self._answer(operation, 200, send_at=state.send_at)

    def _unschedule(
        self, operation: str, state: _SendGridState, ok: bool, body: Any
    ) -> httpx.Response:
        if state.status == "Draft":
            return self._error(404, operation)
        if state.status != "Scheduled":  # a send has started
            return self._error(403, operation)
        state.status, state.send_at = "Draft", None
        return httpx.Response(204)

    def _get(self, operation: str, state: _SendGridState, ok: bool, body: Any) -> httpx.Response:
        return self._answer(operation, 200, id=state.id, status=state.status)

    def _send_test(
        self, operation: str, state: _SendGridState, ok: bool, body: Any
    ) -> httpx.Response:
        """201 ``{to}``: the schema check made sure of an object with an address."""
        return self._answer(operation, 201, to=body["to"])

    def _act_single_send(
        self, operation: str, account: str | None, single_send_id: object, ok: bool, body: Any
    ) -> httpx.Response:
        try:
            code, fields = self._single_sends.act(
                operation,
                account,
                single_send_id,
                ok,
                body,
                accept_second_schedule=self.accept_second_schedule,
            )
        except _single_sends.Refusal as refusal:
            return self._error(refusal.status, operation, refusal.message)
        return self._answer(operation, code, **fields)

    @staticmethod
    def _answer(operation: str, code: int, /, **fields: Any) -> httpx.Response:
        """The spec's example ``code`` answer of the operation with these fields set."""
        answer = _spec_examples.response("sendgrid", operation, str(code))
        answer.update(fields)
        return httpx.Response(code, json=answer)
