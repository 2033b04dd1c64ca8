"""The request loop shared by every client: one pooled httpx client, typed errors,
retries that never send twice, settling of outcomes that are not known, and no key
in anything that leaves it.

`_ClientCore` holds what sync and async share (configuration, building a request,
deciding what a settlement means); `SyncClient` and `AsyncClient` differ only in
how they wait. Each provider supplies its calls, how it reads a campaign to settle
an attempt (`_settle_plan`) and the result a settled send stands for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator
from typing import Any, ClassVar, Generic, Self, TypeVar

import httpx

from . import _limits, _responses, _retry, _tracing
from ._calls import Call
from ._constants import (
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_SETTLE_DELAY,
    DEFAULT_TIMEOUT,
    KEEPALIVE_EXPIRY,
    LOGGER_NAME,
    MAX_CONNECTIONS,
    VERSION,
)
from ._event_loop import check_loop
from ._redaction import Credentials
from ._retry import RetryPolicy
from ._settlement import AUTO_SETTLED, REFUSALS, Attempt, Settlement, settleable
from ._validation import (
    check_base_url,
    check_bool,
    check_count,
    check_deadline,
    check_seconds,
    check_size,
    check_timeout,
    resolve_api_key,
)
from .errors import APIStatusError, CampaignClientError

logger = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")
HttpxClient = TypeVar("HttpxClient", httpx.Client, httpx.AsyncClient)

Steps = Generator[Call[Any], Any, T]
"""Calls to make one after another: yields each call, is sent its result (or the
`CampaignClientError` it raised), and returns what they add up to."""

SettlementPlan = Steps[Settlement]
"""Reads to settle an attempt: yields each call to make, is sent its result (or the
`CampaignClientError` it raised), and returns the settlement."""

# Pools sized for many sends in flight; keep-alive connections are reused.
DEFAULT_LIMITS = httpx.Limits(
    max_connections=MAX_CONNECTIONS,
    max_keepalive_connections=MAX_CONNECTIONS,
    keepalive_expiry=KEEPALIVE_EXPIRY,
)


class _Repeat:
    """What `_after_settlement` returns when the call is to be made again."""


REPEAT = _Repeat()


def _refusal(error: CampaignClientError) -> bool:
    """A refusal because the campaign moved on (the provider did not act on this request)."""
    return isinstance(error, APIStatusError) and error.status_code in REFUSALS


def _carried(error: CampaignClientError | Attempt) -> Settlement | None:
    """The settlement an error raised before its request was made carries (no read needed)."""
    if isinstance(error, CampaignClientError) and error.nothing_sent:
        settlement = error.settlement
        return None if settlement is None or settlement.outcome == "unknown" else settlement
    return None


class _ClientCore(Generic[HttpxClient]):
    """What every client takes and holds; each provider sets the class attributes."""

    provider: ClassVar[str]
    default_base_url: ClassVar[str]

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        settle: bool = True,
        settle_delay: float = DEFAULT_SETTLE_DELAY,
        http_client: HttpxClient | None = None,
    ) -> None:
        """`api_key` defaults to the provider's environment variable (`KEY_ENV`:
        `MAILGLYPH_API_KEY`, `SENDGRID_API_KEY`). `http_client` (optional) supplies transport,
        proxies, limits and extra headers; requests still go to `base_url`, and it is not
        closed by `close()`/`aclose()`.
        `settle` reads the campaign after a send, schedule or reschedule whose outcome is
        not known, `settle_delay` seconds later, before returning or raising. `deadline`
        and `max_response_bytes` bound each attempt's time and body (`_limits.py`)."""
        api_key = self._check_key(api_key)
        self._base_url = check_base_url(
            self.default_base_url if base_url is None else base_url, self.provider
        )
        self._deadline = check_deadline(deadline, timeout)
        self._timeout = _limits.capped(check_timeout(timeout), self._deadline)
        self._max_response_bytes = check_size(max_response_bytes, "max_response_bytes")
        self._retry = RetryPolicy(
            max_retries=check_count(max_retries, "max_retries"),
            max_retry_wait=check_seconds(max_retry_wait, "max_retry_wait"),
        )
        self._settle = check_bool(settle, "settle")
        self._settle_delay = check_seconds(settle_delay, "settle_delay")
        self._credentials = Credentials(api_key, f"campaign-clients/{VERSION}")
        self._owns_http_client = http_client is None
        self._http: HttpxClient = (
            http_client if http_client is not None else self._new_http_client()
        )

    @property
    def _auth_headers(self) -> dict[str, str]:
        """The key and the headers every request carries (built on demand: no key in vars())."""
        return self._credentials.headers

    def _check_key(self, api_key: object) -> str:
        return resolve_api_key(api_key, provider=self.provider)

    def _new_http_client(self) -> HttpxClient:
        raise NotImplementedError

    def _span(self, operation: str, campaign_id: object) -> _tracing.Traced:
        """The span of one public call (`_tracing.py`): entered around all its requests."""
        return _tracing.call(self.provider, operation, campaign_id, self._credentials)

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        # The key is never shown.
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    def __getstate__(self) -> object:
        raise TypeError(f"{type(self).__name__} holds open connections and a key; do not pickle it")

    # -- provider hooks ---------------------------------------------------------------------

    def _settle_plan(self, attempt: Attempt) -> SettlementPlan:
        """The reads that settle `attempt`, and the rule that judges them."""
        raise NotImplementedError

    def _settled_result(self, call: Call[T], settlement: Settlement) -> T:
        """The result an applied call stands for, built from what was read."""
        raise NotImplementedError

    # -- shared by the sync and async loops -------------------------------------------------

    def _build(self, call: Call[Any]) -> httpx.Request:
        kwargs = call.kwargs
        method, url = kwargs["method"].upper(), self._base_url + kwargs["url"]
        if self._owns_http_client:  # our client already carries the key and the timeout
            return self._http.build_request(
                method, url, headers=kwargs.get("headers"), json=kwargs.get("json")
            )
        return self._http.build_request(
            method,
            url,
            headers={**self._auth_headers, **kwargs.get("headers", {})},
            json=kwargs.get("json"),
            timeout=self._timeout,
        )

    def _log(self, request: httpx.Request, status: object, started: float, attempt: int) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d)",
                request.method,
                request.url.path,
                status,
                (time.perf_counter() - started) * 1000,
                attempt,
            )

    def _retry_delay(self, call: Call[Any], error: CampaignClientError, attempt: int) -> float:
        """Seconds to wait before the next attempt; raises `error` when there is none."""
        delay = self._retry.delay(error, attempt, call.operation.idempotent)
        if delay is None:
            raise error
        logger.warning(
            "%s %s failed (%s); retrying in %.2f s (retry %d of %d)",
            self.provider,
            call.operation.name,
            type(error).__name__,
            delay,
            attempt,
            self._retry.max_retries,
        )
        return delay

    def _settles(self, call: Call[Any], error: CampaignClientError, repeating: bool) -> bool:
        """Whether this error is settled by reading the campaign before anything else."""
        if call.operation.settles not in AUTO_SETTLED:
            return False
        refused = _refusal(error)
        if refused and call.since is not None:
            return True  # an earlier try of this launch (`since=`) may have moved it on
        if not self._settle:
            return False
        if error.outcome_unknown:
            return True
        # A repeat refused because the campaign moved on: the first try may have acted.
        return repeating and refused

    def _after_settlement(
        self,
        call: Call[T],
        first: CampaignClientError,
        error: CampaignClientError,
        settlement: Settlement,
        attempt: int,
    ) -> T | _Repeat:
        """The call's result, REPEAT, or the error to raise, as the settlement says.

        Only a call whose first failure left its outcome unknown is repeated: one that was
        refused at once (with `since=`) and not applied was refused for its own reasons."""
        what = f"{self.provider} {call.operation.name}"
        if settlement.outcome == "applied":
            try:
                result = self._settled_result(call, settlement)
            except (ValueError, KeyError, TypeError):
                pass  # what was read does not make a result: the outcome stays unknown
            else:
                logger.debug("%s: %s after %s", what, settlement.describe(), type(first).__name__)
                logger.warning("%s failed (%s) but was applied; %s", what, first, settlement.reason)
                return result
        elif settlement.outcome == "not_applied":
            refused_at_once = attempt == 1 and _refusal(first)
            error._settled(settlement, outcome_unknown=False)
            if not settlement.can_repeat or attempt > self._retry.max_retries or refused_at_once:
                raise error
            logger.warning("%s was not applied (%s); repeating it", what, settlement.reason)
            return REPEAT
        first._settled(settlement, outcome_unknown=True)
        raise first


class SyncClient(_ClientCore[httpx.Client]):
    def _new_http_client(self) -> httpx.Client:
        from ._deadline import DeadlineTransport  # imported late: it pulls in httpcore
        from ._proxies import sync_environment_proxy_mounts

        # httpx skips the environment's proxies when given `transport=`: mount them here.
        return httpx.Client(
            headers=self._auth_headers,
            timeout=self._timeout,
            transport=DeadlineTransport(DEFAULT_LIMITS),
            mounts=sync_environment_proxy_mounts(DEFAULT_LIMITS),
        )

    def _request(self, call: Call[T]) -> T:
        with self._span(call.operation.name, call.asked[0]) as span:
            return self._attempts(call, span)

    def _attempts(self, call: Call[T], span: _tracing.Report) -> T:
        """Make `call`, retrying and settling it as its operation allows."""
        request = self._build(call)
        began, attempt = time.time(), None
        tries, first = 1, None
        while True:
            started = time.perf_counter()
            bound = _limits.Bound(self._deadline, self._max_response_bytes)
            try:
                response = bound.send(self._http, request)
            except httpx.RequestError as exc:  # transport, decoding, deadline: every httpx failure
                self._log(request, type(exc).__name__, started, tries)
                error = bound.request_error(call, exc, self._credentials)
            except _limits.BodyError as exc:  # larger than the limit, or not decodable
                self._log(request, exc.response.status_code, started, tries)
                error = exc.error(call, self._credentials)
            else:
                self._log(request, response.status_code, started, tries)
                try:
                    return _responses.result(call, response, self._credentials)
                except CampaignClientError as exc:
                    error = _limits.kept(exc, response, self._credentials)
            attempt = call.attempt(began) if attempt is None else attempt
            error.attempt = attempt
            if attempt is not None and self._settles(call, error, repeating=first is not None):
                first = error if first is None else first
                _retry.sleep(self._settle_delay)
                settlement = self._run(self._settle_plan(attempt))
                span.settled(settlement)
                decided = self._after_settlement(call, first, error, settlement, tries)
                if not isinstance(decided, _Repeat):
                    return decided
            else:
                _retry.sleep(self._retry_delay(call, error, tries))
            tries += 1
            span.retried()

    def _run(self, plan: Steps[T]) -> T:
        answer: Any = None
        while True:
            try:
                call = plan.send(answer)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            try:
                answer = self._request(call)
            except CampaignClientError as exc:
                answer = exc

    def settle(self, error: CampaignClientError | Attempt) -> Settlement:
        """Read the campaign to tell whether the call that raised `error` was applied.

        Takes an error from a send, schedule, reschedule, unschedule or cancel of this
        provider, or its `Attempt` (kept with `to_json`, rebuilt with `from_json`, in a
        process that never saw the error); ValueError otherwise, before any request. An
        error raised before the request that could act was made (`error.nothing_sent`)
        answers with the settlement it carries, without a read, unless that is unknown.
        """
        attempt = settleable(error, self.provider)
        known = _carried(error)
        if known is not None:
            return known  # the request that could act was never made
        with self._span("settle", attempt.campaign_id) as span:
            settlement = self._run(self._settle_plan(attempt))
            span.settled(settlement)
            return settlement

    def close(self) -> None:
        """Close the pooled connections, unless the http_client was given to us."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient(_ClientCore[httpx.AsyncClient]):
    def _new_http_client(self) -> httpx.AsyncClient:
        from ._pool import StackPoolTransport  # imported late: it pulls in anyio
        from ._proxies import environment_proxy_mounts

        transport = StackPoolTransport(
            max_connections=MAX_CONNECTIONS, keepalive_expiry=KEEPALIVE_EXPIRY
        )
        # httpx skips the environment's proxies when given `transport=`: mount them here.
        return httpx.AsyncClient(
            headers=self._auth_headers,
            timeout=self._timeout,
            transport=transport,
            mounts=environment_proxy_mounts(DEFAULT_LIMITS),
        )

    _loop: object = None  # the asyncio event loop of its first request (see _event_loop)

    async def _request(self, call: Call[T]) -> T:
        with self._span(call.operation.name, call.asked[0]) as span:
            return await self._attempts(call, span)

    async def _attempts(self, call: Call[T], span: _tracing.Report) -> T:
        """Make `call`, retrying and settling it as its operation allows."""
        self._loop = check_loop(self._loop, self, call)
        request = self._build(call)
        began, attempt = time.time(), None
        tries, first = 1, None
        while True:
            started = time.perf_counter()
            bound = _limits.Bound(self._deadline, self._max_response_bytes)
            try:
                response = await bound.asend(self._http, request)
            except httpx.RequestError as exc:  # transport, decoding, deadline: every httpx failure
                self._log(request, type(exc).__name__, started, tries)
                error = bound.request_error(call, exc, self._credentials)
            except _limits.BodyError as exc:  # larger than the limit, or not decodable
                self._log(request, exc.response.status_code, started, tries)
                error = exc.error(call, self._credentials)
            except RuntimeError as exc:  # the event loop closed under the request
                self._log(request, type(exc).__name__, started, tries)
                error = _responses.loop_error(call, exc, self._credentials)
            else:
                self._log(request, response.status_code, started, tries)
                try:
                    return _responses.result(call, response, self._credentials)
                except CampaignClientError as exc:
                    error = _limits.kept(exc, response, self._credentials)
            attempt = call.attempt(began) if attempt is None else attempt
            error.attempt = attempt
            if attempt is not None and self._settles(call, error, repeating=first is not None):
                first = error if first is None else first
                await _retry.async_sleep(self._settle_delay)
                settlement = await self._run(self._settle_plan(attempt))
                span.settled(settlement)
                decided = self._after_settlement(call, first, error, settlement, tries)
                if not isinstance(decided, _Repeat):
                    return decided
            else:
                await _retry.async_sleep(self._retry_delay(call, error, tries))
            tries += 1
            span.retried()

    async def _run(self, plan: Steps[T]) -> T:
        answer: Any = None
        while True:
            try:
                call = plan.send(answer)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            try:
                answer = await self._request(call)
            except CampaignClientError as exc:
                answer = exc

    async def settle(self, error: CampaignClientError | Attempt) -> Settlement:
        """Read the campaign to tell whether the call that raised `error` was applied.

        Takes an error from a send, schedule, reschedule, unschedule or cancel of this
        provider, or its `Attempt` (kept with `to_json`, rebuilt with `from_json`, in a
        process that never saw the error); ValueError otherwise, before any request. An
        error raised before the request that could act was made (`error.nothing_sent`)
        answers with the settlement it carries, without a read, unless that is unknown.
        """
        attempt = settleable(error, self.provider)
        known = _carried(error)
        if known is not None:
            return known  # the request that could act was never made
        with self._span("settle", attempt.campaign_id) as span:
            settlement = await self._run(self._settle_plan(attempt))
            span.settled(settlement)
            return settlement

    async def aclose(self) -> None:
        """Close the pooled connections, unless the http_client was given to us."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
