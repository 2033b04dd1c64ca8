"""Exceptions raised by the campaign clients.

Every error says whether the provider may have acted on the request anyway
(`outcome_unknown`), so a caller knows whether a campaign might have gone out.
Errors keep only plain data (no request objects, no headers we sent), so they
pickle cleanly and never carry the API key.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._settlement import Attempt, Settlement

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadySentError",
    "AuthenticationError",
    "BadRequestError",
    "CampaignClientError",
    "CampaignStateError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "UnprocessableEntityError",
]


def reason_phrase(status_code: int, default: str = "(non-standard status)") -> str:
    """The standard reason phrase of a status ("Not Found"), or `default` for one without."""
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return default


MAX_TEXT = 300
"""The longest piece of outside text (a provider's message, a request id, what a
settlement read) shown in `str(error)`; the attributes keep the whole value."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int = MAX_TEXT) -> str:
    """Text from outside made safe for one log line: control characters (newlines
    included) escaped as \\n, \\x1b ..., and at most `limit` characters."""
    text = _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _rebuild(cls: type[CampaignClientError], state: dict[str, Any]) -> CampaignClientError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (error.describe(),)
    return error


class CampaignClientError(Exception):
    """Base class of every error the clients raise (bad input raises ValueError)."""

    outcome_unknown: bool
    """True when the provider may have acted on the request although it failed."""

    def __init__(
        self,
        message: str,
        *,
        outcome_unknown: bool,
        provider: str = "",
        operation: str = "",
    ) -> None:
        self.message: str = message
        self.outcome_unknown = outcome_unknown
        self.provider: str = provider
        self.operation: str = operation
        self.attempt: Attempt | None = None
        """What a send, schedule, reschedule, unschedule or cancel asked for (for `settle()`)."""
        self.settlement: Settlement | None = None
        """What the client read when it settled this error's outcome, if it did."""
        super().__init__(self.describe())

    def _settled(self, settlement: Settlement, *, outcome_unknown: bool) -> None:
        """Record what settling this error read, and whether the outcome is still unknown."""
        self.settlement = settlement
        self.outcome_unknown = outcome_unknown
        self.args = (self.describe(),)

    def _nothing_sent(self, attempt: Attempt | None, settlement: Settlement) -> None:
        """Record that this error was raised before the request that could act was made
        (a Single Send's read-before-send failed or refused it): the attempt is certainly
        not applied, and `settle()` answers with `settlement` without reading again."""
        self.attempt = attempt
        self.nothing_sent = True
        self._settled(settlement, outcome_unknown=False)

    nothing_sent: bool = False
    """True when the client raised before making the request that could act."""

    def describe(self) -> str:
        """One line: provider, operation, what happened."""
        where = " ".join(part for part in (self.provider, self.operation) if part)
        text = f"{where}: {self._what()}" if where else self._what()
        if self.outcome_unknown:
            text += " (outcome unknown: the provider may have acted on the request)"
        settlement = getattr(self, "settlement", None)  # None in errors pickled before 0.2
        if settlement is not None:
            text += f" [{one_line(settlement.describe())}]"
        return text

    def _what(self) -> str:
        """What happened; subclasses add what they know (outside text through one_line)."""
        return one_line(self.message)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.describe()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild from plain attributes: the default would call __init__ with args only.
        return (_rebuild, (type(self), dict(self.__dict__)))


class _KeptBody:
    """What an error built from a response keeps of its body: at most the first 4 KiB
    (`KEPT_BODY_BYTES` characters) as text once it is longer; small JSON stays decoded."""

    body_length: int | None = None
    """The body's length in bytes (decompressed), when it was read whole or announced by
    Content-Length; None when reading stopped early and no length was given."""
    body_truncated: bool = False
    """True when `body` holds only the start of the body."""


class APIStatusError(_KeptBody, CampaignClientError):
    """The provider answered with an error status."""

    def __init__(
        self,
        *,
        status_code: int,
        messages: list[str],
        request_id: str | None,
        body: object,
        outcome_unknown: bool,
        provider: str = "",
        operation: str = "",
    ) -> None:
        self.status_code: int = status_code
        self.messages: list[str] = messages
        self.request_id: str | None = request_id
        self.body: object = body
        super().__init__(
            messages[0] if messages else reason_phrase(status_code),
            outcome_unknown=outcome_unknown,
            provider=provider,
            operation=operation,
        )

    def _what(self) -> str:
        message = one_line(self.message)
        if self.messages:
            text = f"HTTP {self.status_code}: {message}"
        else:
            text = f"HTTP {self.status_code} {message} (no error message in the body)"
        if len(self.messages) > 1:
            text += f" (+{len(self.messages) - 1} more)"
        if self.request_id:
            text += f" [request_id={one_line(self.request_id, 100)}]"
        return text


class BadRequestError(APIStatusError):
    """400: the request or the campaign's state was refused."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this, or the campaign is not in a state that allows it."""


class NotFoundError(APIStatusError):
    """404: no such campaign."""


class UnprocessableEntityError(APIStatusError):
    """422: a field is not valid."""


class RateLimitError(APIStatusError):
    """429: rate limited; the request was not acted on."""

    def __init__(self, *, retry_after: float | None, **kwargs: Any) -> None:
        self.retry_after: float | None = retry_after
        """Seconds to wait, from Retry-After or SendGrid's X-RateLimit-Reset, if given."""
        super().__init__(**kwargs)

    def _what(self) -> str:
        text = super()._what()
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:.1f} s)"
        return text


class ServerError(APIStatusError):
    """5xx or a non-standard status: the provider may have acted on the request."""


class APIConnectionError(CampaignClientError):
    """No response: the connection failed or was lost."""


class APITimeoutError(APIConnectionError):
    """No response in time: a per-phase timeout, or the attempt's `deadline`."""


class ResponseValidationError(_KeptBody, CampaignClientError):
    """A success status whose body is not JSON or does not match the spec.

    Such a body may come from something other than the provider (a proxy, a
    wrong base URL), so whether the campaign went out is unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object,
        provider: str = "",
        operation: str = "",
        outcome_unknown: bool = True,
    ) -> None:
        self.status_code: int = status_code
        self.body: object = body
        super().__init__(
            message, outcome_unknown=outcome_unknown, provider=provider, operation=operation
        )


class ResponseTooLargeError(ResponseValidationError):
    """A success status whose body is larger than `max_response_bytes` (counted after
    decompression): reading stopped there. `outcome_unknown` is True for a call that can
    act, False for a read. (An error status with such a body keeps its own class.)"""

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        self.limit: int = limit
        """The client's max_response_bytes."""
        super().__init__(message, **kwargs)


class CampaignStateError(CampaignClientError):
    """The client refused a send or schedule itself, before making it: the read that
    precedes it found the campaign in a state the call must not act on (a Single Send
    that is already scheduled for another time, or in a status the client does not
    know; with `since=`, a MailGlyph campaign that is not a DRAFT). Nothing was sent by
    this call: `outcome_unknown` is False, unless (with `since=`) what was read cannot
    tell whether an earlier try of the launch sent it."""

    def __init__(
        self,
        message: str,
        *,
        status: str | None,
        state: dict[str, Any],
        provider: str = "",
        operation: str = "",
    ) -> None:
        self.status: str | None = status
        """The campaign's status as read (None when the read carried none)."""
        self.state: dict[str, Any] = state
        """Everything read, as plain JSON (for a Single Send: {"single_send": {...}})."""
        super().__init__(message, outcome_unknown=False, provider=provider, operation=operation)


class AlreadySentError(CampaignStateError):
    """The campaign was already sent, not by this launch (a Single Send reads
    `triggered`; with `since=`, a MailGlyph campaign read before a schedule carries a
    `sentAt`), so the client did not send or schedule it again. SendGrid documents no
    refusal of a second schedule of a Single Send, so this read is the only guard.
    Nothing was sent."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
}
