"""A client library for accessing MailGlyph Campaigns"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
