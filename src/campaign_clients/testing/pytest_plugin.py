"""pytest fixtures for code that sends campaigns: fresh fakes, and clients wired to them.

Installed with the package as the pytest plugin ``campaign_clients`` (a ``pytest11`` entry
point), so a test names what it needs and nothing else::

    def test_launch(mailglyph_client: MailGlyph, fake_mailglyph: FakeMailGlyph) -> None:
        fake_mailglyph.add_campaign("cmp_1")
        mailglyph_client.send_now("cmp_1")
        assert fake_mailglyph.sends("cmp_1") == 1

Fixtures, all function-scoped (every test gets its own):

* ``fake_mailglyph``, ``fake_sendgrid``: a fresh ``FakeMailGlyph()`` / ``FakeSendGrid()``,
  holding no campaign (``fake_sendgrid`` holds legacy campaigns and Single Sends; set its
  ``accept_second_schedule`` for a server that sends a triggered Single Send again);
* ``mailglyph_client``, ``sendgrid_client``: a ``MailGlyph`` / ``SendGrid`` with the fake's
  key, talking to that fake; closed at teardown;
* ``async_mailglyph_client``, ``async_sendgrid_client``: the async twins. Use one in one
  event loop per test (one ``asyncio.run(...)``, or an async test runner's loop): a client
  refuses a second loop. They are closed at teardown in a fresh event loop on a worker
  thread, so the sync teardown needs no async plugin and touches no loop of the test's.

The marker ``campaign_clients_http`` (on a test, class or module) makes the client fixtures
talk to their fakes over real HTTP on 127.0.0.1 (``fake.serve()``: one server per fake,
stopped at teardown) instead of in process through ``fake.transport``.

The clients' options, chosen so that tests are fast and deterministic while a fake's
faults still show as they would in production:

* retries keep the defaults (``max_retries=2``, ``max_retry_wait=60``): a fault the client
  retries is retried, and ``fake.sends(...)`` / ``fake.count(...)`` see every attempt. Only
  the waits before a retry (backoff, a ``Retry-After``) are skipped: while a client fixture
  is in use, the package's retry sleeps return at once, for every client of the test. The
  wait is still worked out, so a ``Retry-After`` beyond ``max_retry_wait`` still raises;
* ``settle=True`` (the default) with ``settle_delay=0``: a send whose outcome is not known
  is settled as in production, by reading the campaign, without waiting first;
* ``timeout=5`` (so each attempt's deadline is 5 s) in both modes. In process nothing
  waits (a stall raises ``httpx.ReadTimeout`` at once); over HTTP a stall costs 5 s
  instead of 30, while a loopback answer, a few milliseconds, never comes near it. One
  value for both modes, so ``stall_next(seconds=...)`` and drips time out in the same cases;
* over HTTP the clients are given an ``http_client`` made with ``trust_env=False``, so a
  proxy named by the environment (``HTTP_PROXY``...) never carries requests to 127.0.0.1;
  the async one keeps no keep-alive connection, so none is left bound to the test's event
  loop after ``asyncio.run`` returns (such a connection can be neither closed from another
  loop nor dropped without a ``ResourceWarning``).

The package is imported inside the fixtures, so a pytest run that uses none of them does
not pay for importing it. Nothing in the package imports this module: pytest loads it
(``-p no:campaign_clients`` turns it off).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    import httpx

    from campaign_clients import AsyncMailGlyph, AsyncSendGrid, MailGlyph, SendGrid
    from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

__all__ = [
    "MARKER",
    "async_mailglyph_client",
    "async_sendgrid_client",
    "fake_mailglyph",
    "fake_sendgrid",
    "mailglyph_client",
    "sendgrid_client",
]

MARKER = "campaign_clients_http"
TIMEOUT = 5.0
"""Seconds per phase, and per attempt, of the fixtures' clients (see the module docstring)."""

Client = TypeVar("Client", "MailGlyph", "SendGrid")
AsyncClient = TypeVar("AsyncClient", "AsyncMailGlyph", "AsyncSendGrid")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}: the campaign_clients client fixtures talk to their fakes over real HTTP "
        "on 127.0.0.1 (fake.serve()) instead of in process",
    )


# ---------------------------------------------------------------- fakes


@pytest.fixture
def fake_mailglyph() -> FakeMailGlyph:
    """A fresh FakeMailGlyph holding no campaign (add them with ``add_campaign``)."""
    from campaign_clients.testing import FakeMailGlyph

    return FakeMailGlyph()


@pytest.fixture
def fake_sendgrid() -> FakeSendGrid:
    """A fresh FakeSendGrid holding no campaign (add them with ``add_campaign`` and
    ``add_single_send``)."""
    from campaign_clients.testing import FakeSendGrid

    return FakeSendGrid()


# ---------------------------------------------------------------- clients


@pytest.fixture
def mailglyph_client(
    request: pytest.FixtureRequest,
    fake_mailglyph: FakeMailGlyph,
    _campaign_clients_mailglyph_url: str,
    _campaign_clients_no_retry_waits: None,
) -> Iterator[MailGlyph]:
    """A MailGlyph client on ``fake_mailglyph``, with its key; closed at teardown."""
    from campaign_clients import MailGlyph

    with _sync_client(MailGlyph, fake_mailglyph, _campaign_clients_mailglyph_url, request) as c:
        yield c


@pytest.fixture
def sendgrid_client(
    request: pytest.FixtureRequest,
    fake_sendgrid: FakeSendGrid,
    _campaign_clients_sendgrid_url: str,
    _campaign_clients_no_retry_waits: None,
) -> Iterator[SendGrid]:
    """A SendGrid client on ``fake_sendgrid``, with its key; closed at teardown."""
    from campaign_clients import SendGrid

    with _sync_client(SendGrid, fake_sendgrid, _campaign_clients_sendgrid_url, request) as c:
        yield c


@pytest.fixture
def async_mailglyph_client(
    request: pytest.FixtureRequest,
    fake_mailglyph: FakeMailGlyph,
    _campaign_clients_mailglyph_url: str,
    _campaign_clients_no_retry_waits: None,
) -> Iterator[AsyncMailGlyph]:
    """An AsyncMailGlyph client on ``fake_mailglyph``; use it in one event loop."""
    from campaign_clients import AsyncMailGlyph

    url = _campaign_clients_mailglyph_url
    with _async_client(AsyncMailGlyph, fake_mailglyph, url, request) as c:
        yield c


@pytest.fixture
def async_sendgrid_client(
    request: pytest.FixtureRequest,
    fake_sendgrid: FakeSendGrid,
    _campaign_clients_sendgrid_url: str,
    _campaign_clients_no_retry_waits: None,
) -> Iterator[AsyncSendGrid]:
    """An AsyncSendGrid client on ``fake_sendgrid``; use it in one event loop."""
    from campaign_clients import AsyncSendGrid

    url = _campaign_clients_sendgrid_url
    with _async_client(AsyncSendGrid, fake_sendgrid, url, request) as c:
        yield c


# ---------------------------------------------------------------- what the clients share


@pytest.fixture
def _campaign_clients_mailglyph_url(
    request: pytest.FixtureRequest, fake_mailglyph: FakeMailGlyph
) -> Iterator[str]:
    """Where the MailGlyph clients send: the fake's own URL, or its server's when marked."""
    with _base_url(fake_mailglyph, request) as url:
        yield url


@pytest.fixture
def _campaign_clients_sendgrid_url(
    request: pytest.FixtureRequest, fake_sendgrid: FakeSendGrid
) -> Iterator[str]:
    """Where the SendGrid clients send: the fake's own URL, or its server's when marked."""
    with _base_url(fake_sendgrid, request) as url:
        yield url


@pytest.fixture
def _campaign_clients_no_retry_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package's waits before a retry or a settling read return at once."""
    from campaign_clients import _retry

    sleep, async_sleep = _retry.sleep, _retry.async_sleep

    def no_wait(seconds: float) -> None:
        sleep(0)

    async def no_async_wait(seconds: float) -> None:
        await async_sleep(0)  # still a checkpoint: cancellation is seen as before

    monkeypatch.setattr(_retry, "sleep", no_wait)
    monkeypatch.setattr(_retry, "async_sleep", no_async_wait)


def _over_http(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker(MARKER) is not None


@contextlib.contextmanager
def _base_url(fake: FakeMailGlyph | FakeSendGrid, request: pytest.FixtureRequest) -> Iterator[str]:
    if not _over_http(request):
        yield fake.base_url
        return
    with fake.serve() as url:
        yield url


def _options(url: str) -> dict[str, Any]:
    return {"base_url": url, "timeout": TIMEOUT, "settle_delay": 0}


@contextlib.contextmanager
def _sync_client(
    cls: type[Client],
    fake: FakeMailGlyph | FakeSendGrid,
    url: str,
    request: pytest.FixtureRequest,
) -> Iterator[Client]:
    import httpx

    http = httpx.Client(trust_env=False) if _over_http(request) else fake.http_client()
    with http, cls(fake.api_key, http_client=http, **_options(url)) as client:
        yield client


@contextlib.contextmanager
def _async_client(
    cls: type[AsyncClient],
    fake: FakeMailGlyph | FakeSendGrid,
    url: str,
    request: pytest.FixtureRequest,
) -> Iterator[AsyncClient]:
    http = _async_http(fake, request)
    closers = [http.aclose]
    try:
        client = cls(fake.api_key, http_client=http, **_options(url))
        closers.insert(0, client.aclose)
        yield client
    finally:
        _close_in_fresh_loop(*closers)


def _async_http(
    fake: FakeMailGlyph | FakeSendGrid, request: pytest.FixtureRequest
) -> httpx.AsyncClient:
    import httpx

    if not _over_http(request):
        return fake.async_http_client()
    no_keepalive = httpx.Limits(max_keepalive_connections=0)
    return httpx.AsyncClient(trust_env=False, limits=no_keepalive)


def _close_in_fresh_loop(*closers: Callable[[], Awaitable[None]]) -> None:
    """Await each closer in turn in a new event loop on a worker thread: the test's own
    loop may be closed (``asyncio.run`` returned), still running, or absent."""

    def run() -> None:
        async def closing() -> None:
            for close in closers:
                await close()

        asyncio.run(closing())

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="campaign-clients") as pool:
        pool.submit(run).result()
