"""Fakes of the MailGlyph and SendGrid campaign APIs, for testing code that sends campaigns.

`FakeMailGlyph` and `FakeSendGrid` answer the operations this package calls the way the
providers document them, with bodies built from the spec's documented examples
(``_spec_examples.json``, exported from ``spec/`` by ``scripts/regenerate``), so a test
written against a fake stays in step with the spec. Each fake:

* keeps campaigns and their states: MailGlyph ``DRAFT`` -> ``SCHEDULED`` -> ``SENDING``
  (``SENT``), SendGrid ``Draft`` -> ``Scheduled`` -> ``Sent``; sending a campaign that was
  already sent gets the provider's documented refusal;
* checks the API key: a missing or different bearer token gets 401 with the provider's error
  body (MailGlyph answers a public ``pk_`` key with its documented 403);
* records every request it receives in ``fake.requests`` (the Authorization header redacted);
* injects faults into the next N matching calls: a status (`fail_next`), a stall
  (`stall_next`) or a connection reset after the request was read (`reset_next`);
* runs in-process through ``fake.transport`` (an ``httpx.MockTransport``) or over real HTTP on
  127.0.0.1 with ``with fake.serve() as base_url:``.

In-process, nothing sleeps: a stall (by default one that outlasts the client's timeout)
raises ``httpx.ReadTimeout`` at once, and a reset raises ``httpx.ReadError``, which is what
httpx raises for a real reset. Over HTTP the stall really holds the answer (until the client
gives up, or for the seconds given; always ended when the server stops) and the reset
really closes the socket with RST.

Example::

    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    client = MailGlyph(api_key=fake.api_key, http_client=fake.http_client())
    client.send_now("cmp_1")
    assert fake.sends("cmp_1") == 1
    assert fake.campaign("cmp_1").status == "SENDING"

This module needs nothing beyond the package's own dependencies (httpx and the standard
library); it does not import pytest.
"""

from __future__ import annotations

import contextlib
import copy
import http
import json
import secrets
import select
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Literal, cast, get_args

import httpx

from . import _spec_examples

__all__ = [
    "DEFAULT_MAILGLYPH_KEY",
    "DEFAULT_SENDGRID_KEY",
    "FakeMailGlyph",
    "FakeSendGrid",
    "MailGlyphCampaign",
    "MailGlyphStatus",
    "RecordedRequest",
    "SendGridCampaign",
    "SendGridStatus",
]

DEFAULT_MAILGLYPH_KEY = "sk_test_campaign_clients_fake"
"""The key a `FakeMailGlyph` accepts unless it is given another one."""

DEFAULT_SENDGRID_KEY = "SG.campaign-clients-fake.test-key"
"""The key a `FakeSendGrid` accepts unless it is given another one."""

MailGlyphStatus = Literal["DRAFT", "SCHEDULED", "SENDING", "SENT"]
SendGridStatus = Literal["Draft", "Scheduled", "Sent"]

_REDACTED = "***"


class _SpecExample:
    """fail_next's default body: the spec's example (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "<the spec's example>"


_ABSENT: Any = _SpecExample()


def _example(provider: str, operation: str, status: str) -> Any:
    """A deep copy of the spec's documented example (KeyError when there is none)."""
    return _spec_examples.response(provider, operation, status)


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    spec = "seconds" if moment.microsecond == 0 else "milliseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def _request_id() -> str:
    return f"req_{secrets.token_hex(4)}"


def _parse_json(content: bytes) -> tuple[bool, Any]:
    """(ok, value); an empty body is ok and None."""
    if not content.strip():
        return True, None
    try:
        return True, json.loads(content)
    except ValueError:
        return False, None


def _header_value(value: int | float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RecordedRequest:
    """One request a fake received, as it arrived (the Authorization value redacted).

    ``path`` is the raw path as sent, percent-encoding included and without the query;
    ``headers`` has lower-case names; ``json`` is the decoded body, or None when the body
    was empty or not JSON (``content`` has the raw bytes). ``operation`` is the spec's
    operationId the request was routed to (None when no operation matched) and
    ``campaign_id`` the campaign it named (an int for SendGrid).
    """

    method: str
    path: str
    headers: Mapping[str, str]
    json: Any
    content: bytes
    operation: str | None
    campaign_id: str | int | None

    def header(self, name: str) -> str | None:
        """The value of a header, by case-insensitive name."""
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class MailGlyphCampaign:
    """A snapshot of a `FakeMailGlyph` campaign."""

    id: str
    status: MailGlyphStatus
    scheduled_for: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True)
class SendGridCampaign:
    """A snapshot of a `FakeSendGrid` campaign."""

    id: int
    status: SendGridStatus
    send_at: int | None
    on_behalf_of: str | None


# --------------------------------------------------------------------------- faults


@dataclass
class _Fault:
    kind: Literal["status", "stall", "reset"]
    remaining: int
    operation: str | None
    status: int = 0
    retry_after: int | float | str | None = None
    body: Any = _ABSENT
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float | None = None


@dataclass(frozen=True)
class _Reply:
    """What the shared core decided: a response, possibly delayed, or a reset instead."""

    response: httpx.Response
    stalled: bool = False
    stall_seconds: float | None = None  # None: until the client gives up
    reset: bool = False


@dataclass(frozen=True)
class _Route:
    operation: str | None
    campaign_id: str | int | None
    path_known: bool  # the path exists but the method may not


# --------------------------------------------------------------------------- base


class _FakeAPI:
    """What both fakes share: key check, records, faults, transport, server."""

    _provider: ClassVar[str]
    _operations: ClassVar[tuple[str, ...]]
    _send_operations: ClassVar[frozenset[str]]
    _default_base_url: ClassVar[str]

    def __init__(self, api_key: str, *, base_url: str | None) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._api_key = api_key
        self.base_url = base_url or self._default_base_url
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._faults: list[_Fault] = []
        self._transport = httpx.MockTransport(self._handle_in_process)

    def __repr__(self) -> str:  # never shows the key
        with self._lock:
            return (
                f"{type(self).__name__}(base_url={self.base_url!r}, "
                f"campaigns={self._campaign_count()}, requests={len(self._requests)}, "
                f"pending_faults={sum(f.remaining for f in self._faults)})"
            )

    # ------------------------------------------------------------------ public API

    @property
    def api_key(self) -> str:
        """The key this fake accepts (pass it to the client under test)."""
        return self._api_key

    @property
    def transport(self) -> httpx.MockTransport:
        """An ``httpx.MockTransport`` answering in-process; works with Client and AsyncClient."""
        return self._transport

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(
        self, operation: str | None = None, *, campaign_id: str | int | None = None
    ) -> list[RecordedRequest]:
        """The requests received for one operation (spec operationId) and/or campaign."""
        if operation is not None:
            self._check_operation(operation)
        with self._lock:
            return [
                r
                for r in self._requests
                if (operation is None or r.operation == operation)
                and (campaign_id is None or r.campaign_id == campaign_id)
            ]

    def count(self, operation: str | None = None, *, campaign_id: str | int | None = None) -> int:
        """How many requests were received for an operation and/or campaign, any answer."""
        return len(self.requests_for(operation, campaign_id=campaign_id))

    def sends(self, campaign_id: str | int) -> int:
        """How many requests that may start a send of this campaign reached the fake.

        Counts every such request received, whatever the answer (an injected 429 or reset
        included): MailGlyph ``sendCampaign``; SendGrid ``sendCampaignNow`` and
        ``scheduleCampaign``.
        """
        with self._lock:
            return sum(
                1
                for r in self._requests
                if r.operation in self._send_operations and r.campaign_id == campaign_id
            )

    def clear_requests(self) -> None:
        """Forget the recorded requests (campaigns and pending faults are kept)."""
        with self._lock:
            self._requests.clear()

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: int | float | str | None = None,
        body: Any = _ABSENT,
        headers: Mapping[str, str] | None = None,
        operation: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching calls with ``status`` instead of acting on them.

        The campaign is left unchanged. The body is the spec's documented example for that
        operation and status (MailGlyph's ``5XX`` example for any 5xx), with a fresh request
        id, unless ``body`` is given: any JSON value, or ``bytes`` sent as they are (to test
        a malformed answer). ``retry_after`` adds a ``Retry-After`` header (seconds, or an
        HTTP date as a string). ``operation`` limits the fault to one spec operationId.
        Faults queue: each call takes the oldest pending fault that matches it.
        """
        if not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, not {status}")
        self._queue(
            _Fault(
                "status",
                self._check_times(times),
                self._check_operation(operation),
                status=status,
                retry_after=retry_after,
                body=body,
                headers=dict(headers or {}),
            )
        )

    def stall_next(
        self,
        seconds: float | None = None,
        *,
        times: int = 1,
        operation: str | None = None,
    ) -> None:
        """Act on the next ``times`` matching calls at once but hold back the answer.

        By default the answer never comes: over HTTP the fake waits until the client closes
        the connection (its timeout) or the server stops; in process the transport raises
        ``httpx.ReadTimeout`` at once. With ``seconds`` the answer comes after that long over
        HTTP; in process nothing sleeps: ``httpx.ReadTimeout`` is raised at once if
        ``seconds`` is at least the request's read timeout, otherwise it answers at once.
        """
        if seconds is not None and not seconds >= 0:
            raise ValueError("seconds must be None or a number >= 0")
        self._queue(
            _Fault(
                "stall",
                self._check_times(times),
                self._check_operation(operation),
                seconds=None if seconds is None else float(seconds),
            )
        )

    def reset_next(self, *, times: int = 1, operation: str | None = None) -> None:
        """Read and act on the next ``times`` matching calls, then reset the connection.

        Nothing is answered: over HTTP the socket is closed with RST (SO_LINGER 0); in
        process the transport raises ``httpx.ReadError``. The campaign's state changes as if
        the answer had been sent, which is what makes a reset's outcome unknown.
        """
        self._queue(_Fault("reset", self._check_times(times), self._check_operation(operation)))

    def clear_faults(self) -> None:
        """Drop every fault not yet used."""
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many injected faults are still waiting for a call."""
        with self._lock:
            return sum(f.remaining for f in self._faults)

    def http_client(self, **kwargs: Any) -> httpx.Client:
        """An ``httpx.Client`` on this fake's transport and base URL (kwargs go to httpx)."""
        kwargs.setdefault("base_url", self.base_url)
        return httpx.Client(transport=self._transport, **kwargs)

    def async_http_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` on this fake's transport and base URL."""
        kwargs.setdefault("base_url", self.base_url)
        return httpx.AsyncClient(transport=self._transport, **kwargs)

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        """Serve this fake over HTTP on 127.0.0.1 (a free port) in a background thread.

        Yields the base URL, such as ``http://127.0.0.1:54321``. On exit the server stops,
        open connections are closed and stalled answers are abandoned; the port then refuses
        connections, which is a way to test a connect failure.
        """
        server = _FakeHTTPServer(self)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{type(self).__name__}-server",
            daemon=True,
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.stop()
            thread.join(timeout=5)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request in-process, as ``transport`` does (faults included)."""
        return self._handle_in_process(request)

    # ------------------------------------------------------------------ core

    def _handle_in_process(self, request: httpx.Request) -> httpx.Response:
        reply = self._dispatch(request)
        if reply.reset:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if reply.stalled:
            timeouts = request.extensions.get("timeout") or {}
            read_timeout = timeouts.get("read")
            if reply.stall_seconds is None or (
                read_timeout is not None and reply.stall_seconds >= read_timeout
            ):
                raise httpx.ReadTimeout("The read operation timed out", request=request)
        return reply.response

    def _dispatch(self, request: httpx.Request) -> _Reply:
        """The one handler behind both the MockTransport and the HTTP server."""
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        route = self._route(request.method, raw_path)
        content = request.content
        ok, body = _parse_json(content)
        record = RecordedRequest(
            method=request.method,
            path=raw_path,
            headers=self._redact(request.headers),
            json=body if ok else None,
            content=content,
            operation=route.operation,
            campaign_id=route.campaign_id,
        )
        with self._lock:
            self._requests.append(record)
            fault = self._take_fault(route.operation)
            if fault is not None and fault.kind == "status":
                return _Reply(self._fault_response(fault, route.operation))
            response = self._respond(request, route, ok, body)
        if fault is not None and fault.kind == "stall":
            return _Reply(response, stalled=True, stall_seconds=fault.seconds)
        if fault is not None and fault.kind == "reset":
            return _Reply(response, reset=True)
        return _Reply(response)

    def _respond(
        self, request: httpx.Request, route: _Route, ok: bool, body: Any
    ) -> httpx.Response:
        refused = self._check_auth(request, route.operation)
        if refused is not None:
            return refused
        if route.operation is None:
            if route.path_known:
                return self._error(405, None, "Method not allowed")
            return self._error(404, None)
        return self._act(request, route, ok, body)

    def _redact(self, headers: httpx.Headers) -> dict[str, str]:
        redacted: dict[str, str] = {}
        for name, value in headers.items():
            name = name.lower()
            if name == "authorization":
                scheme, _, token = value.partition(" ")
                value = f"{scheme} {_REDACTED}" if token else _REDACTED
            elif self._api_key in value:
                value = value.replace(self._api_key, _REDACTED)
            redacted[name] = value
        return redacted

    def _bearer(self, request: httpx.Request) -> str | None:
        value: str = request.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def _queue(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, operation: str | None) -> _Fault | None:
        for fault in self._faults:
            if fault.operation is None or fault.operation == operation:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _fault_response(self, fault: _Fault, operation: str | None) -> httpx.Response:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = _header_value(fault.retry_after)
        headers.update(fault.headers)
        if isinstance(fault.body, bytes):
            headers.setdefault("Content-Type", "application/json")
            return httpx.Response(fault.status, content=fault.body, headers=headers)
        if fault.body is not _ABSENT:
            return httpx.Response(fault.status, json=fault.body, headers=headers)
        body = self._fault_body(fault.status, operation, fault.retry_after)
        if body is None:
            return httpx.Response(fault.status, headers=headers)
        return httpx.Response(fault.status, json=body, headers=headers)

    def _check_times(self, times: int) -> int:
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a positive int, not {times!r}")
        return times

    def _check_operation(self, operation: str | None) -> str | None:
        if operation is not None and operation not in self._operations:
            raise ValueError(
                f"unknown operation {operation!r} for {type(self).__name__}; "
                f"expected one of {', '.join(self._operations)}"
            )
        return operation

    # ------------------------------------------------------------------ provider hooks

    def _campaign_count(self) -> int:
        raise NotImplementedError

    def _route(self, method: str, raw_path: str) -> _Route:
        raise NotImplementedError

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        raise NotImplementedError

    def _act(self, request: httpx.Request, route: _Route, ok: bool, body: Any) -> httpx.Response:
        raise NotImplementedError

    def _error(
        self, status: int, operation: str | None, message: str | None = None
    ) -> httpx.Response:
        raise NotImplementedError

    def _fault_body(
        self, status: int, operation: str | None, retry_after: int | float | str | None
    ) -> Any:
        raise NotImplementedError


def _segments(raw_path: str) -> list[str]:
    return [urllib.parse.unquote(s) for s in raw_path.split("/")]


# --------------------------------------------------------------------------- MailGlyph


@dataclass
class _MailGlyphState:
    id: str
    status: MailGlyphStatus
    scheduled_for: datetime | None
    sent_at: datetime | None
    name: str | None
    created_at: datetime
    updated_at: datetime


class FakeMailGlyph(_FakeAPI):
    """A fake MailGlyph API: ``POST /campaigns/{id}/send`` (operation ``sendCampaign``).

    States: a new campaign is ``DRAFT``. Sending without ``scheduledFor`` (or with null)
    answers 200 and makes it ``SENDING``; with ``scheduledFor`` (a future ISO 8601 instant
    with a zone) it becomes ``SCHEDULED`` (a scheduled campaign may be scheduled again or
    sent now). Sending or scheduling a ``SENDING`` or ``SENT`` campaign answers the spec's
    400 ``CAMPAIGN_ALREADY_SENT`` envelope. An unknown id answers 404, a missing or other
    key 401, a public ``pk_`` key 403, and a ``scheduledFor`` that is not a future instant
    with a zone offset the spec's 422 ``VALIDATION_ERROR``.
    """

    _provider = "mailglyph"
    _operations = ("sendCampaign",)
    _send_operations = frozenset({"sendCampaign"})
    _default_base_url = "https://api.mailglyph.com"

    def __init__(
        self, api_key: str = DEFAULT_MAILGLYPH_KEY, *, base_url: str | None = None
    ) -> None:
        super().__init__(api_key, base_url=base_url)
        self._campaigns: dict[str, _MailGlyphState] = {}

    def add_campaign(
        self,
        campaign_id: str,
        *,
        status: MailGlyphStatus = "DRAFT",
        scheduled_for: datetime | None = None,
        name: str | None = None,
    ) -> MailGlyphCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        A ``SCHEDULED`` campaign without ``scheduled_for`` is scheduled a day from now.
        """
        if not isinstance(campaign_id, str) or not campaign_id:
            raise ValueError("a MailGlyph campaign id is a non-empty string")
        if status not in get_args(MailGlyphStatus):
            raise ValueError(f"status must be one of {get_args(MailGlyphStatus)}, not {status!r}")
        if scheduled_for is not None and scheduled_for.tzinfo is None:
            raise ValueError("scheduled_for must be timezone-aware")
        now = datetime.now(UTC)
        if status == "SCHEDULED" and scheduled_for is None:
            scheduled_for = now + timedelta(days=1)
        with self._lock:
            if campaign_id in self._campaigns:
                raise ValueError(f"campaign {campaign_id!r} already exists")
            state = _MailGlyphState(
                id=campaign_id,
                status=status,
                scheduled_for=scheduled_for.astimezone(UTC) if scheduled_for else None,
                sent_at=now if status in ("SENDING", "SENT") else None,
                name=name,
                created_at=now,
                updated_at=now,
            )
            self._campaigns[campaign_id] = state
            return self._snapshot(state)

    def campaign(self, campaign_id: str) -> MailGlyphCampaign:
        """The campaign's current state (KeyError if there is no such campaign)."""
        with self._lock:
            return self._snapshot(self._campaigns[campaign_id])

    @staticmethod
    def _snapshot(state: _MailGlyphState) -> MailGlyphCampaign:
        return MailGlyphCampaign(state.id, state.status, state.scheduled_for, state.sent_at)

    # ------------------------------------------------------------------ hooks

    def _campaign_count(self) -> int:
        return len(self._campaigns)

    def _route(self, method: str, raw_path: str) -> _Route:
        parts = _segments(raw_path)
        if len(parts) == 4 and parts[0] == "" and parts[1] == "campaigns" and parts[3] == "send":
            if not parts[2]:
                return _Route(None, None, path_known=False)
            if method == "POST":
                return _Route("sendCampaign", parts[2], path_known=True)
            return _Route(None, parts[2], path_known=True)
        return _Route(None, None, path_known=False)

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        token = self._bearer(request)
        if token is not None and token.startswith("pk_"):
            return self._error(403, operation)
        if token != self._api_key:
            return self._error(401, operation)
        return None

    def _envelope(self, status: int, template: str) -> dict[str, Any]:
        body: dict[str, Any] = _example("mailglyph", "sendCampaign", template)
        body["error"]["statusCode"] = status
        body["error"]["requestId"] = _request_id()
        body["timestamp"] = _iso(datetime.now(UTC).replace(microsecond=0))
        return body

    def _error(
        self, status: int, operation: str | None, message: str | None = None
    ) -> httpx.Response:
        return httpx.Response(status, json=self._error_body(status, message))

    def _error_body(self, status: int, message: str | None = None) -> dict[str, Any]:
        responses = _spec_examples.responses("mailglyph", "sendCampaign")
        if str(status) in responses and responses[str(status)] is not None:
            body = self._envelope(status, str(status))
        elif 500 <= status <= 599:
            body = self._envelope(status, "5XX")
        else:  # not documented: the spec's envelope with a generic code
            body = self._envelope(status, "404")
            phrase = _phrase(status)
            body["error"]["code"] = phrase.upper().replace(" ", "_") or "ERROR"
            body["error"]["message"] = phrase
        if message is not None:
            body["error"]["message"] = message
        return body

    def _fault_body(
        self, status: int, operation: str | None, retry_after: int | float | str | None
    ) -> Any:
        if 200 <= status <= 299:
            responses = _spec_examples.responses("mailglyph", "sendCampaign")
            return copy.deepcopy(responses.get(str(status)))
        body = self._error_body(status)
        if status == 429 and isinstance(retry_after, int | float):
            body["error"]["details"] = {"retryAfter": retry_after}
        return body

    def _invalid(self, field_name: str, message: str, code: str) -> httpx.Response:
        body = self._error_body(422)
        body["error"]["errors"] = [{"field": field_name, "message": message, "code": code}]
        return httpx.Response(422, json=body)

    def _act(self, request: httpx.Request, route: _Route, ok: bool, body: Any) -> httpx.Response:
        state = self._campaigns.get(cast(str, route.campaign_id))
        if state is None:
            return self._error(404, route.operation)
        if not ok or (body is not None and not isinstance(body, dict)):
            return self._invalid("body", "Request body must be a JSON object", "invalid_type")
        value = body.get("scheduledFor") if isinstance(body, dict) else None
        now = datetime.now(UTC)
        scheduled_for: datetime | None = None
        if value is not None:
            if not isinstance(value, str):
                return self._invalid(
                    "scheduledFor", "scheduledFor must be an ISO 8601 date-time", "invalid_type"
                )
            try:
                scheduled_for = datetime.fromisoformat(value)
            except ValueError:
                return self._invalid(
                    "scheduledFor", "scheduledFor must be an ISO 8601 date-time", "invalid_date"
                )
            if scheduled_for.tzinfo is None:
                return self._invalid(
                    "scheduledFor", "scheduledFor must include a time zone offset", "invalid_date"
                )
            if scheduled_for <= now:
                # The spec's documented 422 example is exactly this case.
                return httpx.Response(422, json=self._error_body(422))
        if state.status in ("SENDING", "SENT"):
            return httpx.Response(400, json=self._error_body(400))
        state.updated_at = now
        if scheduled_for is None:
            state.status, state.scheduled_for, state.sent_at = "SENDING", None, now
            message = "Campaign sending"
        else:
            state.status, state.scheduled_for = "SCHEDULED", scheduled_for.astimezone(UTC)
            message = "Campaign scheduled"
        answer: dict[str, Any] = _example("mailglyph", "sendCampaign", "200")
        data = answer["data"]
        data["id"] = state.id
        if state.name is not None:
            data["name"] = state.name
        data["status"] = state.status
        data["scheduledFor"] = _iso(state.scheduled_for) if state.scheduled_for else None
        data["sentAt"] = _iso(state.sent_at) if state.sent_at else None
        data["createdAt"] = _iso(state.created_at)
        data["updatedAt"] = _iso(state.updated_at)
        answer["message"] = message
        return httpx.Response(200, json=answer)


# --------------------------------------------------------------------------- SendGrid


@dataclass
class _SendGridState:
    id: int
    status: SendGridStatus
    send_at: int | None
    on_behalf_of: str | None


class FakeSendGrid(_FakeAPI):
    """A fake SendGrid legacy Marketing Campaigns schedules API.

    Operations (spec operationIds): ``sendCampaignNow`` (POST .../schedules/now),
    ``scheduleCampaign`` (POST .../schedules), ``rescheduleCampaign`` (PATCH),
    ``getCampaignSchedule`` (GET) and ``unscheduleCampaign`` (DELETE).

    States: a new campaign is ``Draft``. Send now answers 201 ``{id, status: "Scheduled"}``
    (the spec's example) and makes it ``Sent``; schedule answers 201 and makes it
    ``Scheduled``; reschedule (only when ``Scheduled``) answers 200; unschedule returns a
    ``Scheduled`` campaign to ``Draft`` with 204. Refusals are the spec's 403 examples: send
    now when not a draft ("You may only send a campaign when it is in draft mode."),
    schedule when not a draft, reschedule when not scheduled, unschedule when ``Sent``
    ("This campaign is already In Progress."). Choices the docs leave open: viewing or
    unscheduling the schedule of a ``Draft`` answers the spec's 404 ``not found``; a
    ``send_at`` that is not a future Unix time answers 400 (the spec's ``ErrorItem`` example
    message). A campaign belongs to the account named by ``on_behalf_of`` (None: the parent
    account), so a request with another ``on-behalf-of`` header gets 404. An unknown id
    answers 404 and a missing or other key 401.
    """

    _provider = "sendgrid"
    _operations = (
        "sendCampaignNow",
        "scheduleCampaign",
        "rescheduleCampaign",
        "getCampaignSchedule",
        "unscheduleCampaign",
    )
    _send_operations = frozenset({"sendCampaignNow", "scheduleCampaign"})
    _default_base_url = "https://api.sendgrid.com"
    _schedule_methods: ClassVar[dict[str, str]] = {
        "POST": "scheduleCampaign",
        "PATCH": "rescheduleCampaign",
        "GET": "getCampaignSchedule",
        "DELETE": "unscheduleCampaign",
    }

    def __init__(self, api_key: str = DEFAULT_SENDGRID_KEY, *, base_url: str | None = None) -> None:
        super().__init__(api_key, base_url=base_url)
        self._campaigns: dict[tuple[str | None, int], _SendGridState] = {}

    def add_campaign(
        self,
        campaign_id: int,
        *,
        status: SendGridStatus = "Draft",
        send_at: int | datetime | None = None,
        on_behalf_of: str | None = None,
    ) -> SendGridCampaign:
        """Create a campaign (a draft unless ``status`` says otherwise) and return it.

        ``on_behalf_of`` puts it in a subuser's account: only requests with that
        ``on-behalf-of`` header see it. A ``Scheduled`` campaign without ``send_at`` is
        scheduled a day from now.
        """
        if isinstance(campaign_id, bool) or not isinstance(campaign_id, int) or campaign_id < 1:
            raise ValueError("a SendGrid campaign id is a positive int")
        if status not in get_args(SendGridStatus):
            raise ValueError(f"status must be one of {get_args(SendGridStatus)}, not {status!r}")
        if isinstance(send_at, datetime):
            if send_at.tzinfo is None:
                raise ValueError("send_at must be timezone-aware")
            send_at = int(send_at.timestamp())
        if status == "Scheduled" and send_at is None:
            send_at = int(time.time()) + 86400
        with self._lock:
            key = (on_behalf_of, campaign_id)
            if key in self._campaigns:
                raise ValueError(f"campaign {campaign_id} already exists")
            state = _SendGridState(campaign_id, status, send_at, on_behalf_of)
            self._campaigns[key] = state
            return self._snapshot(state)

    def campaign(self, campaign_id: int, *, on_behalf_of: str | None = None) -> SendGridCampaign:
        """The campaign's current state (KeyError if there is no such campaign)."""
        with self._lock:
            return self._snapshot(self._campaigns[(on_behalf_of, campaign_id)])

    @staticmethod
    def _snapshot(state: _SendGridState) -> SendGridCampaign:
        return SendGridCampaign(state.id, state.status, state.send_at, state.on_behalf_of)

    # ------------------------------------------------------------------ hooks

    def _campaign_count(self) -> int:
        return len(self._campaigns)

    def _route(self, method: str, raw_path: str) -> _Route:
        parts = _segments(raw_path)
        if (
            len(parts) not in (5, 6)
            or parts[:3] != ["", "v3", "campaigns"]
            or parts[4] != "schedules"
            or not parts[3].isascii()
            or not parts[3].isdigit()
            or int(parts[3]) < 1
        ):
            return _Route(None, None, path_known=False)
        campaign_id = int(parts[3])
        if len(parts) == 6:
            if parts[5] != "now":
                return _Route(None, None, path_known=False)
            operation = "sendCampaignNow" if method == "POST" else None
        else:
            operation = self._schedule_methods.get(method)
        return _Route(operation, campaign_id, path_known=True)

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        if self._bearer(request) != self._api_key:
            return self._error(401, operation)
        return None

    def _error_body(self, status: int, operation: str | None, message: str | None) -> Any:
        responses = _spec_examples.responses("sendgrid", operation or "sendCampaignNow")
        documented = responses.get(str(status))
        if documented is not None:
            body = copy.deepcopy(documented)
        else:  # not documented: SendGrid's error shape with the status's phrase
            body = {"errors": [{"field": None, "message": _phrase(status).lower()}]}
        if message is not None:
            body["errors"] = [{"field": None, "message": message}]
        return body

    def _error(
        self, status: int, operation: str | None, message: str | None = None
    ) -> httpx.Response:
        return httpx.Response(status, json=self._error_body(status, operation, message))

    def _fault_body(
        self, status: int, operation: str | None, retry_after: int | float | str | None
    ) -> Any:
        if 200 <= status <= 299:
            responses = _spec_examples.responses("sendgrid", operation or "sendCampaignNow")
            return copy.deepcopy(responses.get(str(status)))
        return self._error_body(status, operation, None)

    def _bad_send_at(self, operation: str, message: str) -> httpx.Response:
        body = self._error_body(400, operation, None)
        body["errors"] = [{"field": "send_at", "message": message}]
        return httpx.Response(400, json=body)

    def _send_at(self, operation: str, ok: bool, body: Any) -> int | httpx.Response:
        if not ok or not isinstance(body, dict):
            return self._bad_send_at(operation, "The request body must be a JSON object.")
        send_at = body.get("send_at")
        if isinstance(send_at, bool) or not isinstance(send_at, int):
            return self._bad_send_at(operation, "send_at must be a Unix timestamp (integer).")
        if send_at <= time.time():
            # The spec's ErrorItem example message.
            return self._bad_send_at(
                operation, "Please choose a future time for sending your campaign."
            )
        return send_at

    def _act(self, request: httpx.Request, route: _Route, ok: bool, body: Any) -> httpx.Response:
        operation = cast(str, route.operation)
        account = request.headers.get("on-behalf-of")
        state = self._campaigns.get((account, cast(int, route.campaign_id)))
        if state is None:
            return self._error(404, operation)

        if operation == "sendCampaignNow":
            if state.status != "Draft":
                return self._error(403, operation)
            state.status, state.send_at = "Sent", int(time.time())
            answer = _example("sendgrid", operation, "201")
            answer["id"] = state.id
            return httpx.Response(201, json=answer)

        if operation in ("scheduleCampaign", "rescheduleCampaign"):
            send_at = self._send_at(operation, ok, body)
            if isinstance(send_at, httpx.Response):
                return send_at
            wanted = "Draft" if operation == "scheduleCampaign" else "Scheduled"
            if state.status != wanted:
                return self._error(403, operation)
            state.status, state.send_at = "Scheduled", send_at
            code = "201" if operation == "scheduleCampaign" else "200"
            answer = _example("sendgrid", operation, code)
            answer.update(id=state.id, send_at=send_at, status="Scheduled")
            return httpx.Response(int(code), json=answer)

        if operation == "getCampaignSchedule":
            if state.status != "Scheduled":
                return self._error(404, operation)
            answer = _example("sendgrid", operation, "200")
            answer["send_at"] = state.send_at
            return httpx.Response(200, json=answer)

        # unscheduleCampaign
        if state.status == "Sent":
            return self._error(403, operation)
        if state.status == "Draft":
            return self._error(404, operation)
        state.status, state.send_at = "Draft", None
        return httpx.Response(204)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# --------------------------------------------------------------------------- HTTP server


class _FakeHTTPServer(ThreadingHTTPServer):
    """A loopback HTTP/1.1 server whose every request goes to a fake's `_dispatch`."""

    daemon_threads = True

    def __init__(self, fake: _FakeAPI) -> None:
        self.fake = fake
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _FakeRequestHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        with self._connections_lock:
            self._connections.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def stop(self) -> None:
        self.stopping.set()  # ends stalls
        self.shutdown()  # stops accepting
        with self._connections_lock:
            connections = list(self._connections)
        for sock in connections:  # ends keep-alive waits
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.server_close()


class _FakeRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection is dropped after this many seconds
    server: _FakeHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the fake records requests itself

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        port = self.server.server_address[1]
        request = httpx.Request(
            self.command,
            f"http://127.0.0.1:{port}{self.path}",
            headers=list(self.headers.items()),
            content=body or None,
        )
        reply = self.server.fake._dispatch(request)
        if reply.reset:
            self._reset()
            return
        if reply.stalled:
            if reply.stall_seconds is None:
                self._hold_until_the_client_leaves()
                return
            if self.server.stopping.wait(reply.stall_seconds):
                self.close_connection = True  # the server is stopping: abandon the answer
                return
        self._write(reply.response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def _write(self, response: httpx.Response) -> None:
        try:
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            if response.status_code not in (204, 304):
                self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            if response.content:
                self.wfile.write(response.content)
        except OSError:
            self.close_connection = True  # the client has gone (it timed out)

    def _hold_until_the_client_leaves(self) -> None:
        """Answer nothing; return when the client closes the connection or the server stops."""
        self.close_connection = True
        sock = self.connection
        while not self.server.stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                try:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return  # end of stream: the client gave up
                except OSError:
                    return  # reset by the client
                self.server.stopping.wait(0.05)  # more bytes (pipelining): keep holding

    def _reset(self) -> None:
        """Close with RST and no answer: SO_LINGER on with a zero timeout, then close.

        The socket's file descriptor is released when its last reader is closed, so the
        reader is closed here too; nothing is written, so no FIN precedes the RST.
        """
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.rfile.close()
