"""Campaign launches on an RQ job queue that survive a dead worker.

A launch is enqueued with the instant it began (`enqueue_launch`); the job
(`rq_launch.jobs`) calls the client with `since=` that instant, so a redelivered or
duplicated job settles against what an earlier try did instead of failing or sending
again. README.md beside this file says how to run it and what is guaranteed.
"""

from rq_launch.enqueue import PROVIDERS, enqueue_launch

__all__ = ["PROVIDERS", "enqueue_launch"]
