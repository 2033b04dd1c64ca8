"""Fixtures shared by every test folder (plain helpers live in tests/support.py).

Async tests run on anyio's pytest plugin (it ships with anyio, which httpx
depends on). Facade tests run each case on both the sync and the async client
through `make_client` + `support.invoke`, so the two stay in step.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import MAILGLYPH_KEY, SENDGRID_KEY, Handler, client_class

from releasing.surface_cache import SURFACE_CACHE

TESTS = Path(__file__).resolve().parent

# Modules whose tests share a costly module- or session-scoped fixture (a Prism server, a
# Redis server, the real build, a batch of Optic or stubgen runs, a built wheel): under
# pytest-xdist each group runs on one worker (`pytest_xdist_make_scheduler` below), so its
# fixture is made once, not once per worker; every other test goes to whichever worker is
# free.
SHARED_FIXTURE_GROUPS = {
    "integration/test_prism_mailglyph.py": "prism-mailglyph",
    "integration/test_prism_sendgrid.py": "prism-sendgrid",
    "integration/test_job_queue.py": "redis-queue",
    "release/test_build.py": "real-build",
    "release/test_spec_diff.py": "optic-scenarios",
    "release/test_surface_compare.py": "surface-variants",
    "contract/test_packaging.py": "built-wheel",
}

# The modules with the longest tests (builds, virtualenvs, Optic, regeneration, Prism,
# redelivered jobs), run first: xdist hands out tests in collection order (after the
# groups, largest first), and a long test handed out last keeps one worker busy after the
# others have finished.
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


def pytest_configure(config: pytest.Config) -> None:
    """One folder of surfaces already read for the whole run (releasing.surface_cache): the
    release and regenerate tests read the same trees in many processes. Made by the main
    process, before pytest-xdist starts its workers, which inherit the variable."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(SURFACE_CACHE):
        return
    folder = tempfile.mkdtemp(prefix="surface-cache-")
    os.environ[SURFACE_CACHE] = folder
    config.add_cleanup(lambda: _drop_cache(folder))


def _drop_cache(folder: str) -> None:
    os.environ.pop(SURFACE_CACHE, None)
    shutil.rmtree(folder, ignore_errors=True)


def _module(nodeid: str) -> str:
    """A test id's module, relative to tests/ ("release/test_build.py")."""
    return nodeid.split("::", 1)[0].removeprefix("tests/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {module: i for i, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item.nodeid), len(rank)))  # stable


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, unknown without it
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """xdist's scope scheduling with `SHARED_FIXTURE_GROUPS` as the scopes: a group's tests
    are one unit of work, any other test a unit of its own. (`--dist loadgroup` would do
    this from marks, but pytest-xdist 3.8 cannot rename pytest 9's test ids, so its groups
    never form.)"""
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return SHARED_FIXTURE_GROUPS.get(_module(nodeid), nodeid)

    return SharedFixtureScheduling(config, log)


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
