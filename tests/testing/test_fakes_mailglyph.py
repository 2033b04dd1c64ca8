"""FakeMailGlyph: states, key checks, records and faults, in-process (raw httpx)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from support import SpecCheck, bearer

from campaign_clients.testing import DEFAULT_MAILGLYPH_KEY, FakeMailGlyph, MailGlyphStatus

FUTURE = "2099-03-01T09:30:00Z"


@pytest.fixture
def fake(mailglyph_fake: FakeMailGlyph) -> FakeMailGlyph:
    """Overrides conftest.py's FakeSendGrid; conftest.py's `client` sends this fake's key."""
    return mailglyph_fake


def test_send_now_answers_the_spec_shape_and_makes_the_campaign_sending(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck
) -> None:
    response = client.post("/campaigns/cmp_1/send")

    assert response.status_code == 200
    body = response.json()
    spec_check("mailglyph", "sendCampaign", 200, body)
    assert body["success"] is True
    assert body["data"]["id"] == "cmp_1"
    assert body["data"]["status"] == "SENDING"
    assert body["data"]["scheduledFor"] is None
    campaign = fake.campaign("cmp_1")
    assert campaign.status == "SENDING"
    assert campaign.sent_at is not None


def test_null_scheduled_for_sends_now(fake: FakeMailGlyph, client: httpx.Client) -> None:
    response = client.post("/campaigns/cmp_1/send", json={"scheduledFor": None})

    assert response.status_code == 200
    assert fake.campaign("cmp_1").status == "SENDING"


def test_schedule_stores_and_echoes_the_instant_in_utc(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck
) -> None:
    response = client.post(
        "/campaigns/cmp_1/send", json={"scheduledFor": "2099-03-01T11:30:00+02:00"}
    )

    assert response.status_code == 200
    spec_check("mailglyph", "sendCampaign", 200, response.json())
    assert response.json()["data"]["scheduledFor"] == FUTURE
    assert response.json()["message"] == "Campaign scheduled"
    campaign = fake.campaign("cmp_1")
    assert campaign.status == "SCHEDULED"
    assert campaign.scheduled_for == datetime(2099, 3, 1, 9, 30, tzinfo=UTC)


def test_a_scheduled_campaign_can_be_rescheduled_and_then_sent_now(
    fake: FakeMailGlyph, client: httpx.Client
) -> None:
    client.post("/campaigns/cmp_1/send", json={"scheduledFor": FUTURE})
    again = client.post("/campaigns/cmp_1/send", json={"scheduledFor": "2099-04-01T00:00:00Z"})
    assert again.status_code == 200
    assert fake.campaign("cmp_1").scheduled_for == datetime(2099, 4, 1, tzinfo=UTC)

    now = client.post("/campaigns/cmp_1/send")
    assert now.status_code == 200
    assert fake.campaign("cmp_1").status == "SENDING"


@pytest.mark.parametrize("second", [None, {"scheduledFor": FUTURE}], ids=["send", "schedule"])
def test_sending_again_after_a_send_is_refused_with_the_spec_400(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck, second: object
) -> None:
    client.post("/campaigns/cmp_1/send")

    refused = client.post("/campaigns/cmp_1/send", json=second)

    assert refused.status_code == 400
    body = refused.json()
    spec_check("mailglyph", "sendCampaign", 400, body)
    assert body["success"] is False
    assert body["error"]["code"] == "CAMPAIGN_ALREADY_SENT"
    assert body["error"]["statusCode"] == 400
    assert body["error"]["requestId"].startswith("req_")
    assert fake.campaign("cmp_1").status == "SENDING"


@pytest.mark.parametrize("status", ["SENDING", "SENT", "CANCELLED"])
@pytest.mark.parametrize("second", [None, {"scheduledFor": FUTURE}], ids=["send", "schedule"])
def test_only_a_draft_or_scheduled_campaign_may_be_sent(
    fake: FakeMailGlyph,
    client: httpx.Client,
    spec_check: SpecCheck,
    status: MailGlyphStatus,
    second: object,
) -> None:
    before = fake.add_campaign("cmp_old", status=status)

    refused = client.post("/campaigns/cmp_old/send", json=second)

    assert refused.status_code == 400
    spec_check("mailglyph", "sendCampaign", 400, refused.json())
    assert refused.json()["error"]["code"] == "CAMPAIGN_ALREADY_SENT"
    assert fake.campaign("cmp_old") == before
    assert (fake.sends("cmp_old"), fake.applied_sends("cmp_old")) == (1, 0)


def test_unknown_id_is_404(client: httpx.Client, spec_check: SpecCheck) -> None:
    response = client.post("/campaigns/cmp_missing/send")

    assert response.status_code == 404
    spec_check("mailglyph", "sendCampaign", 404, response.json())
    assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer sk_wrong"}, {"Authorization": f"Basic {DEFAULT_MAILGLYPH_KEY}"}],
    ids=["missing", "wrong", "not-bearer"],
)
def test_missing_or_wrong_key_is_401_and_nothing_changes(
    fake: FakeMailGlyph, spec_check: SpecCheck, headers: dict[str, str]
) -> None:
    with fake.http_client(headers=headers) as client:
        response = client.post("/campaigns/cmp_1/send")

    assert response.status_code == 401
    spec_check("mailglyph", "sendCampaign", 401, response.json())
    assert response.json()["error"]["code"] == "UNAUTHORIZED"
    assert fake.campaign("cmp_1").status == "DRAFT"


def test_public_key_is_403(fake: FakeMailGlyph, spec_check: SpecCheck) -> None:
    with fake.http_client(headers={"Authorization": "Bearer pk_public"}) as client:
        response = client.post("/campaigns/cmp_1/send")

    assert response.status_code == 403
    spec_check("mailglyph", "sendCampaign", 403, response.json())


def test_fake_accepts_the_key_it_was_given() -> None:
    fake = FakeMailGlyph(api_key="sk_custom")
    fake.add_campaign("c")
    with fake.http_client(headers={"Authorization": "Bearer sk_custom"}) as client:
        assert client.post("/campaigns/c/send").status_code == 200


@pytest.mark.parametrize(
    "scheduled_for",
    [
        (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "2099-03-01T09:30:00",
        "next tuesday",
        12345,
    ],
    ids=["past", "naive", "garbage", "number"],
)
def test_invalid_scheduled_for_is_the_spec_422(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck, scheduled_for: object
) -> None:
    response = client.post("/campaigns/cmp_1/send", json={"scheduledFor": scheduled_for})

    assert response.status_code == 422
    spec_check("mailglyph", "sendCampaign", 422, response.json())
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert fake.campaign("cmp_1").status == "DRAFT"


def test_ids_are_one_percent_encoded_path_segment(
    fake: FakeMailGlyph, client: httpx.Client
) -> None:
    fake.add_campaign("a/b c")

    response = client.post("/campaigns/a%2Fb%20c/send")

    assert response.status_code == 200
    assert response.json()["data"]["id"] == "a/b c"
    assert fake.requests[-1].path == "/campaigns/a%2Fb%20c/send"
    assert fake.requests[-1].campaign_id == "a/b c"


def test_other_paths_and_methods(client: httpx.Client) -> None:
    assert client.post("/campaigns/cmp_1/unknown").status_code == 404
    assert client.get("/campaigns/cmp_1/send").status_code == 405


def test_requests_are_recorded_with_the_key_redacted(
    fake: FakeMailGlyph, client: httpx.Client
) -> None:
    client.post("/campaigns/cmp_1/send", json={"scheduledFor": FUTURE})

    (recorded,) = fake.requests
    assert recorded.method == "POST"
    assert recorded.path == "/campaigns/cmp_1/send"
    assert recorded.json == {"scheduledFor": FUTURE}
    assert recorded.operation == "sendCampaign"
    assert recorded.campaign_id == "cmp_1"
    assert recorded.header("Authorization") == "Bearer ***"
    assert fake.api_key not in repr(recorded)
    assert fake.api_key not in repr(fake)


def test_a_wrong_key_is_not_recorded_either(fake: FakeMailGlyph) -> None:
    with fake.http_client(headers={"Authorization": "Bearer sk_live_someone_elses"}) as client:
        client.post("/campaigns/cmp_1/send")

    assert "sk_live_someone_elses" not in repr(fake.requests)


def test_counts_per_campaign_and_operation(fake: FakeMailGlyph, client: httpx.Client) -> None:
    fake.add_campaign("cmp_2")
    client.post("/campaigns/cmp_1/send")
    client.post("/campaigns/cmp_1/send")  # refused, still received
    client.post("/campaigns/cmp_2/send")

    assert fake.sends("cmp_1") == 2
    assert fake.sends("cmp_2") == 1
    assert fake.count("sendCampaign") == 3
    assert fake.count(campaign_id="cmp_2") == 1
    assert [r.campaign_id for r in fake.requests_for("sendCampaign")] == ["cmp_1", "cmp_1", "cmp_2"]
    fake.clear_requests()
    assert fake.requests == []


def test_fail_next_answers_the_spec_429_with_retry_after_and_does_not_act(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck
) -> None:
    fake.fail_next(429, retry_after=3)

    limited = client.post("/campaigns/cmp_1/send")

    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "3"
    spec_check("mailglyph", "sendCampaign", 429, limited.json())
    assert limited.json()["error"]["details"] == {"retryAfter": 3}
    assert fake.campaign("cmp_1").status == "DRAFT"
    assert fake.sends("cmp_1") == 1
    assert client.post("/campaigns/cmp_1/send").status_code == 200
    assert fake.pending_faults == 0


def test_fail_next_5xx_uses_the_spec_5xx_example(
    fake: FakeMailGlyph, client: httpx.Client, spec_check: SpecCheck
) -> None:
    fake.fail_next(503)

    response = client.post("/campaigns/cmp_1/send")

    assert response.status_code == 503
    spec_check("mailglyph", "sendCampaign", 503, response.json())
    assert response.json()["error"]["code"] == "INTERNAL_ERROR"
    assert response.json()["error"]["statusCode"] == 503
    assert "Retry-After" not in response.headers
    assert fake.campaign("cmp_1").status == "DRAFT"


def test_fail_next_times_and_queue_order(fake: FakeMailGlyph, client: httpx.Client) -> None:
    fake.fail_next(503, times=2)
    fake.fail_next(429)

    statuses = [client.post("/campaigns/cmp_1/send").status_code for _ in range(4)]

    assert statuses == [503, 503, 429, 200]


def test_fail_next_with_a_custom_body(fake: FakeMailGlyph, client: httpx.Client) -> None:
    fake.fail_next(200, body={"unexpected": True})
    fake.fail_next(200, body=b"{not json")

    assert client.post("/campaigns/cmp_1/send").json() == {"unexpected": True}
    assert client.post("/campaigns/cmp_1/send").content == b"{not json"


def test_fault_arguments_are_checked(fake: FakeMailGlyph) -> None:
    with pytest.raises(ValueError, match="operation"):
        fake.fail_next(500, operation="sendCampaignNow")
    with pytest.raises(ValueError, match="times"):
        fake.reset_next(times=0)
    with pytest.raises(ValueError, match="status"):
        fake.fail_next(42)
    with pytest.raises(ValueError, match="seconds"):
        fake.stall_next(-1)


@pytest.mark.parametrize(
    ("seconds", "timeout"),
    [(5, 1.0), (None, 30.0)],
    ids=["stall-at-least-the-read-timeout", "default-stall-whatever-the-timeout"],
)
def test_in_process_stall_raises_read_timeout_and_acts(
    fake: FakeMailGlyph, seconds: float | None, timeout: float
) -> None:
    fake.stall_next(seconds=seconds)
    with (
        fake.http_client(timeout=timeout, headers=bearer(fake.api_key)) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/campaigns/cmp_1/send")

    assert fake.campaign("cmp_1").status == "SENDING"
    assert fake.sends("cmp_1") == 1


def test_in_process_stall_shorter_than_the_timeout_answers(fake: FakeMailGlyph) -> None:
    fake.stall_next(seconds=0.5)
    with fake.http_client(timeout=1.0, headers=bearer(fake.api_key)) as client:
        assert client.post("/campaigns/cmp_1/send").status_code == 200


def test_in_process_reset_raises_read_error_after_acting(
    fake: FakeMailGlyph, client: httpx.Client
) -> None:
    fake.reset_next()

    with pytest.raises(httpx.ReadError):
        client.post("/campaigns/cmp_1/send")

    assert fake.campaign("cmp_1").status == "SENDING"
    assert fake.requests[-1].operation == "sendCampaign"


def test_clear_faults(fake: FakeMailGlyph, client: httpx.Client) -> None:
    fake.fail_next(500, times=3)
    fake.clear_faults()

    assert fake.pending_faults == 0
    assert client.post("/campaigns/cmp_1/send").status_code == 200


def test_add_campaign_checks_its_arguments(fake: FakeMailGlyph) -> None:
    with pytest.raises(ValueError, match="already exists"):
        fake.add_campaign("cmp_1")
    with pytest.raises(ValueError, match="status"):
        fake.add_campaign("x", status="sent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="aware"):
        fake.add_campaign("y", status="SCHEDULED", scheduled_for=datetime(2099, 1, 1))
    with pytest.raises(KeyError):
        fake.campaign("nope")


@pytest.mark.anyio
async def test_transport_works_with_an_async_client(fake: FakeMailGlyph) -> None:
    async with fake.async_http_client(headers=bearer(fake.api_key)) as client:
        response = await client.post("/campaigns/cmp_1/send", json={"scheduledFor": FUTURE})

    assert response.status_code == 200
    assert fake.campaign("cmp_1").status == "SCHEDULED"
