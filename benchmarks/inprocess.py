"""Measures without the server's network round trip: what the facade itself costs.

- the per-call CPU time of the facade and of raw httpx over httpx.MockTransport;
- the time to build the typed result from the documented payload (from_dict and the like);
- import time, in fresh interpreters: campaign_clients against httpx alone;
- memory: RSS over many facade sends, in a fresh interpreter
  (`python -m benchmarks.inprocess URL TOTAL BASELINE_AT SLOT` is that child process).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from benchmarks import ROOT
from benchmarks.clients import raw_call
from benchmarks.installed import Installed, NotInstalled
from benchmarks.workload import (
    MAILGLYPH_SEND,
    MG_KEY,
    SENDGRID_SEND,
    SG_KEY,
    documented,
    mg_id,
    mg_path,
    sdk_compatible,
    sg_id,
    sg_path,
)
from campaign_clients._constants import MAILGLYPH, SENDGRID

if TYPE_CHECKING:
    import httpx  # imported where used: --sniffio must act before httpx is first imported


def _answering(status: int, body: bytes) -> httpx.MockTransport:
    import httpx

    headers = {"content-type": "application/json"}
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=body, headers=headers)
    )


def mock_overhead(installed: Installed, rounds: int, n: int) -> dict[str, Any]:
    """Per-call CPU cost over httpx.MockTransport: facade vs raw httpx (no network)."""
    import httpx

    out: dict[str, Any] = {}
    base = "http://bench.invalid"
    calls: dict[str, Callable[[], Any]] = {}
    closers: list[Callable[[], Any]] = []
    for api, operation, path, key, ident in (
        (MAILGLYPH, MAILGLYPH_SEND, mg_path(0), MG_KEY, mg_id(0)),
        (SENDGRID, SENDGRID_SEND, sg_path(0), SG_KEY, sg_id(0)),
    ):
        answer = documented(operation)
        raw = httpx.Client(
            base_url=base,
            transport=_answering(*answer),
            headers={"Authorization": f"Bearer {key}"},
        )
        closers.append(raw.close)
        calls[f"raw-{api}"] = raw_call(raw, path)
        try:
            cc = installed.load("campaign_clients")
            injected = httpx.Client(transport=_answering(*answer))
            closers.append(injected.close)
            # The facade's client classes are named as the providers: MailGlyph, SendGrid.
            facade = getattr(cc, api)(api_key=key, base_url=base, http_client=injected)
            calls[f"facade-{api}"] = functools.partial(facade.send_now, ident)
            result = calls[f"facade-{api}"]()
            if api == MAILGLYPH:
                out["facade_result"] = result
        except NotInstalled:
            pass
        except Exception as exc:
            out[f"facade-{api}-error"] = f"{type(exc).__name__}: {exc}"[:200]
            calls.pop(f"facade-{api}", None)
    samples: dict[str, list[float]] = {k: [] for k in calls}
    for call in calls.values():  # warm-up
        for _ in range(max(50, n // 10)):
            call()
    for _ in range(rounds):
        for k, call in calls.items():
            gc.collect()
            t0 = time.process_time()
            for _ in range(n):
                call()
            samples[k].append((time.process_time() - t0) / n * 1e6)
    for closer in closers:
        closer()
    out["us_per_call"] = {k: statistics.median(v) for k, v in samples.items()}
    out["samples"] = samples
    return out


def from_dict_times(
    installed: Installed, facade_result: Any, n: int, rounds: int
) -> dict[str, float]:
    """Time to build the typed result from the documented campaign payload."""
    _, mg_body = documented(MAILGLYPH_SEND)
    payload = json.loads(mg_body)
    candidates: dict[str, Callable[[], Any]] = {}
    with contextlib.suppress(ImportError):
        gen = importlib.import_module("mailglyph_client.models.send_campaign_response")
        candidates["generated SendCampaignResponse.from_dict"] = lambda: (
            gen.SendCampaignResponse.from_dict(payload)
        )
    if facade_result is not None and hasattr(type(facade_result), "from_dict"):
        cls = type(facade_result)
        name = f"{cls.__module__}.{cls.__qualname__}.from_dict (facade result)"
        if not cls.__module__.startswith("mailglyph_client"):
            candidates[name] = lambda: cls.from_dict(payload)
    with contextlib.suppress(NotInstalled):
        mg = installed.load("mailglyph")
        sdk_payload = json.loads(sdk_compatible(mg_body))
        candidates[
            "mailglyph SDK SendCampaignResult.model_validate (pydantic; with `logic` "
            "and `operator` added, which it requires)"
        ] = lambda: mg.SendCampaignResult.model_validate(sdk_payload)
    candidates["json.loads of the body (reference)"] = lambda: json.loads(mg_body)
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for _ in range(rounds):
        for k, fn in candidates.items():
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            times[k].append((time.perf_counter() - t0) / n * 1e6)
    return {k: statistics.median(v) for k, v in times.items()}


IMPORTS: Final[Mapping[str, str]] = {
    "httpx": "import httpx",
    "campaign_clients": "import campaign_clients",
    # What a program pays before its first send: one provider's client, loaded on first use.
    "campaign_clients.MailGlyph": "from campaign_clients import MailGlyph",
}


def import_times(repeats: int) -> dict[str, Any]:
    """Import time in fresh interpreters, interleaved: campaign_clients vs httpx alone."""
    code = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
    samples: dict[str, list[float]] = {name: [] for name in IMPORTS}
    # Bytecode must be cached, as in any installed package: warm up once, and make sure
    # PYTHONDONTWRITEBYTECODE (set to anything, even "0") does not stop it being written.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE")
    }
    for round_ in range(repeats + 1):
        for name, stmt in IMPORTS.items():
            done = subprocess.run(
                [sys.executable, "-c", code.format(stmt=stmt)],
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
                check=False,
            )
            if done.returncode != 0:
                return {"error": f"{stmt} failed: {done.stderr.strip()[-200:]}"}
            if round_:  # round 0 only writes the bytecode caches
                samples[name].append(float(done.stdout.strip()) * 1e3)
    med = {k: statistics.median(v) for k, v in samples.items()}
    return {
        "ms": med,
        "samples": samples,
        "ratio": med["campaign_clients"] / med["httpx"],
        "first_use_ratio": med["campaign_clients.MailGlyph"] / med["httpx"],
    }


def memory_child(url: str, total: int, baseline_at: int, slot: int) -> None:
    """The child process: `total` facade sends, RSS after `baseline_at` and every tenth."""
    cc = importlib.import_module("campaign_clients")
    page = os.sysconf("SC_PAGE_SIZE")

    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * page

    client = cc.MailGlyph(api_key=MG_KEY, base_url=url)
    samples: list[tuple[int, int]] = []
    ident = mg_id(slot)
    for i in range(1, total + 1):
        client.send_now(ident)
        if i == baseline_at or i % max(1, total // 10) == 0:
            gc.collect()
            samples.append((i, rss()))
    print(json.dumps({"samples": samples, "baseline_at": baseline_at}))


def memory_growth(url: str, total: int, baseline_at: int, slot: int) -> dict[str, Any]:
    """RSS growth over `total` facade sends against the server at `url`."""
    # A fresh interpreter: its RSS is the facade's alone, not this run's clients and tables.
    cmd = [sys.executable, "-m", "benchmarks.inprocess"]
    cmd += [url, str(total), str(baseline_at), str(slot)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"error": tail[0][:200], "sends": 0}
    data = json.loads(done.stdout.strip().splitlines()[-1])
    samples = data["samples"]
    base = next(r for i, r in samples if i == baseline_at)
    end = samples[-1][1]
    return {
        "sends": total,
        "baseline_at": baseline_at,
        "rss_baseline_mb": base / 2**20,
        "rss_end_mb": end / 2**20,
        "growth_mb": (end - base) / 2**20,
        "samples": samples,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The benchmark's memory child process.")
    parser.add_argument("url", help="the server's base URL")
    parser.add_argument("total", type=int, help="facade sends")
    parser.add_argument("baseline_at", type=int, help="the send after which RSS is the baseline")
    parser.add_argument("slot", type=int, help="the campaign id's slot (its own server count)")
    args = parser.parse_args()
    memory_child(args.url, args.total, args.baseline_at, args.slot)
