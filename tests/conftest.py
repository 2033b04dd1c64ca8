"""Fixtures shared by every test folder.

Async tests run on anyio's pytest plugin (it ships with anyio, which httpx
depends on). Facade tests run each case on both the sync and the async client
through `make_client` + `invoke`, so the two stay in step.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import httpx
import pytest

from campaign_clients import AsyncMailGlyph, AsyncSendGrid, MailGlyph, SendGrid

MAILGLYPH_KEY = "sk_test_4f9a2c7e1b3d5f60"
SENDGRID_KEY = "SG.test-key.9c1e7a3b5d2f4068"
SECRETS = (MAILGLYPH_KEY, SENDGRID_KEY)

SPEC_EXAMPLES: dict[str, Any] = json.loads(
    resources.files("campaign_clients").joinpath("_spec_examples.json").read_text("utf-8")
)


def example(api: str, operation: str, status: str) -> Any:
    """A deep copy of the spec's documented example for one response."""
    return json.loads(json.dumps(SPEC_EXAMPLES[api][operation]["responses"][status]))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Recorder:
    """An httpx.MockTransport handler that records requests and answers from a script.

    `responses` are used in order (the last one repeats); a response may also be
    an exception instance to raise, as a transport error would be.
    """

    responses: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        index = min(len(self.requests), len(self.responses)) - 1
        answer = self.responses[index]
        if isinstance(answer, Exception):
            raise answer
        # A fresh copy each time, so one scripted response serves sync and async clients.
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.read())

    @property
    def count(self) -> int:
        return len(self.requests)


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(flavor: str) -> Iterator[ClientFactory]:
    """make_client("mailglyph"|"sendgrid", recorder, **options) -> a sync or async client
    whose injected http_client answers through `recorder`."""
    made: list[httpx.Client | httpx.AsyncClient] = []

    def factory(provider: str, handler: Handler, **options: Any) -> Any:
        transport = httpx.MockTransport(handler)
        http: httpx.Client | httpx.AsyncClient
        if flavor == "sync":
            http = httpx.Client(transport=transport, headers=options.pop("headers", None))
        else:
            http = httpx.AsyncClient(transport=transport, headers=options.pop("headers", None))
        made.append(http)
        options.setdefault("http_client", http)
        return client_class(provider, flavor)(
            options.pop("api_key", MAILGLYPH_KEY if provider == "mailglyph" else SENDGRID_KEY),
            **options,
        )

    yield factory
    for http in made:
        if isinstance(http, httpx.Client):
            http.close()


def client_class(provider: str, flavor: str) -> type[Any]:
    classes: dict[tuple[str, str], type[Any]] = {
        ("mailglyph", "sync"): MailGlyph,
        ("mailglyph", "async"): AsyncMailGlyph,
        ("sendgrid", "sync"): SendGrid,
        ("sendgrid", "async"): AsyncSendGrid,
    }
    return classes[(provider, flavor)]


async def invoke(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async client method and return its result."""
    result = method(*args, **kwargs)
    if inspect.isawaitable(result):
        awaited: Awaitable[Any] = result
        result = await awaited
    return result


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry waits instead of sleeping through them."""
    waits: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("campaign_clients._retry.sleep", waits.append)
    monkeypatch.setattr("campaign_clients._retry.async_sleep", fake_async_sleep)
    return waits
