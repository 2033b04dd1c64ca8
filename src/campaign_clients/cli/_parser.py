"""The command line's grammar and its exit statuses: the argparse parser, and
which status each error ends the program with.

0 done; 2 bad usage or input; 3 refused (4xx), or a send settled as not sent by reading
the campaign that could not be repeated (an error with a settlement whose outcome is
known: nothing was sent), or a Single Send the client would not send from the state it
read (already sent, scheduled); 4 outcome unknown (for send: still unknown after settling,
the message says what was read, or not settled with --no-settle); 5 could not connect, or
a read got no usable answer (nothing changed, a Single Send's read before a send
included); 1 a bug. `EPILOG` says the same to the user."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, NoReturn

from .. import _build_info
from .._constants import (
    DEFAULT_SENDGRID_REGION,
    DEFAULT_SETTLE_DELAY,
    DEFAULT_TIMEOUT,
    KEY_ENV,
    MAILGLYPH,
    SENDGRID,
    SENDGRID_REGIONS,
    VERSION,
)
from .._validation import check_seconds
from ..errors import APIStatusError, CampaignClientError, CampaignStateError

if TYPE_CHECKING:
    from .._settlement import Settlement

PROG = "campaign-clients"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_UNKNOWN = 4
EXIT_CONNECT = 5

# The command's provider names (those of the spec files) and what the clients call them.
PROVIDERS = {"mailglyph": MAILGLYPH, "sendgrid": SENDGRID}

EPILOG = f"""\
keys:
  {KEY_ENV[MAILGLYPH]}   MailGlyph secret key (sk_...)
  {KEY_ENV[SENDGRID]}    SendGrid API key (SG....)
  Keys are read from the environment only, never from arguments.

exit status:
  {EXIT_OK}  done (also a send whose answer was lost but that reading the campaign
     settled as sent)
  {EXIT_USAGE}  bad usage or input (nothing was sent)
  {EXIT_REFUSED}  the API refused the request (4xx), or a send that failed was settled as
     not sent by reading the campaign and could not be repeated (nothing was sent);
     single-send: the Single Send was already sent or is scheduled, so the client sent
     nothing (send, schedule), or its send had started (unschedule)
  {EXIT_UNKNOWN}  outcome unknown: the request may have been acted on (5xx, timeout or lost
     connection after sending); for send: still unknown after reading the campaign
     (it could not be read, or does not tell), or not read (--no-settle)
  {EXIT_CONNECT}  could not connect (nothing was sent), or a read (status, schedule-info,
     the read before a Single Send's send) got no usable answer (nothing was changed)
  {EXIT_INTERNAL}  a bug in campaign-clients

settling (send, single-send send and schedule):
  When a send's answer is lost (5xx, timeout or reset after sending, a malformed answer),
  send reads the campaign, as the library does: found sent, that is success (exit {EXIT_OK});
  found not sent, the send is made once more, within the retries. --no-settle skips this.

runs that may repeat (send, single-send send and schedule, --since TIME):
  A cron job or script that may run twice passes the instant its launch began, the
  same on every run: a send or schedule an earlier run made since then counts as this
  run's (exit {EXIT_OK}, nothing sent again); a campaign sent before then is still refused.

single sends (sendgrid single-send ...):
  send and schedule read the Single Send first and act only on a draft: SendGrid does
  not refuse a second send of a Single Send, so this read is what keeps it to one.
"""


class UsageError(Exception):
    """Bad usage or input, found before anything is sent (exit 2)."""


def settled(error: BaseException) -> Settlement | None:
    """What reading the campaign said about the call that raised `error`, if it was read."""
    return getattr(error, "settlement", None) if isinstance(error, CampaignClientError) else None


def exit_code_for(error: BaseException) -> int:
    """The exit status for an error raised by the facade or by input checks.

    An error whose outcome reading the campaign settled (not applied, and not repeated)
    is a definite "not sent": exit 3, whatever failed first (a 5xx, a timeout, a reset).
    """
    if isinstance(error, UsageError | ValueError):
        return EXIT_USAGE
    if isinstance(error, CampaignClientError):
        if error.outcome_unknown:
            return EXIT_UNKNOWN
        if isinstance(error, CampaignStateError):  # the client would not act on what it read
            return EXIT_REFUSED
        refused = isinstance(error, APIStatusError) and error.status_code < 500
        if error.nothing_sent and not refused:  # the read before a send got no usable answer
            return EXIT_CONNECT
        if settled(error) is not None:
            return EXIT_REFUSED
        if isinstance(error, APIStatusError) and error.status_code < 500:
            return EXIT_REFUSED
        # A connect failure, or a read (which changes nothing) that got no usable answer.
        return EXIT_CONNECT
    return EXIT_INTERNAL


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors that never echo what may be a secret."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            words = message.split(":", 1)[1].split()
            options = [w.split("=", 1)[0] for w in words if w.startswith("-")]
            hidden = len(words) - len(options)
            message = "unrecognized arguments"
            if options:
                message += ": " + " ".join(options)
            if hidden or any("=" in w for w in words):
                message += " (values not shown)"
        self.exit(EXIT_USAGE, f"{PROG}: error: {message} (see {self.prog} --help)\n")


def _seconds_option(
    parser: argparse.ArgumentParser,
    flag: str,
    default: float,
    help_text: str,
    *,
    allow_zero: bool = True,
) -> None:
    """Add `flag SECONDS`: a number of seconds, checked as the clients check their option
    of the same name (--settle-delay: settle_delay)."""
    name = flag.removeprefix("--").replace("-", "_")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        try:
            return check_seconds(value, name, allow_zero=allow_zero)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument(
        flag,
        type=parse,
        default=default,
        metavar="SECONDS",
        help=f"{help_text} (default: {default:g})",
    )


def _option_groups() -> dict[str, _Parser]:
    """The options every API command takes ("common"), and those of some: --at, the
    settling options, --to, and the SendGrid-only ones."""
    common = _Parser(add_help=False)
    common.add_argument("--base-url", metavar="URL", help="API base URL (default: the provider's)")
    _seconds_option(common, "--timeout", DEFAULT_TIMEOUT, "per-request timeout", allow_zero=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON")
    common.add_argument(
        "--dry-run",
        action="store_true",
        help="print the exact HTTP request (key redacted) and send nothing",
    )
    at = _Parser(add_help=False)
    at.add_argument(
        "--at",
        metavar="ISO8601",
        help="schedule for this instant instead of sending now; needs a zone offset, "
        "e.g. 2030-01-31T09:00:00Z or 2030-01-31T10:00:00+01:00",
    )
    settle = _Parser(add_help=False)
    settle.add_argument(
        "--no-settle",
        dest="settle",
        action="store_false",
        help="when the answer is lost, do not read the campaign to settle it (exit 4 at once)",
    )
    _seconds_option(
        settle, "--settle-delay", DEFAULT_SETTLE_DELAY, "wait before reading the campaign"
    )
    since = _Parser(add_help=False)
    since.add_argument(
        "--since",
        metavar="ISO8601",
        help="when this launch began, the same on every run of a job that may run twice: a "
        "send or schedule made since then counts as this run's and is not made again; needs "
        "a zone offset, e.g. 2030-01-31T08:00:00Z",
    )
    test = _Parser(add_help=False)
    test.add_argument(
        "--to", required=True, metavar="EMAIL", help="the one address to send the test copy to"
    )
    at_required = _Parser(add_help=False)
    at_required.add_argument(
        "--at",
        required=True,
        metavar="ISO8601",
        help="when to send it; needs a zone offset, e.g. 2030-01-31T09:00:00Z or "
        "2030-01-31T10:00:00+01:00 (sent as UTC, to the second)",
    )
    sendgrid_only = _Parser(add_help=False)
    sendgrid_only.add_argument(
        "--on-behalf-of", metavar="NAME", help="act for this subuser (or 'account-id <id>')"
    )
    sendgrid_only.add_argument(
        "--region",
        choices=tuple(SENDGRID_REGIONS),
        default=DEFAULT_SENDGRID_REGION,
        help=f"API region (default: {DEFAULT_SENDGRID_REGION})",
    )
    return {
        "common": common,
        "at": at,
        "at_required": at_required,
        "settle": settle,
        "since": since,
        "test": test,
        "sendgrid": sendgrid_only,
    }


_TITLES = {
    MAILGLYPH: "MailGlyph campaigns",
    SENDGRID: "SendGrid legacy campaigns and Single Sends",
}
_ID_HELP = {
    MAILGLYPH: "the campaign's id, e.g. cmp_8f3a2b1c",
    SENDGRID: "the campaign's numeric id, e.g. 4900",
}
# command -> its actions: (name, option groups, help, description; None: the help)
_ACTIONS: dict[str, list[tuple[str, tuple[str, ...], str, str | None]]] = {
    "mailglyph": [
        (
            "send",
            ("common", "at", "settle", "since"),
            "send a campaign now, or schedule it with --at",
            "Send a MailGlyph campaign now, or schedule it with --at. If the answer is lost, "
            "read the campaign to settle whether it was sent (--no-settle: do not).",
        ),
        ("status", ("common",), "show a campaign's status, when it is scheduled or was sent", None),
        ("cancel", ("common",), "stop a scheduled or sending campaign", None),
        ("test", ("common", "test"), "send one test copy of a campaign to --to EMAIL", None),
    ],
    "sendgrid": [
        (
            "send",
            ("common", "at", "settle", "since", "sendgrid"),
            "send a draft campaign now, or schedule it with --at",
            "Send a draft SendGrid campaign now, or schedule it with --at. If the answer is "
            "lost, read the campaign to settle whether it was sent (--no-settle: do not).",
        ),
        ("unschedule", ("common", "sendgrid"), "return a scheduled campaign to draft", None),
        ("schedule-info", ("common", "sendgrid"), "show when a campaign is scheduled", None),
        ("status", ("common", "sendgrid"), "show a campaign's status and title", None),
        (
            "test",
            ("common", "test", "sendgrid"),
            "send one test copy of a campaign to --to EMAIL",
            None,
        ),
    ],
}
SINGLE_SEND = "single-send"
"""The SendGrid action whose own actions (`SINGLE_SEND_ACTIONS`) act on a Single Send."""
SINGLE_SEND_ID_HELP = "the Single Send's id, a UUID, e.g. 2f6dec81-43b9-4c67-a890-3a38cb63b54a"
SINGLE_SEND_ACTIONS: list[tuple[str, tuple[str, ...], str, str | None]] = [
    (
        "send",
        ("common", "settle", "since", "sendgrid"),
        "send a draft Single Send now",
        "Send a draft Single Send now. It is read first: one already sent (triggered) or "
        "scheduled is not sent. If the answer is lost, read it again to settle whether it "
        "was sent (--no-settle: do not).",
    ),
    (
        "schedule",
        ("common", "at_required", "settle", "since", "sendgrid"),
        "schedule a draft Single Send for --at TIME",
        "Schedule a draft Single Send for --at TIME. It is read first: one already sent "
        "(triggered) or scheduled for another time is not scheduled. If the answer is lost, "
        "read it again to settle whether it was scheduled (--no-settle: do not).",
    ),
    ("unschedule", ("common", "sendgrid"), "return a scheduled Single Send to draft", None),
    ("status", ("common", "sendgrid"), "show a Single Send's status, send time and name", None),
]


def command_key(args: argparse.Namespace) -> tuple[str, str]:
    """(command, action) of the parsed arguments, a Single Send's action as
    "single-send <action>": the key of `_commands.COMMANDS`."""
    if args.action == SINGLE_SEND:
        return args.provider, f"{SINGLE_SEND} {args.single_send_action}"
    return args.provider, args.action


def _add_actions(
    subcommands: argparse._SubParsersAction[_Parser],
    actions: list[tuple[str, tuple[str, ...], str, str | None]],
    options: dict[str, _Parser],
    id_help: str,
) -> None:
    """One parser per action, with its option groups and the ID argument."""
    for action_name, groups, help_text, description in actions:
        action = subcommands.add_parser(
            action_name,
            parents=[options[group] for group in groups],
            help=help_text,
            description=description or help_text[0].upper() + help_text[1:],
        )
        action.add_argument("campaign_id", metavar="ID", help=id_help)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Send, schedule, read, cancel and test-send email campaigns with MailGlyph "
        "or SendGrid (legacy Marketing Campaigns, and Single Sends).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    built_from = _build_info.describe()
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION} ({built_from})")
    options = _option_groups()
    providers = parser.add_subparsers(dest="provider", metavar="COMMAND", required=True)

    for command, name in PROVIDERS.items():
        provider = providers.add_parser(
            command,
            help=f"{_TITLES[name]} (key: {KEY_ENV[name]})",
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        subcommands = provider.add_subparsers(dest="action", metavar="ACTION", required=True)
        _add_actions(subcommands, _ACTIONS[command], options, _ID_HELP[name])
        if command == "sendgrid":
            single_send = subcommands.add_parser(
                SINGLE_SEND,
                help="send, schedule, unschedule or read a Single Send (new Marketing Campaigns)",
                description="Single Sends of SendGrid's new Marketing Campaigns.",
                epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
            single_send_actions = single_send.add_subparsers(
                dest="single_send_action", metavar="ACTION", required=True
            )
            _add_actions(single_send_actions, SINGLE_SEND_ACTIONS, options, SINGLE_SEND_ID_HELP)

    providers.add_parser(
        "demo",
        help="try everything against local fakes (no key, no network)",
        description="Start fake MailGlyph and SendGrid APIs on 127.0.0.1 and walk through "
        "send now, schedule, a refused second send, a rate-limited call, and two sends whose "
        "answer failed that are settled by reading the campaign (one found sent, one found "
        "not sent and sent once) on each, through the real clients over real HTTP. Needs no "
        "key and no network.",
    )
    return parser
