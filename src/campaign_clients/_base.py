"""The request loop shared by every client: one pooled httpx client, typed errors,
retries that never send twice, and no key in anything that leaves it.

`_ClientCore` holds what sync and async share (configuration, building a
request, turning a response into a result or an error); `SyncClient` and
`AsyncClient` differ only in how they wait.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Self, TypeVar

import httpx

from . import _retry
from ._constants import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    DEFAULT_TIMEOUT,
    KEEPALIVE_EXPIRY,
    LOGGER_NAME,
    MAX_CONNECTIONS,
    VERSION,
)
from ._retry import RetryPolicy
from ._schema import SchemaMismatch, parse_model
from ._validation import (
    check_api_key,
    check_base_url,
    check_count,
    check_seconds,
    check_timeout,
)
from .errors import (
    STATUS_ERRORS,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    CampaignClientError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)

logger = logging.getLogger(LOGGER_NAME)

T = TypeVar("T")
HttpxClient = TypeVar("HttpxClient", httpx.Client, httpx.AsyncClient)

# Pools sized for many sends in flight; keep-alive connections are reused.
DEFAULT_LIMITS = httpx.Limits(
    max_connections=MAX_CONNECTIONS,
    max_keepalive_connections=MAX_CONNECTIONS,
    keepalive_expiry=KEEPALIVE_EXPIRY,
)


# Plain slotted classes rather than dataclasses: they cost nothing at import time.


class Operation(Generic[T]):
    """One API operation: its spec operationId, whether repeating it is safe, its parser."""

    __slots__ = ("idempotent", "name", "parse")

    def __init__(self, name: str, *, idempotent: bool, parse: Callable[[Any], T] | None) -> None:
        self.name = name
        self.idempotent = idempotent
        self.parse = parse  # None: the success response has no body


class Call(Generic[T]):
    """One call of an operation, as built by the generated `_get_kwargs`."""

    __slots__ = ("kwargs", "operation")

    def __init__(self, operation: Operation[T], kwargs: dict[str, Any]) -> None:
        self.operation = operation
        self.kwargs = kwargs


class _ClientCore(Generic[HttpxClient]):
    """What every client takes and holds; each provider sets the class attributes."""

    provider: ClassVar[str]
    default_base_url: ClassVar[str]

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        http_client: HttpxClient | None = None,
    ) -> None:
        """`http_client` (optional) supplies transport, proxies, limits and extra headers;
        requests still go to `base_url`, and it is not closed by `close()`/`aclose()`."""
        api_key = self._check_key(api_key)
        self._base_url = check_base_url(
            self.default_base_url if base_url is None else base_url, self.provider
        )
        self._timeout = check_timeout(timeout)
        self._retry = RetryPolicy(
            max_retries=check_count(max_retries, "max_retries"),
            max_retry_wait=check_seconds(max_retry_wait, "max_retry_wait"),
        )
        self._auth_headers = {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
            "User-Agent": f"campaign-clients/{VERSION}",
        }
        self._owns_http_client = http_client is None
        self._http: HttpxClient = (
            http_client if http_client is not None else self._new_http_client()
        )

    def _check_key(self, api_key: object) -> str:
        return check_api_key(api_key, provider=self.provider)

    def _new_http_client(self) -> HttpxClient:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._base_url

    def __repr__(self) -> str:
        # The key is never shown.
        return f"{type(self).__name__}(base_url={self._base_url!r})"

    def __getstate__(self) -> object:
        raise TypeError(f"{type(self).__name__} holds open connections and a key; do not pickle it")

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

    def _result(self, call: Call[T], response: httpx.Response) -> T:
        """The parsed success model, or the error this response means."""
        status = response.status_code
        operation = call.operation
        if 200 <= status < 300:
            if operation.parse is None:
                return None  # type: ignore[return-value]  # Operation[None]: no body expected
            try:
                data = json.loads(response.content)
            except ValueError:
                raise self._invalid(call, response, "the success body is not JSON") from None
            try:
                return parse_model(operation.parse, data)
            except SchemaMismatch as exc:
                raise self._invalid(
                    call, response, f"the success body does not match the spec: {exc}"
                ) from None
        raise self._status_error(call, response)

    def _invalid(
        self, call: Call[Any], response: httpx.Response, why: str
    ) -> ResponseValidationError:
        return ResponseValidationError(
            f"HTTP {response.status_code}: {why}",
            status_code=response.status_code,
            body=_decode_body(response),
            provider=self.provider,
            operation=call.operation.name,
        )

    def _status_error(self, call: Call[Any], response: httpx.Response) -> APIStatusError:
        status = response.status_code
        body = _decode_body(response)
        common: dict[str, Any] = {
            "status_code": status,
            "messages": error_messages(body),
            "request_id": response.headers.get("x-request-id") or _body_request_id(body),
            "body": body,
            "provider": self.provider,
            "operation": call.operation.name,
        }
        if status == 429:
            return RateLimitError(
                retry_after=_retry.retry_after(response.headers), outcome_unknown=False, **common
            )
        if 400 <= status < 500:
            return STATUS_ERRORS.get(status, APIStatusError)(outcome_unknown=False, **common)
        if status >= 500 or status < 100:
            return ServerError(outcome_unknown=True, **common)
        # 1xx/3xx: an unexpected answer, perhaps from something in between.
        return APIStatusError(outcome_unknown=True, **common)

    def _transport_error(self, call: Call[Any], exc: httpx.TransportError) -> CampaignClientError:
        # Nothing was written before a connect failure or a pool wait; after that, the
        # request may have reached the provider.
        not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
        kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        what = "timed out" if kind is APITimeoutError else "connection failed"
        stage = "before the request was sent" if not_sent else "after the request was sent"
        return kind(
            f"{what} {stage} ({type(exc).__name__}: {exc})",
            outcome_unknown=not not_sent,
            provider=self.provider,
            operation=call.operation.name,
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


class SyncClient(_ClientCore[httpx.Client]):
    def _new_http_client(self) -> httpx.Client:
        return httpx.Client(
            headers=self._auth_headers, timeout=self._timeout, limits=DEFAULT_LIMITS
        )

    def _request(self, call: Call[T]) -> T:
        request = self._build(call)
        attempt = 1
        while True:
            started = time.perf_counter()
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                self._log(request, type(exc).__name__, started, attempt)
                error: CampaignClientError = self._transport_error(call, exc)
            else:
                self._log(request, response.status_code, started, attempt)
                try:
                    return self._result(call, response)
                except CampaignClientError as exc:
                    error = exc
            _retry.sleep(self._retry_delay(call, error, attempt))
            attempt += 1

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

        transport = StackPoolTransport(
            max_connections=MAX_CONNECTIONS, keepalive_expiry=KEEPALIVE_EXPIRY
        )
        return httpx.AsyncClient(
            headers=self._auth_headers, timeout=self._timeout, transport=transport
        )

    async def _request(self, call: Call[T]) -> T:
        request = self._build(call)
        attempt = 1
        while True:
            started = time.perf_counter()
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                self._log(request, type(exc).__name__, started, attempt)
                error: CampaignClientError = self._transport_error(call, exc)
            else:
                self._log(request, response.status_code, started, attempt)
                try:
                    return self._result(call, response)
                except CampaignClientError as exc:
                    error = exc
            await _retry.async_sleep(self._retry_delay(call, error, attempt))
            attempt += 1

    async def aclose(self) -> None:
        """Close the pooled connections, unless the http_client was given to us."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


# -- helpers ------------------------------------------------------------------------------


def error_messages(body: object) -> list[str]:
    """The provider's human messages from MailGlyph's or SendGrid's error body."""
    messages: list[str] = []
    if not isinstance(body, dict):
        return []  # not the provider's JSON (an HTML page from a proxy, an empty body)
    error = body.get("error")
    if isinstance(error, dict):  # MailGlyph: {"error": {"message", "errors": [{"message"}]}}
        if isinstance(error.get("message"), str):
            messages.append(error["message"])
        items = error.get("errors")
    else:  # SendGrid: {"errors": [{"field", "message"}]}
        items = body.get("errors")
        if isinstance(error, str):
            messages.append(error)
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("message"), str):
                messages.append(item["message"])
    return messages


def _body_request_id(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    candidate = error.get("requestId") if isinstance(error, dict) else body.get("id")
    return candidate if isinstance(candidate, str) and candidate else None


def _decode_body(response: httpx.Response) -> object:
    """Decoded JSON when the body is JSON, else its text."""
    try:
        return json.loads(response.content)
    except ValueError:
        return response.text
