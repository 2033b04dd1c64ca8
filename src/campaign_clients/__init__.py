"""Safe, typed clients for sending and scheduling email campaigns.

    from campaign_clients import MailGlyph, SendGrid

Both providers' clients share one error hierarchy (`campaign_clients.errors`)
and one retry rule: a send is never repeated unless it certainly was not acted on.
"""

from ._base import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CampaignClientError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)
from .mailglyph import AsyncMailGlyph, MailGlyph
from .sendgrid import AsyncSendGrid, SendGrid

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncMailGlyph",
    "AsyncSendGrid",
    "AuthenticationError",
    "BadRequestError",
    "CampaignClientError",
    "MailGlyph",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseValidationError",
    "SendGrid",
    "ServerError",
    "UnprocessableEntityError",
    "__version__",
]
