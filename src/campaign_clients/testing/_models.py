"""The fakes' records: what a test reads back (requests, campaign snapshots) and
what the core passes around (faults, routes, replies)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

import httpx

MailGlyphStatus: TypeAlias = Literal["DRAFT", "SCHEDULED", "SENDING", "SENT", "CANCELLED"]
SendGridStatus: TypeAlias = Literal[
    "Draft", "Scheduled", "Sent", "In Progress", "Paused", "Canceled"
]
SingleSendStatus: TypeAlias = Literal["draft", "scheduled", "triggered"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request a fake received, as it arrived (the Authorization value redacted).

    ``path`` is the raw path as sent, percent-encoding included and without the query;
    ``headers`` has lower-case names; ``json`` is the decoded body, or None when the body
    was empty or not JSON (``content`` has the raw bytes). ``operation`` is the spec's
    operationId the request was routed to (None when no operation matched) and
    ``campaign_id`` the campaign it named (an int for a SendGrid legacy campaign, the
    lower-case canonical UUID string for a Single Send).
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
    """A snapshot of a `FakeMailGlyph` campaign (instants timezone-aware, in UTC)."""

    id: str
    status: MailGlyphStatus
    scheduled_for: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True)
class SendGridCampaign:
    """A snapshot of a `FakeSendGrid` campaign (``send_at`` and ``sent_at`` in Unix seconds).

    ``sent_at`` is when a send started (send now, or a campaign added as sent), or None.
    """

    id: int
    status: SendGridStatus
    send_at: int | None
    on_behalf_of: str | None
    sent_at: int | None = None


@dataclass(frozen=True)
class SingleSend:
    """A snapshot of a `FakeSendGrid` Single Send (``send_at`` timezone-aware, in UTC).

    ``id`` is the lower-case canonical UUID string; ``send_at`` is when it is scheduled
    for (``scheduled``) or when its send was triggered (``triggered``), else None.
    """

    id: str
    status: SingleSendStatus
    send_at: datetime | None
    on_behalf_of: str | None


class _SpecExample:
    """fail_next's default body: the spec's example (distinct from a JSON null)."""

    def __repr__(self) -> str:
        return "<the spec's example>"


SPEC_EXAMPLE: Any = _SpecExample()


@dataclass
class Fault:
    """An injected fault, waiting for its next `remaining` matching calls.

    `after_acting`: the fake acts on the call before the fault answers (a stall, a drip
    and an oversized answer always do).
    """

    kind: Literal["status", "stall", "reset", "drip", "oversize"]
    remaining: int
    operation: str | None
    after_acting: bool = False
    status: int = 0
    retry_after: int | float | str | None = None
    body: Any = SPEC_EXAMPLE
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float | None = None  # a stall's wait; a drip's seconds per byte
    size: int = 0  # an oversized body's bytes
    gzip: bool = False  # an oversized body is sent gzip-compressed
    body_only: bool = False  # a drip sends the head at once


@dataclass(frozen=True)
class Route:
    """Where a request goes: its operation (None: no operation has that method)."""

    operation: str | None
    campaign_id: str | int | None
    path_known: bool  # the path exists but the method may not
    allowed: tuple[str, ...] = ()  # the spec's methods at a known path, sorted (`Allow`)


@dataclass(frozen=True)
class Reply:
    """What the core decided: a response, possibly delayed, or a reset instead.

    `response` is None only for a reset that did not act (there is nothing to answer).
    """

    response: httpx.Response | None
    stalled: bool = False
    stall_seconds: float | None = None  # None: until the client gives up
    reset: bool = False
    drip: float | None = None  # seconds per byte written
    drip_body_only: bool = False
    streamed: bool = False  # the response's body is a stream made as it is sent
