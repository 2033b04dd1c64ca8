"""What is measured: one `Bench` per client and scheme, with how to set it up and call it.

Every client sends the same operation -- MailGlyph sendCampaign or SendGrid sendCampaignNow
-- for its own campaign id, so the server counts its requests apart: the raw-httpx floor,
the generated client, the facade and the official SDK of each API, sync, and the async ones
with IN_FLIGHT sends in flight. A SendGrid Single Send launch is measured apart: the facade's
`single_sends.send_now` (a read, then the send: 2 requests) against raw httpx making the
same two requests, and against a bare PUT without the read (what the guard costs).
`explore_benches` swaps them for raw httpx.AsyncClient pool variants (--explore-async).
"""

from __future__ import annotations

import asyncio
import functools
import json
import ssl
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from benchmarks.installed import Installed
from benchmarks.server import Server
from benchmarks.workload import (
    IN_FLIGHT,
    MG_KEY,
    SG_KEY,
    SINGLE_SEND_BODY,
    mg_id,
    mg_path,
    sg_id,
    sg_path,
    ss_id,
    ss_paths,
)
from campaign_clients._constants import MAILGLYPH, SENDGRID

SINGLE_SENDS = "SendGrid Single Sends"
"""The API column of the Single Send launch rows (their own floor and ratios)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What setting up a client needs: the server, the TLS trust, the event loop of the async
    clients and the optional packages this run may use."""

    server: Server
    tls: ssl.SSLContext
    loop: asyncio.Runner
    installed: Installed

    def base(self, scheme: str) -> str:
        return self.server.http_url if scheme == "http" else self.server.https_url

    def in_loop(self, factory: Callable[[], T]) -> T:
        """Make an async client inside the run's event loop, as an application would."""

        async def make() -> T:
            return factory()

        return self.loop.run(make())


@dataclass
class Bench:
    """One client against one scheme: its setup, its call and what it measured."""

    key: str
    label: str
    api: str  # "MailGlyph" | "SendGrid"
    scheme: str  # "http" | "https"
    mode: str  # "sync" | "async"
    role: str  # "floor" | "sdk" | "facade" | "generated" | "variant" | "unguarded"
    slot: int
    make: Callable[[Bench, Context], Any]
    requests_per_call: int = 1  # a Single Send launch through the facade: 2 (read + send)
    call: Callable[[], Any] | None = None
    acall: Callable[[], Coroutine[Any, Any, Any]] | None = None
    close: Callable[[], Any] | None = None
    status: str = "ok"  # or "not installed: ..." / "failed: ..."
    n_per_round: int = 0
    sends: int = 0
    batches: int = 0
    rates: list[float] = field(default_factory=list)
    requests_seen: int | None = None
    connections_seen: int | None = None

    @property
    def path(self) -> str:
        """The path of the request that sends."""
        sdk = self.role == "sdk"
        if self.api == SINGLE_SENDS:
            return ss_paths(self.slot)[1]
        return mg_path(self.slot, sdk) if self.api == MAILGLYPH else sg_path(self.slot)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path this client requests (a Single Send launch also reads)."""
        return ss_paths(self.slot) if self.api == SINGLE_SENDS else (self.path,)

    @property
    def expected_requests(self) -> int:
        """The requests the server should have seen: requests_per_call per send."""
        return self.sends * self.requests_per_call

    @property
    def ident(self) -> Any:
        sdk = self.role == "sdk"
        if self.api == SINGLE_SENDS:
            return ss_id(self.slot)
        return mg_id(self.slot, sdk) if self.api == MAILGLYPH else sg_id(self.slot)

    @property
    def available(self) -> bool:
        return self.status == "ok"


def raw_call(client: Any, path: str) -> Callable[[], Any]:
    """The floor: POST with an httpx client and json.loads the body, nothing else."""
    post, loads = client.post, json.loads
    return lambda: loads(post(path).content)


def _raw_sync(b: Bench, ctx: Context) -> None:
    import httpx

    key = MG_KEY if b.api == MAILGLYPH else SG_KEY
    client = httpx.Client(
        base_url=ctx.base(b.scheme), verify=ctx.tls, headers={"Authorization": f"Bearer {key}"}
    )
    b.call = raw_call(client, b.path)
    b.close = client.close


def _generated_sync(b: Bench, ctx: Context) -> None:
    load = ctx.installed.load
    if b.api == MAILGLYPH:
        pkg = load("mailglyph_client")
        op = load("mailglyph_client.api.campaigns.send_campaign")
        key = MG_KEY
    else:
        pkg = load("sendgrid_client")
        op = load("sendgrid_client.api.campaigns.send_campaign_now")
        key = SG_KEY
    client = pkg.AuthenticatedClient(base_url=ctx.base(b.scheme), token=key, verify_ssl=ctx.tls)
    sync, ident = op.sync, b.ident
    b.call = lambda: sync(ident, client=client)
    b.close = lambda: client.get_httpx_client().close()


def _facade_sync(b: Bench, ctx: Context) -> None:
    cc = ctx.installed.load("campaign_clients")
    if b.api == MAILGLYPH:
        client = cc.MailGlyph(api_key=MG_KEY, base_url=ctx.base(b.scheme))
    else:
        client = cc.SendGrid(api_key=SG_KEY, base_url=ctx.base(b.scheme))
    send_now, ident = client.send_now, b.ident
    b.call = lambda: send_now(ident)
    b.close = getattr(client, "close", None)


def _raw_single_send(b: Bench, ctx: Context) -> None:
    """The Single Sends floor: the facade's read and send by hand (GET, status check, PUT)."""
    import httpx

    client = httpx.Client(
        base_url=ctx.base(b.scheme), verify=ctx.tls, headers={"Authorization": f"Bearer {SG_KEY}"}
    )
    get, put, loads = client.get, client.put, json.loads
    read, launch = ss_paths(b.slot)

    def call() -> Any:
        if loads(get(read).content).get("status") != "draft":
            raise RuntimeError("not a draft")
        return loads(put(launch, json=SINGLE_SEND_BODY).content)

    b.call = call
    b.close = client.close


def _unguarded_single_send(b: Bench, ctx: Context) -> None:
    """A bare PUT of send_at now with raw httpx: what a launch costs without the read."""
    import httpx

    client = httpx.Client(
        base_url=ctx.base(b.scheme), verify=ctx.tls, headers={"Authorization": f"Bearer {SG_KEY}"}
    )
    put, loads, launch = client.put, json.loads, b.path
    b.call = lambda: loads(put(launch, json=SINGLE_SEND_BODY).content)
    b.close = client.close


def _facade_single_send(b: Bench, ctx: Context) -> None:
    cc = ctx.installed.load("campaign_clients")
    client = cc.SendGrid(api_key=SG_KEY, base_url=ctx.base(b.scheme))
    send_now, ident = client.single_sends.send_now, b.ident
    b.call = lambda: send_now(ident)
    b.close = client.close


def _mailglyph_sdk_sync(b: Bench, ctx: Context) -> None:
    mailglyph = ctx.installed.load("mailglyph")
    client = mailglyph.MailGlyph(MG_KEY, base_url=ctx.base(b.scheme))
    send, ident = client.campaigns.send, b.ident
    b.call = lambda: send(ident)
    b.close = client.close


def _sendgrid_python(b: Bench, ctx: Context) -> None:
    sendgrid = ctx.installed.load("sendgrid")
    sg = sendgrid.SendGridAPIClient(SG_KEY, host=ctx.base(b.scheme))
    ident = b.ident
    b.call = lambda: sg.client.campaigns._(ident).schedules.now.post().to_dict


def _raw_async(b: Bench, ctx: Context, gate: int = 0, **client_kwargs: Any) -> None:
    """A raw httpx.AsyncClient; `gate` > 0 admits at most that many requests into its pool
    at once (an asyncio.Semaphore in front), so the pool never holds a queue to rescan."""
    import httpx

    client = ctx.in_loop(
        lambda: httpx.AsyncClient(
            base_url=ctx.base(b.scheme),
            verify=ctx.tls,
            headers={"Authorization": f"Bearer {MG_KEY}"},
            **client_kwargs,
        )
    )
    post, path, loads = client.post, b.path, json.loads

    async def call() -> Any:
        return loads((await post(path)).content)

    if gate:
        semaphore = asyncio.Semaphore(gate)

        async def gated() -> Any:
            async with semaphore:
                return loads((await post(path)).content)

        b.acall = gated
    else:
        b.acall = call
    b.close = lambda: ctx.loop.run(client.aclose())


def _facade_async(b: Bench, ctx: Context) -> None:
    cc = ctx.installed.load("campaign_clients")
    client = ctx.in_loop(lambda: cc.AsyncMailGlyph(api_key=MG_KEY, base_url=ctx.base(b.scheme)))
    b.acall = lambda: client.send_now(b.ident)
    if hasattr(client, "aclose"):
        b.close = lambda: ctx.loop.run(client.aclose())
    elif hasattr(client, "__aexit__"):
        b.close = lambda: ctx.loop.run(client.__aexit__(None, None, None))


def _mailglyph_sdk_async(b: Bench, ctx: Context) -> None:
    mailglyph = ctx.installed.load("mailglyph")
    client = ctx.in_loop(lambda: mailglyph.AsyncMailGlyph(MG_KEY, base_url=ctx.base(b.scheme)))
    b.acall = lambda: client.campaigns.send(b.ident)
    b.close = lambda: ctx.loop.run(client.close())


ROLES: Final[Mapping[str, str]] = {
    "raw": "floor",
    "gen": "generated",
    "facade": "facade",
    "sdk": "sdk",
    "put": "unguarded",
}
"""What a bench key's first part says: the client's role."""
TARGETS: Final[Mapping[str, tuple[str, str]]] = {
    "mg": (MAILGLYPH, "sync"),
    "sg": (SENDGRID, "sync"),
    "amg": (MAILGLYPH, "async"),
    "ss": (SINGLE_SENDS, "sync"),
}
"""What a bench key's second part says: the API and the mode."""


def define_benches(installed: Installed) -> list[Bench]:
    """The clients compared, in the table's order, each over HTTP and then over HTTPS."""
    mg_sdk = f"mailglyph SDK {installed.version('mailglyph') or ''}".strip()
    sg_sdk = f"sendgrid-python {installed.version('sendgrid') or ''}".strip()
    floor, n = "raw httpx.Client + json.loads (floor)", f"{IN_FLIGHT} in flight"
    rows: list[tuple[str, str, Callable[[Bench, Context], Any]]] = [
        ("raw-mg", floor, _raw_sync),
        ("gen-mg", "generated mailglyph_client send_campaign.sync", _generated_sync),
        ("facade-mg", "campaign_clients MailGlyph.send_now", _facade_sync),
        ("sdk-mg", f"{mg_sdk} campaigns.send", _mailglyph_sdk_sync),
        ("raw-sg", floor, _raw_sync),
        ("gen-sg", "generated sendgrid_client send_campaign_now.sync", _generated_sync),
        ("facade-sg", "campaign_clients SendGrid.send_now", _facade_sync),
        ("sdk-sg", f"{sg_sdk} campaigns.schedules.now.post", _sendgrid_python),
        ("raw-amg", f"default httpx.AsyncClient + json.loads, {n} (floor)", _raw_async),
        ("facade-amg", f"campaign_clients AsyncMailGlyph.send_now, {n}", _facade_async),
        ("sdk-amg", f"{mg_sdk} AsyncMailGlyph campaigns.send, {n}", _mailglyph_sdk_async),
        ("raw-ss", "raw httpx.Client GET + PUT + json.loads (floor)", _raw_single_send),
        ("facade-ss", "campaign_clients SendGrid.single_sends.send_now", _facade_single_send),
        ("put-ss", "raw httpx.Client PUT only, no read (unguarded)", _unguarded_single_send),
    ]
    benches: list[Bench] = []
    for scheme in ("http", "https"):
        for key, label, make in rows:
            role, target = key.split("-")
            api, mode = TARGETS[target]
            slot = len(benches) + 1
            per_call = 2 if api == SINGLE_SENDS and role != "put" else 1
            benches.append(
                Bench(
                    f"{key}-{scheme}", label, api, scheme, mode, ROLES[role], slot, make, per_call
                )
            )
    return benches


def explore_benches() -> list[Bench]:
    """Raw httpx.AsyncClient variants, to tune the facade's defaults (--explore-async)."""
    import httpx

    variants: list[tuple[str, str, dict[str, Any]]] = [("default", "default httpx.AsyncClient", {})]
    for n in (2, 4, 8, 32, 64):
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
        variants.append((f"max{n}", f"Limits(max_connections={n}, max_keepalive={n})",
                         {"limits": limits}))  # fmt: skip
    for n in (2, 4, 8):
        limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
        variants.append((f"gate{n}", f"Limits({n}, {n}) + asyncio.Semaphore({n}) in front",
                         {"limits": limits, "gate": n}))  # fmt: skip
    benches: list[Bench] = []
    for scheme in ("http", "https"):
        for key, label, kwargs in variants:
            role = "variant" if key != "default" else "floor"
            make = functools.partial(_raw_async, **kwargs)
            slot = 100 + len(benches)
            benches.append(
                Bench(f"{key}-{scheme}", label, MAILGLYPH, scheme, "async", role, slot, make)
            )
    return benches
