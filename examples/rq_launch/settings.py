"""Where the jobs' clients connect, read from the environment of the worker.

The keys are the clients' own variables (`MAILGLYPH_API_KEY`, `SENDGRID_API_KEY`);
a base URL variable points a client at a proxy or a fake; `LAUNCH_TIMEOUT` bounds
each request, so a job's longest call (and the Single Send lock) is known, and
`LAUNCH_SETTLE_DELAY` is the wait before a lost answer is settled by reading.
"""

from __future__ import annotations

import os

from campaign_clients import MailGlyph, SendGrid

DEFAULT_TIMEOUT = 30.0
DEFAULT_SETTLE_DELAY = 1.0


def timeout() -> float:
    """Seconds per request phase and per attempt (`LAUNCH_TIMEOUT`, default 30)."""
    return float(os.environ.get("LAUNCH_TIMEOUT", DEFAULT_TIMEOUT))


def settle_delay() -> float:
    """Seconds before reading a campaign whose send lost its answer (default 1)."""
    return float(os.environ.get("LAUNCH_SETTLE_DELAY", DEFAULT_SETTLE_DELAY))


def mailglyph() -> MailGlyph:
    """A MailGlyph client from the environment (`MAILGLYPH_BASE_URL` optional)."""
    base_url = os.environ.get("MAILGLYPH_BASE_URL") or None
    return MailGlyph(base_url=base_url, timeout=timeout(), settle_delay=settle_delay())


def sendgrid() -> SendGrid:
    """A SendGrid client from the environment (`SENDGRID_BASE_URL` optional)."""
    base_url = os.environ.get("SENDGRID_BASE_URL") or None
    return SendGrid(base_url=base_url, timeout=timeout(), settle_delay=settle_delay())
