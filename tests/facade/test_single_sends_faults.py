"""Single Sends under faults over real HTTP on 127.0.0.1, with settlement on: `send_now`,
`schedule` and `unschedule` end as a success applied exactly once, a definite error with
nothing sent, or `outcome_unknown=True` only when the Single Send could not be read.

The server is campaign_clients.testing's FakeSendGrid (`fake.serve()`), each case on the
sync and the async client. The faults hit the acting call itself (the PUT or DELETE
``.../schedule``), never the read that precedes a send: 500, 503, 520 and a reset, each
before and after the fake acted; a stall after acting; a read that fails after the send
acted; and a Single Send already ``triggered`` before the call, against a fake that
refuses a second schedule and one that accepts it. Each asserts the result or the exact
error, `outcome_unknown`, the settlement's outcome (on the error, or from the WARNING a
settled success logs) and the fake's own counts: never more than one send applied.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from faults_support import LATER, LONG_AGO, Served, settled_outcome
from support import example, invoke

from campaign_clients import (
    AlreadySentError,
    APIConnectionError,
    APITimeoutError,
    CampaignClientError,
    ServerError,
)
from campaign_clients.testing import FakeSendGrid

pytestmark = pytest.mark.anyio

ID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
SCHEDULE, UNSCHEDULE, GET = "scheduleSingleSend", "unscheduleSingleSend", "getSingleSend"


class ServedSingleSend(Served):
    """`Served` for one Single Send: its calls go to `client.single_sends`."""

    def __init__(self, flavor: str, fake: FakeSendGrid, base_url: str) -> None:
        super().__init__("sendgrid", flavor, fake, base_url)
        self.campaign_id, self.send_operation = ID, SCHEDULE

    @property
    def target(self) -> Any:
        return self.client.single_sends

    def add_campaign(self, **state: Any) -> None:
        self.fake.add_single_send(ID, **state)

    def count(self, operation: str) -> int:
        return int(self.fake.count(operation, campaign_id=ID))

    def state(self) -> tuple[str, dt.datetime | None]:
        single_send = self.fake.single_send(ID)
        return single_send.status, single_send.send_at


@pytest.fixture(params=[False, True], ids=["refusing", "accepting"])
def accept_second_schedule(request: pytest.FixtureRequest) -> bool:
    """A fake that refuses a second schedule of a triggered Single Send, and one that
    accepts it (as the published spec allows)."""
    return bool(request.param)


@pytest.fixture
def served(flavor: str, no_sleep: list[float]) -> Iterator[ServedSingleSend]:
    fake = FakeSendGrid()
    with fake.serve() as base_url:
        yield ServedSingleSend(flavor, fake, base_url)


def to_ms(at: dt.datetime | None) -> dt.datetime | None:
    """An instant as the fake writes it: to the millisecond."""
    return None if at is None else at.replace(microsecond=at.microsecond // 1000 * 1000)


# The calls: method -> (its keyword arguments, the acting operation).
CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "send_now": ({}, SCHEDULE),
    "schedule": ({"at": LATER}, SCHEDULE),
    "unschedule": ({}, UNSCHEDULE),
}
LAUNCHES = ("send_now", "schedule")

Inject = Callable[[FakeSendGrid, str], None]
# fault -> (inject it into the acting operation, did the fake act before it)
FAULTS: dict[str, tuple[Inject, bool]] = {
    **{
        f"{status}-{when}-acting": (
            lambda fake, op, status=status, acted=acted: fake.fail_next(
                status, operation=op, after_acting=acted
            ),
            acted,
        )
        for status in (500, 503, 520)
        for when, acted in (("before", False), ("after", True))
    },
    "reset-before-acting": (lambda f, op: f.reset_next(operation=op, after_acting=False), False),
    "reset-after-acting": (lambda f, op: f.reset_next(operation=op), True),
    "stall-after-acting": (lambda f, op: f.stall_next(operation=op), True),
}


# ---------------------------------------------------------------- send now and schedule


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("method", LAUNCHES)
async def test_a_faulted_launch_is_settled_and_applied_once(
    served: ServedSingleSend, caplog: pytest.LogCaptureFixture, method: str, fault: str
) -> None:
    kwargs, operation = CALLS[method]
    inject, acted = FAULTS[fault]
    served.add_campaign()
    inject(served.fake, operation)

    with caplog.at_level(logging.WARNING, logger="campaign_clients"):
        result = await served.call(method, **kwargs)
    await served.close()

    status, send_at = served.state()
    assert settled_outcome(caplog) == ("applied" if acted else "not_applied")
    assert served.counts == ((1, 1) if acted else (2, 1))  # repeated only when not applied
    assert served.count(GET) == 2  # the read before it, and the one that settled it
    if method == "send_now":
        assert status == "triggered"
        # Applied: the result is what was read; repeated: the fake's 201 to the repeat.
        assert result.status == ("triggered" if acted else "scheduled")
        assert result.send_at == to_ms(send_at)
    else:
        assert (status, send_at) == ("scheduled", LATER)
        assert (result.status, result.send_at) == ("scheduled", LATER)


@pytest.mark.parametrize("method", LAUNCHES)
async def test_a_read_that_fails_after_the_send_acted_leaves_the_outcome_unknown(
    served: ServedSingleSend, method: str
) -> None:
    kwargs, operation = CALLS[method]
    served.add_campaign()
    # The read before the send passes (the fake's own draft answer); then the send acts
    # and fails, and every read that would settle it fails too (its own 3 tries).
    draft = example("sendgrid", GET, "200") | {"id": ID, "status": "draft", "send_at": None}
    served.fake.fail_next(200, operation=GET, body=draft)
    served.fake.fail_next(500, operation=operation, after_acting=True)
    served.fake.fail_next(503, operation=GET, times=3)

    with pytest.raises(ServerError) as info:
        await served.call(method, **kwargs)
    await served.close()

    error = info.value
    assert (error.status_code, error.operation) == (500, SCHEDULE)  # the send's own error
    assert error.outcome_unknown is True
    assert error.settlement is not None and error.settlement.outcome == "unknown"
    assert "could not be read" in error.settlement.reason and "HTTP 503" in error.settlement.reason
    assert error.settlement.reason in str(error)
    assert served.count(GET) == 1 + 3
    assert served.counts == (1, 1)
    assert served.state()[0] == ("triggered" if method == "send_now" else "scheduled")


@pytest.mark.parametrize("method", LAUNCHES)
async def test_a_single_send_triggered_before_the_call_is_never_sent_again(
    served: ServedSingleSend, method: str, accept_second_schedule: bool
) -> None:
    kwargs, _ = CALLS[method]
    served.fake.accept_second_schedule = accept_second_schedule
    served.add_campaign(status="triggered", send_at=LONG_AGO)

    with pytest.raises(AlreadySentError) as info:
        await served.call(method, **kwargs)
    await served.close()

    error = info.value
    assert type(error) is AlreadySentError
    assert error.outcome_unknown is False
    assert error.status == "triggered"
    assert error.settlement is not None
    assert (error.settlement.outcome, error.settlement.can_repeat) == ("not_applied", False)
    assert error.attempt is not None and error.attempt.campaign_id == ID
    assert served.counts == (0, 0)  # not even asked: the read said it was sent
    assert [r.operation for r in served.fake.requests] == [GET]
    assert served.state() == ("triggered", LONG_AGO)


# ---------------------------------------------------------------- unschedule


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_faulted_unschedule_is_repeated_and_ends_a_draft(
    served: ServedSingleSend, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    """An unschedule may be repeated whatever happened (a second one changes nothing
    more), so the client repeats it instead of settling it."""
    inject, _ = FAULTS[fault]
    served.add_campaign(status="scheduled", send_at=LATER)
    inject(served.fake, UNSCHEDULE)

    with caplog.at_level(logging.WARNING, logger="campaign_clients"):
        result = await served.call("unschedule")
    await served.close()

    assert (result.status, result.send_at) == ("draft", None)
    assert settled_outcome(caplog) is None  # repeated, not settled
    assert served.count(UNSCHEDULE) == 2
    assert served.count(GET) == 0
    assert served.counts == (0, 0)
    assert served.state() == ("draft", None)


@pytest.mark.parametrize("acted", [True, False], ids=["after-acting", "before-acting"])
async def test_an_unschedule_that_keeps_failing_is_settled_on_request(
    served: ServedSingleSend, acted: bool
) -> None:
    served.add_campaign(status="scheduled", send_at=LATER)
    served.fake.fail_next(503, operation=UNSCHEDULE, times=3, after_acting=acted)
    served.fake.fail_next(503, operation=GET, times=3)

    with pytest.raises(ServerError) as info:
        await served.call("unschedule")
    error = info.value
    assert (error.status_code, error.operation) == (503, UNSCHEDULE)
    assert error.outcome_unknown is True
    assert error.settlement is None  # an unschedule is settled only when asked
    assert served.count(UNSCHEDULE) == 3

    unread = await invoke(served.client.settle, error)  # the read fails: still unknown
    read = await invoke(served.client.settle, error)
    await served.close()

    assert unread.outcome == "unknown" and "could not be read" in unread.reason
    assert read.outcome == ("applied" if acted else "not_applied")
    assert read.status == ("draft" if acted else "scheduled")
    assert served.state()[0] == read.status
    assert served.counts == (0, 0)


async def test_unscheduling_a_triggered_single_send_stops_nothing_and_says_so(
    served: ServedSingleSend, accept_second_schedule: bool
) -> None:
    served.fake.accept_second_schedule = accept_second_schedule
    served.add_campaign(status="triggered", send_at=LONG_AGO)

    result = await served.call("unschedule")
    await served.close()

    assert (result.status, result.send_at) == ("triggered", LONG_AGO)
    assert served.counts == (0, 0)
    assert served.state() == ("triggered", LONG_AGO)


# ---------------------------------------------------------------- without settling


# fault -> the exact error the acting call raises when it is not settled
UNSETTLED: dict[str, type[CampaignClientError]] = {
    **{name: ServerError for name in FAULTS if name[:3] in ("500", "503", "520")},
    "reset-before-acting": APIConnectionError,
    "reset-after-acting": APIConnectionError,
    "stall-after-acting": APITimeoutError,
}


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("method", LAUNCHES)
async def test_without_settling_a_fault_is_the_exact_error_and_never_repeated(
    served: ServedSingleSend, method: str, fault: str
) -> None:
    """`settle=False`: the error as it came, `outcome_unknown`, and no repeat and no
    read after it, whether or not the fake had acted."""
    kwargs, operation = CALLS[method]
    inject, acted = FAULTS[fault]
    served.add_campaign()
    inject(served.fake, operation)
    await served.close()
    served.client = served.make(settle=False)

    with pytest.raises(CampaignClientError) as info:
        await served.call(method, **kwargs)
    await served.close()

    error = info.value
    assert type(error) is UNSETTLED[fault]
    assert error.operation == SCHEDULE
    assert error.outcome_unknown is True  # the client cannot tell whether it acted
    assert error.settlement is None and error.nothing_sent is False
    assert error.attempt is not None and error.attempt.campaign_id == ID
    assert served.counts == (1, int(acted))
    assert served.count(GET) == 1  # only the read before it


async def test_without_settling_an_unschedule_is_still_repeated(
    served: ServedSingleSend,
) -> None:
    """An unschedule needs no settling to be repeated: it ends a draft."""
    served.add_campaign(status="scheduled", send_at=LATER)
    served.fake.fail_next(500, operation=UNSCHEDULE, after_acting=True)
    await served.close()
    served.client = served.make(settle=False)

    result = await served.call("unschedule")
    await served.close()

    assert (result.status, served.state()) == ("draft", ("draft", None))
    assert served.count(UNSCHEDULE) == 2
