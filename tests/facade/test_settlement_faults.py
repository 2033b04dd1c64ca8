"""Faults over real HTTP on 127.0.0.1 with settlement on (the default): every send ends as
a success sent exactly once, a definite error with nothing sent, or `outcome_unknown=True`
only when the campaign could not be read.

The servers are campaign_clients.testing's fakes (`fake.serve()`), each case on the sync
and the async client. Each asserts the result or the exact error, `outcome_unknown`, the
settlement's outcome (on the error, or from the WARNING a settled success logs), and the
fake's own counts of sends received and applied: never more than one applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from faults_support import HTML, LATER, LONG_AGO, Served, settled_outcome

from campaign_clients import ServerError
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio


@pytest.fixture
def served(provider: str, flavor: str, no_sleep: list[float]) -> Iterator[Served]:
    fake = FakeMailGlyph() if provider == "mailglyph" else FakeSendGrid()
    with fake.serve() as base_url:
        yield Served(provider, flavor, fake, base_url)


@pytest.fixture
def draft(served: Served) -> Served:
    """`served` with its campaign a draft."""
    served.add_campaign()
    return served


Inject = Callable[[Served], None]

# fault -> (inject, settled as, (sends received, sends applied))
RETURNS: dict[str, tuple[Inject, str, tuple[int, int]]] = {
    **{
        f"{status}-after-acting": (
            lambda s, status=status: s.fake.fail_next(status, after_acting=True),
            "applied",
            (1, 1),
        )
        for status in (500, 503, 520)
    },
    **{
        f"{status}-before-acting": (
            lambda s, status=status: s.fake.fail_next(status),
            "not_applied",
            (2, 1),
        )
        for status in (500, 503, 520)
    },
    "reset-after-acting": (lambda s: s.fake.reset_next(), "applied", (1, 1)),
    "reset-before-acting": (
        lambda s: s.fake.reset_next(after_acting=False),
        "not_applied",
        (2, 1),
    ),
    "stall-after-acting": (lambda s: s.fake.stall_next(), "applied", (1, 1)),
    "html-success-after-acting": (
        lambda s: s.fake.fail_next(s.success, body=HTML, after_acting=True),
        "applied",
        (1, 1),
    ),
    "empty-success-before-acting": (
        lambda s: s.fake.fail_next(s.success, body=b""),
        "not_applied",
        (2, 1),
    ),
}


@pytest.mark.parametrize("fault", RETURNS)
async def test_a_faulted_send_is_settled_and_sent_once(draft, caplog, fault):
    served = draft
    inject, outcome, counts = RETURNS[fault]
    inject(served)
    with caplog.at_level(logging.WARNING, logger="campaign_clients"):
        result = await served.call("send_now")
    await served.close()
    assert settled_outcome(caplog) == outcome
    assert served.counts == counts
    if served.provider == "mailglyph":
        assert result.data.id == served.campaign_id and result.data.status == "SENDING"
    else:
        assert result.id == served.campaign_id and result.status in ("Sent", "Scheduled")


async def test_a_faulted_schedule_is_settled_as_scheduled(draft, caplog):
    served = draft
    served.fake.fail_next(503, after_acting=True)
    with caplog.at_level(logging.WARNING, logger="campaign_clients"):
        result = await served.call("schedule", at=LATER)
    await served.close()
    assert settled_outcome(caplog) == "applied"
    assert served.counts == (1, 1)
    if served.provider == "mailglyph":
        assert result.data.status == "SCHEDULED"
        assert result.data.scheduled_for == LATER
    else:
        assert (result.status, result.send_at) == ("Scheduled", int(LATER.timestamp()))


# fault on the reads -> what the settlement says was read
UNREADABLE: dict[str, tuple[Inject, str]] = {
    "read-5xx": (lambda s: s.fake.fail_next(503, operation="getCampaign", times=3), "HTTP 503"),
    "read-timeout": (lambda s: s.fake.stall_next(operation="getCampaign", times=3), "timed out"),
}


@pytest.mark.parametrize("read_fault", UNREADABLE)
async def test_an_unreadable_campaign_leaves_the_outcome_unknown(draft, read_fault):
    served = draft
    inject_read, read_failure = UNREADABLE[read_fault]
    served.fake.fail_next(500, after_acting=True, operation=served.send_operation)
    inject_read(served)
    with pytest.raises(ServerError) as info:
        await served.call("send_now")
    await served.close()
    error = info.value
    assert error.status_code == 500  # the send's own error, not the read's
    assert error.outcome_unknown is True
    assert error.settlement is not None and error.settlement.outcome == "unknown"
    assert "the campaign could not be read" in error.settlement.reason
    assert read_failure in error.settlement.reason
    assert error.settlement.reason in str(error)  # the message says what was read
    assert served.fake.count("getCampaign") == 3  # the read's own retries
    assert served.counts == (1, 1)


async def test_a_campaign_sent_before_the_attempt(served, caplog):
    served.add_campaign(
        status="SENT" if served.provider == "mailglyph" else "Sent", sent_at=LONG_AGO
    )
    served.fake.fail_next(503, operation=served.send_operation)  # this attempt never acted
    if served.provider == "mailglyph":
        with pytest.raises(ServerError) as info:
            await served.call("send_now")
        settlement = info.value.settlement
        assert info.value.outcome_unknown is False  # known: this attempt sent nothing
        assert settlement is not None and settlement.outcome == "not_applied"
        assert "before this attempt" in settlement.reason
    else:
        # SendGrid's campaign has no send time: a Sent campaign counts as sent (README).
        with caplog.at_level(logging.WARNING, logger="campaign_clients"):
            result = await served.call("send_now")
        assert settled_outcome(caplog) == "applied" and result.status == "Sent"
    await served.close()
    assert served.counts == (1, 0)


async def test_settle_false_keeps_the_unknown_outcome(draft):
    served = draft
    served.fake.fail_next(503, after_acting=True)
    await served.close()
    served.client = served.make(settle=False)
    with pytest.raises(ServerError) as info:
        await served.call("send_now")
    await served.close()
    assert info.value.outcome_unknown is True and info.value.settlement is None
    assert served.counts == (1, 1)
    assert served.fake.count("getCampaign") == 0
