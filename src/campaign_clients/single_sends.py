"""SendGrid Single Sends: send now, schedule, unschedule and read a Single Send of the
new Marketing Campaigns (`/v3/marketing/singlesends/{id}`), through a SendGrid client.

`SendGrid(...).single_sends` and `AsyncSendGrid(...).single_sends` use their client's
connections, key, region, timeouts, deadline, retries, settling and `on_behalf_of`
default: no second pool, no second configuration.

Never twice without a provider guard: SendGrid documents no refusal of a schedule of
a Single Send that is already scheduled or sent, so `send_now` and `schedule` read the
Single Send first (one GET) and act only on a `draft`. A `triggered` one raises
`AlreadySentError`; one scheduled for the very instant asked is already what
`schedule` wants and is returned as it is; any other state raises
`CampaignStateError`. Nothing is sent in those cases.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sendgrid_client.api.single_sends import (
    get_single_send,
    schedule_single_send,
    unschedule_single_send,
)
from sendgrid_client.models import (
    SingleSend,
    SingleSendScheduleRequest,
    SingleSendScheduleResponse,
    SingleSendUnscheduleResponse,
)
from sendgrid_client.types import UNSET, Unset

from . import _launch as _launch_reads
from . import _settlement, _tracing
from ._calls import Call, Operation
from ._constants import SENDGRID
from ._schema import parse_model
from ._settlement import Attempt, Settlement
from ._validation import check_aware, check_since, check_uuid_id, utc_z
from .errors import CampaignClientError

if TYPE_CHECKING:
    from ._base import SettlementPlan

__all__ = ["AsyncSingleSends", "SingleSends"]

T = TypeVar("T")

# Each operation's safety class (repeatable, settles) comes from the spec.
SCHEDULE = Operation(SENDGRID, "scheduleSingleSend", SingleSendScheduleResponse.from_dict)
UNSCHEDULE = Operation(SENDGRID, "unscheduleSingleSend", SingleSendUnscheduleResponse.from_dict)
GET = Operation(SENDGRID, "getSingleSend", SingleSend.from_dict)
OPERATIONS = frozenset({SCHEDULE.name, UNSCHEDULE.name, GET.name})
"""The Single Sends operationIds: the SendGrid client settles their attempts here."""

Launch = Generator[Call[Any], Any, SingleSendScheduleResponse]
"""A send or schedule: yields the read, then (when it may) the schedule call; is sent
each result or the `CampaignClientError` it raised."""


class _Parent(Protocol):
    """What the Single Sends take from their SendGrid client."""

    def _obo(self, on_behalf_of: str | None) -> str | Unset: ...

    def _span(self, operation: str, campaign_id: object) -> _tracing.Traced: ...


class _SyncParent(_Parent, Protocol):
    def _request(self, call: Call[T]) -> T: ...

    def _run(self, plan: Generator[Call[Any], Any, T]) -> T: ...


class _AsyncParent(_Parent, Protocol):
    async def _request(self, call: Call[T]) -> T: ...

    async def _run(self, plan: Generator[Call[Any], Any, T]) -> T: ...


# -- the calls ---------------------------------------------------------------------------


def _recorded(on_behalf_of: str | Unset) -> str | None:
    return None if isinstance(on_behalf_of, Unset) else on_behalf_of


def get_call(single_send_id: uuid.UUID, on_behalf_of: str | Unset) -> Call[SingleSend]:
    kwargs = get_single_send._get_kwargs(single_send_id, on_behalf_of=on_behalf_of)
    return Call(GET, kwargs, campaign_id=str(single_send_id))


def _unschedule_call(
    parent: _Parent, single_send_id: object, obo: str | None
) -> Call[SingleSendUnscheduleResponse]:
    ident, on_behalf_of = check_uuid_id(single_send_id), parent._obo(obo)
    kwargs = unschedule_single_send._get_kwargs(ident, on_behalf_of=on_behalf_of)
    recorded = _recorded(on_behalf_of)
    return Call(UNSCHEDULE, kwargs, campaign_id=str(ident), on_behalf_of=recorded)


def _get(parent: _Parent, single_send_id: object, obo: str | None) -> Call[SingleSend]:
    return get_call(check_uuid_id(single_send_id), parent._obo(obo))


def _when(at: object) -> datetime.datetime:
    """The instant asked for, in UTC whole seconds (as SendGrid takes it)."""
    return check_aware(at).replace(microsecond=0)


def _launch(
    ident: uuid.UUID,
    on_behalf_of: str | Unset,
    when: datetime.datetime | None,
    since: datetime.datetime | None,
) -> Launch:
    """Send now (`when` None) or schedule for `when`, after a read proves it may."""
    send_at = SingleSendScheduleRequest(send_at="now" if when is None else when)
    kwargs = schedule_single_send._get_kwargs(ident, body=send_at, on_behalf_of=on_behalf_of)
    if when is not None:
        kwargs["json"]["send_at"] = utc_z(when)  # the documented yyyy-MM-ddTHH:mm:ssZ
    put = Call(
        SCHEDULE,
        kwargs,
        campaign_id=str(ident),
        at=when,
        on_behalf_of=_recorded(on_behalf_of),
        settles="send" if when is None else "schedule",
        since=since,
    )
    began = time.time()
    read = yield get_call(ident, on_behalf_of)
    if isinstance(read, CampaignClientError):
        raise _launch_reads.unread(read, put, began)
    done = _guard(put, read, began)
    if done is not None:
        return done
    answer = yield put
    if isinstance(answer, CampaignClientError):
        raise answer
    result: SingleSendScheduleResponse = answer
    return result


def _same_second(read: datetime.datetime, asked: datetime.datetime | None) -> bool:
    return asked is not None and read.astimezone(datetime.UTC).replace(microsecond=0) == asked


def _guard(
    put: Call[SingleSendScheduleResponse], read: SingleSend, began: float
) -> SingleSendScheduleResponse | None:
    """None when the Single Send read may be sent or scheduled (a draft); the result
    when the schedule asked for already holds, or (with `since=`) when this launch's
    send or schedule was made; else the error to raise, nothing sent."""
    status = read.status if isinstance(read.status, str) else None
    send_at = read.send_at if isinstance(read.send_at, datetime.datetime) else None
    when = put.asked[1]
    if status == "draft":
        return None
    since = None
    if put.since is not None:  # the settlement rules judge it for the launch
        since = _settlement.single_send(_launch_reads.attempt(put, began), read.to_dict())
        if since.outcome == "applied":
            _launch_reads.already(put, since)
            return settled_result(put, since)
    shown = "?" if send_at is None else utc_z(send_at, milliseconds=True)
    if status == "scheduled" and send_at is not None and _same_second(send_at, when):
        answer = {"send_at": utc_z(send_at), "status": status}
        return parse_model(SingleSendScheduleResponse.from_dict, answer)
    what = f"Single Send {put.asked[0]}"
    if status == "triggered":
        message = f"{what} was already sent (triggered, send_at {shown}); not sent again"
    elif status == "scheduled":
        message = f"{what} is scheduled for {shown}; unschedule it first to send it at another time"
    else:
        message = (
            f"{what} has status {status!r}, which the client does not know; it may have been sent"
        )
    found = Settlement(
        "not_applied",
        f"the read before it found status {status!r}; no request was made",
        status,
        {"single_send": read.to_dict()},
    )
    if since is not None and since.outcome == "unknown":
        found = since
    if status != "triggered":
        message += "; not sent"
    raise _launch_reads.refused(put, began, message, found, sent=status == "triggered")


# -- settling ----------------------------------------------------------------------------


def settle_plan(attempt: Attempt) -> SettlementPlan:
    """Read the Single Send an attempt was about, and judge it (`_settlement.single_send`)."""
    obo = UNSET if attempt.on_behalf_of is None else attempt.on_behalf_of
    read = yield get_call(uuid.UUID(str(attempt.campaign_id)), obo)
    if isinstance(read, CampaignClientError):
        return _settlement.unreadable(read)
    return _settlement.single_send(attempt, read.to_dict())


def settled_result(call: Call[T], settlement: Settlement) -> T:
    """The answer an applied send, schedule or unschedule stands for, from what was read."""
    single = settlement.state["single_send"]
    assert call.operation.parse is not None
    return parse_model(
        call.operation.parse, {"send_at": single.get("send_at"), "status": single["status"]}
    )


# -- the facades -------------------------------------------------------------------------


class SingleSends:
    """The Single Sends of a `SendGrid` client: `client.single_sends`.

    Ids are `uuid.UUID`s or their 8-4-4-4-12 hex strings (either case; sent in
    lowercase). Each call's `on_behalf_of=` overrides the client's default.
    """

    __slots__ = ("_client",)

    def __init__(self, client: _SyncParent) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"SingleSends({self._client!r})"

    def send_now(
        self,
        single_send_id: uuid.UUID | str,
        *,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SingleSendScheduleResponse:
        """Send a draft Single Send now (`send_at: "now"`), after reading that it is one.

        `since`: when the launch began (timezone-aware); a send made since then by an
        earlier try of it is returned as this call's result, not sent again."""
        return self._drive(single_send_id, on_behalf_of, None, since)

    def schedule(
        self,
        single_send_id: uuid.UUID | str,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SingleSendScheduleResponse:
        """Schedule a draft Single Send for `at` (timezone-aware; whole seconds).

        `since`: when the launch began; its schedule, made or already sent at `at`, is
        returned as this call's result, not made again."""
        return self._drive(single_send_id, on_behalf_of, _when(at), since)

    def unschedule(
        self, single_send_id: uuid.UUID | str, *, on_behalf_of: str | None = None
    ) -> SingleSendUnscheduleResponse:
        """Cancel a Single Send's schedule; it stays, as a draft."""
        return self._client._request(_unschedule_call(self._client, single_send_id, on_behalf_of))

    def get(
        self, single_send_id: uuid.UUID | str, *, on_behalf_of: str | None = None
    ) -> SingleSend:
        """Read the Single Send, with its `status` and `send_at`."""
        return self._client._request(_get(self._client, single_send_id, on_behalf_of))

    def _drive(
        self,
        single_send_id: object,
        obo: str | None,
        when: datetime.datetime | None,
        since: object,
    ) -> SingleSendScheduleResponse:
        """The launch, on the client's own driver of a sequence of calls: one span."""
        ident, on_behalf_of = check_uuid_id(single_send_id), self._client._obo(obo)
        began = check_since(since)
        with self._client._span(SCHEDULE.name, ident):
            return self._client._run(_launch(ident, on_behalf_of, when, began))


class AsyncSingleSends:
    """The async twin of `SingleSends`: `AsyncSendGrid(...).single_sends`."""

    __slots__ = ("_client",)

    def __init__(self, client: _AsyncParent) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"AsyncSingleSends({self._client!r})"

    async def send_now(
        self,
        single_send_id: uuid.UUID | str,
        *,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SingleSendScheduleResponse:
        """Send a draft Single Send now (`send_at: "now"`), after reading that it is one.

        `since`: when the launch began (timezone-aware); a send made since then by an
        earlier try of it is returned as this call's result, not sent again."""
        return await self._drive(single_send_id, on_behalf_of, None, since)

    async def schedule(
        self,
        single_send_id: uuid.UUID | str,
        *,
        at: datetime.datetime,
        on_behalf_of: str | None = None,
        since: datetime.datetime | None = None,
    ) -> SingleSendScheduleResponse:
        """Schedule a draft Single Send for `at` (timezone-aware; whole seconds).

        `since`: when the launch began; its schedule, made or already sent at `at`, is
        returned as this call's result, not made again."""
        return await self._drive(single_send_id, on_behalf_of, _when(at), since)

    async def unschedule(
        self, single_send_id: uuid.UUID | str, *, on_behalf_of: str | None = None
    ) -> SingleSendUnscheduleResponse:
        """Cancel a Single Send's schedule; it stays, as a draft."""
        call = _unschedule_call(self._client, single_send_id, on_behalf_of)
        return await self._client._request(call)

    async def get(
        self, single_send_id: uuid.UUID | str, *, on_behalf_of: str | None = None
    ) -> SingleSend:
        """Read the Single Send, with its `status` and `send_at`."""
        return await self._client._request(_get(self._client, single_send_id, on_behalf_of))

    async def _drive(
        self,
        single_send_id: object,
        obo: str | None,
        when: datetime.datetime | None,
        since: object,
    ) -> SingleSendScheduleResponse:
        """The launch, on the client's own driver of a sequence of calls: one span."""
        ident, on_behalf_of = check_uuid_id(single_send_id), self._client._obo(obo)
        began = check_since(since)
        with self._client._span(SCHEDULE.name, ident):
            return await self._client._run(_launch(ident, on_behalf_of, when, began))
