"""FakeSendGrid: the schedule state machine, key checks, records and faults (raw httpx)."""

from __future__ import annotations

import time
from typing import Any, get_args

import httpx
import pytest
from support import SpecCheck, bearer

from campaign_clients.testing import FakeSendGrid, SendGridStatus

# Fixtures (conftest.py): `fake` holds draft campaign 4900, `client` sends its key.

NOW = "/v3/campaigns/4900/schedules/now"
SCHEDULES = "/v3/campaigns/4900/schedules"
LATER = 4102444800  # 2100-01-01T00:00:00Z
LATER_STILL = LATER + 3600

NOT_DRAFT = "You may only send a campaign when it is in draft mode."


def messages(response: httpx.Response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def test_send_now_on_a_draft_is_201_with_the_spec_example_and_the_campaign_is_sent(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    response = client.post(NOW)

    assert response.status_code == 201
    spec_check("sendgrid", "sendCampaignNow", 201, response.json())
    assert response.json() == {"id": 4900, "status": "Scheduled"}
    assert fake.campaign(4900).status == "Sent"


@pytest.mark.parametrize("status", [s for s in get_args(SendGridStatus) if s != "Draft"])
def test_send_now_when_not_a_draft_is_the_documented_403(
    client: httpx.Client, fake: FakeSendGrid, spec_check: SpecCheck, status: Any
) -> None:
    fake.add_campaign(7, status=status)

    response = client.post("/v3/campaigns/7/schedules/now")

    assert response.status_code == 403
    spec_check("sendgrid", "sendCampaignNow", 403, response.json())
    assert messages(response) == [NOT_DRAFT]
    assert fake.campaign(7).status == status


def test_second_send_now_is_refused(client: httpx.Client) -> None:
    assert client.post(NOW).status_code == 201

    second = client.post(NOW)

    assert second.status_code == 403
    assert messages(second) == [NOT_DRAFT]


def test_schedule_then_view_reschedule_and_unschedule(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    scheduled = client.post(SCHEDULES, json={"send_at": LATER})
    assert scheduled.status_code == 201
    spec_check("sendgrid", "scheduleCampaign", 201, scheduled.json())
    assert scheduled.json() == {"id": 4900, "send_at": LATER, "status": "Scheduled"}
    assert fake.campaign(4900).status == "Scheduled"

    viewed = client.get(SCHEDULES)
    assert viewed.status_code == 200
    spec_check("sendgrid", "getCampaignSchedule", 200, viewed.json())
    assert viewed.json() == {"send_at": LATER}

    moved = client.patch(SCHEDULES, json={"send_at": LATER_STILL})
    assert moved.status_code == 200
    spec_check("sendgrid", "rescheduleCampaign", 200, moved.json())
    assert moved.json() == {"id": 4900, "send_at": LATER_STILL, "status": "Scheduled"}
    assert fake.campaign(4900).send_at == LATER_STILL

    removed = client.delete(SCHEDULES)
    assert removed.status_code == 204
    assert removed.content == b""
    assert fake.campaign(4900).status == "Draft"
    assert fake.campaign(4900).send_at is None


def test_schedule_when_not_a_draft_is_the_documented_403(
    client: httpx.Client, spec_check: SpecCheck
) -> None:
    client.post(SCHEDULES, json={"send_at": LATER})

    again = client.post(SCHEDULES, json={"send_at": LATER_STILL})

    assert again.status_code == 403
    spec_check("sendgrid", "scheduleCampaign", 403, again.json())
    assert messages(again)[0].startswith("You cannot POST to a campaign that has already sent")


def test_reschedule_when_not_scheduled_is_the_documented_403(
    client: httpx.Client, spec_check: SpecCheck
) -> None:
    response = client.patch(SCHEDULES, json={"send_at": LATER})

    assert response.status_code == 403
    spec_check("sendgrid", "rescheduleCampaign", 403, response.json())
    assert response.json()["errors"][0]["field"] == "send_at"


def test_unschedule_a_sent_campaign_is_the_documented_403(
    client: httpx.Client, spec_check: SpecCheck
) -> None:
    client.post(NOW)

    response = client.delete(SCHEDULES)

    assert response.status_code == 403
    spec_check("sendgrid", "unscheduleCampaign", 403, response.json())
    assert messages(response) == ["This campaign is already In Progress."]


@pytest.mark.parametrize(
    ("method", "operation"),
    [("GET", "getCampaignSchedule"), ("DELETE", "unscheduleCampaign")],
)
def test_a_draft_has_no_schedule_404(
    client: httpx.Client, spec_check: SpecCheck, method: str, operation: str
) -> None:
    response = client.request(method, SCHEDULES)

    assert response.status_code == 404
    spec_check("sendgrid", operation, 404, response.json())


@pytest.mark.parametrize(
    "body",
    [{"send_at": int(time.time()) - 60}, {"send_at": "soon"}, {"send_at": True}, {}, None],
    ids=["past", "string", "bool", "missing", "no-body"],
)
def test_a_bad_send_at_is_400_and_nothing_changes(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck, body: Any
) -> None:
    response = client.post(SCHEDULES, json=body)

    assert response.status_code == 400
    spec_check("sendgrid", "scheduleCampaign", 400, response.json())
    assert response.json()["errors"][0]["field"] == "send_at"
    assert fake.campaign(4900).status == "Draft"


@pytest.mark.parametrize("path", ["/v3/campaigns/abc/schedules", "/v3/campaigns/0/schedules/now"])
def test_non_numeric_or_zero_ids_are_not_routes(client: httpx.Client, path: str) -> None:
    assert client.post(path).status_code == 404


def test_missing_or_wrong_key_is_401(fake: FakeSendGrid, spec_check: SpecCheck) -> None:
    for headers in ({}, {"Authorization": "Bearer SG.wrong"}):
        with fake.http_client(headers=headers) as client:
            response = client.post(NOW)
        assert response.status_code == 401
        spec_check("sendgrid", "sendCampaignNow", 401, response.json())
        assert messages(response) == ["authorization required"]
    assert fake.campaign(4900).status == "Draft"


def test_on_behalf_of_selects_the_subuser_account(fake: FakeSendGrid, client: httpx.Client) -> None:
    fake.add_campaign(55, on_behalf_of="subuser-marketing")

    assert client.post("/v3/campaigns/55/schedules/now").status_code == 404
    sent = client.post(
        "/v3/campaigns/55/schedules/now", headers={"on-behalf-of": "subuser-marketing"}
    )
    assert sent.status_code == 201
    assert fake.campaign(55, on_behalf_of="subuser-marketing").status == "Sent"
    assert fake.requests[-1].header("on-behalf-of") == "subuser-marketing"


def test_records_counts_and_redaction(fake: FakeSendGrid, client: httpx.Client) -> None:
    client.post(SCHEDULES, json={"send_at": LATER})
    client.post(NOW)  # refused: scheduled
    client.get(SCHEDULES)

    assert [(r.method, r.operation) for r in fake.requests] == [
        ("POST", "scheduleCampaign"),
        ("POST", "sendCampaignNow"),
        ("GET", "getCampaignSchedule"),
    ]
    assert fake.sends(4900) == 2  # send now and schedule both may start a send
    assert fake.count("getCampaignSchedule", campaign_id=4900) == 1
    assert fake.requests[0].json == {"send_at": LATER}
    assert fake.requests[0].campaign_id == 4900
    assert all(r.header("authorization") == "Bearer ***" for r in fake.requests)
    assert fake.api_key not in repr(fake.requests)
    assert fake.api_key not in repr(fake)


def test_fail_next_for_one_operation_only(
    fake: FakeSendGrid, client: httpx.Client, spec_check: SpecCheck
) -> None:
    fake.fail_next(429, operation="sendCampaignNow", retry_after=1.5)

    assert client.get(SCHEDULES).status_code == 404  # another operation: no fault
    limited = client.post(NOW)

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1.5"
    spec_check("sendgrid", "sendCampaignNow", 429, limited.json())
    assert messages(limited) == ["too many requests"]
    assert fake.campaign(4900).status == "Draft"
    assert client.post(NOW).status_code == 201


def test_fail_next_5xx_keeps_sendgrids_error_shape(
    fake: FakeSendGrid, client: httpx.Client
) -> None:
    fake.fail_next(500, headers={"X-Test": "yes"})

    response = client.post(NOW)

    assert response.status_code == 500
    assert response.headers["X-Test"] == "yes"
    assert messages(response) == ["internal server error"]
    assert fake.campaign(4900).status == "Draft"


def test_reset_and_stall_act_before_the_answer_is_lost(fake: FakeSendGrid) -> None:
    fake.reset_next(operation="scheduleCampaign")
    fake.stall_next(seconds=10, operation="sendCampaignNow")
    fake.add_campaign(2)
    with fake.http_client(headers=bearer(fake.api_key), timeout=2) as client:
        with pytest.raises(httpx.ReadError):
            client.post(SCHEDULES, json={"send_at": LATER})
        with pytest.raises(httpx.ReadTimeout):
            client.post("/v3/campaigns/2/schedules/now")

    assert fake.campaign(4900).status == "Scheduled"
    assert fake.campaign(2).status == "Sent"


def test_add_campaign_checks_its_arguments(fake: FakeSendGrid) -> None:
    with pytest.raises(ValueError, match="already exists"):
        fake.add_campaign(4900)
    with pytest.raises(ValueError, match="positive int"):
        fake.add_campaign("4900")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status"):
        fake.add_campaign(1, status="draft")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_transport_works_with_an_async_client(fake: FakeSendGrid) -> None:
    async with fake.async_http_client(headers=bearer(fake.api_key)) as client:
        assert (await client.post(NOW)).status_code == 201
        assert (await client.post(NOW)).status_code == 403
