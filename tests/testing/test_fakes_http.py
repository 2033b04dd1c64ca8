"""The fakes over real HTTP: `serve()` on 127.0.0.1, stalls, resets and shutdown."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from fakes_support import LostAnswer, Provider
from support import bearer

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

LATER = 4102444800  # 2100-01-01T00:00:00Z


@pytest.fixture
def served(fake: FakeSendGrid) -> Iterator[str]:
    """Base URL of `fake` (conftest.py: draft campaign 4900) served on 127.0.0.1."""
    with fake.serve() as base_url:
        yield base_url


def client_for(fake: FakeSendGrid | FakeMailGlyph, base_url: str, **kwargs: float) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers=bearer(fake.api_key), **kwargs)


def test_serve_binds_to_loopback_and_answers(fake: FakeSendGrid, served: str) -> None:
    assert served.startswith("http://127.0.0.1:")
    with client_for(fake, served) as client:
        response = client.post("/v3/campaigns/4900/schedules/now")

    assert response.status_code == 201
    assert response.json() == {"id": 4900, "status": "Scheduled"}
    assert fake.requests[-1].path == "/v3/campaigns/4900/schedules/now"
    assert fake.requests[-1].header("authorization") == "Bearer ***"


def test_one_keep_alive_connection_serves_many_requests_including_204(
    fake: FakeSendGrid, served: str
) -> None:
    connects: list[str] = []

    def trace(event: str, info: object) -> None:  # httpx's public "trace" extension
        if event == "connection.connect_tcp.complete":
            connects.append(event)

    with client_for(fake, served) as client:
        path = "/v3/campaigns/4900/schedules"
        on = {"trace": trace}
        assert client.post(path, json={"send_at": LATER}, extensions=on).status_code == 201
        assert client.delete(path, extensions=on).status_code == 204
        assert client.get(path, extensions=on).status_code == 404

    assert len(connects) == 1


def test_chunked_request_bodies_are_read(fake: FakeSendGrid, served: str) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"send_at": '
        yield str(LATER).encode() + b"}"

    with client_for(fake, served) as client:
        response = client.post(
            "/v3/campaigns/4900/schedules",
            content=body(),
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 201
    assert fake.requests[-1].header("transfer-encoding") == "chunked"
    assert fake.requests[-1].json == {"send_at": LATER}


def test_fail_next_over_http_sends_retry_after(fake: FakeSendGrid, served: str) -> None:
    fake.fail_next(429, retry_after=2)
    with client_for(fake, served) as client:
        response = client.post("/v3/campaigns/4900/schedules/now")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json() == {"errors": [{"field": None, "message": "too many requests"}]}


def test_stall_holds_the_answer_past_the_client_timeout(fake: FakeSendGrid, served: str) -> None:
    fake.stall_next()  # no seconds: until the client gives up
    started = time.monotonic()
    with client_for(fake, served, timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/v3/campaigns/4900/schedules/now")

    assert 0.3 <= time.monotonic() - started < 1.5
    assert fake.campaign(4900).status == "Sent"  # acted on, answer lost
    assert fake.sends(4900) == 1


def test_a_short_stall_only_delays_the_answer(fake: FakeSendGrid, served: str) -> None:
    fake.stall_next(seconds=0.2)
    started = time.monotonic()
    with client_for(fake, served, timeout=2) as client:
        response = client.post("/v3/campaigns/4900/schedules/now")

    assert response.status_code == 201
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("seconds", [None, 30.0])
def test_leaving_serve_ends_a_pending_stall_promptly(
    fake: FakeSendGrid, seconds: float | None
) -> None:
    fake.stall_next(seconds=seconds)
    with fake.serve() as base_url:
        with client_for(fake, base_url, timeout=0.2) as client, pytest.raises(httpx.ReadTimeout):
            client.post("/v3/campaigns/4900/schedules/now")
        left = time.monotonic()

    assert time.monotonic() - left < 2


def test_reset_closes_the_connection_with_rst_after_reading_the_request(
    fake: FakeSendGrid, served: str
) -> None:
    fake.reset_next()
    with client_for(fake, served) as client:
        with pytest.raises(httpx.ReadError, match="reset"):
            client.post("/v3/campaigns/4900/schedules", json={"send_at": LATER})
        assert fake.requests[-1].json == {"send_at": LATER}  # fully read
        assert fake.campaign(4900).status == "Scheduled"
        # the next request gets a fresh connection and a normal answer
        assert client.get("/v3/campaigns/4900/schedules").json() == {"send_at": LATER}


def test_a_lost_or_replaced_answer_over_http_then_a_retry_is_received_2_applied_1(
    provider: Provider, lost: LostAnswer
) -> None:
    fake = provider.fake()
    lost.inject(fake)
    with fake.serve() as base_url, client_for(fake, base_url, timeout=0.5) as client:
        lost.send(provider, client)

        lost.check_and_retry(provider, fake, client)


def test_a_read_can_be_failed_or_stalled_over_http(provider: Provider) -> None:
    fake = provider.fake()
    fake.fail_next(503, operation=provider.get)
    fake.stall_next(operation=provider.get)
    with fake.serve() as base_url, client_for(fake, base_url, timeout=0.3) as client:
        assert provider.call(client, provider.get).status_code == 503
        with pytest.raises(httpx.ReadTimeout):
            provider.call(client, provider.get)
        read = provider.call(client, provider.get)

    assert provider.read_status(read) == provider.draft
    assert fake.count(provider.get) == 3


def test_after_serve_the_port_refuses_connections(fake: FakeSendGrid) -> None:
    with fake.serve() as base_url:
        pass

    with client_for(fake, base_url, timeout=2) as client, pytest.raises(httpx.ConnectError):
        client.post("/v3/campaigns/4900/schedules/now")
    assert fake.requests == []


def test_a_fake_can_be_served_again_and_keeps_its_state(fake: FakeSendGrid) -> None:
    with fake.serve() as first, client_for(fake, first) as client:
        assert client.post("/v3/campaigns/4900/schedules/now").status_code == 201
    with fake.serve() as second, client_for(fake, second) as client:
        assert client.post("/v3/campaigns/4900/schedules/now").status_code == 403


def test_mailglyph_over_http_with_an_encoded_id() -> None:
    fake = FakeMailGlyph()
    fake.add_campaign("a/b")
    with fake.serve() as base_url, client_for(fake, base_url) as client:
        response = client.post("/campaigns/a%2Fb/send", json={"scheduledFor": None})

    assert response.status_code == 200
    assert response.json()["data"]["id"] == "a/b"
    assert fake.requests[-1].path == "/campaigns/a%2Fb/send"


@pytest.mark.anyio
async def test_async_client_over_http(fake: FakeSendGrid) -> None:
    with fake.serve() as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers=bearer(fake.api_key)) as client:
            first = await client.post("/v3/campaigns/4900/schedules/now")
            second = await client.post("/v3/campaigns/4900/schedules/now")

    assert (first.status_code, second.status_code) == (201, 403)
