"""`campaign-clients demo`: both clients against the fakes on 127.0.0.1, over real
HTTP, with no key and no network. One walk per provider, from a small table: send now,
schedule, a refused second send, a 429 waited out, and two sends whose answer failed
that the client settles by reading the campaign (one found sent, one found not sent and
sent once), then a count of what the fake received and applied. Then SendGrid Single
Sends, on a fake that, like SendGrid's published spec, refuses no second send: one sent
once (its second send stopped by the client's own read), and one whose lost answer is
settled by reading it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .._validation import utc_z
from ..errors import CampaignClientError
from ._output import Output
from ._parser import EXIT_INTERNAL, EXIT_OK, exit_code_for

SINGLE_SENDS = ("7d7c3b0e-5a56-4f0e-9d1c-2f6b7c8d9e01", "7d7c3b0e-5a56-4f0e-9d1c-2f6b7c8d9e02")
"""The demo's Single Sends: one sent once, one whose lost answer is settled."""

SETTLE_DELAY = 0.1
"""Seconds the demo's clients wait before reading a campaign to settle a send (the
library's default is 1 s; the fakes need no time to settle)."""


@dataclass(frozen=True)
class _Walk:
    """One provider's part of the demo."""

    name: str
    fake: Callable[[], Any]  # -> a fake from campaign_clients.testing
    client: Callable[..., Any]  # the facade's client class
    ids: tuple[Any, Any, Any, Any, Any]  # now, scheduled, rate limited, lost answer, unsent
    sent: str  # how a send-now result is introduced
    status: Callable[[Any], object]  # send-now result -> the campaign's status
    scheduled: Callable[[Any], str]  # schedule result -> what to show of it


def _walks() -> list[_Walk]:
    from ..mailglyph import MailGlyph
    from ..sendgrid import SendGrid
    from ..testing import FakeMailGlyph, FakeSendGrid

    return [
        _Walk(
            "MailGlyph",
            FakeMailGlyph,
            MailGlyph,
            ("cmp_demo_now", "cmp_demo_later", "cmp_demo_busy", "cmp_demo_lost", "cmp_demo_unsent"),
            sent="sent",
            status=lambda result: result.data.status,
            scheduled=lambda result: f"status {result.data.status}",
        ),
        _Walk(
            "SendGrid",
            FakeSendGrid,
            SendGrid,
            (4900, 4901, 4902, 4903, 4904),
            sent="send started",
            status=lambda result: result.status,
            scheduled=lambda result: f"send_at {result.send_at}",
        ),
    ]


class _Demo:
    def __init__(self, output: Output) -> None:
        self.output = output
        later = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
        self.later = later + datetime.timedelta(days=1)

    def show_response(self, response: httpx.Response) -> None:
        request = response.request
        line = f"     {request.method} {request.url.raw_path.decode('ascii')} -> "
        line += f"{response.status_code} {response.reason_phrase}"
        if "retry-after" in response.headers:
            line += f" (Retry-After: {response.headers['retry-after']})"
        self.output.out(line)

    def step(self, number: int, title: str, action: Callable[[], str], expect_error: bool) -> bool:
        self.output.out(f"  {number}. {title}")
        try:
            result = action()
        except CampaignClientError as error:
            code = exit_code_for(error)
            self.output.out(f"     => refused (the CLI would exit {code}): {error}")
            return expect_error
        self.output.out(f"     => {result}")
        return not expect_error

    def walk(self, walk: _Walk) -> bool:
        fake = walk.fake()
        now, later, busy, lost, unsent = walk.ids
        for campaign_id in walk.ids:
            fake.add_campaign(campaign_id)
        hooks = {"response": [self.show_response]}
        # trust_env=False: the fakes are on 127.0.0.1, never behind a proxy from the environment.
        with (
            fake.serve() as base_url,
            httpx.Client(event_hooks=hooks, trust_env=False) as http_client,
        ):
            self.output.out()
            self.output.out(f"{walk.name} (fake at {base_url})")
            client = walk.client(
                api_key=fake.api_key,
                base_url=base_url,
                timeout=5.0,
                http_client=http_client,
                settle_delay=SETTLE_DELAY,
            )
            ok = self.step(
                1,
                f"send {now} now",
                lambda: f"{walk.sent}: status {walk.status(client.send_now(now))}",
                expect_error=False,
            )
            ok &= self.step(
                2,
                f"schedule {later} for {utc_z(self.later)}",
                lambda: "scheduled: " + walk.scheduled(client.schedule(later, at=self.later)),
                expect_error=False,
            )
            ok &= self.step(
                3, f"send {now} again", lambda: str(client.send_now(now)), expect_error=True
            )
            fake.fail_next(429, retry_after=1)
            ok &= self.step(
                4,
                f"send {busy} while rate limited (one 429, Retry-After: 1)",
                lambda: f"sent after waiting as told: status {walk.status(client.send_now(busy))}",
                expect_error=False,
            )
            fake.fail_next(503, after_acting=True)
            ok &= self.step(
                5,
                f"send {lost} now; the provider acts but its answer is lost (one 503)",
                lambda: (
                    "settled as sent by reading the campaign, not sent again: "
                    f"status {walk.status(client.send_now(lost))}"
                ),
                expect_error=False,
            )
            fake.fail_next(503)
            ok &= self.step(
                6,
                f"send {unsent} now; the provider fails before acting (one 503)",
                lambda: (
                    "settled as not sent by reading the campaign, so sent once more: "
                    f"status {walk.status(client.send_now(unsent))}"
                ),
                expect_error=False,
            )
        settled_by_reading = all(
            fake.count("getCampaign", campaign_id=c) == 1 for c in (lost, unsent)
        )
        return ok & settled_by_reading & self.tally(fake, walk.ids)

    def single_sends(self) -> bool:
        """SendGrid Single Sends: a send, a second send the client stops by reading the
        Single Send first, and a send whose answer is lost, settled by reading it."""
        from ..sendgrid import SendGrid
        from ..testing import FakeSendGrid

        fake = FakeSendGrid(accept_second_schedule=True)  # a server that guards nothing
        once, lost = SINGLE_SENDS
        for single_send_id in SINGLE_SENDS:
            fake.add_single_send(single_send_id)
        hooks = {"response": [self.show_response]}
        with (
            fake.serve() as base_url,
            httpx.Client(event_hooks=hooks, trust_env=False) as http_client,
        ):
            self.output.out()
            self.output.out(f"SendGrid Single Sends (fake at {base_url}; like SendGrid's")
            self.output.out("  published spec, it would accept a second send)")
            client = SendGrid(
                api_key=fake.api_key,
                base_url=base_url,
                timeout=5.0,
                http_client=http_client,
                settle_delay=SETTLE_DELAY,
            ).single_sends
            ok = self.step(
                1,
                f"send Single Send {once} now (read first: a draft)",
                lambda: f"send started: status {client.send_now(once).status}",
                expect_error=False,
            )
            ok &= self.step(
                2,
                f"send {once} again: the read finds it triggered",
                lambda: str(client.send_now(once)),
                expect_error=True,
            )
            fake.fail_next(503, after_acting=True, operation="scheduleSingleSend")
            ok &= self.step(
                3,
                f"send {lost} now; SendGrid acts but its answer is lost (one 503)",
                lambda: (
                    "settled as sent by reading the Single Send, not sent again: "
                    f"status {client.send_now(lost).status}"
                ),
                expect_error=False,
            )
        settled_by_reading = fake.count("getSingleSend", campaign_id=lost) == 2
        return ok & settled_by_reading & self.tally(fake, SINGLE_SENDS)

    def tally(self, fake: Any, ids: tuple[Any, ...]) -> bool:
        """One line: how many sends the fake received, and that it applied one per campaign."""
        received = sum(fake.sends(campaign_id) for campaign_id in ids)
        applied = [fake.applied_sends(campaign_id) for campaign_id in ids]
        once = all(count == 1 for count in applied)
        verdict = "exactly one per campaign" if once else f"{applied} (not one per campaign)"
        self.output.out(
            f"  The fake received {received} send requests for {len(ids)} campaigns "
            f"and applied {verdict}."
        )
        return once


def run_demo(output: Output) -> int:
    output.out("campaign-clients demo: fake MailGlyph and SendGrid APIs on 127.0.0.1;")
    output.out("every line below is a real HTTP request made by the campaign_clients clients.")
    output.out("No API key is used and nothing leaves this machine.")
    demo = _Demo(output)
    ok = all([demo.walk(walk) for walk in _walks()] + [demo.single_sends()])
    output.out()
    if not ok:
        output.err("demo: a step did not turn out as expected")
        return EXIT_INTERNAL
    output.out(
        "Done: both clients sent, scheduled, were refused a second send, waited out a 429 "
        "and settled two failed sends by reading the campaign: one send applied per campaign."
    )
    output.out(
        "Single Sends: the client read each one before sending, so the one already sent was "
        "not sent again, and it settled the lost answer by reading: one send applied per "
        "Single Send."
    )
    return EXIT_OK
