"""Turning what came back into a result or a typed error: a success body parsed and
checked against the spec, an error status into its class with the provider's own
messages, a transport failure into an error that says whether anything was sent."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import httpx

from . import _retry
from ._calls import Call
from ._constants import KEPT_BODY_BYTES, MAX_MESSAGES
from ._redaction import Credentials
from ._schema import SchemaMismatch, parse_model
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

T = TypeVar("T")


def result(call: Call[T], response: httpx.Response, credentials: Credentials) -> T:
    """The parsed success model, or the error this response means.

    A success is only what the spec documents for the operation: one of its success
    statuses, with a JSON object of the documented shape where it documents a body
    and no body where it documents none. Any other 2xx (a sign-in page from a proxy,
    an empty 200 from a gateway) is a ResponseValidationError."""
    status = response.status_code
    operation = call.operation
    if not 200 <= status < 300:
        raise status_error(call, response, credentials)
    successes = operation.successes
    if status not in successes:
        why = f"not a documented success (the spec documents {operation.describe_successes()})"
        raise invalid(call, response, credentials, why)
    shape = successes[status]
    if shape is None:
        if response.content:
            why = f"the spec documents no body for {status}, but one came"
            raise invalid(call, response, credentials, why)
        return None  # type: ignore[return-value]  # a documented answer without a body
    try:
        data = json.loads(response.content)
    except ValueError:
        raise invalid(call, response, credentials, "the success body is not JSON") from None
    except RecursionError:
        why = "the success body is JSON nested too deep to decode"
        raise invalid(call, response, credentials, why) from None
    try:
        problem = shape(data)
        if problem is not None:
            raise SchemaMismatch(f"body{problem}")
        return parse_model(operation.parse, data)  # type: ignore[arg-type]  # set with a shape
    except (SchemaMismatch, RecursionError) as exc:
        why = f"the success body does not match the spec: {exc}"
        raise invalid(call, response, credentials, why) from None


def _acts(call: Call[Any]) -> bool:
    """Whether the call can change anything: a read (GET) cannot, so however it fails,
    nothing was acted on."""
    return bool(call.kwargs["method"].upper() != "GET")


def invalid(
    call: Call[Any], response: httpx.Response, credentials: Credentials, why: str
) -> ResponseValidationError:
    return ResponseValidationError(
        credentials.redact(f"HTTP {response.status_code}: {why}"),
        status_code=response.status_code,
        body=_kept_body(response, credentials),
        provider=call.operation.provider,
        operation=call.operation.name,
        outcome_unknown=_acts(call),
    )


def status_error(
    call: Call[Any], response: httpx.Response, credentials: Credentials
) -> APIStatusError:
    status = response.status_code
    body = _kept_body(response, credentials)
    request_id = response.headers.get("x-request-id") or _body_request_id(body)
    common: dict[str, Any] = {
        "status_code": status,
        "messages": error_messages(body),
        "request_id": None if request_id is None else credentials.redact(request_id),
        "body": body,
        "provider": call.operation.provider,
        "operation": call.operation.name,
    }
    if status == 429:
        return RateLimitError(
            retry_after=_retry.retry_after(response.headers), outcome_unknown=False, **common
        )
    if 400 <= status < 500:
        return STATUS_ERRORS.get(status, APIStatusError)(outcome_unknown=False, **common)
    if status >= 500 or status < 100:
        return ServerError(outcome_unknown=_acts(call), **common)
    # 1xx/3xx: an unexpected answer, perhaps from something in between.
    return APIStatusError(outcome_unknown=_acts(call), **common)


def request_error(
    call: Call[Any], exc: httpx.RequestError, credentials: Credentials
) -> CampaignClientError:
    """Any failure httpx raises for a request (connect, timeout, protocol, decoding)."""
    # Nothing was written before a connect failure or a pool wait; after that, the
    # request may have reached the provider.
    not_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    what = "timed out" if kind is APITimeoutError else "connection failed"
    if isinstance(exc, httpx.DecodingError):
        what = "the response body could not be decoded"
    stage = "before the request was sent" if not_sent else "after the request was sent"
    return kind(
        credentials.redact(f"{what} {stage} ({type(exc).__name__}: {exc})"),
        outcome_unknown=not not_sent and _acts(call),
        provider=call.operation.provider,
        operation=call.operation.name,
    )


def loop_error(call: Call[Any], exc: RuntimeError, credentials: Credentials) -> CampaignClientError:
    """The event loop went away while the request was in flight: it may have been sent."""
    return APIConnectionError(
        credentials.redact(
            f"the event loop stopped while the request was in flight ({exc}); a client "
            "belongs to the event loop it was first used on"
        ),
        outcome_unknown=_acts(call),
        provider=call.operation.provider,
        operation=call.operation.name,
    )


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
    # Bounded like the kept body: an error never carries megabytes of messages.
    return [cut_bytes(message, KEPT_BODY_BYTES) for message in messages[:MAX_MESSAGES]]


def _body_request_id(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    candidate = error.get("requestId") if isinstance(error, dict) else body.get("id")
    return candidate if isinstance(candidate, str) and candidate else None


def _kept_body(response: httpx.Response, credentials: Credentials) -> object:
    """What an error keeps of the body, without the key: decoded JSON when the body is
    JSON, else its text."""
    try:
        body: object = json.loads(response.content)
    except (ValueError, RecursionError):
        return credentials.redact(body_text(response))
    return credentials.redact_json(body)


def body_text(response: httpx.Response) -> str:
    """The body as text in its declared charset, never an exception: a charset that is
    not a text encoding (rot13, hex, zlib) or fails (idna) falls back to UTF-8 with
    replacement characters, then to Latin-1, which decodes any bytes."""
    return _decoded(response)[0]


def _decoded(response: httpx.Response) -> tuple[str, str]:
    """(the body as text, the encoding that decoded it)."""
    content = response.content
    for encoding in (response.charset_encoding, "utf-8"):
        if encoding:
            try:
                return content.decode(encoding, errors="replace"), encoding
            except Exception:  # LookupError, UnicodeError, and whatever a codec raises
                continue
    return content.decode("latin-1"), "latin-1"


def kept_text(response: httpx.Response, credentials: Credentials) -> str:
    """The start of the body that an error keeps, as text: the key taken out first (so
    no part of it is left at the end), then cut to KEPT_BODY_BYTES bytes in the body's
    own charset."""
    text, encoding = _decoded(response)
    return cut_bytes(credentials.redact(text), KEPT_BODY_BYTES, encoding)


def cut_bytes(text: str, limit: int, encoding: str = "utf-8") -> str:
    """The longest start of `text` that is at most `limit` bytes in `encoding`; a
    character is never split."""
    text = text[:limit]  # no character encodes to less than one byte
    if len(_encoded(text, encoding)) <= limit:
        return text
    fits, too_long = 0, len(text)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if len(_encoded(text[:middle], encoding)) <= limit:
            fits = middle
        else:
            too_long = middle
    return text[:fits]


def _encoded(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding, errors="replace")
    except Exception:  # a codec that decodes but cannot encode: count as UTF-8
        return text.encode("utf-8", errors="replace")
