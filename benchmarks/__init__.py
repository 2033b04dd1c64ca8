"""Benchmark campaign_clients against raw httpx, the generated clients and the official SDKs.

A server that costs as little as possible runs on 127.0.0.1 -- nginx from Debian (installed
with apt-get when missing and running as root) or, where nginx cannot be had, a minimal
asyncio keep-alive server in a child process -- and returns the documented example bodies
over plain HTTP and over HTTPS with a certificate authority and certificate made at run time.
Every client is told to trust that CA: the ones that take an SSL context get it, the rest
(sendgrid-python's urllib, the MailGlyph SDK's own httpx clients, the facade's default
client) trust it through SSL_CERT_FILE, which the benchmark sets for its own process.

The clients run interleaved round by round in one process so that machine drift cancels;
the table reports the median calls/s over rounds, the min-max, the median of the per-round
ratios to the raw-httpx floor and to the official SDK of the same API, and the server's own
count of requests and TCP connections for each client.

    scripts/bench                  full run (< 3 minutes), writes the README's Performance table
    scripts/bench --quick          a few hundred calls per client, seconds; README untouched
    scripts/bench --json out.json  also dump the raw numbers
    scripts/bench --explore-async  raw httpx.AsyncClient variants (pool limits, sniffio), for tuning

`scripts/bench` is the launcher: it runs `python -m benchmarks` (__main__.py) in .venv.
The official SDKs come from the `bench` extra (pip install -e '.[bench]'); rows for an SDK
that is not installed say so instead of failing.

Modules: workload (what is sent and served), installed (optional packages), tls (the
throwaway CA), server (nginx or the asyncio fallback), clients (what is measured),
measure (calibration and rounds), inprocess (MockTransport, from_dict, import time,
memory), report (the tables, verdicts and the README block).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root: `python -m benchmarks.<module>` child processes run from here."""


def log(msg: str) -> None:
    """One progress line on stderr; stdout carries only the report."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)
