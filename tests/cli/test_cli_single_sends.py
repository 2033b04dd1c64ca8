"""`campaign-clients sendgrid single-send send|schedule|unschedule|status`, run as the
installed console script against a FakeSendGrid served on 127.0.0.1: the lines and JSON
they print, their exit statuses, --dry-run, settling and --no-settle, and the read before
a send that keeps a Single Send to one send."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from cli_support import FUTURE, FUTURE_Z, NO_WAIT, SINGLE_SEND_ID, RunCLI, ServedFake, error_line

from campaign_clients.testing import FakeSendGrid

# Fixture (conftest.py): `single_send` serves draft Single Send SINGLE_SEND_ID.

AT = datetime.fromisoformat(FUTURE_Z)
LONG_AGO = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
GET, SCHEDULE, UNSCHEDULE = "getSingleSend", "scheduleSingleSend", "unscheduleSingleSend"
PATH = f"/v3/marketing/singlesends/{SINGLE_SEND_ID}"


def operations(fake: FakeSendGrid) -> list[str | None]:
    return [request.operation for request in fake.requests]


def counts(served: ServedFake[FakeSendGrid]) -> tuple[int, int]:
    return served.fake.sends(SINGLE_SEND_ID), served.fake.applied_sends(SINGLE_SEND_ID)


def test_sendgrid_help_lists_single_send_and_its_actions(run_cli: RunCLI) -> None:
    group = run_cli("sendgrid", "single-send", "--help")

    assert "single-send" in run_cli("sendgrid", "--help").stdout
    assert group.returncode == 0
    assert re.findall(r"^    (\S+)", group.stdout, re.MULTILINE) == [
        "send",
        "schedule",
        "unschedule",
        "status",
    ]
    for option in ("--no-settle", "--settle-delay SECONDS", "--on-behalf-of NAME"):
        assert option in run_cli("sendgrid", "single-send", "send", "--help").stdout


# ---------------------------------------------------------------- the actions


def test_send_reads_the_draft_then_sends_it_once(single_send: ServedFake[FakeSendGrid]) -> None:
    result = single_send.run("send")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    fake = single_send.fake
    triggered = fake.single_send(SINGLE_SEND_ID)
    assert triggered.status == "triggered" and triggered.send_at is not None
    sent_at = triggered.send_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert result.stdout == (
        f"SendGrid: Single Send {SINGLE_SEND_ID} send started "
        f"(status scheduled, send_at {sent_at})\n"
    )
    assert operations(fake) == [GET, SCHEDULE]
    assert fake.requests[-1].json == {"send_at": "now"}
    assert counts(single_send) == (1, 1)


def test_schedule_needs_at_and_sends_it_as_utc_with_json_output(
    single_send: ServedFake[FakeSendGrid],
) -> None:
    missing = single_send.run("schedule")
    assert missing.returncode == 2 and "--at" in error_line(missing)
    assert single_send.fake.requests == []

    result = single_send.run("schedule", "--at", FUTURE, "--json")

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)  # the generated model's to_dict()
    assert (datetime.fromisoformat(answer["send_at"]), answer["status"]) == (AT, "scheduled")
    assert single_send.fake.requests[-1].json == {"send_at": FUTURE_Z}
    assert single_send.fake.single_send(SINGLE_SEND_ID).send_at == AT
    assert counts(single_send) == (1, 1)


def test_unschedule_returns_a_scheduled_single_send_to_draft(run_cli: RunCLI) -> None:
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND_ID, status="scheduled", send_at=AT)
    with fake.serve() as base_url:
        served = ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)
        text = served.run("unschedule")
        again = served.run("unschedule", "--json")

    assert text.returncode == 0, text.stderr
    assert text.stdout == f"SendGrid: Single Send {SINGLE_SEND_ID} unscheduled, now status draft\n"
    assert again.returncode == 0
    assert json.loads(again.stdout) == {"id": SINGLE_SEND_ID, "send_at": None, "status": "draft"}
    assert operations(fake) == [UNSCHEDULE, UNSCHEDULE]  # no read: nothing is sent
    assert fake.single_send(SINGLE_SEND_ID).status == "draft"


def test_unschedule_of_a_triggered_single_send_exits_3_saying_its_send_started(
    run_cli: RunCLI,
) -> None:
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND_ID, status="triggered", send_at=LONG_AGO)
    with fake.serve() as base_url:
        served = ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)
        result = served.run("unschedule")

    assert result.returncode == 3
    assert result.stdout == (
        f"SendGrid: Single Send {SINGLE_SEND_ID} was not unscheduled: its send started at "
        "2024-01-02T03:04:05Z (status triggered)\n"
    )
    assert fake.single_send(SINGLE_SEND_ID).status == "triggered"


def test_status_shows_the_status_send_time_and_name_on_behalf_of_a_subuser(
    run_cli: RunCLI,
) -> None:
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND_ID, status="scheduled", send_at=AT, on_behalf_of="sub")
    with fake.serve() as base_url:
        served = ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)
        text = served.run("status", "--on-behalf-of", "sub")
        as_json = served.run("status", "--on-behalf-of", "sub", "--json")
        unseen = served.run("status")  # the parent account has no such Single Send

    assert text.returncode == 0, text.stderr
    assert text.stdout == (
        f"SendGrid: Single Send {SINGLE_SEND_ID}: status scheduled, send_at {FUTURE_Z}, "
        'name "April product news"\n'
    )
    read = json.loads(as_json.stdout)
    assert (read["id"], read["status"]) == (SINGLE_SEND_ID, "scheduled")
    assert datetime.fromisoformat(read["send_at"]) == AT
    assert fake.requests[0].header("on-behalf-of") == "sub"
    assert unseen.returncode == 3 and "404" in error_line(unseen)
    assert operations(fake) == [GET, GET, GET]


# ---------------------------------------------------------------- never twice


@pytest.mark.parametrize("accepting", [False, True], ids=["refusing", "accepting"])
def test_a_single_send_already_sent_is_not_sent_again_exit_3(
    run_cli: RunCLI, accepting: bool
) -> None:
    fake = FakeSendGrid(accept_second_schedule=accepting)
    fake.add_single_send(SINGLE_SEND_ID, status="triggered", send_at=LONG_AGO)
    with fake.serve() as base_url:
        served = ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)
        text = served.run("send")
        as_json = served.run("schedule", "--at", FUTURE, "--json")

    assert text.returncode == as_json.returncode == 3
    line = error_line(text)
    assert line.startswith("campaign-clients: not sent: SendGrid scheduleSingleSend: ")
    assert "was already sent (triggered, send_at 2024-01-02T03:04:05Z)" in line
    error = json.loads(as_json.stdout)["error"]
    assert (error["type"], error["status"]) == ("AlreadySentError", "triggered")
    assert error["exit_code"] == 3
    assert (error["outcome_unknown"], error["nothing_sent"]) == (False, True)
    assert error["settlement"]["outcome"] == "not_applied"
    assert operations(fake) == [GET, GET]
    assert (fake.sends(SINGLE_SEND_ID), fake.applied_sends(SINGLE_SEND_ID)) == (0, 0)


def test_a_single_send_scheduled_for_another_time_is_not_sent_now_exit_3(
    run_cli: RunCLI,
) -> None:
    fake = FakeSendGrid()
    fake.add_single_send(SINGLE_SEND_ID, status="scheduled", send_at=AT)
    with fake.serve() as base_url:
        served = ServedFake("sendgrid", fake, SINGLE_SEND_ID, base_url, run_cli, single_send=True)
        result = served.run("send")

    assert result.returncode == 3
    assert "unschedule it first" in error_line(result)
    assert operations(fake) == [GET]
    assert fake.single_send(SINGLE_SEND_ID).send_at == AT


# ---------------------------------------------------------------- faults and settling


def test_a_lost_answer_after_sending_is_settled_as_sent_and_exits_0(
    single_send: ServedFake[FakeSendGrid],
) -> None:
    single_send.fake.fail_next(503, after_acting=True, operation=SCHEDULE)

    result = single_send.run("send", *NO_WAIT)

    assert result.returncode == 0, result.stderr
    assert "(status triggered, send_at " in result.stdout  # what the settling read found
    assert operations(single_send.fake) == [GET, SCHEDULE, GET]
    assert counts(single_send) == (1, 1)


def test_with_no_settle_a_lost_answer_exits_4_and_is_neither_read_nor_repeated(
    single_send: ServedFake[FakeSendGrid],
) -> None:
    single_send.fake.fail_next(503, after_acting=True, operation=SCHEDULE)

    result = single_send.run("schedule", "--at", FUTURE, "--no-settle", "--json")

    assert result.returncode == 4
    error = json.loads(result.stdout)["error"]
    assert (error["status_code"], error["outcome_unknown"]) == (503, True)
    assert "settlement" not in error
    assert "check the campaign before trying again" in error_line(result)
    assert operations(single_send.fake) == [GET, SCHEDULE]
    assert counts(single_send) == (1, 1)


def test_when_the_read_before_a_send_fails_nothing_is_sent_exit_5(
    single_send: ServedFake[FakeSendGrid],
) -> None:
    single_send.fake.fail_next(503, operation=GET, times=3)

    result = single_send.run("send", *NO_WAIT)

    assert result.returncode == 5
    assert "no usable answer, nothing was changed" in error_line(result)
    assert operations(single_send.fake) == [GET, GET, GET]  # the read's own retries
    assert counts(single_send) == (0, 0)


@pytest.mark.parametrize("single_send_id", ["4900", "not-a-uuid", "..", "a%2Fb"])
def test_an_id_that_is_not_a_uuid_exits_2_and_sends_nothing(
    run_cli: RunCLI, single_send: ServedFake[FakeSendGrid], single_send_id: str
) -> None:
    result = run_cli(
        "sendgrid",
        "single-send",
        "send",
        single_send_id,
        "--base-url",
        single_send.base_url,
        env=single_send.env,
    )

    assert result.returncode == 2
    assert "UUID" in error_line(result)
    assert single_send.fake.requests == []


# ---------------------------------------------------------------- dry runs


@pytest.mark.parametrize(
    ("action", "extra", "methods"),
    [
        ("send", (), ["GET", "PUT"]),
        ("schedule", ("--at", FUTURE), ["GET", "PUT"]),
        ("unschedule", (), ["DELETE"]),
        ("status", (), ["GET"]),
    ],
)
def test_every_action_dry_runs_without_a_key_showing_each_request(
    run_cli: RunCLI, action: str, extra: tuple[str, ...], methods: list[str]
) -> None:
    result = run_cli("sendgrid", "single-send", action, SINGLE_SEND_ID, "--dry-run", *extra)

    assert result.returncode == 0, result.stderr
    shown = re.findall(r"^(GET|PUT|DELETE) (\S+) HTTP/1.1$", result.stdout, re.MULTILINE)
    assert [method for method, _ in shown] == methods
    assert shown[0][1].startswith(f"https://api.sendgrid.com{PATH}")
    assert "Authorization: Bearer ***" in result.stdout
    assert "nothing was sent" in result.stderr


def test_a_dry_run_shows_what_is_really_sent(single_send: ServedFake[FakeSendGrid]) -> None:
    dry = single_send.run("schedule", "--at", FUTURE, "--dry-run", "--json")
    assert single_send.fake.requests == []

    real = single_send.run("schedule", "--at", FUTURE)

    assert real.returncode == 0, real.stderr
    shown = json.loads(dry.stdout)
    (read,) = shown["reads_first"]
    sent_read, sent = single_send.fake.requests
    assert (read["method"], read["url"]) == ("GET", single_send.base_url + sent_read.path)
    request = shown["request"]
    assert (request["method"], request["url"]) == ("PUT", single_send.base_url + sent.path)
    assert request["body"] == sent.json == {"send_at": FUTURE_Z}
