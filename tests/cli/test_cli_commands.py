"""`campaign-clients` commands that succeed, run as the installed console script against
the fakes served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from cli_support import FUTURE, FUTURE_UNIX, FUTURE_Z, RunCLI, ServedFake

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

# Fixtures (conftest.py): `mailglyph` serves draft campaign cmp_1, `sendgrid` campaign 4900.


def test_help_names_the_commands_the_key_variables_and_the_exit_statuses(run_cli: RunCLI) -> None:
    result = run_cli("--help")

    assert result.returncode == 0
    for text in ("mailglyph", "sendgrid", "demo", "MAILGLYPH_API_KEY", "SENDGRID_API_KEY"):
        assert text in result.stdout
    for status in (
        "0  done",
        "2  bad usage",
        "3  the API refused",
        "settled as\n     not sent",
        "4  outcome unknown",
        "still unknown after reading the campaign",
        "(--no-settle)",
        "5  could",
    ):
        assert status in result.stdout


@pytest.mark.parametrize(
    ("provider", "actions"),
    [
        ("mailglyph", ("send", "status", "cancel", "test")),
        ("sendgrid", ("send", "unschedule", "schedule-info", "status", "test", "single-send")),
    ],
)
def test_each_provider_help_lists_its_actions(
    run_cli: RunCLI, provider: str, actions: tuple[str, ...]
) -> None:
    result = run_cli(provider, "--help")

    assert result.returncode == 0
    listed = re.findall(r"^    (\S+)", result.stdout, re.MULTILINE)
    assert tuple(listed) == actions


def test_send_help_offers_no_settle(run_cli: RunCLI) -> None:
    result = run_cli("sendgrid", "send", "--help")

    assert result.returncode == 0
    assert "--no-settle" in result.stdout
    assert "--settle-delay SECONDS" in result.stdout


def test_mailglyph_send_now(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    fake = mailglyph.fake

    result = mailglyph.send()

    assert result.returncode == 0, result.stderr
    assert result.stdout == "MailGlyph: campaign cmp_1 is being sent now, status SENDING\n"
    assert result.stderr == ""
    (request,) = fake.requests
    assert (request.method, request.path, request.json) == ("POST", "/campaigns/cmp_1/send", None)
    assert fake.campaign("cmp_1").status == "SENDING"


def test_mailglyph_schedule_with_json_output(mailglyph: ServedFake[FakeMailGlyph]) -> None:
    result = mailglyph.send("--at", FUTURE, "--json")

    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["success"] is True
    assert output["data"]["id"] == "cmp_1"
    assert output["data"]["status"] == "SCHEDULED"
    assert output["data"]["scheduledFor"].startswith("2099-03-01T09:30:00")
    assert mailglyph.fake.requests[0].json == {"scheduledFor": FUTURE_Z}


def test_sendgrid_send_now_on_behalf_of(
    run_cli: RunCLI, sendgrid: ServedFake[FakeSendGrid]
) -> None:
    fake = sendgrid.fake
    fake.add_campaign(77, on_behalf_of="subuser-marketing")

    result = run_cli(
        "sendgrid",
        "send",
        "77",
        "--on-behalf-of",
        "subuser-marketing",
        "--base-url",
        sendgrid.base_url,
        env=sendgrid.env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "SendGrid: campaign 77 send started (status Scheduled)\n"
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", "/v3/campaigns/77/schedules/now")
    assert request.header("on-behalf-of") == "subuser-marketing"
    assert fake.campaign(77, on_behalf_of="subuser-marketing").status == "Sent"


def test_sendgrid_schedule_then_schedule_info_then_unschedule(
    run_cli: RunCLI, sendgrid: ServedFake[FakeSendGrid]
) -> None:
    fake, env = sendgrid.fake, sendgrid.env
    where = ("--base-url", sendgrid.base_url)

    scheduled = sendgrid.send("--at", FUTURE)
    assert scheduled.returncode == 0, scheduled.stderr
    assert scheduled.stdout == (
        f"SendGrid: campaign 4900 scheduled for {FUTURE_Z} "
        f"(send_at {FUTURE_UNIX}, status Scheduled)\n"
    )
    assert fake.requests[-1].json == {"send_at": FUTURE_UNIX}

    info = run_cli("sendgrid", "schedule-info", "4900", *where, "--json", env=env)
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout) == {"id": 4900, "send_at": FUTURE_UNIX}

    info_text = run_cli("sendgrid", "schedule-info", "4900", *where, env=env)
    assert (
        info_text.stdout
        == f"SendGrid: campaign 4900 is scheduled for {FUTURE_Z} (send_at {FUTURE_UNIX})\n"
    )

    removed = run_cli("sendgrid", "unschedule", "4900", *where, "--json", env=env)
    assert removed.returncode == 0, removed.stderr
    assert json.loads(removed.stdout) == {"id": 4900, "unscheduled": True}
    assert fake.campaign(4900).status == "Draft"
    assert [(r.method, r.operation) for r in fake.requests] == [
        ("POST", "scheduleCampaign"),
        ("GET", "getCampaignSchedule"),
        ("GET", "getCampaignSchedule"),
        ("DELETE", "unscheduleCampaign"),
    ]


def test_dry_run_prints_the_exact_request_and_sends_nothing(
    mailglyph: ServedFake[FakeMailGlyph],
) -> None:
    fake, base_url = mailglyph.fake, mailglyph.base_url

    result = mailglyph.send("--at", FUTURE, "--dry-run")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"POST {base_url}/campaigns/cmp_1/send HTTP/1.1"
    assert "Authorization: Bearer ***" in lines
    assert "Content-Type: application/json" in lines
    assert f"Host: {base_url.removeprefix('http://')}" in lines
    assert lines[-1] == '{"scheduledFor":"2099-03-01T09:30:00Z"}'
    assert fake.api_key not in result.stdout + result.stderr
    assert result.stderr == "campaign-clients: dry run: nothing was sent\n"
    assert fake.requests == []  # the served fake saw nothing
    assert fake.campaign("cmp_1").status == "DRAFT"


def test_dry_run_matches_what_is_really_sent(sendgrid: ServedFake[FakeSendGrid]) -> None:
    fake = sendgrid.fake
    args = ("--at", FUTURE, "--on-behalf-of", "sub")
    fake.add_campaign(4900, on_behalf_of="sub")

    dry = json.loads(sendgrid.send(*args, "--dry-run", "--json").stdout)["request"]
    assert sendgrid.send(*args).returncode == 0

    (sent,) = fake.requests
    assert dry["method"] == sent.method
    assert dry["url"] == f"{sendgrid.base_url}{sent.path}"
    assert dry["body"] == sent.json == {"send_at": FUTURE_UNIX}
    assert {k.lower(): v for k, v in dry["headers"].items()} == dict(sent.headers)


def test_dry_run_with_the_eu_region_uses_the_eu_host(run_cli: RunCLI) -> None:
    result = run_cli(
        "sendgrid",
        "unschedule",
        "4900",
        "--region",
        "eu",
        "--dry-run",
        "--json",
        env={"SENDGRID_API_KEY": "SG.not-a-real-key"},
    )

    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)["request"]
    assert request["method"] == "DELETE"
    assert request["url"] == "https://api.eu.sendgrid.com/v3/campaigns/4900/schedules"
    assert request["headers"]["Authorization"] == "Bearer ***"
    assert request["body"] is None
    assert "SG.not-a-real-key" not in result.stdout + result.stderr


def test_module_entry_point_runs_the_same_main() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "campaign_clients.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.startswith("campaign-clients ")
