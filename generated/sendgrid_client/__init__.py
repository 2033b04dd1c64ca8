"""A client library for accessing SendGrid Legacy Marketing Campaigns (schedules)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
