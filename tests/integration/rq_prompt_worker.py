"""RQ's own forking worker, with the grace before a silent job counts as abandoned cut
from RQ's fixed 60 s to a few seconds, so the job-queue tests see a killed worker's job
redelivered within seconds. Imported by the worker processes (`rq worker -w
rq_prompt_worker.PromptWorker`); nothing else about RQ's redelivery is changed.

RQ keeps each running job in the queue's StartedJobRegistry until now + the heartbeat
TTL, `min(time left, job_monitoring_interval) + 60`, renewed by every heartbeat of
the worker's monitoring loop. A worker's maintenance (every `maintenance_interval`)
takes every expired entry as abandoned and, while the job has retries left, puts it
back on its queue. With `--job-monitoring-interval 1` and this grace, a dead worker's
job expires 1 + HEARTBEAT_GRACE seconds after its last heartbeat.
"""

from __future__ import annotations

from rq import Worker
from rq.job import Job

RQ_HEARTBEAT_GRACE = 60  # what rq.worker.BaseWorker.get_heartbeat_ttl adds
HEARTBEAT_GRACE = 3  # seconds: over two missed 1 s heartbeats on a busy machine


class PromptWorker(Worker):
    """`rq.Worker` whose started jobs expire HEARTBEAT_GRACE s after a missed heartbeat."""

    def get_heartbeat_ttl(self, job: Job) -> int:
        return super().get_heartbeat_ttl(job) - RQ_HEARTBEAT_GRACE + HEARTBEAT_GRACE
