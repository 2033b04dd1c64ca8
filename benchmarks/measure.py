"""Calls per second of every client, in rounds.

Each client is set up and checked with one call, then calibrated so that its slot in a
round takes about the same time; the rounds run the clients interleaved, each round
starting one client later, so that drift of the machine falls on all of them alike.
"""

from __future__ import annotations

import asyncio
import gc
import time

from benchmarks import log
from benchmarks.clients import Bench, Context
from benchmarks.installed import NotInstalled
from benchmarks.workload import IN_FLIGHT


def _fail(b: Bench, exc: Exception) -> None:
    b.status = f"failed: {type(exc).__name__}: {exc}"[:200]
    log(f"{b.key}: {b.status}")


def run_slot(b: Bench, ctx: Context, n: int) -> float:
    """n calls; returns the elapsed seconds."""
    if b.mode == "sync":
        call = b.call
        assert call is not None
        t0 = time.perf_counter()
        for _ in range(n):
            call()
        elapsed = time.perf_counter() - t0
    else:
        acall = b.acall
        assert acall is not None
        per = n // IN_FLIGHT

        async def worker() -> None:
            for _ in range(per):
                await acall()

        async def all_workers() -> float:
            t0 = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
            return time.perf_counter() - t0

        elapsed = ctx.loop.run(all_workers())
    b.sends += n
    b.batches += 1
    return elapsed


def calibrate(b: Bench, ctx: Context, slot_seconds: float, lo: int, hi: int) -> None:
    """Warm up, then fix the calls per round so a slot takes about slot_seconds."""
    unit = IN_FLIGHT if b.mode == "async" else 1
    n, elapsed = unit * 4, 0.0
    while n <= hi * 4:
        elapsed = run_slot(b, ctx, n)
        if elapsed >= 0.1 or n >= hi:
            break
        n *= 4
    rate = n / max(elapsed, 1e-9)
    want = int(rate * slot_seconds)
    want = max(lo, min(hi, want))
    b.n_per_round = max(unit, want // unit * unit)


def setup_benches(benches: list[Bench], ctx: Context) -> None:
    """Make every client and check it with one call; a missing or failing one is marked."""
    for b in benches:
        try:
            b.make(b, ctx)
            # one checked call: the server answers, TLS is trusted, the result parses
            if b.mode == "sync":
                assert b.call is not None
                result = b.call()
            else:
                assert b.acall is not None
                result = ctx.loop.run(b.acall())
            b.sends += 1
            b.batches += 1
            if result is None:
                raise RuntimeError("the call returned None")
        except NotInstalled as exc:
            b.status = f"not installed ({exc})"
        except Exception as exc:
            _fail(b, exc)


def measure(
    benches: list[Bench], ctx: Context, rounds: int, slot_seconds: float, lo: int, hi: int
) -> None:
    """Calibrate the available clients, then run `rounds` interleaved rounds."""
    live = [b for b in benches if b.available]
    for b in live:
        calibrate(b, ctx, slot_seconds, lo, hi)
    for r in range(rounds):
        order = live[r % len(live) :] + live[: r % len(live)] if live else []
        for b in order:
            gc.collect()
            try:
                elapsed = run_slot(b, ctx, b.n_per_round)
            except Exception as exc:
                _fail(b, exc)
                live.remove(b)
                continue
            b.rates.append(b.n_per_round / elapsed)
        log(f"round {r + 1}/{rounds} done")
