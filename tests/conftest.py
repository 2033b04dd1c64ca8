"""Fixtures shared by every test folder (plain helpers live in tests/support.py).

Async tests run on anyio's pytest plugin (it ships with anyio, which httpx
depends on). Facade tests run each case on both the sync and the async client
through `make_client` + `support.invoke`, so the two stay in step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import MAILGLYPH_KEY, SENDGRID_KEY, Handler, client_class

TESTS = Path(__file__).resolve().parent

# Modules whose tests share a costly module- or session-scoped fixture (a Prism server, the
# real build, a batch of Optic or stubgen runs, a built wheel). scripts/test runs pytest-xdist
# with `--dist loadgroup`: each group runs on one worker, so its fixture is made once, not
# once per worker; every other test goes to whichever worker is free.
SHARED_FIXTURE_GROUPS = {
    "integration/test_prism_mailglyph.py": "prism-mailglyph",
    "integration/test_prism_sendgrid.py": "prism-sendgrid",
    "integration/test_job_queue.py": "redis-queue",
    "release/test_build.py": "real-build",
    "release/test_spec_diff.py": "optic-scenarios",
    "release/test_surface_compare.py": "surface-variants",
    "contract/test_packaging.py": "built-wheel",
}

# The modules with the longest tests (builds, virtualenvs, Optic, regeneration, Prism), run
# first: xdist hands out tests in collection order, and a long test handed out last keeps
# one worker busy after the other has finished.
LONGEST_FIRST = (
    "release/test_release_gate.py",
    "contract/test_contract_regenerate.py",
    "release/test_build.py",
    "release/test_spec_diff.py",
    "integration/test_prism_sendgrid.py",
    "integration/test_prism_mailglyph.py",
    "integration/test_job_queue.py",
    "bench/test_bench_quick.py",
)


def _module(item: pytest.Item) -> str:
    return item.path.relative_to(TESTS).as_posix()


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: i for i, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item), len(rank)))  # stable: order kept
    for item in items:
        group = SHARED_FIXTURE_GROUPS.get(_module(item))
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(flavor: str) -> Iterator[ClientFactory]:
    """make_client("mailglyph"|"sendgrid", recorder, **options) -> a sync or async client
    whose injected http_client answers through `recorder`.

    Its clients do not settle unknown outcomes unless given `settle=True`: the tests
    that use it check one request's mapping and the retry rule (`settle=False` is the
    behaviour without settlement); tests/facade/test_settlement.py checks settling."""
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
        options.setdefault("settle", False)
        return client_class(provider, flavor)(
            options.pop("api_key", MAILGLYPH_KEY if provider == "mailglyph" else SENDGRID_KEY),
            **options,
        )

    yield factory
    for http in made:
        if isinstance(http, httpx.Client):
            http.close()


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry waits instead of sleeping through them."""
    waits: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("campaign_clients._retry.sleep", waits.append)
    monkeypatch.setattr("campaign_clients._retry.async_sleep", fake_async_sleep)
    return waits
