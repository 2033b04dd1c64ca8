"""The core both fakes share: the key check, the records, the injected faults,
the in-process transport and `serve()`."""

from __future__ import annotations

import contextlib
import copy
import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar
from uuid import UUID

import httpx

from .. import _spec_examples
from .._redaction import redact_authorization, scrub
from ._faults import FaultQueue, check_times, status_response
from ._hostile import HostileFaults, hostile_reply, outlasts_read_timeout
from ._models import SPEC_EXAMPLE, Fault, RecordedRequest, Reply, Route
from ._request_schema import Violation, violation
from ._router import Router
from ._server import RAW_METHOD, FakeHTTPServer


def _parse_json(content: bytes) -> tuple[bool, Any]:
    """(ok, value); an empty body is ok and None."""
    if not content.strip():
        return True, None
    try:
        return True, json.loads(content)
    except ValueError:
        return False, None


class FakeAPI(HostileFaults):
    """What both fakes share: key check, records, faults, routing, transport, server.

    A provider's fake sets the class attributes and implements the hooks at the end.
    """

    _provider: ClassVar[str]  # the spec's name: "mailglyph" or "sendgrid"
    _default_operation: ClassVar[str]  # whose examples answer a request that matched none
    _send_operations: ClassVar[frozenset[str]]
    _default_base_url: ClassVar[str]

    def __init__(self, api_key: str, *, base_url: str | None) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        self._api_key = api_key
        self.base_url: str = base_url or self._default_base_url
        self._lock = threading.RLock()
        self._requests: list[RecordedRequest] = []
        self._faults = FaultQueue()
        self._applied: Counter[str | int] = Counter()  # campaign id -> sends acted on
        self._router = Router(self._provider, self._campaign_id)
        self._transport = httpx.MockTransport(self._handle_in_process)

    def __repr__(self) -> str:  # never shows the key
        with self._lock:
            return (
                f"{type(self).__name__}(base_url={self.base_url!r}, "
                f"campaigns={self._campaign_count()}, requests={len(self._requests)}, "
                f"pending_faults={self._faults.pending})"
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
        self, operation: str | None = None, *, campaign_id: str | int | UUID | None = None
    ) -> list[RecordedRequest]:
        """The requests received for one operation (spec operationId) and/or campaign."""
        if operation is not None:
            self._check_operation(operation)
        if campaign_id is not None:
            campaign_id = self._id_key(campaign_id)
        with self._lock:
            return [
                r
                for r in self._requests
                if (operation is None or r.operation == operation)
                and (campaign_id is None or r.campaign_id == campaign_id)
            ]

    def count(
        self, operation: str | None = None, *, campaign_id: str | int | UUID | None = None
    ) -> int:
        """How many requests were received for an operation and/or campaign, any answer."""
        return len(self.requests_for(operation, campaign_id=campaign_id))

    def sends(self, campaign_id: str | int | UUID) -> int:
        """How many requests that may start a send of this campaign reached the fake.

        Counts every such request received, whatever the answer (an injected 429 or reset
        included): MailGlyph ``sendCampaign``; SendGrid ``sendCampaignNow`` and
        ``scheduleCampaign``, and ``scheduleSingleSend`` for a Single Send.
        `applied_sends` says how many of them were acted on.
        """
        campaign_id = self._id_key(campaign_id)
        with self._lock:
            return sum(
                1
                for r in self._requests
                if r.operation in self._send_operations and r.campaign_id == campaign_id
            )

    def applied_sends(self, campaign_id: str | int | UUID) -> int:
        """How many of the requests `sends` counts the fake acted on, whatever it answered.

        A request is applied when it changed the campaign to sending, sent or scheduled:
        one answered normally, or acted on before a ``fail_next(..., after_acting=True)``
        fault, a reset (``reset_next()``) or a stall answered instead. A refusal (already
        sent, bad input, unknown id, wrong key) and a fault that answered without acting
        (``fail_next(...)``, ``reset_next(after_acting=False)``) are not. So a client that
        retried a send after a lost answer shows ``sends(id) == 2`` and
        ``applied_sends(id) == 1``.
        """
        campaign_id = self._id_key(campaign_id)
        with self._lock:
            return self._applied[campaign_id]

    def clear_requests(self) -> None:
        """Forget the recorded requests and the counts made from them (`sends`,
        `applied_sends`); campaigns and pending faults are kept."""
        with self._lock:
            self._requests.clear()
            self._applied.clear()

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: int | float | str | None = None,
        body: Any = SPEC_EXAMPLE,
        headers: Mapping[str, str] | None = None,
        operation: str | None = None,
        after_acting: bool = False,
    ) -> None:
        """Answer the next ``times`` matching calls with ``status`` instead of their answer.

        By default the call is not acted on: the campaign is left unchanged (a 429 or a
        refusal as the provider gives it). With ``after_acting=True`` the fake first acts on
        the call exactly as it would have (the campaign's state changes, `applied_sends`
        counts it) and then answers with ``status`` instead: a 5xx or a malformed 200 after
        the provider acted, whose outcome the client cannot know.

        The body is the spec's documented example for that operation and status (MailGlyph's
        ``5XX`` example for any 5xx), with a fresh request id, unless ``body`` is given: any
        JSON value, or ``bytes`` sent as they are (to test a malformed answer).
        ``retry_after`` adds a ``Retry-After`` header (seconds, or an HTTP date as a
        string). ``operation`` limits the fault to one spec operationId, any of the fake's
        operations, reads included (``fail_next(503, operation="getCampaign", times=3)``).
        Faults queue: each call takes the oldest pending fault that matches it.
        """
        if not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, not {status}")
        self._queue(
            Fault(
                "status",
                check_times(times),
                self._check_operation(operation),
                after_acting=bool(after_acting),
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

        A stall always acts first (the campaign's state changes, `applied_sends` counts it),
        as a provider that received the request may have. ``operation`` limits it to one
        spec operationId, reads included (``stall_next(operation="getCampaign")``).
        By default the answer never comes: over HTTP the fake waits until the client closes
        the connection (its timeout) or the server stops; in process the transport raises
        ``httpx.ReadTimeout`` at once. With ``seconds`` the answer comes after that long over
        HTTP; in process nothing sleeps: ``httpx.ReadTimeout`` is raised at once if
        ``seconds`` is at least the request's read timeout, otherwise it answers at once.
        """
        if seconds is not None and not seconds >= 0:
            raise ValueError("seconds must be None or a number >= 0")
        self._queue(
            Fault(
                "stall",
                check_times(times),
                self._check_operation(operation),
                after_acting=True,
                seconds=None if seconds is None else float(seconds),
            )
        )

    def reset_next(
        self, *, times: int = 1, operation: str | None = None, after_acting: bool = True
    ) -> None:
        """Read and act on the next ``times`` matching calls, then reset the connection.

        Nothing is answered: over HTTP the socket is closed with RST (SO_LINGER 0); in
        process the transport raises ``httpx.ReadError``. By default the campaign's state
        changes as if the answer had been sent, which is what makes a reset's outcome
        unknown; with ``after_acting=False`` the request is read but not acted on.
        ``operation`` limits the fault to one spec operationId, reads included.
        """
        self._queue(
            Fault(
                "reset",
                check_times(times),
                self._check_operation(operation),
                after_acting=bool(after_acting),
            )
        )

    def clear_faults(self) -> None:
        """Drop every fault not yet used."""
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many injected faults are still waiting for a call."""
        with self._lock:
            return self._faults.pending

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
        server = FakeHTTPServer(self._dispatch)
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

    # ------------------------------------------------------------------ core

    def _handle_in_process(self, request: httpx.Request) -> httpx.Response:
        reply = self._dispatch(request)
        if reply.reset or reply.response is None:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        if outlasts_read_timeout(reply, request):  # a stall or a drip
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        return reply.response

    def _dispatch(self, request: httpx.Request) -> Reply:
        """The one handler behind both the MockTransport and the HTTP server."""
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        method = request.extensions.get(RAW_METHOD) or request.method  # "get" is not GET
        route = self._router.route(method, raw_path)
        content = request.content
        ok, body = _parse_json(content)
        record = RecordedRequest(
            method=method,
            path=raw_path,
            headers=self._redact(request.headers),
            json=body if ok else None,
            content=content,
            operation=route.operation,
            campaign_id=route.campaign_id,
        )
        with self._lock:
            self._requests.append(record)
            fault = self._faults.take(route.operation)
            response: httpx.Response | None = None
            if fault is None or fault.after_acting:
                response = self._respond(request, route, ok, body)
                self._count_applied(route, response)
            if fault is not None and fault.kind == "status":
                return Reply(self._fault_response(fault, route.operation))
            if fault is not None and fault.kind == "oversize" and fault.status:
                response = self._fault_response(fault, route.operation)  # acted on already
        if fault is not None and fault.kind == "stall":
            return Reply(response, stalled=True, stall_seconds=fault.seconds)
        if fault is not None and fault.kind in ("drip", "oversize") and response is not None:
            return hostile_reply(fault, response)
        return Reply(response, reset=fault is not None and fault.kind == "reset")

    def _count_applied(self, route: Route, response: httpx.Response) -> None:
        """Count a send the fake acted on: a provider answers a send operation with a 2xx
        exactly when it changed the campaign (a refusal is a 4xx)."""
        campaign_id = route.campaign_id
        acted = response.is_success and route.operation in self._send_operations
        if acted and campaign_id is not None:
            self._applied[campaign_id] += 1

    def _respond(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        """The answer, checked in the order a provider's stack would: the key (401/403),
        the route (404 for no path, 405 with `Allow` for a method the path does not have),
        the request against the operation's schema (the provider's refusal of a bad
        request), then the operation itself (an unknown id is 404 there)."""
        refused = self._check_auth(request, route.operation)
        if refused is not None:
            return refused
        if route.operation is None:
            if route.path_known:
                response = self._error(405, None, "Method not allowed")
                response.headers["Allow"] = ", ".join(route.allowed)
                return response
            return self._error(404, None)
        broken = violation(self._provider, route.operation, request, ok, body)
        if broken is not None:
            return self._refuse(route.operation, broken)
        return self._act(request, route, ok, body)

    def _redact(self, headers: httpx.Headers) -> dict[str, str]:
        redacted: dict[str, str] = {}
        for name, value in headers.items():
            name = name.lower()
            if name == "authorization":
                value = redact_authorization(value)
            redacted[name] = scrub(value, [self._api_key])
        return redacted

    def _bearer(self, request: httpx.Request) -> str | None:
        value: str = request.headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return token.strip()

    def _queue(self, fault: Fault) -> None:
        with self._lock:
            self._faults.add(fault)

    def _fault_response(self, fault: Fault, operation: str | None) -> httpx.Response:
        return status_response(
            fault, lambda: self._fault_body(fault.status, operation, fault.retry_after)
        )

    def _check_operation(self, operation: str | None) -> str | None:
        return self._router.check(operation, owner=type(self).__name__)

    # ------------------------------------------------------------------ routing and answers

    def _error_body(self, status: int, operation: str | None, message: str | None) -> Any:
        raise NotImplementedError

    def _error(
        self, status: int, operation: str | None, message: str | None = None
    ) -> httpx.Response:
        return httpx.Response(status, json=self._error_body(status, operation, message))

    def _fault_body(
        self, status: int, operation: str | None, retry_after: int | float | str | None
    ) -> Any:
        """An injected fault's body: the spec's example for a 2xx, else the error body."""
        if 200 <= status <= 299:
            documented = self._examples(operation).get(str(status))
            return copy.deepcopy(documented)
        return self._error_body(status, operation, None)

    def _examples(self, operation: str | None) -> dict[str, Any]:
        """The spec's response examples of an operation (shared: do not mutate)."""
        return _spec_examples.responses(self._provider, operation or self._default_operation)

    # ------------------------------------------------------------------ provider hooks

    def _campaign_count(self) -> int:
        raise NotImplementedError

    def _campaign_id(self, segment: str) -> str | int | None:
        """The campaign id a path segment names, or None when it cannot be one."""
        raise NotImplementedError

    def _id_key(self, campaign_id: str | int | UUID) -> str | int:
        """A campaign id as the records hold it (a UUID as its string; SendGrid: a Single
        Send's in lower case)."""
        return str(campaign_id) if isinstance(campaign_id, UUID) else campaign_id

    def _check_auth(self, request: httpx.Request, operation: str | None) -> httpx.Response | None:
        raise NotImplementedError

    def _refuse(self, operation: str, broken: Violation) -> httpx.Response:
        """The provider's answer to a request that breaks the operation's schema."""
        raise NotImplementedError

    def _act(self, request: httpx.Request, route: Route, ok: bool, body: Any) -> httpx.Response:
        raise NotImplementedError
