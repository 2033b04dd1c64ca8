"""A client library for accessing SendGrid Marketing Campaigns (legacy schedules and Single Sends)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
