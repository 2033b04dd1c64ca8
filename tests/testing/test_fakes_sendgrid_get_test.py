"""FakeSendGrid's read, the statuses it only holds when added so, `sent_at` and the
schedule counts (raw httpx; the test send is in test_fakes_operations.py, with MailGlyph's)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, get_args

import httpx
import pytest
from fakes_support import PROVIDERS
from support import SpecCheck, example

from campaign_clients.testing import FakeSendGrid, SendGridStatus

# Fixtures (conftest.py): `fake` holds draft campaign 4900, `client` sends its key.

LATER = 4102444800  # 2100-01-01T00:00:00Z
LONG_AGO = int(datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp())
STARTED = ("Sent", "In Progress", "Paused", "Canceled")  # a send has started
SENDGRID = PROVIDERS["sendgrid"]


@pytest.mark.parametrize("status", get_args(SendGridStatus))
def test_get_answers_the_spec_example_with_this_campaigns_id_and_status(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck, status: Any
) -> None:
    before = fake.add_campaign(7, status=status)

    body = SENDGRID.checked(client, spec_check, "getCampaign", 200, 7)

    assert body == example("sendgrid", "getCampaign", "200") | {"id": 7, "status": status}
    assert fake.campaign(7) == before


def test_get_after_send_now_reads_sent_and_the_fake_remembers_when(
    fake: FakeSendGrid, client: httpx.Client
) -> None:
    started = int(time.time())
    client.post("/v3/campaigns/4900/schedules/now")

    assert client.get("/v3/campaigns/4900").json()["status"] == "Sent"
    sent_at = fake.campaign(4900).sent_at
    assert sent_at is not None and started <= sent_at <= time.time()


@pytest.mark.parametrize(
    ("method", "path", "json"),
    [
        ("GET", "/v3/campaigns/55", None),
        ("POST", "/v3/campaigns/55/schedules/test", {"to": "qa@example.org"}),
    ],
    ids=["get", "test"],
)
def test_reads_and_test_sends_are_scoped_by_on_behalf_of(
    fake: FakeSendGrid, client: httpx.Client, method: str, path: str, json: Any
) -> None:
    fake.add_campaign(55, on_behalf_of="subuser-marketing")

    assert client.request(method, path, json=json).status_code == 404
    scoped = client.request(method, path, json=json, headers={"on-behalf-of": "subuser-marketing"})
    assert scoped.is_success


@pytest.mark.parametrize("status", STARTED)
@pytest.mark.parametrize(
    ("method", "path", "json", "answer", "operation"),
    [
        ("POST", "/schedules/now", None, 403, "sendCampaignNow"),
        ("POST", "/schedules", {"send_at": LATER}, 403, "scheduleCampaign"),
        ("PATCH", "/schedules", {"send_at": LATER}, 403, "rescheduleCampaign"),
        ("DELETE", "/schedules", None, 403, "unscheduleCampaign"),
        ("GET", "/schedules", None, 404, "getCampaignSchedule"),
    ],
    ids=["send-now", "schedule", "reschedule", "unschedule", "view-schedule"],
)
def test_once_a_send_started_the_schedule_cannot_change(
    fake: FakeSendGrid,
    client: httpx.Client,
    spec_check: SpecCheck,
    status: Any,
    method: str,
    path: str,
    json: Any,
    answer: int,
    operation: str,
) -> None:
    before = fake.add_campaign(7, status=status)

    response = client.request(method, f"/v3/campaigns/7{path}", json=json)

    assert response.status_code == answer
    spec_check("sendgrid", operation, answer, response.json())
    assert fake.campaign(7) == before
    assert fake.applied_sends(7) == 0


def test_schedules_are_applied_sends_and_reschedules_are_not_sends(
    fake: FakeSendGrid, client: httpx.Client
) -> None:
    schedules = "/v3/campaigns/4900/schedules"
    assert client.post(schedules, json={"send_at": LATER}).status_code == 201
    assert client.patch(schedules, json={"send_at": LATER + 60}).status_code == 200
    assert client.post(schedules, json={"send_at": LATER}).status_code == 403
    assert client.delete(schedules).status_code == 204
    assert client.post(f"{schedules}/now").status_code == 201

    assert (fake.sends(4900), fake.applied_sends(4900)) == (3, 2)


@pytest.mark.parametrize("status", get_args(SendGridStatus))
def test_add_campaign_sent_at_defaults_to_now_once_a_send_started(
    fake: FakeSendGrid, status: Any
) -> None:
    before = int(time.time())

    sent_at = fake.add_campaign(7, status=status).sent_at

    if status in STARTED:
        assert sent_at is not None and before <= sent_at <= time.time()
    else:
        assert sent_at is None


@pytest.mark.parametrize(
    "given",
    [LONG_AGO, datetime(2020, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))],
    ids=["unix", "aware-datetime"],
)
def test_add_campaign_keeps_a_given_sent_at_in_unix_seconds(fake: FakeSendGrid, given: Any) -> None:
    assert fake.add_campaign(7, status="Sent", sent_at=given).sent_at == LONG_AGO
    assert fake.campaign(7).sent_at == LONG_AGO


def test_add_campaign_refuses_a_naive_sent_at(fake: FakeSendGrid) -> None:
    with pytest.raises(ValueError, match="sent_at must be timezone-aware"):
        fake.add_campaign(7, status="Sent", sent_at=datetime(2020, 1, 1))
