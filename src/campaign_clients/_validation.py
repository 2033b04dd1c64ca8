"""Checks on caller input. Each raises ValueError with a clear message before any
request is made; nothing here ever echoes a key.
"""

from __future__ import annotations

import datetime
import math
import os
import re
from typing import TYPE_CHECKING

import httpx

from ._constants import KEY_ENV, SETTLE_CLOCK_SKEW

if TYPE_CHECKING:
    import uuid

INT64_MAX = 2**63 - 1

_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, exactly


def _has_control_chars(value: str) -> bool:
    return _CONTROL_CHARS.search(value) is not None


# -- credentials and headers -----------------------------------------------------------------


def check_api_key(api_key: object, *, provider: str) -> str:
    """The key must be a non-empty string that is safe in a header. Never echo it."""
    if not isinstance(api_key, str):
        raise ValueError(f"{provider} api_key must be a string, got {type(api_key).__name__}")
    if not api_key.strip():
        raise ValueError(f"{provider} api_key is empty")
    if api_key != api_key.strip() or _has_control_chars(api_key) or " " in api_key:
        raise ValueError(f"{provider} api_key contains whitespace or control characters")
    if not api_key.isascii():
        raise ValueError(f"{provider} api_key contains non-ASCII characters")
    return api_key


def resolve_api_key(api_key: object, *, provider: str) -> str:
    """The key given, or when it is None the one in the provider's environment variable
    (`KEY_ENV`), checked the same way either way. Never echo it."""
    if api_key is not None:
        return check_api_key(api_key, provider=provider)
    name = KEY_ENV[provider]
    value = os.environ.get(name)
    if value is None or not value.strip():
        state = "is not set" if value is None else "is empty"
        raise ValueError(f"{provider} api_key was not given and {name} {state}; pass api_key=...")
    try:
        return check_api_key(value, provider=provider)
    except ValueError as exc:
        raise ValueError(f"{exc} (read from {name})") from None


def check_header_value(value: object, *, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if _has_control_chars(value) or not value.isascii():
        raise ValueError(f"{name} must be printable ASCII (no control characters)")
    return value


# -- campaign ids ----------------------------------------------------------------------------


def check_string_id(campaign_id: object) -> str:
    """A MailGlyph id: a non-empty string that stays one path segment."""
    if not isinstance(campaign_id, str):
        raise ValueError(f"campaign id must be a string, got {type(campaign_id).__name__}")
    if not campaign_id:
        raise ValueError("campaign id must not be empty")
    if campaign_id in (".", ".."):
        raise ValueError(f"campaign id {campaign_id!r} is a dot segment and would leave its path")
    if _has_control_chars(campaign_id):
        raise ValueError(f"campaign id {campaign_id!r} contains control characters")
    return campaign_id


def check_int_id(campaign_id: object) -> int:
    """A SendGrid id: a positive int64 (bool refused)."""
    if isinstance(campaign_id, bool) or not isinstance(campaign_id, int):
        raise ValueError(f"campaign id must be an int, got {type(campaign_id).__name__}")
    if not 0 < campaign_id <= INT64_MAX:
        raise ValueError(f"campaign id must be a positive 64-bit integer, got {campaign_id}")
    return campaign_id


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def check_uuid_id(single_send_id: object) -> uuid.UUID:
    """A SendGrid Single Send id: a `uuid.UUID`, or its canonical 8-4-4-4-12 hex string
    in either case (sent in lowercase, as SendGrid writes ids). Braces, `urn:uuid:`,
    missing hyphens and whitespace are refused, so the id in the path is the id given."""
    import uuid  # here, not at the top: a MailGlyph program does not pay for it

    if isinstance(single_send_id, uuid.UUID):
        return single_send_id
    if not isinstance(single_send_id, str):
        hint = " (a legacy campaign's int id? use SendGrid.send_now)" * isinstance(
            single_send_id, int
        )
        raise ValueError(
            f"Single Send id must be a UUID or its string, got {type(single_send_id).__name__}"
            + hint
        )
    if not _UUID.fullmatch(single_send_id):
        shown = single_send_id if len(single_send_id) <= 60 else single_send_id[:59] + "\u2026"
        raise ValueError(
            f"Single Send id must be a UUID such as 2f6dec81-43b9-4c67-a890-3a38cb63b54a, "
            f"got {shown!r}"
        )
    return uuid.UUID(single_send_id)


# -- email addresses -------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s,;<>\"()\[\]\\]{1,64}@[^@\s,;<>\"()\[\]\\]{1,253}")


def check_email(address: object, *, name: str = "to") -> str:
    """One plausible email address: local@domain.tld, no spaces, controls or lists."""
    if not isinstance(address, str):
        raise ValueError(f"{name}= must be a string, got {type(address).__name__}")
    if _has_control_chars(address) or not _EMAIL.fullmatch(address):
        raise ValueError(f"{name}= must be one email address such as qa@example.com")
    domain = address.rpartition("@")[2]
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels) or domain.startswith("-"):
        raise ValueError(f"{name}= must be one email address such as qa@example.com")
    return address


# -- times -----------------------------------------------------------------------------------


def _aware(value: object, name: str, example: str) -> datetime.datetime:
    """`value` as a timezone-aware datetime in UTC; naive ones are refused, not guessed."""
    if not isinstance(value, datetime.datetime):
        raise ValueError(f"{name}= must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name}= must be timezone-aware (for example {example}); "
            "a naive datetime's zone would be a guess"
        )
    return value.astimezone(datetime.UTC)


def check_aware(at: object) -> datetime.datetime:
    """A timezone-aware datetime, converted to UTC. Naive ones are refused, not guessed."""
    return _aware(at, "at", "datetime(..., tzinfo=timezone.utc)")


def check_since(since: object) -> datetime.datetime | None:
    """A launch's start (`since=`): None, or a timezone-aware datetime, in UTC, no later
    than now plus the clock allowance (`SETTLE_CLOCK_SKEW`): a launch in the future
    would count sends that no try of it made."""
    if since is None:
        return None
    since = _aware(since, "since", "datetime.now(timezone.utc) when the job was enqueued")
    latest = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=SETTLE_CLOCK_SKEW)
    if since > latest:
        raise ValueError(
            f"since= {since.isoformat()} is in the future; it is the instant the launch "
            f"began (at most {SETTLE_CLOCK_SKEW:g} s ahead of this machine's clock)"
        )
    return since


def parse_instant(text: str, *, name: str) -> datetime.datetime:
    """An ISO 8601 date-time with a zone offset, as text from a person (the CLI's --at)."""
    try:
        at = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{name} {text!r} is not an ISO 8601 date-time (e.g. 2030-01-31T09:00:00Z)"
        ) from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"{name} {text!r} has no zone offset; add one, e.g. Z or +01:00 "
            "(a time without a zone would be a guess)"
        )
    return at


def utc_z(at: datetime.datetime, *, milliseconds: bool = False) -> str:
    """ISO 8601 in UTC with a Z suffix, as MailGlyph documents it.

    `milliseconds=True` writes a fractional second to the millisecond, as the
    providers' JavaScript servers do; whole seconds are written without one.
    """
    at = at.astimezone(datetime.UTC)
    timespec = "milliseconds" if milliseconds and at.microsecond else "auto"
    return at.isoformat(timespec=timespec).replace("+00:00", "Z")


# -- client options --------------------------------------------------------------------------


def check_base_url(base_url: object, provider: str) -> str:
    """An http(s) URL with a host and nothing that would leak or be dropped; no trailing /."""
    if not isinstance(base_url, str) or not base_url:
        raise ValueError(f"{provider} base_url must be a non-empty string")
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"{provider} base_url is not a valid URL: {exc}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(
            f"{provider} base_url must be an http(s) URL with a host, got {base_url!r}"
        )
    if url.query or url.fragment or url.userinfo:
        raise ValueError(f"{provider} base_url must not carry a query, fragment or credentials")
    return base_url.rstrip("/")


def check_choice(value: object, choices: dict[str, str], *, name: str) -> str:
    """One of the keys of `choices` (a region, for example)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return str(value)


def check_timeout(timeout: object) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(check_seconds(timeout, "timeout", allow_zero=False))


def check_deadline(deadline: object, timeout: object) -> float | None:
    """Seconds for a whole attempt: `deadline` when given, else `timeout` when that is a
    number (its per-phase meaning then bounds the whole too), else None (no deadline)."""
    if deadline is None:
        if isinstance(timeout, httpx.Timeout):
            return None
        return check_seconds(timeout, "timeout", allow_zero=False)
    return check_seconds(deadline, "deadline", allow_zero=False)


def check_size(value: object, name: str) -> int:
    """A number of bytes: an int > 0 (bool refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an int number of bytes > 0, got {value!r}")
    return value


def check_seconds(value: object, name: str, *, allow_zero: bool = True) -> float:
    """A finite number of seconds, >= 0 (or > 0 with allow_zero=False); bool refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number of seconds, got {type(value).__name__}")
    try:
        seconds = float(value)
    except OverflowError:  # an int too large for a float
        seconds = math.inf
    if not (seconds >= 0 if allow_zero else seconds > 0) or not math.isfinite(seconds):
        raise ValueError(
            f"{name} must be a finite number of seconds {'>= 0' if allow_zero else '> 0'}"
        )
    return seconds


def check_bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be an int >= 0")
    return value
