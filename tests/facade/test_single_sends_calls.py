"""SendGrid Single Sends through `client.single_sends`, sync and async, on scripted answers
(httpx.MockTransport): the requests on the wire, the read before each send or schedule
(never twice without a provider guard), bad input refused before any request, and the
client's own settings shared. test_single_sends_faults.py has the faults over real HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import uuid
from typing import Any

import httpx
import pytest
from sendgrid_client.models import SingleSend, SingleSendScheduleResponse
from support import SECRETS, SENDGRID_KEY, Recorder, bearer, example, invoke

from campaign_clients import (
    AlreadySentError,
    AsyncSingleSends,
    CampaignStateError,
    NotFoundError,
    ResponseValidationError,
    ServerError,
    SingleSends,
)

pytestmark = pytest.mark.anyio

SID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
AT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
ONE = f"/v3/marketing/singlesends/{SID}"
READ, PUT, DELETE = f"GET {ONE}", f"PUT {ONE}/schedule", f"DELETE {ONE}/schedule"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def single_send(status: str | None, send_at: str | None = None) -> httpx.Response:
    body = example("sendgrid", "getSingleSend", "200")
    body.update(id=SID, send_at=send_at)
    if status is None:
        del body["status"]
    else:
        body["status"] = status
    return httpx.Response(200, json=body)


def scheduled(send_at: str, status: str = "scheduled") -> httpx.Response:
    return httpx.Response(201, json={"send_at": send_at, "status": status})


UNSCHEDULED = httpx.Response(200, json=example("sendgrid", "unscheduleSingleSend", "200"))
FAILED = httpx.Response(500, json=example("sendgrid", "scheduleSingleSend", "500"))


def paths(rec: Recorder) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in rec.requests]


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


# -- the requests ------------------------------------------------------------------------


async def test_send_now_reads_then_sends_now(make_client):
    rec = Recorder([single_send("draft"), scheduled(now_iso())])
    result = await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    assert paths(rec) == [READ, PUT]
    assert body(rec.requests[1]) == {"send_at": "now"}
    assert rec.requests[1].headers["content-type"] == "application/json"
    assert isinstance(result, SingleSendScheduleResponse)
    assert result.status == "scheduled"


async def test_schedule_sends_utc_with_z_in_whole_seconds(make_client):
    at = dt.datetime(2030, 1, 2, 5, 4, 5, 678000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rec = Recorder([single_send("draft"), scheduled("2030-01-02T03:04:05Z")])
    result = await invoke(make_client("sendgrid", rec).single_sends.schedule, SID, at=at)
    assert paths(rec) == [READ, PUT]
    assert body(rec.requests[1]) == {"send_at": "2030-01-02T03:04:05Z"}
    assert result.send_at == AT and result.status == "scheduled"


async def test_unschedule_is_one_delete_without_a_read(make_client):
    rec = Recorder([UNSCHEDULED])
    result = await invoke(make_client("sendgrid", rec).single_sends.unschedule, SID)
    assert paths(rec) == [DELETE]
    assert rec.requests[0].content == b""
    assert (result.status, result.send_at) == ("draft", None)


async def test_get_returns_the_generated_single_send(make_client):
    rec = Recorder([single_send("scheduled", "2030-04-02T09:00:00Z")])
    result = await invoke(make_client("sendgrid", rec).single_sends.get, SID)
    assert paths(rec) == [READ]
    assert isinstance(result, SingleSend)
    assert result.id == uuid.UUID(SID)
    assert result.status == "scheduled"
    assert result.send_at == dt.datetime(2030, 4, 2, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("given", [SID.upper(), uuid.UUID(SID), SID])
async def test_ids_go_out_as_lowercase_uuids(make_client, given):
    rec = Recorder([single_send("draft")])
    await invoke(make_client("sendgrid", rec).single_sends.get, given)
    assert paths(rec) == [READ]


async def test_the_clients_key_region_and_on_behalf_of_are_shared(make_client):
    rec = Recorder([single_send("draft"), scheduled(now_iso()), UNSCHEDULED])
    sendgrid = make_client("sendgrid", rec, region="eu", on_behalf_of="subuser-marketing")
    await invoke(sendgrid.single_sends.send_now, SID)
    await invoke(sendgrid.single_sends.unschedule, SID, on_behalf_of="account-id 42")
    hosts = {r.url.host for r in rec.requests}
    assert hosts == {"api.eu.sendgrid.com"}
    assert [r.headers.get("on-behalf-of") for r in rec.requests] == [
        "subuser-marketing",
        "subuser-marketing",
        "account-id 42",
    ]
    for request in rec.requests:
        assert request.headers["authorization"] == bearer(SENDGRID_KEY)["Authorization"]


def test_single_sends_is_the_clients_own_namespace(make_client, flavor):
    sendgrid = make_client("sendgrid", Recorder())
    expected = SingleSends if flavor == "sync" else AsyncSingleSends
    assert type(sendgrid.single_sends) is expected
    assert sendgrid.single_sends._client is sendgrid  # one pool, one configuration
    assert SENDGRID_KEY not in repr(sendgrid.single_sends)


# -- bad input: ValueError, nothing sent -------------------------------------------------

BAD_IDS = [
    "",
    "..",
    "a/b",
    4900,
    True,
    None,
    1.5,
    f"{{{SID}}}",
    f"urn:uuid:{SID}",
    SID.replace("-", ""),
    f" {SID}",
    f"{SID}\n",
    SID[:-1],
    SID[:-1] + "g",
    SID + "/schedule",
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("method", ["send_now", "schedule", "unschedule", "get"])
async def test_a_bad_id_is_refused_before_any_request(make_client, method, bad):
    rec = Recorder([single_send("draft")])
    call = getattr(make_client("sendgrid", rec).single_sends, method)
    kwargs = {"at": AT} if method == "schedule" else {}
    with pytest.raises(ValueError, match="Single Send id must be a UUID"):
        await invoke(call, bad, **kwargs)
    assert rec.count == 0


@pytest.mark.parametrize(
    "at", [dt.datetime(2030, 1, 2, 3, 4, 5), "2030-01-02T03:04:05Z", None, 1893553445]
)
async def test_a_naive_or_non_datetime_at_is_refused_before_any_request(make_client, at):
    rec = Recorder([single_send("draft")])
    with pytest.raises(ValueError, match="at= must be"):
        await invoke(make_client("sendgrid", rec).single_sends.schedule, SID, at=at)
    assert rec.count == 0


@pytest.mark.parametrize("obo", ["", " ", "sub\r\nX-Injected: 1", "sübuser", 42])
@pytest.mark.parametrize("method", ["send_now", "schedule", "unschedule", "get"])
async def test_a_bad_on_behalf_of_is_refused_before_any_request(make_client, method, obo):
    rec = Recorder([single_send("draft")])
    call = getattr(make_client("sendgrid", rec).single_sends, method)
    kwargs = {"at": AT} if method == "schedule" else {}
    with pytest.raises(ValueError, match="on_behalf_of"):
        await invoke(call, SID, on_behalf_of=obo, **kwargs)
    assert rec.count == 0


# -- never twice: the read before each send or schedule ----------------------------------


@pytest.mark.parametrize("method", ["send_now", "schedule"])
async def test_a_triggered_single_send_is_never_sent_again(make_client, method):
    rec = Recorder([single_send("triggered", "2023-11-07T05:31:56Z"), scheduled(now_iso())])
    sendgrid = make_client("sendgrid", rec)
    kwargs = {"at": AT} if method == "schedule" else {}
    with pytest.raises(AlreadySentError) as info:
        await invoke(getattr(sendgrid.single_sends, method), SID, **kwargs)
    assert paths(rec) == [READ]  # the read, and no schedule call
    error = info.value
    assert error.outcome_unknown is False and error.nothing_sent is True
    assert error.status == "triggered"
    assert error.state["single_send"]["id"] == SID
    assert error.operation == "scheduleSingleSend"
    assert "already sent" in str(error) and "2023-11-07T05:31:56Z" in str(error)
    assert error.attempt is not None
    assert error.attempt.settles == ("send" if method == "send_now" else "schedule")
    assert error.settlement is not None and error.settlement.outcome == "not_applied"
    # settle() knows no request that could act was made: no read, the same answer
    assert await invoke(sendgrid.settle, error) == error.settlement
    assert rec.count == 1


@pytest.mark.parametrize("method", ["send_now", "schedule"])
async def test_a_single_send_scheduled_for_another_time_is_left_alone(make_client, method):
    rec = Recorder([single_send("scheduled", "2031-05-01T08:00:00Z")])
    kwargs = {"at": AT} if method == "schedule" else {}
    with pytest.raises(CampaignStateError) as info:
        await invoke(getattr(make_client("sendgrid", rec).single_sends, method), SID, **kwargs)
    assert not isinstance(info.value, AlreadySentError)
    assert paths(rec) == [READ]
    assert info.value.outcome_unknown is False and info.value.status == "scheduled"
    assert "unschedule it first" in str(info.value)


async def test_a_schedule_that_already_holds_is_returned_without_a_second_call(make_client):
    rec = Recorder([single_send("scheduled", "2030-01-02T03:04:05.000Z")])
    result = await invoke(make_client("sendgrid", rec).single_sends.schedule, SID, at=AT)
    assert paths(rec) == [READ]
    assert (result.send_at, result.status) == (AT, "scheduled")


@pytest.mark.parametrize("status", ["paused", "Triggered", "", None])
async def test_a_status_the_client_does_not_know_is_not_sent(make_client, status):
    rec = Recorder([single_send(status, now_iso())])
    with pytest.raises(CampaignStateError) as info:
        await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    assert paths(rec) == [READ]
    assert info.value.outcome_unknown is False
    assert "does not know" in str(info.value)


async def test_a_failed_read_before_the_send_sends_nothing(make_client):
    not_found = httpx.Response(404, json=example("sendgrid", "getSingleSend", "404"))
    rec = Recorder([not_found])
    sendgrid = make_client("sendgrid", rec)
    with pytest.raises(NotFoundError) as info:
        await invoke(sendgrid.single_sends.send_now, SID)
    assert paths(rec) == [READ]
    error = info.value
    assert error.operation == "getSingleSend" and error.outcome_unknown is False
    assert error.nothing_sent is True and error.attempt is not None
    assert error.attempt.operation == "scheduleSingleSend"
    assert await invoke(sendgrid.settle, error) == error.settlement
    assert rec.count == 1


async def test_the_read_before_the_send_is_retried_like_any_read(make_client, no_sleep):
    busy = httpx.Response(503, json=example("sendgrid", "getSingleSend", "500"))
    rec = Recorder([busy, single_send("draft"), scheduled(now_iso())])
    await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    assert paths(rec) == [READ, READ, PUT]
    assert len(no_sleep) == 1


# -- unknown outcomes: each error carries its attempt; settling ---------------------------


async def test_an_unknown_send_is_settled_by_reading_the_single_send(make_client, no_sleep):
    rec = Recorder([single_send("draft"), FAILED, single_send("triggered", now_iso())])
    sendgrid = make_client("sendgrid", rec, settle=True)
    result = await invoke(sendgrid.single_sends.send_now, SID)
    assert paths(rec) == [READ, PUT, READ]
    assert result.status == "triggered"


async def test_a_send_read_back_as_a_draft_is_repeated_once(make_client, no_sleep):
    answers = [single_send("draft"), FAILED, single_send("draft"), scheduled(now_iso())]
    rec = Recorder(answers)
    result = await invoke(make_client("sendgrid", rec, settle=True).single_sends.send_now, SID)
    assert paths(rec) == [READ, PUT, READ, PUT]
    assert body(rec.requests[3]) == {"send_at": "now"}
    assert result.status == "scheduled"


async def test_someone_elses_schedule_is_not_overridden_by_a_repeat(make_client, no_sleep):
    theirs = "2031-05-01T08:00:00Z"
    rec = Recorder([single_send("draft"), FAILED, single_send("scheduled", theirs)])
    sendgrid = make_client("sendgrid", rec, settle=True)
    with pytest.raises(ServerError) as info:
        await invoke(sendgrid.single_sends.schedule, SID, at=AT)
    assert paths(rec) == [READ, PUT, READ]
    settlement = info.value.settlement
    assert info.value.outcome_unknown is False
    assert settlement is not None and settlement.outcome == "not_applied"
    assert settlement.can_repeat is False and "someone else's schedule" in settlement.reason


async def test_an_unknown_schedule_carries_its_attempt_for_settle(make_client):
    rec = Recorder([single_send("draft"), FAILED, single_send("scheduled", "2030-01-02T03:04:05Z")])
    sendgrid = make_client("sendgrid", rec, on_behalf_of="sub")
    with pytest.raises(ServerError) as info:
        await invoke(sendgrid.single_sends.schedule, SID, at=AT)
    error = info.value
    assert error.outcome_unknown is True and error.nothing_sent is False
    attempt = error.attempt
    assert attempt is not None
    assert (attempt.provider, attempt.operation, attempt.campaign_id) == (
        "SendGrid",
        "scheduleSingleSend",
        SID,
    )
    assert (attempt.settles, attempt.at, attempt.on_behalf_of) == ("schedule", AT, "sub")
    settlement = await invoke(sendgrid.settle, error)
    assert paths(rec) == [READ, PUT, READ]
    assert rec.requests[2].headers["on-behalf-of"] == "sub"
    assert settlement.outcome == "applied"
    assert settlement.state["single_send"]["status"] == "scheduled"


async def test_an_unschedule_error_carries_its_attempt(make_client):
    rec = Recorder([FAILED])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("sendgrid", rec, max_retries=0).single_sends.unschedule, SID)
    assert info.value.attempt is not None
    assert info.value.attempt.settles == "unschedule"
    assert info.value.attempt.operation == "unscheduleSingleSend"


async def test_an_unschedule_is_repeated_after_a_5xx(make_client, no_sleep):
    rec = Recorder([FAILED, UNSCHEDULED])
    result = await invoke(make_client("sendgrid", rec).single_sends.unschedule, SID)
    assert paths(rec) == [DELETE, DELETE]
    assert result.status == "draft"


async def test_a_send_is_never_repeated_without_a_read(make_client, no_sleep):
    # settle=False: the unknown outcome is the caller's; the schedule call is not repeated.
    rec = Recorder([single_send("draft"), FAILED, scheduled(now_iso())])
    with pytest.raises(ServerError) as info:
        await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    assert paths(rec) == [READ, PUT]
    assert info.value.outcome_unknown is True


async def test_a_success_body_off_the_spec_is_not_a_success(make_client):
    rec = Recorder([single_send("draft"), httpx.Response(201, json={"status": "scheduled"})])
    with pytest.raises(ResponseValidationError) as info:
        await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    assert info.value.outcome_unknown is True and "send_at" in str(info.value)


async def test_the_errors_keep_no_key_and_pickle(make_client):
    rec = Recorder([single_send("triggered", now_iso())])
    with pytest.raises(AlreadySentError) as info:
        await invoke(make_client("sendgrid", rec).single_sends.send_now, SID)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is AlreadySentError
    assert (copy.status, copy.nothing_sent, copy.attempt) == (
        "triggered",
        True,
        info.value.attempt,
    )
    assert str(copy) == str(info.value)
    for text in (str(copy), repr(copy), pickle.dumps(copy).decode("latin-1")):
        assert not any(secret in text for secret in SECRETS)
