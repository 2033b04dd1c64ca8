"""The command line's grammar and its exit statuses: the argparse parser, and
which status each error ends the program with."""

from __future__ import annotations

import argparse
from typing import NoReturn

from .._constants import (
    DEFAULT_SENDGRID_REGION,
    DEFAULT_TIMEOUT,
    KEY_ENV,
    MAILGLYPH,
    SENDGRID,
    SENDGRID_REGIONS,
    VERSION,
)
from .._validation import check_seconds
from ..errors import APIConnectionError, APIStatusError, CampaignClientError

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
  {EXIT_OK}  done
  {EXIT_USAGE}  bad usage or input (nothing was sent)
  {EXIT_REFUSED}  the API refused the request (4xx)
  {EXIT_UNKNOWN}  outcome unknown: the campaign may have been sent (5xx, timeout or lost connection)
  {EXIT_CONNECT}  could not connect (nothing was sent)
  {EXIT_INTERNAL}  a bug in campaign-clients
"""


class UsageError(Exception):
    """Bad usage or input, found before anything is sent (exit 2)."""


def exit_code_for(error: BaseException) -> int:
    """The exit status for an error raised by the facade or by input checks."""
    if isinstance(error, UsageError | ValueError):
        return EXIT_USAGE
    if isinstance(error, CampaignClientError):
        if error.outcome_unknown:
            return EXIT_UNKNOWN
        if isinstance(error, APIStatusError):
            return EXIT_REFUSED
        if isinstance(error, APIConnectionError):
            return EXIT_CONNECT
        return EXIT_UNKNOWN
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


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    try:
        return check_seconds(value, "timeout", allow_zero=False)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _option_groups() -> dict[str, _Parser]:
    """The options every API command takes ("common"), --at, and the SendGrid-only ones."""
    common = _Parser(add_help=False)
    common.add_argument("--base-url", metavar="URL", help="API base URL (default: the provider's)")
    common.add_argument(
        "--timeout",
        type=_timeout,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"per-request timeout (default: {DEFAULT_TIMEOUT:g})",
    )
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
    return {"common": common, "at": at, "sendgrid": sendgrid_only}


_TITLES = {MAILGLYPH: "MailGlyph campaigns", SENDGRID: "SendGrid legacy campaigns"}
_ID_HELP = {
    MAILGLYPH: "the campaign's id, e.g. cmp_8f3a2b1c",
    SENDGRID: "the campaign's numeric id, e.g. 4900",
}
# command -> its actions: (name, option groups, help, description; None: the help)
_ACTIONS: dict[str, list[tuple[str, tuple[str, ...], str, str | None]]] = {
    "mailglyph": [
        (
            "send",
            ("common", "at"),
            "send a campaign now, or schedule it with --at",
            "Send a MailGlyph campaign now, or schedule it with --at.",
        ),
    ],
    "sendgrid": [
        (
            "send",
            ("common", "at", "sendgrid"),
            "send a draft campaign now, or schedule it with --at",
            None,
        ),
        ("unschedule", ("common", "sendgrid"), "return a scheduled campaign to draft", None),
        ("schedule-info", ("common", "sendgrid"), "show when a campaign is scheduled", None),
    ],
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Send or schedule email campaigns with MailGlyph or SendGrid "
        "(legacy Marketing Campaigns).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
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
        for action_name, groups, help_text, description in _ACTIONS[command]:
            action = subcommands.add_parser(
                action_name,
                parents=[options[group] for group in groups],
                help=help_text,
                description=description or help_text[0].upper() + help_text[1:],
            )
            action.add_argument("campaign_id", metavar="ID", help=_ID_HELP[name])

    providers.add_parser(
        "demo",
        help="try everything against local fakes (no key, no network)",
        description="Start fake MailGlyph and SendGrid APIs on 127.0.0.1 and walk through "
        "send now, schedule, a refused second send and a rate-limited call on each, through "
        "the real clients over real HTTP. Needs no key and no network.",
    )
    return parser
