"""Safe, typed clients for sending and scheduling email campaigns.

    from campaign_clients import MailGlyph, SendGrid

Both providers' clients share one error hierarchy (`campaign_clients.errors`) and one
retry rule: a send is never repeated unless it certainly was not acted on.
`SendGrid(...).single_sends` launches SendGrid Single Sends with the same rule.

Each provider's client (and the generated client under it) is imported on first
use, so a program that sends through one provider does not load the other.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._constants import VERSION as __version__
from .errors import (
    AlreadySentError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CampaignClientError,
    CampaignStateError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)

if TYPE_CHECKING:
    from ._build_info import GENERATOR_VERSION, SPEC_VERSIONS
    from ._settlement import Attempt, Settlement
    from .mailglyph import AsyncMailGlyph, MailGlyph
    from .sendgrid import AsyncSendGrid, SendGrid
    from .single_sends import AsyncSingleSends, SingleSends

_LAZY = {
    "MailGlyph": ".mailglyph",
    "AsyncMailGlyph": ".mailglyph",
    "SendGrid": ".sendgrid",
    "AsyncSendGrid": ".sendgrid",
    "SingleSends": ".single_sends",
    "AsyncSingleSends": ".single_sends",
    "Attempt": "._settlement",
    "Settlement": "._settlement",
    "SPEC_VERSIONS": "._build_info",
    "GENERATOR_VERSION": "._build_info",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'campaign_clients' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "GENERATOR_VERSION",
    "SPEC_VERSIONS",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AlreadySentError",
    "AsyncMailGlyph",
    "AsyncSendGrid",
    "AsyncSingleSends",
    "Attempt",
    "AuthenticationError",
    "BadRequestError",
    "CampaignClientError",
    "CampaignStateError",
    "MailGlyph",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SendGrid",
    "ServerError",
    "Settlement",
    "SingleSends",
    "UnprocessableEntityError",
    "__version__",
]
