"""`campaign-clients` failures: exit statuses 2-5, one stderr line, never a traceback or a
key. Run as the installed console script against the fakes served on 127.0.0.1."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cli_support import FUTURE, NO_WAIT, SEND_OPERATION, RunCLI, ServedFake, error_line

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

# Fixtures (conftest.py): `mailglyph` serves draft campaign cmp_1, `sendgrid` campaign 4900;
# their send(*extra, key=None) runs `<provider> send <campaign> --base-url <fake> *extra`.


# --------------------------------------------------------------------------- 2: usage / input


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("mailglyph", "send", "cmp_1", "--at", "2099-03-01T09:30:00"), "no zone offset"),
        (("mailglyph", "send", "cmp_1", "--at", "tomorrow"), "not an ISO 8601"),
        (("sendgrid", "send", "4900", "--at", "2099-03-01 09:30"), "no zone offset"),
        (("sendgrid", "send", "49x"), "positive integer"),
        (("sendgrid", "unschedule", "-5"), "positive integer"),
        (("sendgrid", "unschedule", "5", "--bogus"), "unrecognized arguments: --bogus"),
        (("sendgrid", "send", "4900", "--region", "mars"), "invalid choice"),
        (("mailglyph", "send", "."), "dot segment"),
        (("mailglyph", "send"), "required"),
        (("mailglyph", "send", "cmp_1", "--timeout", "0"), "seconds"),
        (("mailglyph", "send", "cmp_1", "--settle-delay", "-1"), "seconds"),
        (("sendgrid", "send", "4900", "--settle-delay", "soon"), "not a number of seconds"),
        (("mailglyph", "status", "cmp_1", "--no-settle"), "unrecognized arguments: --no-settle"),
        (("mailglyph", "test", "cmp_1"), "required: --to"),
        (("sendgrid", "test", "4900", "--to", "qa@example.com", "x"), "unrecognized arguments"),
        (("sendgrid", "status", "4900", "--at", FUTURE), "unrecognized arguments: --at"),
        (("mailglyph", "send", "cmp_1", "--base-url", "ftp://example.com"), "http(s)"),
        (("mailgun", "send", "x"), "invalid choice"),
        ((), "required"),
    ],
)
def test_bad_usage_or_input_exits_2_and_sends_nothing(
    run_cli: RunCLI, mailglyph: ServedFake[FakeMailGlyph], args: tuple[str, ...], expected: str
) -> None:
    fake = mailglyph.fake
    env = {**mailglyph.env, "SENDGRID_API_KEY": "SG.some-key"}

    result = run_cli(*args, env=env)

    assert result.returncode == 2
    assert expected in error_line(result)
    assert result.stdout == ""
    assert fake.requests == []


@pytest.mark.parametrize("provider", ["mailglyph", "sendgrid"])
@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_a_missing_key_exits_2_naming_the_variable(
    run_cli: RunCLI, provider: str, value: str | None
) -> None:
    variable = f"{provider.upper()}_API_KEY"
    env = {} if value is None else {variable: value}

    result = run_cli(provider, "send", "1", env=env)

    assert result.returncode == 2
    line = error_line(result)
    assert variable in line
    assert "never taken from the command line" in line


def test_a_key_passed_as_an_argument_is_refused_without_echoing_it(run_cli: RunCLI) -> None:
    secret = "sk_live_do_not_echo_me"

    for args in (("--api-key", secret), (f"--api-key={secret}",)):
        result = run_cli("mailglyph", "send", "cmp_1", *args, env={"MAILGLYPH_API_KEY": "sk_x"})
        assert result.returncode == 2
        line = error_line(result)
        assert "--api-key" in line
        assert secret not in result.stdout + result.stderr


def test_a_public_mailglyph_key_exits_2(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    fake = mailglyph.fake

    result = mailglyph.send(key="pk_public_key_123")

    assert result.returncode == 2
    assert "public keys" in error_line(result)
    assert "pk_public_key_123" not in result.stderr
    assert fake.requests == []


# --------------------------------------------------------------------------- 3: refused


def test_mailglyph_second_send_is_refused_exit_3(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    assert mailglyph.send().returncode == 0

    result = mailglyph.send()

    assert result.returncode == 3
    line = error_line(result)
    assert "HTTP 400: Campaign has already been sent" in line
    assert result.stdout == ""


def test_sendgrid_send_when_not_draft_is_refused_exit_3_with_json(
    sendgrid: ServedFake[FakeSendGrid],
) -> None:
    assert sendgrid.send().returncode == 0

    result = sendgrid.send("--json")

    assert result.returncode == 3
    assert "You may only send a campaign when it is in draft mode." in error_line(result)
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "PermissionDeniedError"
    assert error["status_code"] == 403
    assert error["exit_code"] == 3
    assert error["outcome_unknown"] is False
    assert error["messages"] == ["You may only send a campaign when it is in draft mode."]


def test_wrong_key_is_refused_exit_3_and_the_key_is_not_printed(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    fake = mailglyph.fake
    wrong = "sk_live_wrong_but_secret"

    result = mailglyph.send("--json", key=wrong)

    assert result.returncode == 3
    assert "HTTP 401" in error_line(result)
    assert wrong not in result.stdout + result.stderr
    assert wrong not in repr(fake.requests)


def test_unknown_campaign_exits_3(run_cli: RunCLI, sendgrid: ServedFake[FakeSendGrid]) -> None:
    result = run_cli(
        "sendgrid", "schedule-info", "4900", "--base-url", sendgrid.base_url, env=sendgrid.env
    )

    assert result.returncode == 3  # a draft has no schedule: 404
    assert "HTTP 404: not found" in error_line(result)


def test_rate_limited_until_retries_run_out_exits_3_after_honouring_retry_after(
    sendgrid: ServedFake[FakeSendGrid],
) -> None:
    fake = sendgrid.fake
    fake.fail_next(429, retry_after=0, times=3)

    result = sendgrid.send()

    assert result.returncode == 3
    assert "HTTP 429" in error_line(result)
    assert fake.sends(4900) == 3  # the first try and two retries: a 429 was not acted on
    assert fake.campaign(4900).status == "Draft"


def test_one_429_is_retried_and_the_command_succeeds(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    fake = mailglyph.fake
    fake.fail_next(429, retry_after=0)

    result = mailglyph.send()

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert fake.sends("cmp_1") == 2


# --------------------------------------------------------------------------- 4: outcome unknown
# A send settles a lost answer by reading the campaign (test_cli_settle.py); exit 4 is left
# for an outcome still unknown after that, or not settled (--no-settle).


def test_with_no_settle_a_5xx_exits_4_and_is_neither_read_nor_retried(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    fake = mailglyph.fake
    fake.fail_next(500, times=3)

    result = mailglyph.send("--no-settle", "--json")

    assert result.returncode == 4
    line = error_line(result)
    assert "HTTP 500" in line
    assert line.endswith("; check the campaign before trying again")
    assert "settled" not in line
    error = json.loads(result.stdout)["error"]
    assert error["outcome_unknown"] is True
    assert "settlement" not in error
    assert [r.operation for r in fake.requests] == ["sendCampaign"]


def test_with_no_settle_a_timeout_after_sending_exits_4_although_it_went_out(
    sendgrid: ServedFake[FakeSendGrid],
) -> None:
    fake = sendgrid.fake
    fake.stall_next()  # until the client gives up

    result = sendgrid.send("--timeout", "0.5", "--no-settle")

    assert result.returncode == 4
    assert "timed out after the request was sent" in error_line(result)
    assert fake.sends(4900) == fake.applied_sends(4900) == 1
    assert fake.campaign(4900).status == "Sent"  # it did go out: that is why 4 is "unknown"


def test_a_send_whose_campaign_cannot_be_read_exits_4_naming_what_was_read(
    served: ServedFake[Any],
) -> None:
    fake = served.fake
    fake.fail_next(503, after_acting=True, operation=SEND_OPERATION[served.provider])
    fake.fail_next(503, operation="getCampaign", times=5)

    result = served.send(*NO_WAIT, "--json")

    assert result.returncode == 4
    line = error_line(result)
    assert "the outcome is still unknown after settling: " in line
    assert "[settled as unknown: the campaign could not be read (" in line
    assert "getCampaign: HTTP 503" in line  # what the read got
    assert line.endswith("; check the campaign before trying again")
    error = json.loads(result.stdout)["error"]
    assert error["outcome_unknown"] is True
    assert error["settlement"]["outcome"] == "unknown"
    assert error["settlement"]["reason"].startswith("the campaign could not be read (")
    assert fake.sends(served.campaign_id) == fake.applied_sends(served.campaign_id) == 1
    assert fake.count("getCampaign") == 3  # the read and its two retries


# --------------------------------------------------------------------------- 5: could not connect


def test_nothing_listening_exits_5(run_cli: RunCLI) -> None:
    fake = FakeSendGrid()
    with fake.serve() as base_url:
        pass  # the port is closed again

    result = run_cli(
        "sendgrid", "send", "4900", "--base-url", base_url, env={"SENDGRID_API_KEY": fake.api_key}
    )

    assert result.returncode == 5
    line = error_line(result)
    assert "could not connect, nothing was sent" in line
    assert fake.api_key not in result.stdout + result.stderr
