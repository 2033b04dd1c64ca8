"""What each method puts on the wire, and what it returns."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import unquote

import httpx
import pytest
from mailglyph_client.models import SendCampaignResponse
from sendgrid_client.models import ScheduleInfo, ScheduleResponse, SendCampaignNowResponse
from support import MAILGLYPH_KEY, SENDGRID_KEY, Recorder, example, invoke

from campaign_clients import AsyncSendGrid, MailGlyph

pytestmark = pytest.mark.anyio

PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
AT = dt.datetime(2030, 1, 1, 12, 30, tzinfo=PLUS_TWO)  # 10:30 UTC
AT_UNIX = int(dt.datetime(2030, 1, 1, 10, 30, tzinfo=dt.UTC).timestamp())


def mailglyph_ok() -> Recorder:
    return Recorder([httpx.Response(200, json=example("mailglyph", "sendCampaign", "200"))])


def sendgrid_every_operation_ok(campaign_id: int) -> Recorder:
    """Success answers for send_now, schedule, reschedule, get_schedule, unschedule, in order."""
    scheduled = {"id": campaign_id, "send_at": AT_UNIX, "status": "Scheduled"}
    return Recorder(
        [
            httpx.Response(201, json={"id": campaign_id, "status": "Scheduled"}),
            httpx.Response(201, json=scheduled),
            httpx.Response(200, json=scheduled),
            httpx.Response(200, json={"send_at": AT_UNIX}),
            httpx.Response(204),
        ]
    )


async def test_mailglyph_send_now_posts_without_scheduled_for(make_client):
    rec = mailglyph_ok()
    mg = make_client("mailglyph", rec)
    result = await invoke(mg.send_now, "cmp_123")
    assert isinstance(result, SendCampaignResponse)
    assert result.data.id == "cmp_8f3a2b1c"
    (request,) = rec.requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.mailglyph.com/campaigns/cmp_123/send"
    assert request.headers["authorization"] == f"Bearer {MAILGLYPH_KEY}"
    assert request.content == b""  # scheduledFor omitted: send now


async def test_mailglyph_schedule_sends_utc_with_z(make_client):
    rec = mailglyph_ok()
    mg = make_client("mailglyph", rec)
    await invoke(mg.schedule, "cmp_123", at=AT)
    (request,) = rec.requests
    assert json.loads(request.content) == {"scheduledFor": "2030-01-01T10:30:00Z"}
    assert request.headers["content-type"] == "application/json"


async def test_sendgrid_operations_use_documented_paths_and_bodies(make_client):
    rec = sendgrid_every_operation_ok(4900)
    sg = make_client("sendgrid", rec)
    now = await invoke(sg.send_now, 4900)
    scheduled = await invoke(sg.schedule, 4900, at=AT)
    moved = await invoke(sg.reschedule, 4900, at=AT)
    info = await invoke(sg.get_schedule, 4900)
    gone = await invoke(sg.unschedule, 4900)

    assert isinstance(now, SendCampaignNowResponse) and now.id == 4900 and now.status == "Scheduled"
    assert isinstance(scheduled, ScheduleResponse) and scheduled.send_at == AT_UNIX
    assert isinstance(moved, ScheduleResponse)
    assert isinstance(info, ScheduleInfo) and info.send_at == AT_UNIX
    assert gone is None
    base = "https://api.sendgrid.com/v3/campaigns/4900"
    assert [(r.method, str(r.url)) for r in rec.requests] == [
        ("POST", f"{base}/schedules/now"),
        ("POST", f"{base}/schedules"),
        ("PATCH", f"{base}/schedules"),
        ("GET", f"{base}/schedules"),
        ("DELETE", f"{base}/schedules"),
    ]
    bodies = [json.loads(r.content) if r.content else None for r in rec.requests]
    assert bodies == [None, {"send_at": AT_UNIX}, {"send_at": AT_UNIX}, None, None]
    assert all(r.headers["authorization"] == f"Bearer {SENDGRID_KEY}" for r in rec.requests)


@pytest.mark.parametrize(
    "campaign_id",
    ["a/b", "../send", "a?b=1", "a#frag", "50%", "...", "a b", "..%2f..", "ünï"],
)
async def test_mailglyph_id_stays_one_path_segment(make_client, campaign_id):
    rec = mailglyph_ok()
    mg = make_client("mailglyph", rec)
    await invoke(mg.send_now, campaign_id)
    (request,) = rec.requests
    segments = request.url.raw_path.split(b"/")
    assert segments[0] == b"" and segments[1] == b"campaigns" and segments[3] == b"send"
    assert len(segments) == 4
    assert request.url.query == b""
    assert httpx.URL(request.url).fragment == ""
    assert unquote(segments[2].decode()) == campaign_id


async def test_requests_go_to_facade_base_url_with_injected_client(flavor, make_client):
    rec = mailglyph_ok()
    # The injected client's own base_url is ignored; its default headers are kept.
    mg = make_client(
        "mailglyph", rec, base_url="https://proxy.internal/mg/", headers={"X-Team": "growth"}
    )
    await invoke(mg.send_now, "cmp_1")
    (request,) = rec.requests
    assert str(request.url) == "https://proxy.internal/mg/campaigns/cmp_1/send"
    assert request.headers["x-team"] == "growth"


async def test_sendgrid_region_and_base_url(make_client):
    rec = Recorder([httpx.Response(201, json={"id": 1, "status": "Scheduled"})])
    await invoke(make_client("sendgrid", rec, region="eu").send_now, 1)
    await invoke(
        make_client("sendgrid", rec, region="eu", base_url="http://127.0.0.1:9").send_now, 1
    )
    await invoke(make_client("sendgrid", rec).send_now, 1)
    hosts = [r.url.host for r in rec.requests]
    assert hosts == ["api.eu.sendgrid.com", "127.0.0.1", "api.sendgrid.com"]


async def test_on_behalf_of_override_never_sticks(make_client):
    rec = Recorder([httpx.Response(201, json={"id": 1, "status": "Scheduled"})])
    sg = make_client("sendgrid", rec, on_behalf_of="parent-default")
    await invoke(sg.send_now, 1)
    await invoke(sg.send_now, 1, on_behalf_of="subuser-a")
    await invoke(sg.send_now, 1)
    plain = make_client("sendgrid", rec)
    await invoke(plain.send_now, 1, on_behalf_of="subuser-b")
    await invoke(plain.send_now, 1)
    seen = [r.headers.get("on-behalf-of") for r in rec.requests]
    assert seen == ["parent-default", "subuser-a", "parent-default", "subuser-b", None]


async def test_every_sendgrid_method_takes_on_behalf_of(make_client):
    rec = sendgrid_every_operation_ok(1)
    sg = make_client("sendgrid", rec)
    await invoke(sg.send_now, 1, on_behalf_of="u1")
    await invoke(sg.schedule, 1, at=AT, on_behalf_of="u2")
    await invoke(sg.reschedule, 1, at=AT, on_behalf_of="u3")
    await invoke(sg.get_schedule, 1, on_behalf_of="u4")
    await invoke(sg.unschedule, 1, on_behalf_of="u5")
    assert [r.headers["on-behalf-of"] for r in rec.requests] == ["u1", "u2", "u3", "u4", "u5"]


async def test_injected_http_client_is_not_closed(flavor, make_client):
    rec = mailglyph_ok()
    mg = make_client("mailglyph", rec)
    http = mg._http
    if flavor == "sync":
        with mg:
            mg.send_now("cmp_1")
    else:
        async with mg:
            await mg.send_now("cmp_1")
    assert not http.is_closed


def test_own_client_is_pooled_and_closed_by_context_manager():
    with MailGlyph(MAILGLYPH_KEY) as mg:
        http = mg._http
        assert isinstance(http, httpx.Client) and not http.is_closed
    assert http.is_closed


async def test_own_async_client_is_closed_by_async_context_manager():
    async with AsyncSendGrid(SENDGRID_KEY) as sg:
        http = sg._http
        assert isinstance(http, httpx.AsyncClient)
    assert http.is_closed


async def test_unknown_fields_are_kept(make_client):
    body = example("mailglyph", "sendCampaign", "200")
    body["data"]["status"] = "SENDING"
    body["data"]["audienceType"] = "SEGMENT"
    mg = make_client("mailglyph", Recorder([httpx.Response(200, json=body)]))
    result = await invoke(mg.send_now, "cmp_1")
    assert result.data.status == "SENDING"
    assert result.data.additional_properties == {"audienceType": "SEGMENT"}
