"""`campaign-clients <provider> send` settles a lost answer as the library does: it reads the
campaign; found sent, it exits 0 with the normal line; found not sent, it sends once more;
found not sent and not repeatable, it exits 3. Run as the installed console script against
the fakes served on 127.0.0.1 (exit 4, still unknown after settling: test_cli_errors.py)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from cli_support import (
    FUTURE,
    FUTURE_UNIX,
    FUTURE_Z,
    NO_WAIT,
    SEND_OPERATION,
    RunCLI,
    ServedFake,
    error_line,
)

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

# Fixtures (conftest.py): `served` is each provider in turn (`mailglyph`: draft campaign
# cmp_1, `sendgrid`: draft campaign 4900); send(*extra) runs `<provider> send <campaign>`.

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)

# What a send prints when it is done, whether it was answered or settled as applied.
SENT_NOW = {
    "mailglyph": "MailGlyph: campaign cmp_1 is being sent now, status SENDING\n",
    "sendgrid": "SendGrid: campaign 4900 send started (status {status})\n",
}
SCHEDULED = {
    "mailglyph": f"MailGlyph: campaign cmp_1 scheduled for {FUTURE_Z}, status SCHEDULED\n",
    "sendgrid": f"SendGrid: campaign 4900 scheduled for {FUTURE_Z} "
    f"(send_at {FUTURE_UNIX}, status Scheduled)\n",
}


def _operations(served: ServedFake[Any]) -> list[str]:
    return [request.operation for request in served.fake.requests]


@pytest.mark.parametrize("when", ["now", "at"])
def test_a_send_whose_answer_is_lost_after_acting_is_settled_as_sent_and_exits_0(
    served: ServedFake[Any], when: str
) -> None:
    fake, campaign = served.fake, served.campaign_id
    fake.fail_next(503, after_acting=True)
    at = ("--at", FUTURE) if when == "at" else ()

    result = served.send(*at, *NO_WAIT)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # SendGrid's answer to a send says Scheduled; the campaign read when settling says Sent.
    expected = SCHEDULED if when == "at" else SENT_NOW
    assert result.stdout == expected[served.provider].format(status="Sent")
    assert fake.sends(campaign) == fake.applied_sends(campaign) == 1
    scheduling = (served.provider, when) == ("sendgrid", "at")
    send = "scheduleCampaign" if scheduling else SEND_OPERATION[served.provider]
    assert _operations(served)[:2] == [send, "getCampaign"]  # the send, then the read


def test_a_send_that_failed_before_acting_is_sent_once_more_and_exits_0(
    served: ServedFake[Any],
) -> None:
    fake, campaign = served.fake, served.campaign_id
    fake.fail_next(503)  # the provider did not act

    result = served.send(*NO_WAIT)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == SENT_NOW[served.provider].format(status="Scheduled")
    send = SEND_OPERATION[served.provider]
    assert _operations(served) == [send, "getCampaign", send]
    assert fake.sends(campaign) == 2
    assert fake.applied_sends(campaign) == 1


def test_a_timeout_after_sending_is_settled_as_sent_and_not_sent_again(
    sendgrid: ServedFake[FakeSendGrid],
) -> None:
    fake = sendgrid.fake
    fake.stall_next()  # acts, then holds the answer until the client gives up

    result = sendgrid.send("--timeout", "0.5", *NO_WAIT)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "SendGrid: campaign 4900 send started (status Sent)\n"
    assert fake.sends(4900) == fake.applied_sends(4900) == 1
    assert fake.campaign(4900).status == "Sent"


def test_a_reset_after_scheduling_is_settled_as_scheduled(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    fake = mailglyph.fake
    fake.reset_next()  # acts, then resets the connection

    result = mailglyph.send("--at", FUTURE, *NO_WAIT)

    assert result.returncode == 0, result.stderr
    assert result.stdout == SCHEDULED["mailglyph"]
    assert fake.sends("cmp_1") == fake.applied_sends("cmp_1") == 1
    assert fake.campaign("cmp_1").status == "SCHEDULED"


def test_a_malformed_answer_after_acting_is_settled_and_shown_as_json(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    fake = mailglyph.fake
    fake.fail_next(200, after_acting=True, body=b"<html>a proxy's page</html>")

    result = mailglyph.send("--json", *NO_WAIT)

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["data"]["status"] == "SENDING"
    assert output["message"].startswith("Settled by reading the campaign: status SENDING")
    assert fake.sends("cmp_1") == fake.applied_sends("cmp_1") == 1


def test_a_send_settled_as_not_sent_that_cannot_be_repeated_exits_3(
    served: ServedFake[Any],
) -> None:
    fake, campaign = served.fake, served.campaign_id
    fake.fail_next(503, operation=SEND_OPERATION[served.provider], times=3)

    result = served.send("--json", *NO_WAIT)

    assert result.returncode == 3
    line = error_line(result)
    assert line.startswith("campaign-clients: not sent (settled by reading the campaign): ")
    assert "HTTP 503" in line
    assert "[settled as not applied: the campaign is still" in line
    error = json.loads(result.stdout)["error"]
    assert error["exit_code"] == 3
    assert error["outcome_unknown"] is False
    assert error["settlement"]["outcome"] == "not_applied"
    assert error["settlement"]["status"] in ("DRAFT", "Draft")
    assert fake.sends(campaign) == 3  # the first try and two repeats, each found not sent
    assert fake.applied_sends(campaign) == 0


def test_a_send_settled_as_sent_earlier_is_not_repeated_and_exits_3(run_cli: RunCLI) -> None:
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_old", status="SENT", sent_at=LONG_AGO)  # before this attempt
    fake.fail_next(503)

    with fake.serve() as base_url:
        result = run_cli(
            "mailglyph",
            "send",
            "cmp_old",
            "--base-url",
            base_url,
            *NO_WAIT,
            env={"MAILGLYPH_API_KEY": fake.api_key},
        )

    assert result.returncode == 3
    assert "[settled as not applied: status SENT, sent at" in error_line(result)
    assert fake.sends("cmp_old") == 1
    assert fake.applied_sends("cmp_old") == 0
