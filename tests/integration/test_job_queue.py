"""Launches on a real job queue, really killed: RQ workers (separate processes) run the
example app (examples/rq_launch) on a Redis server of the test's own, against the fakes
served over HTTP from this process.

* Killed mid-send: the fake acts on the send and holds its answer; the worker running
  the job is killed with SIGKILL (the worker and its work horse); RQ finds the job
  abandoned and retries it on the other worker, which calls the client with the same
  `since` and gets the campaign's normal result: the job succeeds, one send applied.
* Twice at once: the same launch (one `since`) enqueued twice and run by two workers at
  once, the first send held until its client gives up: both jobs succeed, one send
  applied. MailGlyph and SendGrid legacy guard their state (a second send is refused and
  settled). A Single Send has no guard: the example's Redis lock makes both jobs wait
  (the test holds it while both are running, and no read comes), then lets one read and
  send before the other reads. Without the lock, two jobs that both read `draft` before
  either sends would send twice on a server that accepts a second schedule; the fakes
  cannot hold a job between its read and its send, so no test makes that interleaving
  happen: examples/rq_launch/README.md says what holds.

Without a `redis-server` on PATH the tests are skipped with that reason; under CI=true
they fail instead (.ci/run installs it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from job_queue_support import (
    QUEUE_NAME,
    REDIS_SERVER,
    RedisServer,
    Workers,
    start_redis,
    wait_for,
    wait_until_ended,
)
from local_servers import missing
from rq import Queue
from rq.job import Job, JobStatus
from rq_launch import enqueue_launch
from rq_launch.enqueue import DEFAULT_RETRIES
from rq_launch.jobs import single_send_lock

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

SINGLE_SEND_ID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
LAUNCH_TIMEOUT = 2  # seconds: a held answer ends the client's attempt after this long
LOCK_TIMEOUT = 6.0  # seconds: outlasts a Single Send launch whose answer was held
SEND_SEEN_TIMEOUT = 15.0  # seconds for a worker to take the job and reach the fake


@dataclass(frozen=True)
class Launch:
    """One provider's campaign, as the job queue launches it."""

    provider: str
    campaign_id: str | int
    send_operation: str


LAUNCHES = {
    "mailglyph": Launch("mailglyph", "cmp_launch", "sendCampaign"),
    "sendgrid": Launch("sendgrid", 4900, "sendCampaignNow"),
    "single_send": Launch("single_send", SINGLE_SEND_ID, "scheduleSingleSend"),
}


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """The module's own Redis server on 127.0.0.1 (tests/conftest.py keeps the module on
    one xdist worker, so it is started once)."""
    if shutil.which(REDIS_SERVER) is None:
        missing(
            "redis-server not found on PATH: the job-queue tests need a Redis server "
            "(Debian: apt-get install redis-server; .ci/run installs it)",
            "the job-queue tests",
        )
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def queue(redis_server: RedisServer) -> Iterator[Queue]:
    """The launches queue, on a Redis emptied for this test."""
    with redis_server.connection() as connection:
        connection.flushall()
        yield Queue(QUEUE_NAME, connection=connection)


@pytest.fixture
def fakes(fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid) -> dict[str, Any]:
    """The plugin's fakes, holding each launch's campaign as a draft."""
    fake_mailglyph.add_campaign("cmp_launch")
    fake_sendgrid.add_campaign(4900)
    fake_sendgrid.add_single_send(SINGLE_SEND_ID)
    return {"mailglyph": fake_mailglyph, "sendgrid": fake_sendgrid, "single_send": fake_sendgrid}


@pytest.fixture
def workers(
    redis_server: RedisServer,
    fake_mailglyph: FakeMailGlyph,
    fake_sendgrid: FakeSendGrid,
    tmp_path: Path,
) -> Iterator[Workers]:
    """Workers (started by the test) whose jobs reach the fakes served over HTTP."""
    with fake_mailglyph.serve() as mailglyph_url, fake_sendgrid.serve() as sendgrid_url:
        env = {
            "MAILGLYPH_API_KEY": fake_mailglyph.api_key,
            "MAILGLYPH_BASE_URL": mailglyph_url,
            "SENDGRID_API_KEY": fake_sendgrid.api_key,
            "SENDGRID_BASE_URL": sendgrid_url,
            "LAUNCH_TIMEOUT": str(LAUNCH_TIMEOUT),
            "LAUNCH_SETTLE_DELAY": "0.2",
        }
        running = Workers(redis_server.url, env, tmp_path)
        try:
            yield running
        finally:
            running.stop()


def check_normal_result(launch: Launch, fake: Any, value: Any) -> None:
    """The job returned the client's typed result for the launch (as a dict): the campaign
    as the provider holds it after its one send, which is what a send settled by reading
    it returns (both jobs here are settled: a killed send's retry, a held or refused one)."""
    assert (value["provider"], value["campaign_id"]) == (launch.provider, launch.campaign_id)
    result = value["result"]
    if launch.provider == "mailglyph":
        assert (result["data"]["id"], result["data"]["status"]) == ("cmp_launch", "SENDING")
        assert fake.campaign("cmp_launch").status == "SENDING"
    elif launch.provider == "sendgrid":
        assert result == {"id": 4900, "status": "Sent"}
        assert fake.campaign(4900).status == "Sent"
    else:
        single_send = fake.single_send(SINGLE_SEND_ID)
        assert single_send.status == result["status"] == "triggered"
        sent_at = single_send.send_at  # the fake answers it to the millisecond
        assert datetime.fromisoformat(result["send_at"]) == sent_at.replace(
            microsecond=sent_at.microsecond // 1000 * 1000
        )


@pytest.mark.parametrize("provider", list(LAUNCHES))
def test_a_worker_killed_mid_send_is_redelivered_and_sends_once(
    provider: str, queue: Queue, fakes: dict[str, Any], workers: Workers
) -> None:
    launch, fake = LAUNCHES[provider], fakes[provider]
    workers.start(2)
    fake.stall_next(operation=launch.send_operation)  # acted on; the answer is held

    job = enqueue_launch(queue, provider, launch.campaign_id, lock_timeout=LOCK_TIMEOUT)
    wait_for(
        lambda: fake.count(launch.send_operation, campaign_id=launch.campaign_id) == 1,
        "the job's send reached the fake",
        SEND_SEEN_TIMEOUT,
        workers.logs,
    )
    job.refresh()
    killed = workers.named(job.worker_name)
    killed.kill()  # SIGKILL, worker and work horse: nothing reports the job

    assert wait_until_ended(job, workers) == JobStatus.FINISHED, workers.logs()
    assert job.worker_name not in (None, killed.name)  # run again by the other worker...
    assert job.retries_left == DEFAULT_RETRIES - 1  # ...as RQ's retry of the abandoned job
    check_normal_result(launch, fake, job.return_value())
    assert fake.applied_sends(launch.campaign_id) == 1


def enqueue_twice(queue: Queue, launch: Launch) -> list[Job]:
    """The same launch (one `since`) enqueued twice, as a duplicate delivery would."""
    since = datetime.now(UTC)
    options = {"since": since, "lock_timeout": LOCK_TIMEOUT}
    return [enqueue_launch(queue, launch.provider, launch.campaign_id, **options) for _ in range(2)]


def check_both_succeeded(launch: Launch, fake: Any, jobs: list[Job], workers: Workers) -> None:
    """Both jobs finished with the launch's result, one on each worker, one send applied."""
    for job in jobs:
        assert wait_until_ended(job, workers) == JobStatus.FINISHED, workers.logs()
        check_normal_result(launch, fake, job.return_value())
    assert {job.worker_name for job in jobs} == {"worker-1", "worker-2"}
    assert fake.applied_sends(launch.campaign_id) == 1


@pytest.mark.parametrize("provider", ["mailglyph", "sendgrid"])
def test_the_same_launch_run_twice_at_once_sends_once(
    provider: str, queue: Queue, fakes: dict[str, Any], workers: Workers
) -> None:
    launch, fake = LAUNCHES[provider], fakes[provider]
    workers.start(2)
    # The first send is acted on and its answer held until its client gives up, so the
    # other worker's send comes while it is in flight: the provider refuses it, and the
    # refusal is settled against `since`; the held one is settled by reading.
    fake.stall_next(operation=launch.send_operation)

    check_both_succeeded(launch, fake, enqueue_twice(queue, launch), workers)


def test_a_single_send_run_twice_at_once_is_sent_once_under_the_lock(
    queue: Queue, fakes: dict[str, Any], workers: Workers
) -> None:
    launch, fake = LAUNCHES["single_send"], fakes["single_send"]
    fake.accept_second_schedule = True  # a server that would send a triggered one again
    workers.start(2)
    fake.stall_next(operation=launch.send_operation)  # the first send holds the lock ~3 s
    held = single_send_lock(queue.connection, SINGLE_SEND_ID, LOCK_TIMEOUT)
    assert held.acquire()  # taken first, so both jobs are running when they meet it

    jobs = enqueue_twice(queue, launch)
    wait_for(
        lambda: all(job.get_status(refresh=True) == JobStatus.STARTED for job in jobs),
        "both jobs running at once",
        SEND_SEEN_TIMEOUT,
        workers.logs,
    )
    assert fake.requests == []  # neither has read the Single Send while the lock is held
    held.release()

    check_both_succeeded(launch, fake, jobs, workers)
    # One job read and sent under the lock before the other read anything.
    operations = [request.operation for request in fake.requests]
    assert operations[:2] == ["getSingleSend", "scheduleSingleSend"]
    assert operations.count("scheduleSingleSend") == 1
