"""Enqueueing a launch: the instant it began goes with the job, and RQ may retry it.

`Retry(max=...)` is what makes RQ redeliver a job whose worker died: a worker's
maintenance finds the job abandoned in the queue's StartedJobRegistry (its heartbeat
lapsed) and, while retries are left, puts it back on the queue instead of failing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from rq import Queue, Retry
from rq.job import Job

from rq_launch import jobs

PROVIDERS = ("mailglyph", "sendgrid", "single_send")
DEFAULT_RETRIES = 3
DEFAULT_LOCK_TIMEOUT = 300.0  # seconds: longer than a Single Send launch can take
JOB_TIMEOUT = 600  # seconds a worker lets one try run before it stops it


def enqueue_launch(
    queue: Queue,
    provider: str,
    campaign_id: str | int,
    *,
    since: datetime | None = None,
    retries: int = DEFAULT_RETRIES,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Job:
    """Enqueue one launch of a campaign (`provider`: one of `PROVIDERS`).

    `since` is the launch's start, now unless given (give the first one again to
    enqueue the same launch twice); it must be timezone-aware. The job is retried up to
    `retries` times after a failure or a dead worker. `lock_timeout` bounds how long a
    Single Send launch holds its lock.
    """
    started = datetime.now(UTC) if since is None else since
    if started.tzinfo is None or started.utcoffset() is None:
        raise ValueError("since must be a timezone-aware datetime")
    function: Callable[..., dict[str, Any]]
    arguments: list[object] = [str(campaign_id), started.isoformat()]
    if provider == "mailglyph":
        function = jobs.launch_mailglyph
    elif provider == "sendgrid":
        function, arguments[0] = jobs.launch_sendgrid, int(campaign_id)
    elif provider == "single_send":
        function = jobs.launch_single_send
        arguments.append(lock_timeout)
    else:
        raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}, not {provider!r}")
    return queue.enqueue(
        function,
        *arguments,
        retry=Retry(max=retries),
        job_timeout=JOB_TIMEOUT,
        description=f"launch {provider} {campaign_id}",
    )
