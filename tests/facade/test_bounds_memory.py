"""What a hostile answer costs in memory, measured in a child process (the growth of its
peak RSS over one call, and the peak of what Python allocated during it; see
`bounds_support.call_in_child`): read whole, each would cost 200 MiB or more; bounded,
the call costs a few MiB at most.

The servers run in this process on 127.0.0.1 and are stopped by each test; the child
makes one `get_campaign` on a sync or an async client with `timeout=0.5` (so a deadline
of 0.5 s). The bound is generous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from bounds_support import (
    MEMORY_MB,
    MIB,
    Answer,
    HostileServer,
    call_in_child,
    endless_chunked,
    endless_interim,
    gzip_bomb_answer,
    header_flood,
)
from support import MAILGLYPH_KEY

from campaign_clients.testing import FakeMailGlyph


@contextmanager
def fake_with(fault: Callable[[FakeMailGlyph], None]) -> Iterator[str]:
    """The fake, served, with `fault` queued for the next call."""
    fake = FakeMailGlyph(MAILGLYPH_KEY)
    fake.add_campaign("cmp_1")
    fault(fake)
    with fake.serve() as base_url:
        yield base_url


@contextmanager
def hostile(answer: Answer) -> Iterator[str]:
    with HostileServer(answer) as server:
        yield server.url


CASES: dict[str, tuple[Callable[[], AbstractContextManager[str]], str]] = {
    "200-mib-body": (
        lambda: fake_with(lambda f: f.oversize_next(200 * MIB)),
        "ResponseTooLargeError",
    ),
    "endless-chunked": (lambda: hostile(endless_chunked), "ResponseTooLargeError"),
    "gzip-bomb-200-mib": (lambda: hostile(gzip_bomb_answer()), "ResponseTooLargeError"),
    "header-flood": (lambda: hostile(header_flood), "APIConnectionError"),
    "drip": (lambda: fake_with(lambda f: f.drip_next(0.05)), "APITimeoutError"),
    "endless-interim": (lambda: hostile(endless_interim), "APITimeoutError"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_answer_costs_little_memory(flavor, case):
    serve, expected = CASES[case]
    with serve() as url:
        outcome = call_in_child(url, flavor, MAILGLYPH_KEY, timeout=0.5)
    assert outcome["error"] == expected
    assert outcome["outcome_unknown"] is False  # a read
    assert outcome["growth_mb"] < MEMORY_MB, outcome
    assert outcome["traced_mb"] < MEMORY_MB, outcome
    assert MAILGLYPH_KEY not in outcome["text"]
