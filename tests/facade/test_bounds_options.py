"""The bounds' constructor options on all four clients: `deadline` (default: `timeout`
when it is a number, none for an `httpx.Timeout`) and `max_response_bytes` (default
1 MiB), checked before any request; and what every request asks for (gzip, deflate)."""

from __future__ import annotations

import math

import httpx
import pytest
from support import MAILGLYPH_KEY, SENDGRID_KEY, Recorder, client_class, example, invoke

from campaign_clients._constants import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT

pytestmark = pytest.mark.anyio

CLIENTS = [(p, f) for p in ("mailglyph", "sendgrid") for f in ("sync", "async")]


def make(provider: str, flavor: str, **options: object) -> object:
    key = MAILGLYPH_KEY if provider == "mailglyph" else SENDGRID_KEY
    return client_class(provider, flavor)(key, **options)


@pytest.mark.parametrize(("provider", "flavor"), CLIENTS)
@pytest.mark.parametrize(
    ("options", "deadline", "read"),
    [
        ({}, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT),
        ({"timeout": 5}, 5.0, 5.0),
        ({"timeout": 5, "deadline": 20}, 20.0, 5.0),
        ({"timeout": httpx.Timeout(5.0)}, None, 5.0),
        ({"timeout": httpx.Timeout(5.0, read=60.0), "deadline": 10}, 10.0, 10.0),
        ({"timeout": httpx.Timeout(None), "deadline": 3}, 3.0, 3.0),
    ],
)
async def test_the_deadline_and_the_phases_it_caps(provider, flavor, options, deadline, read):
    client = make(provider, flavor, **options)
    assert client._deadline == deadline
    assert client._timeout.read == read  # no phase outlasts the whole
    assert client._max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES == 1024 * 1024
    await invoke(client.close if flavor == "sync" else client.aclose)


@pytest.mark.parametrize(("provider", "flavor"), CLIENTS)
@pytest.mark.parametrize(
    "options",
    [
        {"deadline": 0},
        {"deadline": -1.0},
        {"deadline": math.inf},
        {"deadline": math.nan},
        {"deadline": True},
        {"deadline": "30"},
        {"max_response_bytes": 0},
        {"max_response_bytes": -5},
        {"max_response_bytes": 1.5},
        {"max_response_bytes": True},
        {"max_response_bytes": "1MB"},
        {"max_response_bytes": None},
    ],
)
def test_bad_bounds_are_refused_before_any_request(provider, flavor, options):
    name = next(iter(options))
    with pytest.raises(ValueError, match=name):
        make(provider, flavor, **options)


@pytest.mark.parametrize("provider", ["mailglyph", "sendgrid"])
async def test_requests_ask_only_for_the_encodings_read_within_the_bound(make_client, provider):
    body = example(provider, "getCampaign", "200")
    rec = Recorder([httpx.Response(200, json=body)])
    client = make_client(provider, rec)
    await invoke(client.get_campaign, "cmp_1" if provider == "mailglyph" else 4900)
    assert rec.requests[0].headers["accept-encoding"] == "gzip, deflate"
