"""The API commands: what each one calls on the facade and how its result is shown
(`_dry_run` shows the exact requests instead of sending them).

`COMMANDS` is the table: (command, action) -> the function that builds the action's
`Command` from the parsed arguments. A new action is one row there and one in
`_parser._ACTIONS` (a Single Send's: `_parser.SINGLE_SEND_ACTIONS`, keyed
"single-send <action>").
"""

from __future__ import annotations

import argparse
import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._constants import KEY_ENV
from .._validation import check_since, parse_instant, utc_z
from ._dry_run import dry_run
from ._output import Output
from ._parser import EXIT_OK, EXIT_REFUSED, PROVIDERS, UsageError, command_key

if TYPE_CHECKING:
    from ..mailglyph import MailGlyph
    from ..sendgrid import SendGrid


def _done(result: Any) -> int:
    return EXIT_OK


@dataclass(frozen=True)
class Command:
    """One API call to make: which operation, how to call it, how to describe the result."""

    operation: str
    call: Callable[[Any], Any]  # client -> result
    describe: Callable[[Any], str]  # result -> one human line
    as_json: Callable[[Any], Any]  # result -> JSON value
    reads: str | None = None  # the operation the call makes first (a Single Send's read)
    exit_code: Callable[[Any], int] = _done  # result -> exit status


def _at(args: argparse.Namespace) -> datetime.datetime | None:
    return None if args.at is None else parse_instant(args.at, name="--at")


def _since(args: argparse.Namespace) -> datetime.datetime | None:
    """--since, the instant the launch began: with a zone, not in the future."""
    return None if args.since is None else check_since(parse_instant(args.since, name="--since"))


def _sendgrid_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"a SendGrid campaign id is a positive integer, not {text!r}")
    return int(text)


def _api_key(args: argparse.Namespace) -> str | None:
    """The key from the environment; None for a dry run without one (a placeholder stands in)."""
    name = KEY_ENV[PROVIDERS[args.provider]]
    key = os.environ.get(name, "")
    if key.strip():
        return key
    if args.dry_run:
        return None
    raise UsageError(
        f"{name} is not set; put your {PROVIDERS[args.provider]} API key in it "
        "(keys are never taken from the command line)"
    )


def _from_unix(seconds: int) -> str:
    return utc_z(datetime.datetime.fromtimestamp(seconds, datetime.UTC))


def _to_dict(result: Any) -> Any:
    return result.to_dict()


# -- MailGlyph -------------------------------------------------------------------------------


def _mailglyph_state(data: Any) -> str:
    """A MailGlyph campaign's status and the times that matter: "status SCHEDULED for ..."."""
    text = f"status {data.status}" if isinstance(data.status, str) else "status unknown"
    for label, value in (("scheduled for", data.scheduled_for), ("sent at", data.sent_at)):
        if isinstance(value, datetime.datetime):
            text += f", {label} {utc_z(value, milliseconds=True)}"
    return text


def _mailglyph_send(args: argparse.Namespace) -> Command:
    campaign_id: str = args.campaign_id
    at, since = _at(args), _since(args)

    def describe(result: Any) -> str:
        data = result.data
        status = data.status if isinstance(data.status, str) else None
        status_text = f", status {status}" if status else ""
        if at is None:
            return f"MailGlyph: campaign {data.id} is being sent now{status_text}"
        when = data.scheduled_for
        when_text = utc_z(when) if isinstance(when, datetime.datetime) else utc_z(at)
        return f"MailGlyph: campaign {data.id} scheduled for {when_text}{status_text}"

    if at is None:
        return Command(
            "sendCampaign", lambda c: c.send_now(campaign_id, since=since), describe, _to_dict
        )
    return Command(
        "sendCampaign",
        lambda c: c.schedule(campaign_id, at=at, since=since),
        describe,
        _to_dict,
        reads=None if since is None else "getCampaign",  # no guard: read first (see README)
    )


def _mailglyph_campaign(
    operation: str, call: Callable[[Any, str], Any], says: str
) -> Callable[[argparse.Namespace], Command]:
    """A MailGlyph command answered with the campaign (status, cancel): one line says
    `says` and the campaign's state."""

    def build(args: argparse.Namespace) -> Command:
        campaign_id: str = args.campaign_id
        return Command(
            operation,
            lambda c: call(c, campaign_id),
            lambda r: f"MailGlyph: campaign {r.data.id}{says}{_mailglyph_state(r.data)}",
            _to_dict,
        )

    return build


def _mailglyph_test(args: argparse.Namespace) -> Command:
    campaign_id: str = args.campaign_id
    to: str = args.to
    return Command(
        "sendTestCampaign",
        lambda c: c.send_test(campaign_id, to=to),
        lambda _: f"MailGlyph: test copy of campaign {campaign_id} sent to {to}",
        _to_dict,
    )


# -- SendGrid --------------------------------------------------------------------------------


def _sendgrid_send(args: argparse.Namespace) -> Command:
    campaign_id, obo = _sendgrid_id(args.campaign_id), args.on_behalf_of
    at, since = _at(args), _since(args)
    if at is None:
        return Command(
            "sendCampaignNow",
            lambda c: c.send_now(campaign_id, on_behalf_of=obo, since=since),
            lambda r: f"SendGrid: campaign {r.id} send started (status {r.status})",
            _to_dict,
        )
    return Command(
        "scheduleCampaign",
        lambda c: c.schedule(campaign_id, at=at, on_behalf_of=obo, since=since),
        lambda r: (
            f"SendGrid: campaign {r.id} scheduled for {_from_unix(r.send_at)} "
            f"(send_at {r.send_at}, status {r.status})"
        ),
        _to_dict,
    )


def _sendgrid_unschedule(args: argparse.Namespace) -> Command:
    campaign_id, obo = _sendgrid_id(args.campaign_id), args.on_behalf_of
    return Command(
        "unscheduleCampaign",
        lambda c: c.unschedule(campaign_id, on_behalf_of=obo),
        lambda _: f"SendGrid: campaign {campaign_id} unscheduled (back to draft)",
        lambda _: {"id": campaign_id, "unscheduled": True},
    )


def _sendgrid_schedule_info(args: argparse.Namespace) -> Command:
    campaign_id, obo = _sendgrid_id(args.campaign_id), args.on_behalf_of
    return Command(
        "getCampaignSchedule",
        lambda c: c.get_schedule(campaign_id, on_behalf_of=obo),
        lambda r: (
            f"SendGrid: campaign {campaign_id} is scheduled for {_from_unix(r.send_at)} "
            f"(send_at {r.send_at})"
        ),
        lambda r: {"id": campaign_id, **r.to_dict()},
    )


def _sendgrid_status(args: argparse.Namespace) -> Command:
    campaign_id, obo = _sendgrid_id(args.campaign_id), args.on_behalf_of

    def describe(result: Any) -> str:
        status = result.status if isinstance(result.status, str) else "unknown"
        title = f', title "{result.title}"' if isinstance(result.title, str) else ""
        return f"SendGrid: campaign {campaign_id}: status {status}{title}"

    return Command(
        "getCampaign",
        lambda c: c.get_campaign(campaign_id, on_behalf_of=obo),
        describe,
        _to_dict,
    )


def _sendgrid_test(args: argparse.Namespace) -> Command:
    campaign_id, obo = _sendgrid_id(args.campaign_id), args.on_behalf_of
    to: str = args.to
    return Command(
        "sendTestCampaign",
        lambda c: c.send_test(campaign_id, to=to, on_behalf_of=obo),
        lambda r: f"SendGrid: test copy of campaign {campaign_id} sent to {r.to}",
        _to_dict,
    )


# -- SendGrid Single Sends -------------------------------------------------------------------


def _instant(value: object) -> str:
    """An instant as SendGrid writes it (to the millisecond), or "none"."""
    return utc_z(value, milliseconds=True) if isinstance(value, datetime.datetime) else "none"


def _single_send_launch(args: argparse.Namespace) -> Command:
    """send (now) or schedule (--at): the client reads the Single Send first."""
    single_send_id, obo = args.campaign_id, args.on_behalf_of
    at = _at(args) if args.single_send_action == "schedule" else None
    since = _since(args)
    if at is None:
        return Command(
            "scheduleSingleSend",
            lambda c: c.single_sends.send_now(single_send_id, on_behalf_of=obo, since=since),
            lambda r: (
                f"SendGrid: Single Send {single_send_id} send started "
                f"(status {r.status}, send_at {_instant(r.send_at)})"
            ),
            _to_dict,
            reads="getSingleSend",
        )
    return Command(
        "scheduleSingleSend",
        lambda c: c.single_sends.schedule(single_send_id, at=at, on_behalf_of=obo, since=since),
        lambda r: (
            f"SendGrid: Single Send {single_send_id} scheduled for {_instant(r.send_at)} "
            f"(status {r.status})"
        ),
        _to_dict,
        reads="getSingleSend",
    )


def _single_send_unschedule(args: argparse.Namespace) -> Command:
    """Exit 3 when the answer says the Single Send's send had started: nothing was
    unscheduled."""
    single_send_id, obo = args.campaign_id, args.on_behalf_of

    def describe(result: Any) -> str:
        if result.status == "triggered":
            return (
                f"SendGrid: Single Send {single_send_id} was not unscheduled: its send started "
                f"at {_instant(result.send_at)} (status triggered)"
            )
        return f"SendGrid: Single Send {single_send_id} unscheduled, now status {result.status}"

    return Command(
        "unscheduleSingleSend",
        lambda c: c.single_sends.unschedule(single_send_id, on_behalf_of=obo),
        describe,
        lambda r: {"id": single_send_id, **r.to_dict()},
        exit_code=lambda r: EXIT_REFUSED if r.status == "triggered" else EXIT_OK,
    )


def _single_send_status(args: argparse.Namespace) -> Command:
    single_send_id, obo = args.campaign_id, args.on_behalf_of

    def describe(result: Any) -> str:
        status = result.status if isinstance(result.status, str) else "unknown"
        name = f', name "{result.name}"' if isinstance(result.name, str) else ""
        return (
            f"SendGrid: Single Send {single_send_id}: status {status}, "
            f"send_at {_instant(result.send_at)}{name}"
        )

    return Command(
        "getSingleSend",
        lambda c: c.single_sends.get(single_send_id, on_behalf_of=obo),
        describe,
        _to_dict,
    )


COMMANDS: dict[tuple[str, str], Callable[[argparse.Namespace], Command]] = {
    ("mailglyph", "send"): _mailglyph_send,
    ("mailglyph", "status"): _mailglyph_campaign(
        "getCampaign", lambda c, i: c.get_campaign(i), ": "
    ),
    ("mailglyph", "cancel"): _mailglyph_campaign(
        "cancelCampaign", lambda c, i: c.cancel(i), " cancelled, now "
    ),
    ("mailglyph", "test"): _mailglyph_test,
    ("sendgrid", "send"): _sendgrid_send,
    ("sendgrid", "unschedule"): _sendgrid_unschedule,
    ("sendgrid", "schedule-info"): _sendgrid_schedule_info,
    ("sendgrid", "status"): _sendgrid_status,
    ("sendgrid", "test"): _sendgrid_test,
    ("sendgrid", "single-send send"): _single_send_launch,
    ("sendgrid", "single-send schedule"): _single_send_launch,
    ("sendgrid", "single-send unschedule"): _single_send_unschedule,
    ("sendgrid", "single-send status"): _single_send_status,
}


# -- running a command -----------------------------------------------------------------------


def _client(args: argparse.Namespace, api_key: str, **overrides: Any) -> MailGlyph | SendGrid:
    """The facade's client for this command; `overrides` are constructor options.

    `send` settles an unknown outcome as the library does, unless --no-settle.
    """
    from ..mailglyph import MailGlyph
    from ..sendgrid import SendGrid

    options: dict[str, Any] = {"timeout": args.timeout}
    if hasattr(args, "settle"):  # the actions with the settling options
        options.update(settle=args.settle, settle_delay=args.settle_delay)
    options.update(overrides)
    if args.base_url is not None:
        options["base_url"] = args.base_url
    if args.provider == "mailglyph":
        return MailGlyph(api_key=api_key, **options)
    return SendGrid(api_key=api_key, region=args.region, **options)


def run_api_command(args: argparse.Namespace, output: Output) -> int:
    command = COMMANDS[command_key(args)](args)
    api_key = _api_key(args)
    if api_key is not None:
        output.secrets.append(api_key)
    if args.dry_run:
        return dry_run(args, api_key, command, output, lambda key, **o: _client(args, key, **o))
    assert api_key is not None  # _api_key raised otherwise
    with _client(args, api_key) as client:
        result = command.call(client)
    if args.json:
        output.json(command.as_json(result))
    else:
        output.out(command.describe(result))
    return command.exit_code(result)
