"""An `Attempt` as JSON text and back, so it can be kept with a job or in a database and
settled by a process that never saw the error (`client.settle(attempt)`).

The text holds only what the attempt holds (never a key). Reading it back is strict:
anything that is not exactly an attempt this package wrote (another JSON document, a
truncated one, an unknown provider, operation or settling kind, a field of the wrong
type, a naive datetime, a field too many) is a ValueError, so a wrong text can never
settle, let alone send, anything.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from . import _spec_examples
from ._constants import MAILGLYPH, SENDGRID, SPEC_NAMES
from ._settlement import Attempt
from ._validation import check_header_value, check_int_id, check_string_id, check_uuid_id

FORMAT = "campaign_clients.Attempt"
VERSION = 1
_FIELDS = frozenset(
    {"format", "version", "provider", "operation", "campaign_id", "settles", "at"}
    | {"on_behalf_of", "started_at"}
)

_SINGLE_SENDS = frozenset({"scheduleSingleSend", "unscheduleSingleSend"})
"""SendGrid operations whose ids are Single Send UUIDs, not legacy ints."""
_ALSO_SETTLES = {"scheduleSingleSend": "send"}
"""An operation that does a second thing: a Single Send's schedule with send_at "now"."""
_NEEDS_AT = frozenset({"schedule", "reschedule"})


def dump(attempt: Attempt) -> str:
    """The attempt as one line of JSON (datetimes in ISO 8601, UTC)."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "provider": attempt.provider,
            "operation": attempt.operation,
            "campaign_id": attempt.campaign_id,
            "settles": attempt.settles,
            "at": _instant_text(attempt.at),
            "on_behalf_of": attempt.on_behalf_of,
            "started_at": _instant_text(attempt.started_at),
        },
        separators=(",", ":"),
    )


def load(text: object) -> Attempt:
    """The attempt `dump` wrote, checked field by field (ValueError for anything else)."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("not an attempt: the bytes are not UTF-8") from None
    if not isinstance(text, str):
        raise ValueError(f"Attempt.from_json takes a str, got {type(text).__name__}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not an attempt: not a whole JSON document ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not an attempt: a JSON attempt is an object with format {FORMAT!r}")
    if data.get("version") != VERSION:
        raise ValueError(f"not an attempt of version {VERSION}: {data.get('version')!r}")
    if set(data) != _FIELDS:
        odd = sorted(set(data) ^ _FIELDS)
        raise ValueError(f"not an attempt: fields missing or unknown: {', '.join(odd)}")
    provider, operation, settles = (
        _text(data, name) for name in ("provider", "operation", "settles")
    )
    _check_kind(provider, operation, settles)
    at, started_at = _instant(data, "at"), _instant(data, "started_at")
    if started_at is None:
        raise ValueError("not an attempt: started_at is missing")
    if settles in _NEEDS_AT and at is None:
        raise ValueError(f"not an attempt: a {settles} needs its at")
    return Attempt(
        provider,
        operation,
        _campaign_id(provider, operation, data["campaign_id"]),
        settles,
        at,
        _on_behalf_of(provider, data["on_behalf_of"]),
        started_at,
    )


def _text(data: dict[str, Any], name: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise ValueError(f"not an attempt: {name} must be a string, got {type(value).__name__}")
    return value


def _check_kind(provider: str, operation: str, settles: str) -> None:
    if provider not in (MAILGLYPH, SENDGRID):
        raise ValueError(f"not an attempt: unknown provider {provider!r}")
    spec = SPEC_NAMES[provider]
    if operation not in _spec_examples.operations(spec):
        raise ValueError(f"not an attempt: {provider} has no operation {operation!r}")
    declared = _spec_examples.safety(spec, operation)[1]
    if declared is None:
        raise ValueError(f"not an attempt: {provider} {operation} is not settled")
    if settles not in (declared, _ALSO_SETTLES.get(operation)):
        raise ValueError(f"not an attempt: {provider} {operation} does not settle a {settles!r}")


def _campaign_id(provider: str, operation: str, value: object) -> str | int:
    try:
        if provider == MAILGLYPH:
            return check_string_id(value)
        if operation in _SINGLE_SENDS:
            return str(check_uuid_id(value))
        return check_int_id(value)
    except ValueError as exc:
        raise ValueError(f"not an attempt: {exc}") from None


def _on_behalf_of(provider: str, value: object) -> str | None:
    if value is None:
        return None
    if provider == MAILGLYPH:
        raise ValueError("not an attempt: MailGlyph has no on_behalf_of")
    try:
        return check_header_value(value, name="on_behalf_of")
    except ValueError as exc:
        raise ValueError(f"not an attempt: {exc}") from None


def _instant_text(moment: datetime.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(datetime.UTC).isoformat()


def _instant(data: dict[str, Any], name: str) -> datetime.datetime | None:
    value = data[name]
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not an attempt: {name} must be an ISO 8601 string or null")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an attempt: {name} {value!r} is not ISO 8601") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"not an attempt: {name} {value!r} has no zone offset")
    return moment.astimezone(datetime.UTC)
