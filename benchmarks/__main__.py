"""`python -m benchmarks [options]` (what `scripts/bench` runs): parse the options and run.

A run makes the certificates, starts the server, sets up and measures every client in one
event loop and process, adds the in-process measures, stops the server for its counts,
then prints the Markdown block (and writes it into the README on a full run). Exit status
1 when the server's request counts do not match the sends (a Single Send launch through the
facade: two requests per send).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import ssl
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import benchmarks
from benchmarks import log
from benchmarks.clients import Bench, Context, define_benches, explore_benches
from benchmarks.inprocess import from_dict_times, import_times, memory_growth, mock_overhead
from benchmarks.installed import Installed
from benchmarks.measure import measure, setup_benches
from benchmarks.report import raw_numbers, render, write_readme
from benchmarks.server import PathCount, Server, start_server
from benchmarks.tls import make_certs
from benchmarks.workload import IN_FLIGHT, mg_path

MEMORY_SLOT = 999
"""The campaign id slot of the memory child's sends, counted apart by the server."""


@contextlib.contextmanager
def temp_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def simulate_sniffio() -> None:
    """--explore-async --sniffio: what installing sniffio does to httpcore's hot path.

    Runs before httpx is first imported (benchmarks imports it only where it is used)."""
    fake = types.ModuleType("sniffio")
    fake.current_async_library = lambda: "asyncio"  # type: ignore[attr-defined]
    sys.modules.setdefault("sniffio", fake)


def measure_clients(
    benches: list[Bench], ctx: Context, rounds: int, slot_seconds: float, quick: bool
) -> None:
    lo, hi = (IN_FLIGHT, 256) if quick else (64, 20000)
    setup_benches(benches, ctx)
    measure(benches, ctx, rounds, slot_seconds, lo, hi)
    for b in benches:
        if b.close is not None:
            with contextlib.suppress(Exception):
                b.close()


def in_process(extra: dict[str, Any], installed: Installed, server: Server, quick: bool) -> None:
    """MockTransport, from_dict, import time and memory, into `extra`."""
    log("in-process measures: MockTransport, from_dict, import time")
    mock = mock_overhead(installed, rounds=3 if quick else 7, n=100 if quick else 2000)
    extra["from_dict"] = from_dict_times(
        installed,
        mock.pop("facade_result", None),
        n=100 if quick else 5000,
        rounds=3 if quick else 7,
    )
    extra["mock"] = mock
    extra["import"] = import_times(repeats=3 if quick else 11)
    if importlib.util.find_spec("campaign_clients") is not None:
        total, base = (2000, 500) if quick else (20000, 1000)
        log(f"memory: {total} sends in a child process")
        extra["memory"] = memory_growth(server.http_url, total, base, MEMORY_SLOT)


def attach_counts(
    benches: list[Bench], extra: dict[str, Any], counts: dict[str, PathCount]
) -> None:
    """The server's requests and connections per path, onto each bench and the memory run."""
    for b in benches:
        if b.available:
            seen = [counts.get(path, PathCount()) for path in b.paths]
            b.requests_seen = sum(count.requests for count in seen)
            b.connections_seen = len(set().union(*(count.connections for count in seen)))
    mem = extra.get("memory") or {}
    mem_seen = counts.get(mg_path(MEMORY_SLOT))
    if mem.get("sends") and mem_seen is not None:
        mem["requests_seen"], mem["connections_seen"] = (
            mem_seen.requests,
            len(mem_seen.connections),
        )


def run(args: argparse.Namespace) -> int:
    t_start = time.monotonic()
    quick: bool = args.quick
    rounds: int = args.rounds or (2 if quick else 6)
    slot_seconds: float = args.slot_seconds or (0.04 if quick else 0.5)
    installed = Installed(frozenset(args.hide_module or ()))
    if args.sniffio:
        simulate_sniffio()
    extra: dict[str, Any] = {"rounds": rounds, "slot_seconds": slot_seconds}
    with temp_dir() as tmp:
        certs = make_certs(tmp)
        os.environ["SSL_CERT_FILE"] = str(certs.ca)  # for clients without an SSL-context option
        tls = ssl.create_default_context(cafile=str(certs.ca))
        allow_install = not quick and not args.no_install
        server = start_server(args.server, allow_install, tmp, certs)
        log(f"server: {server.description}; {server.http_url} {server.https_url}")
        benches = explore_benches() if args.explore_async else define_benches(installed)
        try:
            with asyncio.Runner() as loop:
                ctx = Context(server, tls, loop, installed)
                measure_clients(benches, ctx, rounds, slot_seconds, quick)
            if not args.explore_async:
                in_process(extra, installed, server, quick)
        finally:
            counts = server.stop_and_count()
        attach_counts(benches, extra, counts)
    block = render(benches, extra, quick, server, installed)
    print(block)
    elapsed = time.monotonic() - t_start
    log(f"total {elapsed:.0f} s")
    full = not quick and not args.explore_async and not args.no_readme
    if (args.write_readme or full) and write_readme(block):
        log("README.md Performance section updated")
    if args.json:
        dump = raw_numbers(benches, extra, quick, elapsed, server)
        Path(args.json).write_text(json.dumps(dump, indent=2, default=str))
    bad = [b.key for b in benches if b.available and b.requests_seen != b.expected_requests]
    if bad:
        log(f"server request counts do not match the sends for: {', '.join(bad)}")
        return 1
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    doc = benchmarks.__doc__ or ""
    p = argparse.ArgumentParser(prog="bench", description=doc.split("\n\n")[0] or None)
    p.add_argument("--quick", action="store_true", help="a few hundred calls per client")
    p.add_argument(
        "--write-readme",
        action="store_true",
        help="write the table into README.md (the full run does by default)",
    )
    p.add_argument("--no-readme", action="store_true", help="never touch README.md")
    p.add_argument("--json", metavar="PATH", help="also dump the raw numbers as JSON")
    p.add_argument("--server", choices=("auto", "nginx", "asyncio"), default="auto")
    p.add_argument("--no-install", action="store_true", help="never apt-get install nginx")
    p.add_argument("--rounds", type=int, default=0)
    p.add_argument("--slot-seconds", type=float, default=0.0)
    p.add_argument(
        "--explore-async",
        action="store_true",
        help="raw httpx.AsyncClient pool-limit variants instead of the clients",
    )
    p.add_argument(
        "--sniffio",
        action="store_true",
        help="make `import sniffio` succeed (as if installed) for this run",
    )
    # act as if these were not installed (the tests use it: an environment with only dev)
    p.add_argument("--hide-module", action="append", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
