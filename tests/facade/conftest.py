"""Fixtures of the facade tests (those of every folder are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from support import client_class

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid


@pytest.fixture(params=["mailglyph", "sendgrid"])
def provider(request: pytest.FixtureRequest) -> str:
    """Each provider in turn: a test taking `provider` runs once for each."""
    return str(request.param)


@pytest.fixture
def on_fake(flavor: str) -> Iterator[Callable[..., Any]]:
    """on_fake(fake, **options) -> a client of the test's flavor on `fake`, in process
    (its transport), settling at once (`settle_delay=0`); closed after the test."""
    made: list[httpx.Client | httpx.AsyncClient] = []

    def factory(fake: FakeMailGlyph | FakeSendGrid, **options: Any) -> Any:
        http = fake.http_client() if flavor == "sync" else fake.async_http_client()
        made.append(http)
        provider = "mailglyph" if isinstance(fake, FakeMailGlyph) else "sendgrid"
        options.setdefault("settle_delay", 0)
        return client_class(provider, flavor)(fake.api_key, http_client=http, **options)

    yield factory
    for http in made:
        if isinstance(http, httpx.Client):
            http.close()
