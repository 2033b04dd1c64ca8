"""The fakes' faults for a client's bounds, with plain httpx clients: `drip_next` (an
answer a byte at a time) and `oversize_next` (a padded body, optionally gzip), over real
HTTP on 127.0.0.1 and in process."""

from __future__ import annotations

import gzip
import json
import time

import httpx
import pytest
from fakes_support import Fake, Provider
from support import bearer

from campaign_clients.testing import FakeSendGrid

SCHEDULE = "/v3/campaigns/4900/schedules"


@pytest.fixture
def fake(provider: Provider) -> Fake:
    """Overrides conftest.py's: this provider's fake, holding draft `provider.campaign_id`."""
    return provider.fake()


def http_client(fake: Fake, base_url: str, **kwargs: float) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers=bearer(fake.api_key), **kwargs)


# ---------------------------------------------------------------- drip


def test_a_drip_over_http_acts_then_sends_the_answer_a_byte_at_a_time(provider, fake):
    fake.drip_next(0.0002, body_only=True)
    with fake.serve() as base_url, http_client(fake, base_url, timeout=5) as client:
        method, path = provider.path(provider.send_now)
        with client.stream(method, path, **provider.body(provider.send_now)) as response:
            pieces = list(response.iter_raw())
    assert response.status_code == provider.success(provider.send_now)
    # It dripped: an undripped answer arrives in one or two reads. How many bytes each
    # read holds depends on the scheduler (a busy machine coalesces a few), so only the
    # count of reads is asserted.
    assert len(pieces) > 10
    assert json.loads(b"".join(pieces))  # and it is the whole answer
    assert provider.counts(fake) == (1, 1)
    assert provider.status(fake) == provider.sending


def test_a_drip_never_trips_a_per_read_timeout() -> None:
    fake = FakeSendGrid()
    fake.add_campaign(4900, status="Scheduled", send_at=1893456000)
    fake.drip_next(0.01, body_only=True)  # a byte every 10 ms, against a 200 ms read timeout
    with fake.serve() as base_url, http_client(fake, base_url, timeout=0.2) as client:
        response = client.get(SCHEDULE)
    assert response.json() == {"send_at": 1893456000}


def test_leaving_serve_ends_a_drip_promptly(provider, fake):
    fake.drip_next(10.0)
    with fake.serve() as base_url, http_client(fake, base_url, timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            provider.call(client, provider.send_now)
        left = time.monotonic()
    assert time.monotonic() - left < 2


@pytest.mark.parametrize(("seconds_per_byte", "times_out"), [(1e-6, False), (0.01, True)])
def test_in_process_a_drip_answers_at_once_or_times_out_at_once(
    provider, fake, client, seconds_per_byte, times_out
):
    fake.drip_next(seconds_per_byte, operation=provider.send_now)
    client.timeout = httpx.Timeout(1.0)
    started = time.monotonic()
    if times_out:  # the whole answer would take seconds: longer than the read timeout
        with pytest.raises(httpx.ReadTimeout):
            provider.call(client, provider.send_now)
    else:
        assert provider.call(client, provider.send_now).is_success
    assert time.monotonic() - started < 1  # nothing sleeps in process
    assert provider.counts(fake) == (1, 1)  # acted on either way


# ---------------------------------------------------------------- oversize


def test_oversize_over_http_pads_the_answer_with_spaces(provider, fake):
    fake.oversize_next(300_000)
    with fake.serve() as base_url, http_client(fake, base_url, timeout=5) as client:
        response = provider.call(client, provider.get)
    assert response.headers["content-length"] == "300000" and len(response.content) == 300_000
    assert provider.read_status(response) == provider.draft  # still the normal answer's JSON
    assert response.content.endswith(b" " * 1000)


def test_oversize_gzip_over_http_inflates_to_the_size(provider, fake):
    fake.oversize_next(2_000_000, gzip=True, operation=provider.send_now)
    with fake.serve() as base_url, http_client(fake, base_url, timeout=5) as client:
        method, path = provider.path(provider.send_now)
        with client.stream(method, path, **provider.body(provider.send_now)) as response:
            wire = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers  # chunked, made as it is sent
    assert len(wire) < 20_000 and len(gzip.decompress(wire)) == 2_000_000
    assert provider.counts(fake) == (1, 1)


def test_oversize_with_a_status_answers_its_error_body_padded(provider, fake, client):
    fake.oversize_next(100_000, status=503)
    response = provider.call(client, provider.send_now)
    assert response.status_code == 503 and len(response.content) == 100_000
    assert ("error" if provider.name == "mailglyph" else "errors") in response.json()
    assert provider.counts(fake) == (1, 1)  # acted on first, as every oversize does


def test_oversize_in_process_streams_the_body(provider, fake):
    fake.oversize_next(5_000_000, gzip=True)
    with fake.http_client(headers=bearer(fake.api_key)) as client:
        method, path = provider.path(provider.get)
        with client.stream(method, path) as response:
            total = sum(len(chunk) for chunk in response.iter_bytes())
    assert total == 5_000_000


def test_an_oversized_204_is_sent_as_a_200() -> None:
    fake = FakeSendGrid()
    fake.add_campaign(4900, status="Scheduled", send_at=1893456000)
    fake.oversize_next(10_000)
    with fake.serve() as base_url, http_client(fake, base_url, timeout=5) as client:
        response = client.delete(SCHEDULE)
    assert response.status_code == 200 and len(response.content) == 10_000
    assert fake.campaign(4900).status == "Draft"


@pytest.mark.parametrize(
    ("fault", "args"),
    [
        ("drip_next", {"seconds_per_byte": 0}),
        ("drip_next", {"seconds_per_byte": -1}),
        ("drip_next", {"times": 0}),
        ("oversize_next", {"size": -1}),
        ("oversize_next", {"size": True}),
        ("oversize_next", {"size": 10, "status": 99}),
        ("oversize_next", {"size": 10, "operation": "noSuchOperation"}),
    ],
)
def test_bad_fault_arguments_are_refused(fake, fault, args):
    with pytest.raises(ValueError):
        getattr(fake, fault)(**args)
    assert fake.pending_faults == 0
