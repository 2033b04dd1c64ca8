"""When to retry, and how long to wait first.

The rule that keeps a campaign from going out twice: a request that may have
been acted on (a send, schedule or reschedule) is retried only when it certainly
was not: a connect failure before anything was written, or a 429. Reads and
unschedules are idempotent and may also be retried after a 5xx or a timeout.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Mapping

from ._constants import INITIAL_BACKOFF, MAX_BACKOFF
from .errors import APIConnectionError, APIStatusError, CampaignClientError, RateLimitError


class RetryPolicy:
    __slots__ = ("max_retries", "max_retry_wait")

    def __init__(self, *, max_retries: int, max_retry_wait: float) -> None:
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait

    def delay(self, error: CampaignClientError, attempt: int, idempotent: bool) -> float | None:
        """Seconds to wait before retrying after `error` on `attempt` (1-based), or None."""
        if attempt > self.max_retries or not retryable(error, idempotent):
            return None
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            wait = error.retry_after  # what the provider asked for
        else:
            wait = backoff(attempt)
        return None if wait > self.max_retry_wait else wait  # never sleep past the cap


def retryable(error: CampaignClientError, idempotent: bool) -> bool:
    if isinstance(error, RateLimitError):
        return True  # a 429 was not acted on
    if isinstance(error, APIStatusError):
        return idempotent and error.status_code >= 500  # 4xx: repeating changes nothing
    if isinstance(error, APIConnectionError):
        # A connect failure never reached the provider; a lost connection may have.
        return idempotent or not error.outcome_unknown
    return False  # a malformed success body: something answered; never repeat blindly


def sleep(seconds: float) -> None:
    time.sleep(seconds)


async def async_sleep(seconds: float) -> None:
    import anyio  # httpx's own async dependency; imported late to keep import time low

    await anyio.sleep(seconds)


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s ... capped at 8 s."""
    base: float = min(INITIAL_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)
    return base * (1 - 0.25 * random.random())


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (epoch)."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value is not None:
        value = value.strip()
        try:
            seconds = float(value)
        except ValueError:
            pass
        else:
            return max(0.0, seconds) if math.isfinite(seconds) else None
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now)
    reset = headers.get("x-ratelimit-reset")
    if reset is not None:
        try:
            epoch = float(reset)
        except ValueError:
            return None
        return max(0.0, epoch - now) if math.isfinite(epoch) else None
    return None
