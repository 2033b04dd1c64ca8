"""`since=` on every send and schedule, sync and async, against the fakes in process: a
launch whose earlier try already acted returns the normal result and sends nothing
again; a send by someone before the launch is still an error; a refusal is settled; a
provider without a guard is read before the send; bad `since` is refused before any
request; and without `since` the requests are what they were.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import httpx
import pytest
from support import Recorder, example, invoke

from campaign_clients import (
    AlreadySentError,
    BadRequestError,
    CampaignStateError,
    PermissionDeniedError,
)
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

pytestmark = pytest.mark.anyio

NOW = dt.datetime.now(dt.UTC)
SINCE = NOW - dt.timedelta(minutes=5)  # when the launch (the job) began
LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
LATER = (NOW + dt.timedelta(days=1)).replace(microsecond=0)
ELSEWHEN = LATER + dt.timedelta(hours=3)
SID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"


def operations(fake: FakeMailGlyph | FakeSendGrid) -> list[str | None]:
    return [request.operation for request in fake.requests]


@pytest.fixture
def mailglyph() -> FakeMailGlyph:
    return FakeMailGlyph()


@pytest.fixture
def sendgrid() -> FakeSendGrid:
    return FakeSendGrid()


# -- MailGlyph send_now: the provider refuses a second send (400); the refusal is settled --


async def test_mailglyph_send_now_redelivered_returns_the_launch_s_send(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1")
    client = on_fake(mailglyph)
    first = await invoke(client.send_now, "cmp_1", since=SINCE)

    again = await invoke(client.send_now, "cmp_1", since=SINCE)  # the redelivered job

    assert again.data.status == first.data.status == "SENDING"
    assert again.message.startswith("Settled by reading the campaign")
    # the second send was refused by MailGlyph, then the campaign read
    assert operations(mailglyph) == ["sendCampaign", "sendCampaign", "getCampaign"]
    assert mailglyph.applied_sends("cmp_1") == 1


async def test_mailglyph_send_now_sent_by_an_earlier_try(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SENDING", sent_at=SINCE + dt.timedelta(seconds=3))

    result = await invoke(on_fake(mailglyph).send_now, "cmp_1", since=SINCE)

    assert result.data.id == "cmp_1" and result.data.status == "SENDING"
    assert mailglyph.applied_sends("cmp_1") == 0


async def test_mailglyph_send_now_sent_before_the_launch_is_still_an_error(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SENT", sent_at=LONG_AGO)

    with pytest.raises(BadRequestError) as refused:
        await invoke(on_fake(mailglyph).send_now, "cmp_1", since=SINCE)

    assert refused.value.outcome_unknown is False
    assert refused.value.settlement is not None
    assert refused.value.settlement.outcome == "not_applied"
    assert "before this attempt" in refused.value.settlement.reason
    assert operations(mailglyph) == ["sendCampaign", "getCampaign"]
    assert mailglyph.applied_sends("cmp_1") == 0


async def test_mailglyph_send_now_without_since_is_refused_as_before(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SENDING", sent_at=SINCE + dt.timedelta(seconds=3))

    with pytest.raises(BadRequestError) as refused:
        await invoke(on_fake(mailglyph).send_now, "cmp_1")

    assert refused.value.outcome_unknown is False and refused.value.settlement is None
    assert operations(mailglyph) == ["sendCampaign"]


# -- MailGlyph schedule: a second schedule is accepted, so with since it reads first -----


async def test_mailglyph_schedule_reads_then_schedules_a_draft(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1")

    result = await invoke(on_fake(mailglyph).schedule, "cmp_1", at=LATER, since=SINCE)

    assert result.data.status == "SCHEDULED"
    assert operations(mailglyph) == ["getCampaign", "sendCampaign"]
    assert mailglyph.campaign("cmp_1").scheduled_for == LATER


async def test_mailglyph_schedule_redelivered_sends_nothing(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SCHEDULED", scheduled_for=LATER)

    result = await invoke(on_fake(mailglyph).schedule, "cmp_1", at=LATER, since=SINCE)

    assert result.data.status == "SCHEDULED"
    assert result.message.startswith("Settled by reading the campaign")
    assert operations(mailglyph) == ["getCampaign"]  # no send request at all
    assert mailglyph.applied_sends("cmp_1") == 0


async def test_mailglyph_schedule_that_already_went_out_is_the_launch_s(on_fake, mailglyph):
    at = NOW - dt.timedelta(seconds=30)  # the earlier try's schedule, which has fired
    mailglyph.add_campaign("cmp_1", status="SENDING", sent_at=NOW - dt.timedelta(seconds=20))

    result = await invoke(on_fake(mailglyph).schedule, "cmp_1", at=at, since=SINCE)

    assert result.data.status == "SENDING"
    assert operations(mailglyph) == ["getCampaign"]


async def test_mailglyph_schedule_keeps_someone_else_s_schedule(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SCHEDULED", scheduled_for=ELSEWHEN)

    with pytest.raises(CampaignStateError) as refused:
        await invoke(on_fake(mailglyph).schedule, "cmp_1", at=LATER, since=SINCE)

    error = refused.value
    assert type(error) is CampaignStateError and error.status == "SCHEDULED"
    assert error.nothing_sent is True and error.outcome_unknown is False
    assert operations(mailglyph) == ["getCampaign"]
    assert mailglyph.campaign("cmp_1").scheduled_for == ELSEWHEN


async def test_mailglyph_schedule_of_a_campaign_sent_before_the_launch(on_fake, mailglyph):
    mailglyph.add_campaign("cmp_1", status="SENT", sent_at=LONG_AGO)

    with pytest.raises(AlreadySentError) as refused:
        await invoke(on_fake(mailglyph).schedule, "cmp_1", at=LATER, since=SINCE)

    assert refused.value.outcome_unknown is False and refused.value.nothing_sent is True
    assert operations(mailglyph) == ["getCampaign"]


async def test_mailglyph_schedule_whose_read_fails_sends_nothing(on_fake, mailglyph, no_sleep):
    mailglyph.add_campaign("cmp_1")
    mailglyph.fail_next(503, operation="getCampaign", times=3)

    with pytest.raises(Exception) as failed:
        await invoke(on_fake(mailglyph).schedule, "cmp_1", at=LATER, since=SINCE)

    assert failed.value.nothing_sent is True and failed.value.outcome_unknown is False
    assert failed.value.attempt.started_at == SINCE
    assert operations(mailglyph) == ["getCampaign"] * 3


# -- SendGrid legacy: the provider refuses a second send or schedule (403) ----------------


async def test_sendgrid_send_now_redelivered_returns_the_launch_s_send(on_fake, sendgrid):
    sendgrid.add_campaign(4900)
    client = on_fake(sendgrid)
    await invoke(client.send_now, 4900, since=SINCE)

    again = await invoke(client.send_now, 4900, since=SINCE)

    assert (again.id, again.status) == (4900, "Sent")
    assert sendgrid.applied_sends(4900) == 1
    assert operations(sendgrid)[1:] == ["sendCampaignNow", "getCampaign"]


async def test_sendgrid_send_now_cannot_date_a_send_and_counts_it(on_fake, sendgrid, caplog):
    # SendGrid keeps no send time: a campaign sent before the launch reads the same as
    # one sent by an earlier try, and is taken as the launch's (README: SendGrid legacy).
    sendgrid.add_campaign(4900, status="Sent")

    with caplog.at_level(logging.WARNING, logger="campaign_clients"):
        result = await invoke(on_fake(sendgrid).send_now, 4900, since=SINCE)

    assert result.status == "Sent"
    assert sendgrid.applied_sends(4900) == 0
    assert any("was applied" in record.getMessage() for record in caplog.records)


async def test_sendgrid_schedule_redelivered_returns_the_launch_s_schedule(on_fake, sendgrid):
    sendgrid.add_campaign(4900)
    client = on_fake(sendgrid)
    await invoke(client.schedule, 4900, at=LATER, since=SINCE)

    again = await invoke(client.schedule, 4900, at=LATER, since=SINCE)

    assert (again.id, again.status, again.send_at) == (4900, "Scheduled", int(LATER.timestamp()))
    assert sendgrid.applied_sends(4900) == 1
    assert operations(sendgrid)[1:] == ["scheduleCampaign", "getCampaign", "getCampaignSchedule"]


async def test_sendgrid_schedule_for_another_time_is_refused_as_before(on_fake, sendgrid):
    sendgrid.add_campaign(4900, status="Scheduled", send_at=ELSEWHEN)

    with pytest.raises(PermissionDeniedError) as refused:
        await invoke(on_fake(sendgrid).schedule, 4900, at=LATER, since=SINCE)

    assert refused.value.outcome_unknown is False
    assert refused.value.settlement is not None
    assert refused.value.settlement.outcome == "not_applied"
    assert sendgrid.campaign(4900).send_at == int(ELSEWHEN.timestamp())


async def test_sendgrid_reschedule_redelivered_moves_nothing_else(on_fake, sendgrid):
    sendgrid.add_campaign(4900, status="Scheduled", send_at=ELSEWHEN)
    client = on_fake(sendgrid)
    await invoke(client.reschedule, 4900, at=LATER, since=SINCE)

    again = await invoke(client.reschedule, 4900, at=LATER, since=SINCE)

    assert again.send_at == int(LATER.timestamp())  # the same schedule, asked again
    assert sendgrid.campaign(4900).send_at == int(LATER.timestamp())


async def test_sendgrid_reschedule_of_a_sent_campaign_is_refused_as_before(on_fake, sendgrid):
    sendgrid.add_campaign(4900, status="Sent")

    with pytest.raises(PermissionDeniedError) as refused:
        await invoke(on_fake(sendgrid).reschedule, 4900, at=LATER, since=SINCE)

    assert refused.value.outcome_unknown is False
    assert refused.value.settlement is not None
    assert refused.value.settlement.outcome == "not_applied"


async def test_a_refusal_not_about_the_campaign_is_not_repeated(on_fake, sendgrid):
    sendgrid.add_campaign(4900)  # a draft: the 403 was the key's, not the campaign's
    sendgrid.fail_next(403, operation="sendCampaignNow")

    with pytest.raises(PermissionDeniedError) as refused:
        await invoke(on_fake(sendgrid).send_now, 4900, since=SINCE)

    assert refused.value.outcome_unknown is False
    assert operations(sendgrid) == ["sendCampaignNow", "getCampaign"]
    assert sendgrid.campaign(4900).status == "Draft"


async def test_a_refusal_whose_campaign_cannot_be_read_is_unknown(on_fake, sendgrid, no_sleep):
    # An earlier try of the launch may have sent it: without a read, nobody can tell.
    sendgrid.add_campaign(4900)
    sendgrid.fail_next(403, operation="sendCampaignNow")
    sendgrid.fail_next(503, operation="getCampaign", times=3)

    with pytest.raises(PermissionDeniedError) as refused:
        await invoke(on_fake(sendgrid).send_now, 4900, since=SINCE)

    assert refused.value.outcome_unknown is True
    assert refused.value.settlement is not None
    assert refused.value.settlement.outcome == "unknown"
    assert sendgrid.sends(4900) == 1


async def test_settle_false_still_settles_a_launch_s_refusal(on_fake, sendgrid):
    sendgrid.add_campaign(4900, status="Sent")

    result = await invoke(on_fake(sendgrid, settle=False).send_now, 4900, since=SINCE)

    assert result.status == "Sent"


# -- Single Sends: no provider guard; the client always reads first ----------------------


async def test_single_send_redelivered_returns_the_launch_s_send(on_fake, sendgrid):
    sendgrid.add_single_send(SID)
    single_sends = on_fake(sendgrid).single_sends
    await invoke(single_sends.send_now, SID, since=SINCE)

    again = await invoke(single_sends.send_now, SID, since=SINCE)

    assert again.status == "triggered"
    # the second launch only read it: no second send request at all
    assert operations(sendgrid) == ["getSingleSend", "scheduleSingleSend", "getSingleSend"]
    assert sendgrid.sends(SID) == sendgrid.applied_sends(SID) == 1


async def test_single_send_triggered_before_the_launch_is_already_sent(on_fake, sendgrid):
    sendgrid.add_single_send(SID, status="triggered", send_at=LONG_AGO)

    with pytest.raises(AlreadySentError) as refused:
        await invoke(on_fake(sendgrid).single_sends.send_now, SID, since=SINCE)

    assert refused.value.outcome_unknown is False and refused.value.nothing_sent is True
    assert operations(sendgrid) == ["getSingleSend"]


async def test_single_send_without_since_is_already_sent_as_before(on_fake, sendgrid):
    sendgrid.add_single_send(SID, status="triggered", send_at=NOW - dt.timedelta(seconds=5))

    with pytest.raises(AlreadySentError):
        await invoke(on_fake(sendgrid).single_sends.send_now, SID)


async def test_single_send_schedule_that_fired_is_the_launch_s(on_fake, sendgrid):
    at = (NOW - dt.timedelta(seconds=30)).replace(microsecond=0)
    sendgrid.add_single_send(SID, status="triggered", send_at=at)

    result = await invoke(on_fake(sendgrid).single_sends.schedule, SID, at=at, since=SINCE)

    assert result.status == "triggered" and result.send_at == at
    assert operations(sendgrid) == ["getSingleSend"]


async def test_single_send_schedule_redelivered_sends_nothing(on_fake, sendgrid):
    sendgrid.add_single_send(SID, status="scheduled", send_at=LATER)

    result = await invoke(on_fake(sendgrid).single_sends.schedule, SID, at=LATER, since=SINCE)

    assert result.status == "scheduled" and result.send_at == LATER
    assert operations(sendgrid) == ["getSingleSend"]


async def test_single_send_someone_else_s_schedule_is_kept(on_fake, sendgrid):
    sendgrid.add_single_send(SID, status="scheduled", send_at=ELSEWHEN)

    with pytest.raises(CampaignStateError) as refused:
        await invoke(on_fake(sendgrid).single_sends.schedule, SID, at=LATER, since=SINCE)

    assert refused.value.outcome_unknown is False
    assert operations(sendgrid) == ["getSingleSend"]


async def test_single_send_status_unknown_to_the_rules_is_an_unknown_outcome(make_client):
    body = example("sendgrid", "getSingleSend", "200")
    body.update(id=SID, status="paused", send_at=None)
    rec = Recorder([httpx.Response(200, json=body)])
    single_sends = make_client("sendgrid", rec).single_sends

    with pytest.raises(CampaignStateError) as refused:
        await invoke(single_sends.send_now, SID, since=SINCE)

    assert refused.value.outcome_unknown is True  # an earlier try may have sent it
    assert refused.value.nothing_sent is True and rec.count == 1
    without = await _raised(invoke(single_sends.send_now, SID))
    assert without.outcome_unknown is False  # this call alone sent nothing


async def _raised(call: Any) -> Any:
    try:
        await call
    except CampaignStateError as error:
        return error
    raise AssertionError("no CampaignStateError")


# -- every method: bad since refused before any request; request counts without since -----


def _calls(fake_kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method path, id, kwargs) of every call that takes since=."""
    if fake_kind == "mailglyph":
        return [("send_now", "cmp_1", {}), ("schedule", "cmp_1", {"at": LATER})]
    return [
        ("send_now", "4900", {}),
        ("schedule", "4900", {"at": LATER}),
        ("reschedule", "4900", {"at": LATER}),
        ("single_sends.send_now", SID, {}),
        ("single_sends.schedule", SID, {"at": LATER}),
    ]


CALLS = [(kind, *call) for kind in ("mailglyph", "sendgrid") for call in _calls(kind)]
IDS = [f"{kind}.{method}" for kind, method, _, _ in CALLS]


def _method(client: Any, path: str) -> Any:
    for name in path.split("."):
        client = getattr(client, name)
    return client


def _fake(kind: str, method: str) -> FakeMailGlyph | FakeSendGrid:
    """A fake holding a campaign the call may act on (a draft; a scheduled one to move)."""
    fake = FakeMailGlyph() if kind == "mailglyph" else FakeSendGrid()
    if isinstance(fake, FakeMailGlyph):
        fake.add_campaign("cmp_1")
    elif method == "reschedule":
        fake.add_campaign(4900, status="Scheduled", send_at=ELSEWHEN)
    else:
        fake.add_campaign(4900)
        fake.add_single_send(SID)
    return fake


def _ident(kind: str, ident: str) -> str | int:
    return int(ident) if kind == "sendgrid" and ident.isdigit() else ident


BAD_SINCE = [
    pytest.param(dt.datetime(2026, 1, 1, 9, 0), id="naive"),
    pytest.param(NOW + dt.timedelta(hours=1), id="future"),
    pytest.param("2026-01-01T09:00:00Z", id="text"),
    pytest.param(SINCE.timestamp(), id="number"),
]


@pytest.mark.parametrize(("kind", "method", "ident", "kwargs"), CALLS, ids=IDS)
@pytest.mark.parametrize("since", BAD_SINCE)
async def test_bad_since_is_refused_before_any_request(on_fake, kind, method, ident, kwargs, since):
    fake = _fake(kind, method)
    call = _method(on_fake(fake), method)

    with pytest.raises(ValueError, match="since="):
        await invoke(call, _ident(kind, ident), since=since, **kwargs)

    assert fake.requests == []


@pytest.mark.parametrize(("kind", "method", "ident", "kwargs"), CALLS, ids=IDS)
async def test_since_a_little_ahead_of_this_clock_is_accepted(on_fake, kind, method, ident, kwargs):
    fake = _fake(kind, method)
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)  # the provider's clock may lead

    await invoke(_method(on_fake(fake), method), _ident(kind, ident), since=ahead, **kwargs)


REQUESTS_WITHOUT_SINCE = {
    "mailglyph.send_now": ["sendCampaign"],
    "mailglyph.schedule": ["sendCampaign"],
    "sendgrid.send_now": ["sendCampaignNow"],
    "sendgrid.schedule": ["scheduleCampaign"],
    "sendgrid.reschedule": ["rescheduleCampaign"],
    "sendgrid.single_sends.send_now": ["getSingleSend", "scheduleSingleSend"],
    "sendgrid.single_sends.schedule": ["getSingleSend", "scheduleSingleSend"],
}
READ_FIRST = {"mailglyph.schedule": ["getCampaign", "sendCampaign"]}


@pytest.mark.parametrize(("kind", "method", "ident", "kwargs"), CALLS, ids=IDS)
@pytest.mark.parametrize("with_since", [False, True], ids=["without", "with"])
async def test_the_happy_path_s_requests(on_fake, kind, method, ident, kwargs, with_since):
    fake = _fake(kind, method)
    extra = {"since": SINCE} if with_since else {}

    await invoke(_method(on_fake(fake), method), _ident(kind, ident), **kwargs, **extra)

    name = f"{kind}.{method}"
    expected = REQUESTS_WITHOUT_SINCE[name]
    if with_since:  # only where the provider has no guard does since read first
        expected = READ_FIRST.get(name, expected)
    assert operations(fake) == expected


def test_since_is_keyword_only() -> None:
    from campaign_clients import MailGlyph

    with MailGlyph(api_key="sk_test_positional") as client, pytest.raises(TypeError):
        client.send_now("cmp_1", SINCE)  # type: ignore[misc]
