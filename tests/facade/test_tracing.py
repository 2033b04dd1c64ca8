"""Traces, over real HTTP on 127.0.0.1, with OpenTelemetry's httpx instrumentation on:
every request of the clients' own transports (sync and async) is one CLIENT span under
the HTTP semantic conventions and carries its `traceparent`, as a plain httpx client's
does; each facade call is one span, the parent of its requests' spans, saying how it
was settled or how it failed; the key is in no span. Without OpenTelemetry imported,
nothing of it is imported (in a subprocess)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.instrumentation._semconv import _OpenTelemetrySemanticConventionStability
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, Sampler, SamplingResult
from opentelemetry.trace import SpanKind, StatusCode
from support import ROOT, client_class, invoke

from campaign_clients import AlreadySentError, BadRequestError, ServerError
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid
from releasing.readme_examples import requiring_blocks

pytestmark = pytest.mark.anyio

SINGLE_SEND = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"


class _Switch(Sampler):
    """Records spans only while a test of this module runs: the process-wide provider
    stays set after it (OpenTelemetry sets one once), and later tests pay nothing."""

    on = False

    def should_sample(self, *args: Any, **kwargs: Any) -> SamplingResult:
        return (ALWAYS_ON if self.on else ALWAYS_OFF).should_sample(*args, **kwargs)

    def get_description(self) -> str:
        return "test_tracing switch"


@functools.cache
def _provider() -> tuple[TracerProvider, _Switch, InMemorySpanExporter]:
    """The global tracer provider, set once per process, and its in-memory exporter."""
    switch, exporter = _Switch(), InMemorySpanExporter()
    provider = TracerProvider(sampler=switch)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider, switch, exporter


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """The httpx instrumentation on (stable HTTP conventions) for this test; the spans
    finished meanwhile are in the exporter."""
    provider, switch, exporter = _provider()
    # The stable HTTP conventions (http.request.method, url.full, ...) are opt-in in this
    # instrumentation; it reads the opt-in once per process, so it is read again here.
    monkeypatch.setenv("OTEL_SEMCONV_STABILITY_OPT_IN", "http")
    monkeypatch.setattr(_OpenTelemetrySemanticConventionStability, "_initialized", False)
    exporter.clear()
    switch.on = True
    instrumentor = HTTPXClientInstrumentor()
    instrumentor.instrument(tracer_provider=provider)
    try:
        yield exporter
    finally:
        instrumentor.uninstrument()
        switch.on = False
        exporter.clear()


# -- reading the spans -----------------------------------------------------------------------


def _finished(exporter: InMemorySpanExporter, key: str) -> list[ReadableSpan]:
    """The spans in the order they began, after checking that the key is in none."""
    found = sorted(exporter.get_finished_spans(), key=lambda span: span.start_time or 0)
    for span in found:
        text = json.dumps(
            [
                span.name,
                dict(span.attributes or {}),
                [(event.name, dict(event.attributes or {})) for event in span.events],
                span.status.description,
            ],
            default=str,
        )
        assert key not in text, f"the key is in span {span.name!r}"
    return found


def _call_span(found: Sequence[ReadableSpan]) -> ReadableSpan:
    (call,) = [span for span in found if span.kind is SpanKind.INTERNAL]
    return call


def _http_spans(found: Sequence[ReadableSpan]) -> list[ReadableSpan]:
    return [span for span in found if span.kind is SpanKind.CLIENT]


def _traceparent(span: ReadableSpan) -> str:
    """The W3C header that carries this span: its trace id, span id and flags (sampled)."""
    context = span.get_span_context()
    assert context.trace_flags.sampled
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def _check_http_spans(
    found: Sequence[ReadableSpan], fake: Any, base_url: str, expected: list[tuple[str, str, Any]]
) -> None:
    """One CLIENT span per request, in order: (method, path, status or error type); each a
    child of the call's span, and each request carrying its own span's traceparent."""
    call, http = _call_span(found), _http_spans(found)
    assert [(span.name, span.attributes["url.full"]) for span in http] == [
        (method, base_url + path) for method, path, _ in expected
    ]
    for span, (method, _, outcome) in zip(http, expected, strict=True):
        attributes = span.attributes or {}
        assert attributes["http.request.method"] == method
        assert span.parent is not None and span.parent.span_id == call.context.span_id
        assert span.context.trace_id == call.context.trace_id
        if isinstance(outcome, int):
            assert attributes["http.response.status_code"] == outcome
            assert attributes.get("error.type") == (str(outcome) if outcome >= 400 else None)
        else:  # no answer: the exception's type
            assert "http.response.status_code" not in attributes
            assert attributes["error.type"] == outcome
    assert [request.header("traceparent") for request in fake.requests] == [
        _traceparent(span) for span in http
    ]


def _mailglyph(flavor: str, base_url: str, fake: FakeMailGlyph, **options: Any) -> Any:
    return client_class("mailglyph", flavor)(
        fake.api_key, base_url=base_url, settle_delay=0, **options
    )


async def _close(client: Any) -> None:
    await invoke(client.aclose if hasattr(client, "aclose") else client.close)


# -- the tests -------------------------------------------------------------------------------


async def test_a_send_is_one_call_span_over_one_request_span(flavor, spans):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            await invoke(client.send_now, "cmp_1")
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)
    call = _call_span(found)
    assert call.name == "MailGlyph sendCampaign"
    assert call.parent is None
    assert dict(call.attributes or {}) == {
        "campaign_clients.provider": "MailGlyph",
        "campaign_clients.operation": "sendCampaign",
        "campaign_clients.campaign_id": "cmp_1",
        "campaign_clients.retries": 0,
    }
    assert call.status.status_code is StatusCode.UNSET
    _check_http_spans(found, fake, base_url, [("POST", "/campaigns/cmp_1/send", 200)])


async def test_a_request_span_is_what_a_plain_httpx_client_makes(flavor, spans):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            await invoke(client.get_campaign, "cmp_1")
        finally:
            await _close(client)
        headers = {"Authorization": f"Bearer {fake.api_key}"}
        if flavor == "sync":
            with httpx.Client() as plain:
                plain.get(f"{base_url}/campaigns/cmp_1", headers=headers)
        else:
            async with httpx.AsyncClient() as async_plain:
                await async_plain.get(f"{base_url}/campaigns/cmp_1", headers=headers)

    ours, theirs = _http_spans(_finished(spans, fake.api_key))
    assert (ours.name, ours.kind, dict(ours.attributes or {})) == (
        theirs.name,
        theirs.kind,
        dict(theirs.attributes or {}),
    )
    assert ours.instrumentation_scope == theirs.instrumentation_scope
    assert [request.header("traceparent") for request in fake.requests] == [
        _traceparent(ours),
        _traceparent(theirs),
    ]


@pytest.mark.parametrize(
    ("fault", "answer"),
    [("503", 503), ("reset", "ReadError")],
)
async def test_a_settled_send_shows_its_read_as_a_child(flavor, spans, fault, answer):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    if fault == "503":
        fake.fail_next(503, after_acting=True)  # sent, then the answer was a 503
    else:
        fake.reset_next()  # sent, then the connection was reset
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            result = await invoke(client.send_now, "cmp_1")
        finally:
            await _close(client)

    assert result.data.id == "cmp_1"
    assert fake.sends("cmp_1") == 1
    found = _finished(spans, fake.api_key)
    call = _call_span(found)
    assert call.attributes is not None
    assert call.attributes["campaign_clients.settlement"] == "applied"
    assert call.attributes["campaign_clients.retries"] == 0
    assert call.status.status_code is StatusCode.UNSET
    _check_http_spans(
        found,
        fake,
        base_url,
        [("POST", "/campaigns/cmp_1/send", answer), ("GET", "/campaigns/cmp_1", 200)],
    )


async def test_a_retry_is_counted_and_each_try_is_a_child(flavor, spans, no_sleep):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.fail_next(429, retry_after=0)  # not acted on: the send is retried
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            await invoke(client.send_now, "cmp_1")
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)
    attributes = dict(_call_span(found).attributes or {})
    assert attributes["campaign_clients.retries"] == 1
    assert "campaign_clients.settlement" not in attributes
    send = "/campaigns/cmp_1/send"
    _check_http_spans(found, fake, base_url, [("POST", send, 429), ("POST", send, 200)])


async def test_settle_is_a_span_of_its_own_over_its_read(flavor, spans):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.fail_next(503, after_acting=True)
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake, settle=False)
        try:
            with pytest.raises(ServerError) as raised:
                await invoke(client.send_now, "cmp_1")
            settlement = await invoke(client.settle, raised.value)
        finally:
            await _close(client)

    assert settlement.outcome == "applied"
    found = _finished(spans, fake.api_key)
    send, settle = [span for span in found if span.kind is SpanKind.INTERNAL]
    assert (send.name, settle.name) == ("MailGlyph sendCampaign", "MailGlyph settle")
    assert send.status.status_code is StatusCode.ERROR
    assert (send.attributes or {})["campaign_clients.outcome_unknown"] is True
    assert dict(settle.attributes or {}) == {
        "campaign_clients.provider": "MailGlyph",
        "campaign_clients.operation": "settle",
        "campaign_clients.campaign_id": "cmp_1",
        "campaign_clients.settlement": "applied",
        "campaign_clients.settlement_reason": settlement.reason,
        "campaign_clients.retries": 0,
    }
    post, get = _http_spans(found)
    assert post.parent is not None and post.parent.span_id == send.context.span_id
    assert get.parent is not None and get.parent.span_id == settle.context.span_id
    assert (get.name, (get.attributes or {})["url.full"]) == ("GET", f"{base_url}/campaigns/cmp_1")


async def test_an_unknown_outcome_is_an_error_span_with_outcome_unknown(flavor, spans, no_sleep):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.fail_next(503, after_acting=True)
    fake.fail_next(503, operation="getCampaign", times=3)  # and every read fails
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            with pytest.raises(ServerError) as raised:
                await invoke(client.send_now, "cmp_1")
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)
    call = _call_span(found)
    attributes = dict(call.attributes or {})
    assert attributes["error.type"] == "ServerError"
    assert attributes["campaign_clients.outcome_unknown"] is True
    assert attributes["campaign_clients.settlement"] == "unknown"
    assert attributes["campaign_clients.retries"] == 2  # the settling read, tried three times
    assert call.status.status_code is StatusCode.ERROR
    (event,) = call.events
    assert event.name == "exception"
    assert (event.attributes or {})["exception.message"] == str(raised.value)
    read = ("GET", "/campaigns/cmp_1", 503)
    _check_http_spans(
        found, fake, base_url, [("POST", "/campaigns/cmp_1/send", 503), read, read, read]
    )


async def test_a_refusal_echoing_the_key_is_recorded_without_it(flavor, spans):
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    echo = {"error": {"code": "BAD_REQUEST", "message": f"bad key Bearer {fake.api_key}"}}
    fake.fail_next(400, body=echo)
    with fake.serve() as base_url:
        client = _mailglyph(flavor, base_url, fake)
        try:
            with pytest.raises(BadRequestError):
                await invoke(client.send_now, "cmp_1")
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)  # checks that the key is in no span
    call = _call_span(found)
    assert call.attributes is not None
    assert call.attributes["error.type"] == "BadRequestError"
    assert call.attributes["campaign_clients.outcome_unknown"] is False
    (event,) = call.events
    assert "***" in str((event.attributes or {})["exception.message"])
    _check_http_spans(found, fake, base_url, [("POST", "/campaigns/cmp_1/send", 400)])


async def test_a_single_send_launch_is_one_span_over_its_read_and_send(flavor, spans):
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND)
    with fake.serve() as base_url:
        client = client_class("sendgrid", flavor)(fake.api_key, base_url=base_url)
        try:
            await invoke(client.single_sends.send_now, SINGLE_SEND.upper())
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)
    call = _call_span(found)
    assert call.name == "SendGrid scheduleSingleSend"
    assert call.attributes is not None
    assert call.attributes["campaign_clients.campaign_id"] == SINGLE_SEND
    assert "campaign_clients.settlement" not in call.attributes
    path = f"/v3/marketing/singlesends/{SINGLE_SEND}"
    _check_http_spans(found, fake, base_url, [("GET", path, 200), ("PUT", f"{path}/schedule", 201)])


async def test_a_single_send_already_sent_is_an_error_span_that_sent_nothing(flavor, spans):
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND, status="triggered")
    with fake.serve() as base_url:
        client = client_class("sendgrid", flavor)(fake.api_key, base_url=base_url)
        try:
            with pytest.raises(AlreadySentError):
                await invoke(client.single_sends.send_now, SINGLE_SEND)
        finally:
            await _close(client)

    found = _finished(spans, fake.api_key)
    attributes = dict(_call_span(found).attributes or {})
    assert attributes["error.type"] == "AlreadySentError"
    assert attributes["campaign_clients.outcome_unknown"] is False
    assert attributes["campaign_clients.settlement"] == "not_applied"  # what the read found
    path = f"/v3/marketing/singlesends/{SINGLE_SEND}"
    _check_http_spans(found, fake, base_url, [("GET", path, 200)])


def test_the_readme_example_traces_a_send_inside_the_app_span(tmp_path):
    """The README's tracing example (it sets a process-wide provider, so it runs in a
    process of its own, through the README runner: requests answered in-process)."""
    (block,) = requiring_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    example = tmp_path / f"readme_line{block.line}.py"
    example.write_text(block.code, encoding="utf-8")
    runner = ROOT / "releasing" / "readme_examples.py"
    done = subprocess.run(
        [sys.executable, runner, "--installed-in", ROOT, example],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    decoder, printed = json.JSONDecoder(), {}
    for start in (n for n, char in enumerate(done.stdout) if char == "{"):
        if start == 0 or done.stdout[start - 1] == "\n":  # a span the console exporter printed
            span = decoder.raw_decode(done.stdout, start)[0]
            printed[span["name"]] = span
    call, app = printed["MailGlyph sendCampaign"], printed["weekly newsletter"]
    assert call["parent_id"] == app["context"]["span_id"]
    assert call["attributes"]["campaign_clients.campaign_id"] == "cmp_123"


# -- without OpenTelemetry ---------------------------------------------------------------------

_BLOCK = """
import importlib.abc, sys

class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError(f"{name} is blocked")
        return None

sys.meta_path.insert(0, Blocked())
"""

_CALLS = """
import asyncio, sys
from campaign_clients import AsyncSendGrid, MailGlyph
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid
from releasing.readme_examples import requiring_blocks

mailglyph, sendgrid = FakeMailGlyph(), FakeSendGrid()
mailglyph.add_campaign("cmp_1")
mailglyph.fail_next(503, after_acting=True)
sendgrid.add_single_send("2f6dec81-43b9-4c67-a890-3a38cb63b54a")

async def launch(base_url):
    async with AsyncSendGrid(sendgrid.api_key, base_url=base_url) as client:
        return await client.single_sends.send_now("2f6dec81-43b9-4c67-a890-3a38cb63b54a")

with mailglyph.serve() as base_url:
    with MailGlyph(mailglyph.api_key, base_url=base_url, settle_delay=0) as client:
        assert client.send_now("cmp_1").data.id == "cmp_1"
with sendgrid.serve() as base_url:
    assert asyncio.run(launch(base_url)).status == "scheduled"
print(sorted(name for name in sys.modules if name.split(".")[0] == "opentelemetry"))
"""


@pytest.mark.parametrize("blocked", [True, False], ids=["not-installed", "not-imported"])
def test_without_opentelemetry_nothing_of_it_is_imported(blocked):
    script = textwrap.dedent(_BLOCK if blocked else "") + textwrap.dedent(_CALLS)
    # The fakes are on 127.0.0.1: no proxy of the environment is in the way.
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
