"""`campaign-clients` status, cancel and test (a test copy), and a dry run of every command
without a key. Run as the installed console script against the fakes served on 127.0.0.1."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from cli_support import FUTURE, FUTURE_Z, RunCLI, ServedFake, error_line

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

# Fixtures (conftest.py): `mailglyph` serves draft campaign cmp_1, `sendgrid` campaign 4900,
# `served` each in turn; run(action, *extra) runs `<provider> <action> <campaign> --base-url
# <fake>` with the fake's key and checks that no key shows in the output.

# --------------------------------------------------------------------------- status


def test_mailglyph_status_shows_the_status_and_when_it_is_scheduled(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    draft = mailglyph.run("status")
    assert draft.returncode == 0, draft.stderr
    assert draft.stdout == "MailGlyph: campaign cmp_1: status DRAFT\n"

    assert mailglyph.send("--at", FUTURE).returncode == 0
    scheduled = mailglyph.run("status")
    assert scheduled.stdout == (
        f"MailGlyph: campaign cmp_1: status SCHEDULED, scheduled for {FUTURE_Z}\n"
    )
    assert [(r.method, r.path) for r in mailglyph.fake.requests_for("getCampaign")] == [
        ("GET", "/campaigns/cmp_1"),
        ("GET", "/campaigns/cmp_1"),
    ]


def test_mailglyph_status_of_a_sent_campaign_shows_when_it_was_sent_and_json(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    assert mailglyph.send().returncode == 0

    text = mailglyph.run("status")
    as_json = mailglyph.run("status", "--json")

    assert text.returncode == as_json.returncode == 0
    assert re.fullmatch(
        r"MailGlyph: campaign cmp_1: status SENDING, sent at \d{4}-\d\d-\d\dT[\d:.]+Z\n",
        text.stdout,
    )
    output = json.loads(as_json.stdout)
    assert output["success"] is True
    assert output["data"]["id"] == "cmp_1"
    assert output["data"]["status"] == "SENDING"
    assert output["data"]["sentAt"] is not None
    assert mailglyph.fake.sends("cmp_1") == 1  # reading sent nothing


def strict(text: str) -> Any:
    """Parse as RFC 8259 JSON: `NaN`, `Infinity` and `-Infinity` are not JSON."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_json_output_is_strict_json_with_non_finite_numbers_as_null(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    """A field the spec does not type may hold NaN (a Python server's 0/0); `--json`
    writes it as null, and everything else as it came."""
    plain = mailglyph.run("status", "--json")
    answer = json.loads(plain.stdout)
    odd_values = {"openRate": "NaN", "clickRate": "Infinity", "rates": "[-Infinity, {}]"}
    answer["data"].update({name: f"@{name}@" for name in odd_values})
    odd = json.dumps(answer)
    for name, value in odd_values.items():
        odd = odd.replace(f'"@{name}@"', value.replace("{}", '{"bounce": NaN}'))
    mailglyph.fake.fail_next(200, body=odd.encode(), operation="getCampaign")

    result = mailglyph.run("status", "--json")

    assert result.returncode == 0, result.stderr
    output = strict(result.stdout)
    assert output["data"].pop("openRate") is None
    assert output["data"].pop("clickRate") is None
    assert output["data"].pop("rates") == [None, {"bounce": None}]
    assert output == strict(plain.stdout)  # nothing else changed


def test_sendgrid_status_shows_status_and_title_on_behalf_of_a_subuser(
    run_cli: RunCLI, sendgrid: ServedFake[FakeSendGrid]
) -> None:
    fake = sendgrid.fake
    fake.add_campaign(77, status="Scheduled", on_behalf_of="subuser-marketing")
    args = ("sendgrid", "status", "77", "--on-behalf-of", "subuser-marketing")

    text = run_cli(*args, "--base-url", sendgrid.base_url, env=sendgrid.env)
    as_json = run_cli(*args, "--base-url", sendgrid.base_url, "--json", env=sendgrid.env)

    assert text.returncode == as_json.returncode == 0, text.stderr
    assert re.fullmatch(r'SendGrid: campaign 77: status Scheduled, title "[^"]+"\n', text.stdout)
    output = json.loads(as_json.stdout)
    assert (output["id"], output["status"]) == (77, "Scheduled")
    assert output["title"] in text.stdout
    (request, _) = fake.requests
    assert (request.method, request.path) == ("GET", "/v3/campaigns/77")
    assert request.header("on-behalf-of") == "subuser-marketing"


def test_status_of_an_unknown_campaign_exits_3(run_cli: RunCLI, served: ServedFake[Any]) -> None:
    result = run_cli(
        served.provider, "status", "999", "--base-url", served.base_url, env=served.env
    )

    assert result.returncode == 3
    assert "HTTP 404" in error_line(result)


# --------------------------------------------------------------------------- cancel


@pytest.mark.parametrize(
    ("send", "became"), [(("--at", FUTURE), "DRAFT"), ((), "CANCELLED")], ids=["scheduled", "sent"]
)
def test_mailglyph_cancel_prints_what_the_campaign_became(
    mailglyph: ServedFake[FakeMailGlyph], send: tuple[str, ...], became: str
) -> None:
    assert mailglyph.send(*send).returncode == 0

    result = mailglyph.run("cancel")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"MailGlyph: campaign cmp_1 cancelled, now status {became}")
    assert mailglyph.fake.campaign("cmp_1").status == became
    assert mailglyph.fake.requests[-1].path == "/campaigns/cmp_1/cancel"


def test_mailglyph_cancel_json_and_a_draft_refused_exit_3(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    refused = mailglyph.run("cancel")
    assert refused.returncode == 3
    assert "HTTP 400: Can only cancel scheduled or sending campaigns" in error_line(refused)

    assert mailglyph.send("--at", FUTURE).returncode == 0
    cancelled = mailglyph.run("cancel", "--json")
    assert cancelled.returncode == 0, cancelled.stderr
    output = json.loads(cancelled.stdout)
    assert (output["data"]["id"], output["data"]["status"]) == ("cmp_1", "DRAFT")


# --------------------------------------------------------------------------- test copy

TEST_SENT = {
    "mailglyph": ("MailGlyph: test copy of campaign cmp_1 sent to qa@example.com\n", "email"),
    "sendgrid": ("SendGrid: test copy of campaign 4900 sent to qa@example.com\n", "to"),
}


def test_a_test_copy_goes_to_the_address_and_sends_nothing_else(served: ServedFake[Any]) -> None:
    fake = served.fake
    line, field = TEST_SENT[served.provider]

    text = served.run("test", "--to", "qa@example.com")
    as_json = served.run("test", "--to", "qa@example.com", "--json")

    assert text.returncode == as_json.returncode == 0, text.stderr
    assert text.stdout == line
    assert text.stderr == ""
    test_sends = fake.requests_for("sendTestCampaign")
    assert [request.json for request in test_sends] == [{field: "qa@example.com"}] * 2
    assert fake.sends(served.campaign_id) == 0
    output = json.loads(as_json.stdout)
    assert "qa@example.com" in json.dumps(output)


def test_sendgrid_test_copy_on_behalf_of_a_subuser(
    run_cli: RunCLI, sendgrid: ServedFake[FakeSendGrid]
) -> None:
    fake = sendgrid.fake
    fake.add_campaign(77, on_behalf_of="sub")
    args = ("sendgrid", "test", "77", "--to", "qa@example.com", "--on-behalf-of", "sub")

    result = run_cli(*args, "--base-url", sendgrid.base_url, env=sendgrid.env)

    assert result.returncode == 0, result.stderr
    (request,) = fake.requests
    assert (request.path, request.header("on-behalf-of")) == (
        "/v3/campaigns/77/schedules/test",
        "sub",
    )


@pytest.mark.parametrize(
    "address", ["not-an-address", "qa@example.com, ops@example.com", "qa@localhost", "a b@c.de"]
)
def test_a_bad_test_address_exits_2_with_the_facade_message_and_sends_nothing(
    served: ServedFake[Any], address: str
) -> None:
    result = served.run("test", "--to", address)

    assert result.returncode == 2
    assert error_line(result) == (
        "campaign-clients: error: to= must be one email address such as qa@example.com"
    )
    assert result.stdout == ""
    assert served.fake.requests == []


# --------------------------------------------------------------------------- dry run, no key

EVERY_COMMAND = [
    (("mailglyph", "send", "cmp_1"), "POST https://api.mailglyph.com/campaigns/cmp_1/send"),
    (("mailglyph", "send", "cmp_1", "--at", FUTURE), "POST https://api.mailglyph.com/"),
    (("mailglyph", "status", "cmp_1"), "GET https://api.mailglyph.com/campaigns/cmp_1 "),
    (("mailglyph", "cancel", "cmp_1"), "POST https://api.mailglyph.com/campaigns/cmp_1/cancel"),
    (
        ("mailglyph", "test", "cmp_1", "--to", "qa@example.com"),
        "POST https://api.mailglyph.com/campaigns/cmp_1/test",
    ),
    (("sendgrid", "send", "4900"), "POST https://api.sendgrid.com/v3/campaigns/4900/schedules/now"),
    (("sendgrid", "send", "4900", "--at", FUTURE), "POST https://api.sendgrid.com/v3/"),
    (("sendgrid", "unschedule", "4900"), "DELETE https://api.sendgrid.com/v3/campaigns/4900/"),
    (("sendgrid", "schedule-info", "4900"), "GET https://api.sendgrid.com/v3/campaigns/4900/"),
    (("sendgrid", "status", "4900"), "GET https://api.sendgrid.com/v3/campaigns/4900 "),
    (
        ("sendgrid", "test", "4900", "--to", "qa@example.com", "--region", "eu"),
        "POST https://api.eu.sendgrid.com/v3/campaigns/4900/schedules/test",
    ),
]


@pytest.mark.parametrize(("args", "first_line"), EVERY_COMMAND, ids=lambda v: "-".join(v[:2]))
def test_every_command_dry_runs_without_a_key(
    run_cli: RunCLI, args: tuple[str, ...], first_line: str
) -> None:
    result = run_cli(*args, "--dry-run")  # run_cli drops both key variables

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(first_line)
    assert "Authorization: Bearer ***" in lines
    variable = f"{args[0].upper()}_API_KEY"
    assert result.stderr == (
        f"campaign-clients: dry run: nothing was sent ({variable} is not set: "
        "a placeholder key stood in)\n"
    )
    assert "placeholder" not in result.stdout  # the placeholder itself is redacted too


def test_a_dry_run_without_a_key_as_json(run_cli: RunCLI) -> None:
    result = run_cli("mailglyph", "test", "cmp_1", "--to", "qa@example.com", "--dry-run", "--json")

    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)["request"]
    assert request["headers"]["Authorization"] == "Bearer ***"
    assert request["body"] == {"email": "qa@example.com"}
