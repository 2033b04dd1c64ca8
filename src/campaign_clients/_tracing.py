"""One OpenTelemetry span per facade call, when the application uses OpenTelemetry.

A public method call (a send, a read, a Single Send launch with its read, `settle`) is
one span named "<provider> <operation>", kind INTERNAL, current while the call runs, so
the HTTP spans of its requests, retries and settling reads (made by OpenTelemetry's
httpx instrumentation, `_deadline.py` and `_pool.py`) are its children. Its attributes
(`campaign_clients.*`) say the provider, the operation, the campaign id, how many tries
were repeated, how an unknown outcome was settled and, on an error, `error.type` and
`outcome_unknown`; the error is recorded as an event, its text redacted like the
error's own (the key is never in a span).

OpenTelemetry is not a dependency, and this module takes it only from `sys.modules`:
spans are made only when the application has imported `opentelemetry.trace` itself.
Otherwise `call` hands back one shared no-op, so a client without OpenTelemetry pays a
dictionary lookup per call. The calls a facade call makes inside itself (the reads that
settle it, the read before a Single Send launch) make no span of their own: they report
their retries and settlement to the span already open.
"""

from __future__ import annotations

import sys
import traceback
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from ._constants import VERSION
from ._redaction import Credentials
from ._settlement import Settlement
from .errors import CampaignClientError

_NAMESPACE = "campaign_clients"

_OPEN: ContextVar[CallSpan | None] = ContextVar("campaign_clients_call_span", default=None)
"""The facade call's span open in this thread or task, if any."""


class CallSpan:
    """The span of one facade call: what the request loop tells it, written as attributes
    when the call ends."""

    __slots__ = ("_credentials", "_retries", "_scope", "_span", "_token")

    def __init__(self, span: Any, scope: Any, credentials: Credentials) -> None:
        self._span, self._scope, self._credentials = span, scope, credentials
        self._retries = 0
        self._token: Any = None

    def retried(self) -> None:
        """A try of one of the call's requests is being repeated."""
        self._retries += 1

    def settled(self, settlement: Settlement) -> None:
        """An unknown outcome was settled by reading the campaign."""
        self._span.set_attribute(f"{_NAMESPACE}.settlement", settlement.outcome)
        self._span.set_attribute(
            f"{_NAMESPACE}.settlement_reason", self._credentials.redact(settlement.reason)
        )

    def __enter__(self) -> CallSpan:
        self._scope.__enter__()
        self._token = _OPEN.set(self)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _OPEN.reset(self._token)
        try:
            self._span.set_attribute(f"{_NAMESPACE}.retries", self._retries)
            if isinstance(error, Exception):  # not a cancellation: the call failed
                self._failed(error)
        finally:
            self._scope.__exit__(kind, error, tb)  # ends the span, restores the context

    def _failed(self, error: Exception) -> None:
        from opentelemetry.trace import Status, StatusCode

        span, redact = self._span, self._credentials.redact
        if not span.is_recording():
            return  # sampled out: nothing to write
        name = type(error).__qualname__
        span.set_attribute("error.type", name)
        if isinstance(error, CampaignClientError):
            span.set_attribute(f"{_NAMESPACE}.outcome_unknown", error.outcome_unknown)
            if error.settlement is not None:  # what the client read, also before a launch
                self.settled(error.settlement)
        message = redact(str(error))
        # Only this error's own frames: the causes it was raised from are not recorded.
        stack = redact("".join(traceback.format_exception(error, chain=False)))
        span.record_exception(
            error, attributes={"exception.message": message, "exception.stacktrace": stack}
        )
        span.set_status(Status(StatusCode.ERROR, message))


class _Inside:
    """A call made inside a facade call: it reports to the span already open."""

    __slots__ = ("_span",)

    def __init__(self, span: CallSpan) -> None:
        self._span = span

    def __enter__(self) -> CallSpan:
        return self._span

    def __exit__(self, *exc_info: object) -> None:
        return None


class _Untraced:
    """No span: OpenTelemetry is not in use. Entered as itself, a report that keeps
    nothing, so the request loop reports the same way whether or not it is traced."""

    __slots__ = ()

    def __enter__(self) -> _Untraced:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def retried(self) -> None:
        return None

    def settled(self, settlement: Settlement) -> None:
        return None


UNTRACED = _Untraced()


Report = CallSpan | _Untraced
"""What a facade call reports its retries and settlement to."""

Traced = CallSpan | _Inside | _Untraced
"""What `call` returns: a context manager entered as the `Report` of the call."""


def call(provider: str, operation: str, campaign_id: object, credentials: Credentials) -> Traced:
    """A context manager for one facade call: enters as the `CallSpan` to report to, or
    as a report that keeps nothing when nothing is traced."""
    trace = sys.modules.get("opentelemetry.trace")
    if trace is None:
        return UNTRACED
    inside = _OPEN.get()
    if inside is not None:
        return _Inside(inside)
    attributes: dict[str, Any] = {
        f"{_NAMESPACE}.provider": provider,
        f"{_NAMESPACE}.operation": operation,
    }
    if campaign_id is not None:
        attributes[f"{_NAMESPACE}.campaign_id"] = str(campaign_id)
    tracer = trace.get_tracer(_NAMESPACE, VERSION)
    span = tracer.start_span(f"{provider} {operation}", attributes=attributes)
    scope = trace.use_span(
        span, end_on_exit=True, record_exception=False, set_status_on_exception=False
    )
    return CallSpan(span, scope, credentials)
