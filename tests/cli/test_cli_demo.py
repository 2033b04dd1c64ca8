"""`campaign-clients demo`: both fakes on 127.0.0.1, the real clients over real HTTP, with no
key and no network (the subprocess is given a socket guard that refuses anything else)."""

from __future__ import annotations

import re
from pathlib import Path

from cli_support import RunCLI

from campaign_clients.cli._demo import SINGLE_SENDS

# Imported by the child interpreter at startup (sitecustomize): any connection or name
# lookup that is not loopback raises, so a demo that needed the network would fail.
SOCKET_GUARD = """
import socket

_connect = socket.socket.connect
_getaddrinfo = socket.getaddrinfo

def _loopback(host):
    return host in ("127.0.0.1", "localhost", "::1")

def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        raise OSError(f"network blocked by the test: {address!r}")
    return _connect(self, address)

def getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host):
        raise OSError(f"name lookup blocked by the test: {host!r}")
    return _getaddrinfo(host, *args, **kwargs)

socket.socket.connect = connect
socket.getaddrinfo = getaddrinfo
"""

ONCE, LOST = SINGLE_SENDS
EXPECTED_REQUESTS = [
    ("POST", "/campaigns/cmp_demo_now/send", "200"),
    ("POST", "/campaigns/cmp_demo_later/send", "200"),
    ("POST", "/campaigns/cmp_demo_now/send", "400"),
    ("POST", "/campaigns/cmp_demo_busy/send", "429"),
    ("POST", "/campaigns/cmp_demo_busy/send", "200"),
    # 5: the answer is lost after MailGlyph acted; reading the campaign settles it as sent
    ("POST", "/campaigns/cmp_demo_lost/send", "503"),
    ("GET", "/campaigns/cmp_demo_lost", "200"),
    # 6: MailGlyph failed before acting; the read finds it not sent, so it is sent once more
    ("POST", "/campaigns/cmp_demo_unsent/send", "503"),
    ("GET", "/campaigns/cmp_demo_unsent", "200"),
    ("POST", "/campaigns/cmp_demo_unsent/send", "200"),
    ("POST", "/v3/campaigns/4900/schedules/now", "201"),
    ("POST", "/v3/campaigns/4901/schedules", "201"),
    ("POST", "/v3/campaigns/4900/schedules/now", "403"),
    ("POST", "/v3/campaigns/4902/schedules/now", "429"),
    ("POST", "/v3/campaigns/4902/schedules/now", "201"),
    ("POST", "/v3/campaigns/4903/schedules/now", "503"),
    ("GET", "/v3/campaigns/4903", "200"),
    ("POST", "/v3/campaigns/4904/schedules/now", "503"),
    ("GET", "/v3/campaigns/4904", "200"),
    ("POST", "/v3/campaigns/4904/schedules/now", "201"),
    # Single Sends, each read before it is sent; the second send is stopped by that read
    ("GET", f"/v3/marketing/singlesends/{ONCE}", "200"),
    ("PUT", f"/v3/marketing/singlesends/{ONCE}/schedule", "201"),
    ("GET", f"/v3/marketing/singlesends/{ONCE}", "200"),
    # the answer is lost after SendGrid acted; reading the Single Send settles it as sent
    ("GET", f"/v3/marketing/singlesends/{LOST}", "200"),
    ("PUT", f"/v3/marketing/singlesends/{LOST}/schedule", "503"),
    ("GET", f"/v3/marketing/singlesends/{LOST}", "200"),
]

# Lines the demo printed before it settled sends; they stay as they were.
EARLIER_LINES = [
    "  1. send cmp_demo_now now",
    "     => sent: status SENDING",
    "     => scheduled: status SCHEDULED",
    "  3. send cmp_demo_now again",
    "  4. send cmp_demo_busy while rate limited (one 429, Retry-After: 1)",
    "     => sent after waiting as told: status SENDING",
    "  1. send 4900 now",
    "     => send started: status Scheduled",
    "  4. send 4902 while rate limited (one 429, Retry-After: 1)",
    "     => sent after waiting as told: status Scheduled",
]


def test_demo_walks_both_providers_over_loopback_with_no_key_and_no_network(
    run_cli: RunCLI, tmp_path: Path
) -> None:
    (tmp_path / "sitecustomize.py").write_text(SOCKET_GUARD)

    result = run_cli("demo", env={"PYTHONPATH": str(tmp_path)}, timeout=30)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    out = result.stdout
    requests = re.findall(r"^ +(POST|GET|PUT|PATCH|DELETE) (\S+) -> (\d{3})", out, re.MULTILINE)
    assert requests == EXPECTED_REQUESTS
    urls = re.findall(r"https?://[^\s);]+", out)
    assert len(urls) == 3  # "MailGlyph (fake at ...)", "SendGrid (...)", "... Single Sends (...)"
    assert all(url.startswith("http://127.0.0.1:") for url in urls)
    assert "Retry-After: 1" in out
    assert "Campaign has already been sent" in out
    assert "You may only send a campaign when it is in draft mode." in out
    assert out.count("refused (the CLI would exit 3)") == 3
    lines = out.splitlines()
    assert all(line in lines for line in EARLIER_LINES)
    assert (
        "     => settled as sent by reading the campaign, not sent again: status SENDING" in lines
    )
    assert "     => settled as sent by reading the campaign, not sent again: status Sent" in lines
    assert out.count("=> settled as not sent by reading the campaign, so sent once more") == 2
    tally = (
        "  The fake received 8 send requests for 5 campaigns and applied exactly one per campaign."
    )
    assert lines.count(tally) == 2
    assert "was already sent (triggered" in out  # stopped by the client's own read
    assert (
        "     => settled as sent by reading the Single Send, not sent again: status triggered"
        in lines
    )
    assert (
        "  The fake received 2 send requests for 2 campaigns and applied exactly one per campaign."
        in lines
    )
    assert lines[-2].startswith("Done: both clients sent, scheduled, were refused a second send, ")
    assert lines[-2].endswith(
        "settled two failed sends by reading the campaign: one send applied per campaign."
    )
    assert lines[-1].startswith("Single Sends: the client read each one before sending, ")


def test_the_socket_guard_really_blocks_the_network(run_cli: RunCLI, tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SOCKET_GUARD)

    result = run_cli(
        "sendgrid",
        "send",
        "4900",
        "--base-url",
        "http://0.0.0.0:9",  # not loopback to the guard; harmless if the guard failed
        env={"PYTHONPATH": str(tmp_path), "SENDGRID_API_KEY": "SG.x"},
    )

    assert result.returncode == 5
    assert "blocked by the test" in result.stderr
