"""A Redis server and RQ worker processes for tests/integration/test_job_queue.py.

The Redis server is Debian's `redis-server`, started by the tests on 127.0.0.1 and a
free port with no persistence, in a directory of its own, and stopped by its pid. The
workers are `python -m rq.cli worker` processes running the example app
(examples/rq_launch) with `rq_prompt_worker.PromptWorker`, RQ's worker with a short
heartbeat grace, and settings that let a worker notice an abandoned job within
seconds. A worker is killed the way a dead machine kills it: SIGKILL to the worker and
to the work horse it forked, by their pids, so nothing of it can report the job.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from local_servers import HOST, accepts_connections, free_port, start_logged, stop_process
from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.job import Job, JobStatus
from support import ROOT

REDIS_SERVER = "redis-server"
QUEUE_NAME = "launches"
START_TIMEOUT = 15.0  # seconds for Redis to answer, or a worker to register
START_ATTEMPTS = 3  # a new free port after losing a port race
JOB_END_TIMEOUT = 30.0  # seconds for a job to end, redelivery included
WORKER_OPTIONS = (
    "--worker-ttl=16",  # an idle worker's dequeue blocks worker_ttl - 15 = 1 s at a time
    "--maintenance-interval=1",  # look for abandoned jobs about every second
    "--job-monitoring-interval=1",  # a heartbeat every second while a job runs
    "--worker-class=rq_prompt_worker.PromptWorker",
)
ENDED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED})
PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})

T = TypeVar("T")


def wait_for(
    check: Callable[[], T | None],
    what: str,
    timeout: float,
    details: Callable[[], str] = str,
) -> T:
    """Poll `check` until it returns something other than None or False; fail after
    `timeout` seconds, naming `what` and adding `details()` (such as the workers' logs)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s\n{details()}")
        time.sleep(0.05)


class RedisServer:
    """One `redis-server` process on 127.0.0.1, writing its log to its directory."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://{HOST}:{self.port}/0"
        self.log_path = directory / f"redis-{self.port}.log"
        command = [REDIS_SERVER, "--bind", HOST, "--port", str(self.port), "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no", "--dir", str(directory)]
        self.process = start_logged(command, cwd=directory, log_path=self.log_path)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self) -> str | None:
        """None once it answers PING; else stop it and say what went wrong."""
        deadline = time.monotonic() + START_TIMEOUT
        while self.process.poll() is None and time.monotonic() < deadline:
            if accepts_connections(self.port):
                with contextlib.suppress(RedisError), self.connection() as connection:
                    if connection.ping():
                        return None
            time.sleep(0.05)
        self.stop()
        return f"redis-server did not answer on {self.url}:\n{self.output()[-4000:]}"

    def connection(self) -> Redis:
        return Redis.from_url(self.url)

    def stop(self) -> None:
        stop_process(self.process)


def start_redis(directory: Path) -> RedisServer:
    """A running Redis server (a new port after a lost port race); AssertionError if none."""
    problem = ""
    for _ in range(START_ATTEMPTS):
        server = RedisServer(directory)
        problem = server.wait_until_ready() or ""
        if not problem:
            return server
        if "Address already in use" not in problem:
            break
    raise AssertionError(problem)


def _process_start(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time in clock ticks) of a live process, from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
    return int(fields[1]), int(fields[19])


def _children(pid: int) -> list[tuple[int, int]]:
    """(pid, start time) of each live child of `pid`, found by parent pid in /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = _process_start(int(entry.name))
            if info is not None and info[0] == pid:
                found.append((int(entry.name), info[1]))
    return found


def _kill_if_same(pid: int, start: int) -> None:
    """SIGKILL `pid` if it is still the process that started at `start` (not a reused pid)."""
    info = _process_start(pid)
    if info is not None and info[1] == start:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class WorkerProcess:
    """One `rq worker` process this test started, and its log."""

    def __init__(self, name: str, command: list[str], env: Mapping[str, str], log: Path) -> None:
        self.name = name
        self.log_path = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """Kill it as a dead machine would: SIGKILL the worker, then its work horse (the
        forked process running the job, in a process group of its own), by their pids."""
        horses = _children(self.process.pid)
        self.process.kill()
        self.process.wait()
        for pid, start in horses:
            _kill_if_same(pid, start)

    def stop(self) -> None:
        """SIGTERM (RQ's warm shutdown), then SIGKILL; a horse left behind is killed too."""
        horses = _children(self.process.pid)
        stop_process(self.process)
        for pid, start in horses:
            _kill_if_same(pid, start)


class Workers:
    """The RQ worker processes of one test, on one queue of the test's Redis server."""

    def __init__(self, redis_url: str, env: Mapping[str, str], log_dir: Path) -> None:
        self.redis_url = redis_url
        self.env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
        self.env.update(env)
        paths = [ROOT / "examples", ROOT / "tests" / "integration"]
        self.env["PYTHONPATH"] = os.pathsep.join(str(path) for path in paths)
        self.log_dir = log_dir
        self.started: list[WorkerProcess] = []

    def start(self, count: int) -> list[WorkerProcess]:
        """Start `count` workers and return once each has registered with Redis."""
        new = []
        for _ in range(count):
            name = f"worker-{len(self.started) + 1}"
            command = [sys.executable, "-m", "rq.cli", "worker", f"--url={self.redis_url}"]
            command += [*WORKER_OPTIONS, f"--name={name}", QUEUE_NAME]
            worker = WorkerProcess(name, command, self.env, self.log_dir / f"{name}.log")
            self.started.append(worker)
            new.append(worker)
        with Redis.from_url(self.redis_url) as connection:
            for worker in new:
                wait_for(
                    lambda w=worker: self._registered(connection, w),
                    f"{worker.name} registered with Redis",
                    START_TIMEOUT,
                    self.logs,
                )
        return new

    def _registered(self, connection: Redis, worker: WorkerProcess) -> bool:
        if worker.process.poll() is not None:
            raise AssertionError(f"{worker.name} exited early:\n{self.logs()}")
        return any(w.name == worker.name for w in Worker.all(connection=connection))

    def named(self, name: str | None) -> WorkerProcess:
        (worker,) = [w for w in self.started if w.name == name]
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}:\n{w.output()[-3000:]}" for w in self.started)

    def stop(self) -> None:
        for worker in self.started:
            worker.stop()


def wait_until_ended(job: Job, workers: Workers) -> JobStatus:
    """The job's status once it has ended (finished, or failed with no retry left); the
    job is refreshed from Redis (its worker, retries left, result)."""
    status = wait_for(
        lambda: job.get_status(refresh=True) in ENDED and job.get_status(),
        f"job {job.id} ({job.description}) ended",
        JOB_END_TIMEOUT,
        workers.logs,
    )
    job.refresh()
    return status
