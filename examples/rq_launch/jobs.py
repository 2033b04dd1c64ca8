"""The job functions a worker runs: one launch of one campaign, sent at most once.

Each takes the launch's start (`since`, an ISO 8601 instant with its zone, set once
when the launch was enqueued) and passes it to the client, so a try after a dead
worker, or a duplicate running beside it, returns the campaign's normal result built
from what the provider reads instead of failing or sending again. `since` travels in
the job's arguments, not from `job.enqueued_at`: RQ sets that again whenever it
requeues a job, which would move a redelivered launch's start past its own send.

Each returns a plain JSON-able dict (the answer's `to_dict()`), whichever try made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from redis import Redis
from redis.lock import Lock
from rq import get_current_job

from rq_launch import settings


def _instant(since: str) -> datetime:
    """The launch's start; a naive or future one is the client's ValueError."""
    return datetime.fromisoformat(since)


def launch_mailglyph(campaign_id: str, since: str) -> dict[str, Any]:
    """Send a MailGlyph campaign now; MailGlyph's refusal of a second send is settled."""
    with settings.mailglyph() as client:
        result = client.send_now(campaign_id, since=_instant(since))
    return {"provider": "mailglyph", "campaign_id": campaign_id, "result": result.to_dict()}


def launch_sendgrid(campaign_id: int, since: str) -> dict[str, Any]:
    """Send a SendGrid legacy campaign now; SendGrid's 403 "only a draft" is settled."""
    with settings.sendgrid() as client:
        result = client.send_now(campaign_id, since=_instant(since))
    return {"provider": "sendgrid", "campaign_id": campaign_id, "result": result.to_dict()}


def launch_single_send(single_send_id: str, since: str, lock_timeout: float) -> dict[str, Any]:
    """Send a SendGrid Single Send now, holding a lock on it in the queue's Redis.

    SendGrid has no guard against a second send of a Single Send, so the client reads
    before it sends; two jobs that read at the same moment could both see a draft.
    The lock (keyed by the Single Send, expiring after `lock_timeout` seconds, which must
    outlast the call) lets one job at a time read and send; the next one reads what the
    first did and settles against `since`. A job that cannot get the lock within
    `lock_timeout` (plus a second) raises `redis.exceptions.LockError`, and the queue
    retries it.
    """
    job = get_current_job()
    if job is None:
        raise RuntimeError("launch_single_send runs as an RQ job, on the queue's Redis")
    with (
        single_send_lock(job.connection, single_send_id, lock_timeout),
        settings.sendgrid() as client,
    ):
        result = client.single_sends.send_now(single_send_id, since=_instant(since))
    return {"provider": "single_send", "campaign_id": single_send_id, "result": result.to_dict()}


def single_send_lock(connection: Redis, single_send_id: str, timeout: float) -> Lock:
    """The lock a Single Send launch holds in the queue's Redis while it reads and sends.

    Keyed by the Single Send's canonical id; it expires `timeout` seconds after it was
    taken (so a dead worker's lock is freed), and a job waits for it at most a second
    longer. Anything else that must not run beside a launch can hold it too.
    """
    name = f"rq_launch:single_send:{UUID(single_send_id)}"
    return Lock(connection, name, timeout=timeout, blocking_timeout=timeout + 1)
