"""FakeSendGrid's Single Sends: the states and how the three operations move them, the
switch for a server that sends a triggered Single Send again, ids, bad bodies and the
account scoping (raw httpx, in process; the faults and HTTP are run on Single Sends too
by the tests on every fake, through fakes_support.PROVIDERS["singlesend"])."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, get_args

import httpx
import pytest
from fakes_support import PROVIDERS
from support import SpecCheck, bearer, example

from campaign_clients.testing import FakeSendGrid, SingleSend, SingleSendStatus

SINGLE_SEND = PROVIDERS["singlesend"]
ID = SINGLE_SEND.campaign_id
OTHER = SINGLE_SEND.other_id
PATH = f"/v3/marketing/singlesends/{ID}"
SCHEDULE = f"{PATH}/schedule"
LATER = datetime(2100, 1, 1, 9, 30, tzinfo=UTC)
LATER_STILL = LATER + timedelta(days=1)
LONG_AGO = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def fake() -> FakeSendGrid:
    """Overrides conftest.py's: a FakeSendGrid holding draft Single Send `ID`."""
    fake = FakeSendGrid()
    fake.add_single_send(ID)
    return fake


def schedule(client: httpx.Client, spec_check: SpecCheck, send_at: str, expected: int = 201) -> Any:
    return SINGLE_SEND.checked(
        client, spec_check, "scheduleSingleSend", expected, json={"send_at": send_at}
    )


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ---------------------------------------------------------------- moving between states


def test_send_now_triggers_a_draft_at_the_fakes_now_and_answers_scheduled(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    before = datetime.now(UTC)

    answer = schedule(client, spec_check, "now")

    single_send = fake.single_send(ID)
    assert single_send.status == "triggered"
    assert single_send.send_at is not None
    assert before <= single_send.send_at <= datetime.now(UTC)
    # The spec documents status "scheduled" in a schedule's answer, a send-now included.
    assert answer["status"] == "scheduled"
    assert instant(answer["send_at"]) == single_send.send_at.replace(
        microsecond=single_send.send_at.microsecond // 1000 * 1000
    )
    assert (fake.sends(ID), fake.applied_sends(ID)) == (1, 1)


def test_a_future_time_schedules_a_draft_and_the_read_says_so(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    answer = schedule(client, spec_check, "2100-01-01T10:30:00+01:00")

    assert answer == {"send_at": "2100-01-01T09:30:00Z", "status": "scheduled"}
    assert fake.single_send(ID) == SingleSend(ID, "scheduled", LATER, None)
    read = SINGLE_SEND.checked(client, spec_check, "getSingleSend", 200)
    assert (read["status"], read["send_at"]) == ("scheduled", "2100-01-01T09:30:00Z")
    assert (fake.sends(ID), fake.applied_sends(ID)) == (1, 1)


def test_a_scheduled_single_send_can_be_scheduled_anew_or_sent_now(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    fake.add_single_send(OTHER, status="scheduled", send_at=LATER)

    moved = SINGLE_SEND.checked(
        client,
        spec_check,
        "scheduleSingleSend",
        201,
        OTHER,
        json={"send_at": "2100-01-02T09:30:00Z"},
    )
    assert moved["send_at"] == "2100-01-02T09:30:00Z"
    assert fake.single_send(OTHER).send_at == LATER_STILL

    SINGLE_SEND.call(client, "scheduleSingleSend", OTHER)  # now
    assert fake.single_send(OTHER).status == "triggered"
    assert (fake.sends(OTHER), fake.applied_sends(OTHER)) == (2, 2)


@pytest.mark.parametrize(
    ("status", "send_at", "after"),
    [
        ("scheduled", LATER, ("draft", None)),
        ("draft", None, ("draft", None)),
        ("draft", LATER, ("draft", LATER)),  # created with a send_at: kept, still a draft
        ("triggered", LONG_AGO, ("triggered", LONG_AGO)),  # its send cannot be called back
    ],
)
def test_unschedule_answers_200_with_the_state_after_it(
    fake: FakeSendGrid,
    client: httpx.Client,
    spec_check: SpecCheck,
    status: SingleSendStatus,
    send_at: datetime | None,
    after: tuple[str, datetime | None],
) -> None:
    fake.add_single_send(OTHER, status=status, send_at=send_at)

    answer = SINGLE_SEND.checked(client, spec_check, "unscheduleSingleSend", 200, OTHER)

    single_send = fake.single_send(OTHER)
    assert (single_send.status, single_send.send_at) == after
    assert answer["status"] == after[0]
    assert answer["send_at"] == (None if after[1] is None else after[1].strftime("%FT%TZ"))
    assert fake.sends(OTHER) == fake.applied_sends(OTHER) == 0  # an unschedule is no send


@pytest.mark.parametrize("status", get_args(SingleSendStatus))
def test_get_answers_the_spec_example_with_this_id_status_and_send_at(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck, status: SingleSendStatus
) -> None:
    send_at = None if status == "draft" else LATER
    before = fake.add_single_send(OTHER, status=status, send_at=send_at)

    body = SINGLE_SEND.checked(client, spec_check, "getSingleSend", 200, OTHER)

    expected_at = None if send_at is None else "2100-01-01T09:30:00Z"
    assert body == example("sendgrid", "getSingleSend", "200") | {
        "id": OTHER,
        "status": status,
        "send_at": expected_at,
    }
    assert fake.single_send(OTHER) == before


# ---------------------------------------------------------------- a second send


def test_a_triggered_single_send_is_refused_a_second_schedule_with_403(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    fake.add_single_send(OTHER, status="triggered", send_at=LONG_AGO)

    for send_at in ("now", "2100-01-01T09:30:00Z"):
        body = SINGLE_SEND.checked(
            client, spec_check, "scheduleSingleSend", 403, OTHER, json={"send_at": send_at}
        )
        assert [e["message"] for e in body["errors"]] == [FakeSendGrid.ALREADY_TRIGGERED]

    assert fake.single_send(OTHER) == SingleSend(OTHER, "triggered", LONG_AGO, None)
    assert (fake.sends(OTHER), fake.applied_sends(OTHER)) == (2, 0)


def test_accept_second_schedule_makes_a_server_that_sends_it_again(
    client: httpx.Client, fake: FakeSendGrid, spec_check: SpecCheck
) -> None:
    assert fake.accept_second_schedule is False
    schedule(client, spec_check, "now")
    fake.accept_second_schedule = True

    schedule(client, spec_check, "now")

    assert fake.single_send(ID).status == "triggered"
    assert (fake.sends(ID), fake.applied_sends(ID)) == (2, 2)  # sent twice: what to guard


def test_the_switch_is_also_a_constructor_option() -> None:
    fake = FakeSendGrid(accept_second_schedule=True)
    fake.add_single_send(ID, status="triggered", send_at=LONG_AGO)
    with fake.http_client(headers=bearer(fake.api_key)) as client:
        response = client.put(SCHEDULE, json={"send_at": "2100-01-01T09:30:00Z"})

    assert response.status_code == 201
    assert fake.single_send(ID) == SingleSend(ID, "scheduled", LATER, None)
    assert fake.applied_sends(ID) == 1


# ---------------------------------------------------------------- bad bodies and ids


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"[]",
        b"{}",
        b'{"send_at": null}',
        b'{"send_at": 4102444800}',
        b'{"send_at": "later"}',
        b'{"send_at": "NOW"}',
        b'{"send_at": "2100-01-01T09:30:00"}',
        b'{"send_at": "2020-01-01T09:30:00Z"}',
        b"{no",
    ],
    ids=["no-body", "array", "missing", "null", "unix", "word", "upper", "naive", "past", "bad"],
)
def test_a_bad_send_at_is_the_spec_400_naming_send_at_and_changes_nothing(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck, content: bytes
) -> None:
    body = SINGLE_SEND.checked(
        client,
        spec_check,
        "scheduleSingleSend",
        400,
        content=content,
        headers={"Content-Type": "application/json"},
    )

    assert body == example("sendgrid", "scheduleSingleSend", "400")
    assert SINGLE_SEND.error_fields(body) == ["send_at"]
    assert fake.single_send(ID).status == "draft"
    assert (fake.sends(ID), fake.applied_sends(ID)) == (1, 0)


def test_ids_are_uuids_in_any_case_and_recorded_in_lower_case(
    fake: FakeSendGrid, client: httpx.Client
) -> None:
    upper = ID.upper()

    response = client.put(f"/v3/marketing/singlesends/{upper}/schedule", json={"send_at": "now"})

    assert response.status_code == 201

    assert fake.requests[-1].campaign_id == ID
    assert fake.single_send(uuid.UUID(ID)).status == "triggered"
    assert fake.single_send(upper) == fake.single_send(ID)
    for same in (ID, upper, uuid.UUID(ID)):
        assert (fake.sends(same), fake.applied_sends(same)) == (1, 1)
        assert fake.count("scheduleSingleSend", campaign_id=same) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v3/marketing/singlesends/4900"),  # a legacy id
        ("PUT", "/v3/marketing/singlesends/4900/schedule"),
        ("GET", "/v3/marketing/singlesends/not-a-uuid"),
        ("GET", f"/v3/marketing/singlesends/{ID}x"),
        ("POST", f"/v3/campaigns/{ID}/schedules/now"),  # a Single Send's id, legacy route
    ],
)
def test_an_id_of_the_wrong_kind_is_404_and_changes_nothing(
    fake: FakeSendGrid, client: httpx.Client, method: str, path: str
) -> None:
    fake.add_campaign(4900)

    response = client.request(method, path, json={"send_at": "now"})

    assert response.status_code == 404
    assert fake.single_send(ID).status == "draft"
    assert fake.campaign(4900).status == "Draft"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("",), {}),
        (("..",), {}),
        ((4900,), {}),
        (("2f6dec8143b94c67a8903a38cb63b54a",), {}),  # not the 8-4-4-4-12 form
        ((ID,), {"status": "sent"}),
        ((ID,), {"status": "Draft"}),
        ((ID,), {"status": "scheduled", "send_at": datetime(2100, 1, 1)}),  # naive
        ((ID,), {"send_at": "2100-01-01T09:30:00Z"}),  # a string, not a datetime
    ],
)
def test_add_single_send_refuses_what_is_not_a_single_send(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    fake = FakeSendGrid()
    with pytest.raises(ValueError):
        fake.add_single_send(*args, **kwargs)
    with pytest.raises(KeyError):
        fake.single_send(ID)


def test_add_single_send_defaults_and_duplicates() -> None:
    fake = FakeSendGrid()
    before = datetime.now(UTC)

    scheduled = fake.add_single_send(ID, status="scheduled")
    triggered = fake.add_single_send(uuid.UUID(OTHER), status="triggered")

    assert scheduled.send_at is not None and scheduled.send_at - before >= timedelta(days=1)
    assert triggered.send_at is not None and before <= triggered.send_at <= datetime.now(UTC)
    assert triggered.id == OTHER
    with pytest.raises(ValueError, match="already exists"):
        fake.add_single_send(ID.upper())
    zone = timezone(timedelta(hours=2))
    at = fake.add_single_send(str(uuid.uuid4()), status="scheduled", send_at=LATER.astimezone(zone))
    assert at.send_at == LATER and at.send_at.tzinfo == UTC


def test_a_single_send_belongs_to_its_on_behalf_of_account() -> None:
    fake = FakeSendGrid()
    fake.add_single_send(ID, on_behalf_of="subuser-marketing")
    with fake.http_client(headers=bearer(fake.api_key)) as client:
        unseen = client.put(SCHEDULE, json={"send_at": "now"})
        seen = client.put(
            SCHEDULE, json={"send_at": "now"}, headers={"on-behalf-of": "subuser-marketing"}
        )

    assert (unseen.status_code, seen.status_code) == (404, 201)
    assert fake.single_send(ID, on_behalf_of="subuser-marketing").status == "triggered"
    with pytest.raises(KeyError):
        fake.single_send(ID)
    assert fake.applied_sends(ID) == 1


def test_repr_counts_single_sends_and_shows_no_key(fake: FakeSendGrid) -> None:
    fake.add_campaign(4900)

    assert "campaigns=2" in repr(fake)
    assert fake.api_key not in repr(fake)
