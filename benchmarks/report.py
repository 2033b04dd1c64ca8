"""What a run prints: the Markdown block of the README's Performance section.

The block has the table of clients (calls/s, ratios to the floor and to the official SDK,
the server's counts), the targets with their verdicts and the in-process measures;
`write_readme` puts it between the README's bench markers. `raw_numbers` is --json's dump.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks import ROOT, log
from benchmarks.clients import SINGLE_SENDS, Bench
from benchmarks.inprocess import IMPORTS
from benchmarks.installed import Installed
from benchmarks.server import Server
from benchmarks.workload import IN_FLIGHT
from campaign_clients._constants import MAILGLYPH, SENDGRID

README = ROOT / "README.md"
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
SCHEMES = ("http", "https")

MG_SDK_NOTE = (
    "The MailGlyph SDK rejects the documented sendCampaign example (its pydantic models "
    "require `logic` on each filter condition and `operator` on each filter, which the "
    "example omits), so its rows are served that example with those two fields added."
)

SINGLE_SENDS_NOTE = (
    f"{SINGLE_SENDS} rows launch a draft Single Send: the facade reads it before sending it "
    "(never twice without a provider guard), so each launch is two requests, counted against "
    "a floor that makes the same two requests by hand; the unguarded row sends the PUT alone, "
    'and its "vs floor" is what the read costs a launch in time.'
)

Verdict = tuple[str, str, str]
"""(target, measured, verdict) of one row of the targets table."""


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def paired_ratio(a: Bench, b: Bench | None) -> float | None:
    """Median over rounds of a's calls/s divided by b's in the same round."""
    if b is None or not a.rates or not b.rates or not a.available or not b.available:
        return None
    return statistics.median(x / y for x, y in zip(a.rates, b.rates, strict=False))


def peer(benches: list[Bench], b: Bench, role: str) -> Bench | None:
    """The bench of `role` for b's API, scheme and mode (none: no async SendGrid SDK)."""
    for other in benches:
        if (other.role, other.api, other.scheme, other.mode) == (role, b.api, b.scheme, b.mode):
            return other
    return None


def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def connection_ok(b: Bench) -> bool:
    """Keep-alive clients reuse their connections within a batch of calls.

    A client may open one connection (async: up to IN_FLIGHT) per batch it ran: between
    rounds it sits idle while the other clients run, and an idle connection older than the
    client's keep-alive expiry (httpx's default: 5 s) is rightly dropped and reopened.
    Churn within a batch -- a connection per call -- exceeds this by orders of magnitude.
    """
    if b.connections_seen is None or b.requests_seen is None:
        return False
    if b.role == "sdk" and b.api == SENDGRID:
        return True  # a new connection per call is what sendgrid-python does; it is reported
    per_batch = IN_FLIGHT if b.mode == "async" else 1
    return b.connections_seen <= per_batch * b.batches


def main_table(benches: list[Bench]) -> list[str]:
    lines = [
        "| Client | API | Scheme | Calls/s (median) | Min-max over rounds | vs floor | "
        "vs official SDK | Requests seen / sends | Connections opened |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for b in benches:
        label = b.label
        if not b.available:
            note = b.status.split(" (")[0] if b.status.startswith("not installed") else "failed"
            lines.append(f"| {label} | {b.api} | {b.scheme.upper()} | {note} | - | - | - | - | - |")
            continue
        floor, sdk = peer(benches, b, "floor"), peer(benches, b, "sdk")
        seen = "-" if b.requests_seen is None else str(b.requests_seen)
        conns = "-" if b.connections_seen is None else str(b.connections_seen)
        if b.requests_seen is not None and b.requests_seen != b.expected_requests:
            seen += " (!)"
        if b.connections_seen is not None and not connection_ok(b):
            conns += " (!)"
        lines.append(
            f"| {label} | {b.api} | {b.scheme.upper()} | {med(b.rates):.0f} | "
            f"{min(b.rates):.0f}-{max(b.rates):.0f} | {fmt_ratio(paired_ratio(b, floor))} | "
            f"{fmt_ratio(paired_ratio(b, sdk))} | {seen} / {b.sends} | {conns} |"
        )
    return lines


def find(benches: list[Bench], key: str) -> Bench | None:
    return next((b for b in benches if b.key == key), None)


def keyed_ratio(benches: list[Bench], a: str, b: str) -> float | None:
    """paired_ratio of the benches keyed `a` and `b`; None where either is missing."""
    x, y = find(benches, a), find(benches, b)
    return paired_ratio(x, y) if x is not None and y is not None else None


def _times(x: float) -> str:
    return f"{x:.2f}x"


def verdict(
    target: str,
    value: float | None,
    ok: Callable[[float], bool],
    measured: Callable[[float], str] = _times,
) -> Verdict:
    if value is None:
        return target, "-", "n/a"
    return target, measured(value), "met" if ok(value) else "**missed**"


def _import_verdict(imp: dict[str, Any], label: str, key: str, module: str) -> Verdict:
    ms = imp.get("ms") or {}
    return verdict(
        f"{label} <= 1.5x import httpx",
        imp.get(key),
        lambda x: x <= 1.5,
        lambda x: f"{x:.2f}x ({ms[module]:.1f} ms vs {ms['httpx']:.1f} ms)",
    )


def verdicts(benches: list[Bench], extra: dict[str, Any]) -> list[Verdict]:
    """The targets the package sets itself, and whether this run met them."""
    rows: list[Verdict] = []
    for scheme in SCHEMES:
        for api, tag in ((MAILGLYPH, "mg"), (SENDGRID, "sg")):
            rows.append(
                verdict(
                    f"sync {api}.send_now per call <= 1.15x raw httpx, {scheme.upper()}",
                    # the floor's calls/s over the facade's: the facade's time per call, in floors
                    keyed_ratio(benches, f"raw-{tag}-{scheme}", f"facade-{tag}-{scheme}"),
                    lambda x: x <= 1.15,
                    lambda x: f"{x:.2f}x the floor's time per call",
                )
            )
    rows.append(
        verdict(
            "HTTPS: SendGrid.send_now >= 3x calls/s of sendgrid-python",
            keyed_ratio(benches, "facade-sg-https", "sdk-sg-https"),
            lambda x: x >= 3.0,
        )
    )
    for scheme in SCHEMES:
        for mode, tag in (("sync", "mg"), ("async", "amg")):
            rows.append(
                verdict(
                    f"{scheme.upper()} {mode}: MailGlyph facade not slower than the MailGlyph SDK",
                    keyed_ratio(benches, f"facade-{tag}-{scheme}", f"sdk-{tag}-{scheme}"),
                    lambda x: x >= 1.0,
                )
            )
    for scheme in SCHEMES:
        rows.append(
            verdict(
                f"async AsyncMailGlyph, {IN_FLIGHT} in flight, >= 2x default "
                f"httpx.AsyncClient, {scheme.upper()}",
                keyed_ratio(benches, f"facade-amg-{scheme}", f"raw-amg-{scheme}"),
                lambda x: x >= 2.0,
            )
        )
    rows += single_send_verdicts(benches)
    imp = extra.get("import") or {}
    rows.append(_import_verdict(imp, "import campaign_clients", "ratio", "campaign_clients"))
    rows.append(
        _import_verdict(
            imp,
            "from campaign_clients import MailGlyph (first use)",
            "first_use_ratio",
            "campaign_clients.MailGlyph",
        )
    )
    mem = extra.get("memory") or {}
    rows.append(
        verdict(
            f"{mem.get('sends', 20000):,} sends: RSS grows < 5 MB after the first "
            f"{mem.get('baseline_at', 1000):,}",
            mem.get("growth_mb"),
            lambda x: x < 5.0,
            lambda x: f"{x:+.2f} MB ({mem['rss_baseline_mb']:.1f} -> {mem['rss_end_mb']:.1f} MB)",
        )
    )
    return rows


def single_send_verdicts(benches: list[Bench]) -> list[Verdict]:
    """What a Single Send launch costs: requests (the server's count) and time."""
    rows: list[Verdict] = []
    for scheme in SCHEMES:
        facade = find(benches, f"facade-ss-{scheme}")
        per_launch = None
        if facade is not None and facade.available and facade.requests_seen and facade.sends:
            per_launch = facade.requests_seen / facade.sends
        rows.append(
            verdict(
                f"a Single Send launch (single_sends.send_now) is 2 requests, read + send, "
                f"{scheme.upper()}",
                per_launch,
                lambda x: x == 2.0,
                lambda x: f"{x:.2f} requests per launch (server's count)",
            )
        )
        rows.append(
            verdict(
                f"sync single_sends.send_now per launch <= 1.15x raw httpx GET + PUT, "
                f"{scheme.upper()}",
                keyed_ratio(benches, f"raw-ss-{scheme}", f"facade-ss-{scheme}"),
                lambda x: x <= 1.15,
                lambda x: f"{x:.2f}x the floor's time per launch",
            )
        )
    return rows


def _counts_note(benches: list[Bench]) -> str:
    """What the server's counts say, for the paragraph under the table."""
    counts_ok = all(b.requests_seen == b.expected_requests for b in benches if b.available)
    conns_ok = all(connection_ok(b) for b in benches if b.available)
    return (
        (
            "every request matches a send (a Single Send launch: its read and its send), "
            "so no hidden retries"
            if counts_ok
            else "**the server saw more or fewer requests than were sent (marked (!))**"
        )
        + "; "
        + (
            "keep-alive clients reused their connections (at most one new connection per "
            "batch of calls, where a client left idle between rounds past its keep-alive "
            "expiry -- httpx's default is 5 s -- reconnects)"
            if conns_ok
            else "**some clients opened more connections than their batches (marked (!))**"
        )
    )


def in_process_rows(extra: dict[str, Any]) -> list[str]:
    """The rows of the in-process table: MockTransport, from_dict, import time."""
    out: list[str] = []
    us = (extra.get("mock") or {}).get("us_per_call") or {}
    for api in (MAILGLYPH, SENDGRID):
        raw, fac = us.get(f"raw-{api}"), us.get(f"facade-{api}")
        if raw is not None:
            out.append(
                f"| raw httpx POST + json.loads over MockTransport, {api} | {raw:.1f} us CPU/call |"
            )
        if raw is not None and fac is not None:
            out.append(
                f"| {api}.send_now over MockTransport (facade overhead "
                f"{fac - raw:+.1f} us, {fac / raw:.2f}x) | {fac:.1f} us CPU/call |"
            )
    for name, t in (extra.get("from_dict") or {}).items():
        out.append(f"| {name}, documented campaign payload | {t:.1f} us |")
    imp = extra.get("import") or {}
    if "ms" in imp:
        for name, ms in imp["ms"].items():
            out.append(f"| `{IMPORTS[name]}` (fresh interpreter, median) | {ms:.1f} ms |")
    return out


def render(
    benches: list[Bench],
    extra: dict[str, Any],
    quick: bool,
    server: Server,
    installed: Installed,
) -> str:
    """The whole Markdown block."""
    cores = os.cpu_count()
    py = f"{platform.python_implementation()} {platform.python_version()}"
    out = [
        f"_`scripts/bench{' --quick' if quick else ''}`, "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}: {cores} cores, {py}, "
        f"httpx {installed.version('httpx')}, {platform.system()} {platform.machine()}; "
        f"server: {server.description} on 127.0.0.1 (HTTP and HTTPS, TLS with a CA made at "
        f"run time by {server.certs.how}); {extra['rounds']} rounds interleaved, about "
        f"{extra['slot_seconds'] * 1000:.0f} ms per client per round._",
        "",
        *main_table(benches),
        "",
        'Calls/s: median over rounds; "vs floor" and "vs official SDK": median of the '
        "per-round ratios of calls/s to the raw-httpx floor (for async: the default "
        "httpx.AsyncClient) and to the official SDK of the same API and mode. "
        "Requests and connections are the server's own counts, over the whole run "
        "(warm-up included): "
        + _counts_note(benches)
        + "; sendgrid-python opens a new connection, with a new TLS handshake, per call. "
        + SINGLE_SENDS_NOTE
        + " "
        + MG_SDK_NOTE,
        "",
        "| Target | Measured | Verdict |",
        "| --- | --- | --- |",
        *(f"| {t} | {m} | {v} |" for t, m, v in verdicts(benches, extra)),
        "",
        "| In-process measure (no network) | Time |",
        "| --- | ---: |",
        *in_process_rows(extra),
    ]
    return "\n".join(out) + "\n"


def write_readme(block: str) -> bool:
    """Put the block between the README's bench markers; False where it cannot."""
    if not README.exists():
        return False
    text = README.read_text()
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        log(f"README.md has no {START_MARKER} ... {END_MARKER} markers; not written")
        return False
    new = text[: start + len(START_MARKER)] + "\n" + block + text[end:]
    if new != text:
        README.write_text(new)
    return True


def raw_numbers(
    benches: list[Bench], extra: dict[str, Any], quick: bool, elapsed: float, server: Server
) -> dict[str, Any]:
    """Everything measured, for --json."""
    return {
        "quick": quick,
        "elapsed_s": elapsed,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "server": server.description,
        "benches": [
            {
                "key": b.key,
                "label": b.label,
                "api": b.api,
                "scheme": b.scheme,
                "mode": b.mode,
                "role": b.role,
                "status": b.status,
                "rates": b.rates,
                "n_per_round": b.n_per_round,
                "sends": b.sends,
                "requests_per_call": b.requests_per_call,
                "batches": b.batches,
                "requests_seen": b.requests_seen,
                "connections_seen": b.connections_seen,
            }
            for b in benches
        ],
        **extra,
    }
