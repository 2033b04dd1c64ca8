"""`--since TIME` on the send and schedule commands, for cron jobs and scripts that may
run twice: a second run with the same --since exits 0 with nothing sent again; a
campaign sent before it is still refused; a --since without a zone, or in the future,
is bad input (exit 2) with nothing sent. Run as the installed console script against
the fakes served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from cli_support import FUTURE, FUTURE_UNIX, ServedFake, error_line

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

SINCE = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def operations(fake: FakeMailGlyph | FakeSendGrid) -> list[str | None]:
    return [request.operation for request in fake.requests]


@pytest.mark.parametrize("at", [(), ("--at", FUTURE)], ids=["send", "schedule"])
def test_a_second_run_with_the_same_since_sends_nothing_again(
    served: ServedFake[Any], at: tuple[str, ...]
) -> None:
    first = served.send(*at, "--since", SINCE, "--settle-delay", "0")
    again = served.send(*at, "--since", SINCE, "--settle-delay", "0", "--json")

    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)  # the command's normal answer, built from the read
    assert served.fake.applied_sends(served.campaign_id) == 1


def test_mailglyph_schedule_with_since_reads_first(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    result = mailglyph.send("--at", FUTURE, "--since", SINCE)

    assert result.returncode == 0, result.stderr
    assert operations(mailglyph.fake) == ["getCampaign", "sendCampaign"]


def test_a_campaign_sent_before_the_launch_is_still_refused(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    mailglyph.fake.add_campaign("cmp_old", status="SENT", sent_at=LONG_AGO)
    old = ServedFake("mailglyph", mailglyph.fake, "cmp_old", mailglyph.base_url, mailglyph.run_cli)

    result = old.send("--since", SINCE, "--settle-delay", "0")

    assert result.returncode == 3
    assert "already been sent" in error_line(result)
    assert mailglyph.fake.applied_sends("cmp_old") == 0


def test_single_send_second_run_reads_and_sends_nothing(
    single_send: ServedFake[FakeSendGrid],
) -> None:
    assert single_send.run("send", "--since", SINCE).returncode == 0

    again = single_send.run("send", "--since", SINCE)

    assert again.returncode == 0, again.stderr
    assert "status triggered" in again.stdout
    assert operations(single_send.fake) == ["getSingleSend", "scheduleSingleSend", "getSingleSend"]
    assert single_send.fake.applied_sends(single_send.campaign_id) == 1


def test_single_send_schedule_takes_since(single_send: ServedFake[FakeSendGrid]) -> None:
    for _ in range(2):
        result = single_send.run("schedule", "--at", FUTURE, "--since", SINCE)
        assert result.returncode == 0, result.stderr

    assert single_send.fake.applied_sends(single_send.campaign_id) == 1


BAD = {
    "no zone": ("2026-01-01T09:00:00", "no zone offset"),
    "future": ("2099-01-01T09:00:00Z", "in the future"),
    "not a time": ("yesterday", "not an ISO 8601 date-time"),
}


@pytest.mark.parametrize(("since", "says"), BAD.values(), ids=BAD.keys())
def test_a_bad_since_is_bad_input_and_sends_nothing(
    served: ServedFake[Any], since: str, says: str
) -> None:
    result = served.send("--since", since)

    assert result.returncode == 2
    assert says in error_line(result)
    assert served.fake.requests == []


def test_dry_run_with_since_shows_the_read_then_the_schedule(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    result = mailglyph.send("--at", FUTURE, "--since", SINCE, "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert [read["method"] for read in shown["reads_first"]] == ["GET"]
    assert shown["request"]["method"] == "POST"
    assert mailglyph.fake.requests == []


def test_sendgrid_schedule_with_since_and_dry_run(sendgrid: ServedFake[FakeSendGrid]) -> None:
    result = sendgrid.send("--at", FUTURE, "--since", SINCE, "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["request"]["body"] == {"send_at": FUTURE_UNIX}


def test_help_offers_since(served: ServedFake[Any]) -> None:
    result = served.run_cli(served.provider, "send", "--help")

    assert result.returncode == 0
    assert "--since ISO8601" in result.stdout
