"""Environment proxies, over real HTTP on 127.0.0.1: the sync and async clients route as
a default httpx client does (HTTP_PROXY through the proxy, NO_PROXY direct), the async
clients' own pool still serves direct requests, and an injected client keeps its own
`trust_env`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from support import client_class, invoke

from campaign_clients import _proxies
from campaign_clients._pool import StackPoolTransport
from campaign_clients.testing import FakeMailGlyph

pytestmark = pytest.mark.anyio

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "content-length", "host"}


class _ForwardProxy(ThreadingHTTPServer):
    """A plain-HTTP forward proxy on 127.0.0.1 that records each request line."""

    daemon_threads = True

    def __init__(self) -> None:
        self.request_lines: list[str] = []
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ForwardProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        self.server.request_lines.append(self.requestline)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        # trust_env=False: the proxy itself must not follow the test's HTTP_PROXY.
        answer = httpx.request(
            self.command, self.path, headers=headers, content=body, trust_env=False
        )
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in _HOP_BY_HOP | {"transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = _forward


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[_ForwardProxy]:
    """A running proxy, and an environment with no proxy variables of its own."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    server = _ForwardProxy()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def fake() -> Iterator[tuple[FakeMailGlyph, str]]:
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture
def pool_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of every request the async clients' own pool sends."""
    sent: list[str] = []
    handle = StackPoolTransport.handle_async_request

    async def recorded(self: StackPoolTransport, request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return await handle(self, request)

    monkeypatch.setattr(StackPoolTransport, "handle_async_request", recorded)
    return sent


async def _send(flavor: str, fake: FakeMailGlyph, base_url: str, **options: Any) -> None:
    client = client_class("mailglyph", flavor)(fake.api_key, base_url=base_url, **options)
    try:
        result = await invoke(client.send_now, "cmp_1")
    finally:
        await invoke(client.aclose if flavor == "async" else client.close)
    assert result.data.id == "cmp_1"


async def test_http_proxy_carries_the_sends(flavor, proxy, fake, pool_requests, monkeypatch):
    fake, base_url = fake
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
    await _send(flavor, fake, base_url)
    assert proxy.request_lines == [f"POST {base_url}/campaigns/cmp_1/send HTTP/1.1"]
    assert fake.sends("cmp_1") == 1
    assert pool_requests == []  # a proxied request bypasses the async pool


async def test_no_proxy_goes_direct_through_the_async_pool(
    flavor, proxy, fake, pool_requests, monkeypatch
):
    fake, base_url = fake
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    await _send(flavor, fake, base_url)
    assert proxy.request_lines == []
    assert fake.sends("cmp_1") == 1
    expected = [f"{base_url}/campaigns/cmp_1/send"] if flavor == "async" else []
    assert pool_requests == expected


@pytest.mark.parametrize("trust_env", [False, True])
async def test_an_injected_client_keeps_its_trust_env(flavor, proxy, fake, monkeypatch, trust_env):
    fake, base_url = fake
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
    http_class = httpx.AsyncClient if flavor == "async" else httpx.Client
    http_client = http_class(trust_env=trust_env)
    try:
        await _send(flavor, fake, base_url, http_client=http_client)
    finally:
        await invoke(http_client.aclose if flavor == "async" else http_client.close)
    assert len(proxy.request_lines) == (1 if trust_env else 0)
    assert fake.sends("cmp_1") == 1


def test_httpx_still_reads_the_environment_as_we_rely_on(monkeypatch):
    """Fails if httpx moves or changes the private helper `_proxies` uses."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1, .example.com")
    assert _proxies._environment_proxies() == {
        "https://": "http://proxy.internal:3128",
        "all://127.0.0.1": None,
        "all://*.example.com": None,
    }
    mounts = _proxies.environment_proxy_mounts(httpx.Limits(max_connections=5))
    assert isinstance(mounts.pop("https://"), httpx.AsyncHTTPTransport)
    assert mounts == {"all://127.0.0.1": None, "all://*.example.com": None}
    monkeypatch.setenv("NO_PROXY", "*")
    assert _proxies.environment_proxy_mounts(httpx.Limits()) == {}
