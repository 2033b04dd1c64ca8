"""`scripts/bench --quick` runs and prints a well-formed table.

The benchmark's numbers are not asserted here (they are a benchmark, not timed
assertions); only that the script works on this machine -- with nginx or the
asyncio fallback, with or without the official SDKs -- and that its Markdown
table has a header, a separator and one row per client with numeric columns.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "scripts" / "bench"

HEADER = (
    "| Client | API | Scheme | Calls/s (median) | Min-max over rounds | vs floor | "
    "vs official SDK | Requests seen / sends | Connections opened |"
)
SS = "SendGrid Single Sends"
# (label prefix, API, requests per send) of every client; each runs over HTTP and HTTPS.
CLIENTS = [
    ("raw httpx.Client + json.loads (floor)", "MailGlyph", 1),
    ("generated mailglyph_client send_campaign.sync", "MailGlyph", 1),
    ("campaign_clients MailGlyph.send_now", "MailGlyph", 1),
    ("mailglyph SDK", "MailGlyph", 1),
    ("raw httpx.Client + json.loads (floor)", "SendGrid", 1),
    ("generated sendgrid_client send_campaign_now.sync", "SendGrid", 1),
    ("campaign_clients SendGrid.send_now", "SendGrid", 1),
    ("sendgrid-python", "SendGrid", 1),
    ("default httpx.AsyncClient", "MailGlyph", 1),
    ("campaign_clients AsyncMailGlyph.send_now", "MailGlyph", 1),
    ("mailglyph SDK", "MailGlyph", 1),  # its AsyncMailGlyph
    # a Single Send launch: the read before the send, by hand and through the facade
    ("raw httpx.Client GET + PUT + json.loads (floor)", SS, 2),
    ("campaign_clients SendGrid.single_sends.send_now", SS, 2),
    ("raw httpx.Client PUT only, no read (unguarded)", SS, 1),
]
OFFICIAL_SDKS = ("mailglyph SDK", "sendgrid-python")
NUMBER = re.compile(r"^\d+(\.\d+)?$")
RANGE = re.compile(r"^\d+-\d+$")
SEEN = re.compile(r"^(\d+) / (\d+)$")


def run_quick(*extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(BENCH), "--quick", "--no-readme", "--no-install", *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def table_rows(stdout: str) -> list[list[str]]:
    lines = stdout.splitlines()
    assert HEADER in lines, f"no table header in:\n{stdout}"
    start = lines.index(HEADER)
    header_cells = cells(lines[start])
    separator = cells(lines[start + 1])
    assert len(separator) == len(header_cells)
    assert all(re.fullmatch(r":?-{3,}:?", c) for c in separator), lines[start + 1]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = cells(line)
        assert len(row) == len(header_cells), line
        rows.append(row)
    return rows


def cells(line: str) -> list[str]:
    assert line.startswith("|") and line.endswith("|"), line
    return [c.strip() for c in line[1:-1].split("|")]


def check_table(stdout: str, sdks_hidden: bool) -> None:
    rows = table_rows(stdout)
    expected = [(*client, scheme) for scheme in ("HTTP", "HTTPS") for client in CLIENTS]
    assert len(rows) == len(expected), rows
    for row, (label, api, per_send, scheme) in zip(rows, expected, strict=True):
        name, row_api, row_scheme, rate, span, vs_floor, vs_sdk, seen, conns = row
        assert name.startswith(label), (name, label)
        assert (row_api, row_scheme) == (api, scheme), row
        is_sdk = label.startswith(OFFICIAL_SDKS)
        if rate == "not installed":
            assert is_sdk, f"only an official SDK may be missing: {row}"
            assert (span, vs_floor, vs_sdk, seen, conns) == ("-",) * 5, row
            continue
        assert not (sdks_hidden and is_sdk), f"hidden SDK still measured: {row}"
        assert NUMBER.match(rate) and float(rate) > 0, row
        assert RANGE.match(span), row
        assert NUMBER.match(vs_floor), row
        assert vs_sdk == "-" or NUMBER.match(vs_sdk), row
        matched = SEEN.match(seen)
        assert matched, row
        requests, sends = int(matched.group(1)), int(matched.group(2))
        assert requests == sends * per_send, f"server count differs from the sends: {row}"
        # "(!)" marks a client that opened more connections than its batches: a measured
        # fact about the other clients under load (httpx's default keep-alive is 5 s),
        # but the facade's own pool must reuse its connections.
        count, _, flagged = conns.partition(" ")
        assert count.isdigit() and int(count) >= 1 and flagged in ("", "(!)"), row
        assert not (flagged and name.startswith("campaign_clients")), row
    assert "| Target | Measured | Verdict |" in stdout
    for scheme in ("HTTP", "HTTPS"):
        launch = f"is 2 requests, read + send, {scheme} | 2.00 requests per launch"
        assert launch in stdout, f"no Single Send launch cost for {scheme}"


def test_bench_quick_prints_a_well_formed_table() -> None:
    # Two runs at once: as installed here, and with the official SDKs hidden (as in an
    # environment with only the dev extra), so both kinds of rows are exercised.
    plain = run_quick()
    hidden = run_quick("--hide-module", "mailglyph", "--hide-module", "sendgrid")
    outputs = []
    for proc in (plain, hidden):
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        assert proc.returncode == 0, f"exit {proc.returncode}\n{out}\n{err}"
        outputs.append(out)
    check_table(outputs[0], sdks_hidden=False)
    check_table(outputs[1], sdks_hidden=True)
