"""The ``campaign-clients`` command: send, schedule and inspect campaigns from a shell.

    campaign-clients mailglyph send ID [--at ISO8601]
    campaign-clients sendgrid send ID [--at ISO8601] [--on-behalf-of NAME] [--region eu]
    campaign-clients sendgrid unschedule ID
    campaign-clients sendgrid schedule-info ID
    campaign-clients demo

API keys come only from MAILGLYPH_API_KEY and SENDGRID_API_KEY, never from the command
line (it would show in the process list). Every command goes through the same facade a
program would use (`campaign_clients.MailGlyph` / `SendGrid`), with its checks and its
retry rule. Exit status: 0 done, 2 bad usage or input, 3 the API refused (4xx), 4 outcome
unknown (5xx, a timeout or lost connection after sending), 5 could not connect; 1 is kept
for a bug in this program. An error is one line on stderr, never a traceback or a key.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, NoReturn

import httpx

from . import _spec_examples
from ._validation import utc_z

if TYPE_CHECKING:
    from . import MailGlyph, SendGrid

__all__ = [
    "EXIT_CONNECT",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_REFUSED",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "exit_code_for",
    "main",
]

PROG = "campaign-clients"
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_UNKNOWN = 4
EXIT_CONNECT = 5

KEY_ENV = {"mailglyph": "MAILGLYPH_API_KEY", "sendgrid": "SENDGRID_API_KEY"}
PROVIDER_NAMES = {"mailglyph": "MailGlyph", "sendgrid": "SendGrid"}
# The documented success status of each operation, answered in a dry run.
SUCCESS_STATUS = {
    "sendCampaign": 200,
    "sendCampaignNow": 201,
    "scheduleCampaign": 201,
    "getCampaignSchedule": 200,
    "unscheduleCampaign": 204,
}
REDACTED = "***"

EPILOG = """\
keys:
  MAILGLYPH_API_KEY   MailGlyph secret key (sk_...)
  SENDGRID_API_KEY    SendGrid API key (SG....)
  Keys are read from the environment only, never from arguments.

exit status:
  0  done
  2  bad usage or input (nothing was sent)
  3  the API refused the request (4xx)
  4  outcome unknown: the campaign may have been sent (5xx, timeout or lost connection)
  5  could not connect (nothing was sent)
  1  a bug in campaign-clients
"""


class UsageError(Exception):
    """Bad usage or input, found before anything is sent (exit 2)."""


# --------------------------------------------------------------------------- output


class _Output:
    """stdout/stderr writer that never prints a key it knows of."""

    def __init__(self, stdout: IO[str], stderr: IO[str]) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.secrets: list[str] = [
            value for name in KEY_ENV.values() if (value := os.environ.get(name, "").strip())
        ]

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def out(self, text: str = "") -> None:
        self.stdout.write(self.scrub(text) + "\n")
        self.stdout.flush()

    def err(self, text: str) -> None:
        line = " ".join(self.scrub(text).split())  # one line, whatever the message holds
        self.stderr.write(f"{PROG}: {line}\n")
        self.stderr.flush()


def exit_code_for(error: BaseException) -> int:
    """The exit status for an error raised by the facade or by input checks."""
    from .errors import APIConnectionError, APIStatusError, CampaignClientError

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


def _error_line(error: BaseException, code: int) -> str:
    if code == EXIT_USAGE:
        return f"error: {error}"
    if code == EXIT_REFUSED:
        return f"refused: {error}"
    if code == EXIT_UNKNOWN:
        return f"{error}; check the campaign before trying again"
    if code == EXIT_CONNECT:
        return f"could not connect, nothing was sent: {error}"
    return f"internal error ({type(error).__name__}: {error}); please report this bug"


def _error_json(error: BaseException, code: int) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "type": type(error).__name__,
        "message": str(error),
        "exit_code": code,
        "outcome_unknown": bool(getattr(error, "outcome_unknown", False)),
    }
    for name in ("status_code", "messages", "request_id", "retry_after"):
        if hasattr(error, name):
            detail[name] = getattr(error, name)
    return {"error": detail}


# --------------------------------------------------------------------------- arguments


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


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds > 0")
    return value


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Send or schedule email campaigns with MailGlyph or SendGrid "
        "(legacy Marketing Campaigns).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")

    common = _Parser(add_help=False)
    common.add_argument("--base-url", metavar="URL", help="API base URL (default: the provider's)")
    common.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=30.0,
        metavar="SECONDS",
        help="per-request timeout (default: 30)",
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
    sendgrid_common = _Parser(add_help=False)
    sendgrid_common.add_argument(
        "--on-behalf-of", metavar="NAME", help="act for this subuser (or 'account-id <id>')"
    )
    sendgrid_common.add_argument(
        "--region", choices=("global", "eu"), default="global", help="API region (default: global)"
    )

    providers = parser.add_subparsers(dest="provider", metavar="COMMAND", required=True)

    mailglyph = providers.add_parser(
        "mailglyph",
        help="MailGlyph campaigns (key: MAILGLYPH_API_KEY)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mg_actions = mailglyph.add_subparsers(dest="action", metavar="ACTION", required=True)
    mg_send = mg_actions.add_parser(
        "send",
        parents=[common, at],
        help="send a campaign now, or schedule it with --at",
        description="Send a MailGlyph campaign now, or schedule it with --at.",
    )
    mg_send.add_argument("campaign_id", metavar="ID", help="the campaign's id, e.g. cmp_8f3a2b1c")

    sendgrid = providers.add_parser(
        "sendgrid",
        help="SendGrid legacy campaigns (key: SENDGRID_API_KEY)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sg_actions = sendgrid.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, parents, help_text in (
        (
            "send",
            [common, at, sendgrid_common],
            "send a draft campaign now, or schedule it with --at",
        ),
        ("unschedule", [common, sendgrid_common], "return a scheduled campaign to draft"),
        ("schedule-info", [common, sendgrid_common], "show when a campaign is scheduled"),
    ):
        action = sg_actions.add_parser(
            name, parents=parents, help=help_text, description=help_text[0].upper() + help_text[1:]
        )
        action.add_argument(
            "campaign_id", metavar="ID", help="the campaign's numeric id, e.g. 4900"
        )

    providers.add_parser(
        "demo",
        help="try everything against local fakes (no key, no network)",
        description="Start fake MailGlyph and SendGrid APIs on 127.0.0.1 and walk through "
        "send now, schedule, a refused second send and a rate-limited call on each, through "
        "the real clients over real HTTP. Needs no key and no network.",
    )
    return parser


def _parse_at(text: str | None) -> datetime.datetime | None:
    if text is None:
        return None
    try:
        at = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--at {text!r} is not an ISO 8601 date-time (e.g. 2030-01-31T09:00:00Z)"
        ) from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise UsageError(
            f"--at {text!r} has no zone offset; add one, e.g. Z or +01:00 "
            "(a time without a zone would be a guess)"
        )
    return at


def _sendgrid_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"a SendGrid campaign id is a positive integer, not {text!r}")
    return int(text)


def _api_key(provider: str) -> str:
    name = KEY_ENV[provider]
    key = os.environ.get(name, "")
    if not key.strip():
        raise UsageError(
            f"{name} is not set; put your {PROVIDER_NAMES[provider]} API key in it "
            "(keys are never taken from the command line)"
        )
    return key


# --------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class _Command:
    """One API call to make: which operation, how to call it, how to describe the result."""

    operation: str
    call: Callable[[Any], Any]  # client -> result
    describe: Callable[[Any], str]  # result -> one human line
    as_json: Callable[[Any], Any]  # result -> JSON value


def _from_unix(seconds: int) -> str:
    return utc_z(datetime.datetime.fromtimestamp(seconds, datetime.UTC))


def _mailglyph_command(args: argparse.Namespace) -> _Command:
    campaign_id: str = args.campaign_id
    at = _parse_at(args.at)

    def describe(result: Any) -> str:
        data = result.data
        status = data.additional_properties.get("status")
        status_text = f", status {status}" if status else ""
        if at is None:
            return f"MailGlyph: campaign {data.id} is being sent now{status_text}"
        when = data.scheduled_for
        when_text = utc_z(when) if isinstance(when, datetime.datetime) else utc_z(at)
        return f"MailGlyph: campaign {data.id} scheduled for {when_text}{status_text}"

    if at is None:
        return _Command("sendCampaign", lambda c: c.send_now(campaign_id), describe, _to_dict)
    return _Command("sendCampaign", lambda c: c.schedule(campaign_id, at=at), describe, _to_dict)


def _sendgrid_command(args: argparse.Namespace) -> _Command:
    campaign_id = _sendgrid_id(args.campaign_id)
    obo: str | None = args.on_behalf_of
    if args.action == "send":
        at = _parse_at(args.at)
        if at is None:
            return _Command(
                "sendCampaignNow",
                lambda c: c.send_now(campaign_id, on_behalf_of=obo),
                lambda r: f"SendGrid: campaign {r.id} send started (status {r.status})",
                _to_dict,
            )
        return _Command(
            "scheduleCampaign",
            lambda c: c.schedule(campaign_id, at=at, on_behalf_of=obo),
            lambda r: (
                f"SendGrid: campaign {r.id} scheduled for {_from_unix(r.send_at)} "
                f"(send_at {r.send_at}, status {r.status})"
            ),
            _to_dict,
        )
    if args.action == "unschedule":
        return _Command(
            "unscheduleCampaign",
            lambda c: c.unschedule(campaign_id, on_behalf_of=obo),
            lambda _: f"SendGrid: campaign {campaign_id} unscheduled (back to draft)",
            lambda _: {"id": campaign_id, "unscheduled": True},
        )
    return _Command(
        "getCampaignSchedule",
        lambda c: c.get_schedule(campaign_id, on_behalf_of=obo),
        lambda r: (
            f"SendGrid: campaign {campaign_id} is scheduled for {_from_unix(r.send_at)} "
            f"(send_at {r.send_at})"
        ),
        lambda r: {"id": campaign_id, **r.to_dict()},
    )


def _to_dict(result: Any) -> Any:
    return result.to_dict()


def _client(
    args: argparse.Namespace, api_key: str, http_client: httpx.Client | None, max_retries: int
) -> MailGlyph | SendGrid:
    from . import MailGlyph, SendGrid

    options: dict[str, Any] = {
        "timeout": args.timeout,
        "max_retries": max_retries,
        "http_client": http_client,
    }
    if args.base_url is not None:
        options["base_url"] = args.base_url
    if args.provider == "mailglyph":
        return MailGlyph(api_key=api_key, **options)
    return SendGrid(api_key=api_key, region=args.region, **options)


def _dry_run(args: argparse.Namespace, api_key: str, command: _Command, output: _Output) -> int:
    """Run the real client against a transport that records the request and answers
    with the spec's documented success example: nothing leaves the process."""
    captured: list[httpx.Request] = []
    status = SUCCESS_STATUS[command.operation]
    example = _spec_examples.response(args.provider, command.operation, str(status))

    def answer(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        if example is None:
            return httpx.Response(status)
        return httpx.Response(status, json=example)

    with httpx.Client(transport=httpx.MockTransport(answer)) as http_client:
        client = _client(args, api_key, http_client, max_retries=0)
        command.call(client)
    (request,) = captured
    headers = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
    ]
    headers = [(n, _redact_header(n, v)) for n, v in headers]
    body = request.content
    if args.json:
        payload = json.loads(body) if body else None
        output.out(
            json.dumps(
                {
                    "dry_run": True,
                    "request": {
                        "method": request.method,
                        "url": str(request.url),
                        "headers": dict(headers),
                        "body": payload,
                    },
                },
                indent=2,
            )
        )
    else:
        output.out(f"{request.method} {request.url} HTTP/1.1")
        for name, value in headers:
            output.out(f"{name}: {value}")
        output.out()
        if body:
            output.out(body.decode("utf-8"))
        output.stderr.write(f"{PROG}: dry run: nothing was sent\n")
    return EXIT_OK


def _redact_header(name: str, value: str) -> str:
    if name.lower() != "authorization":
        return value
    scheme, _, token = value.partition(" ")
    return f"{scheme} {REDACTED}" if token else REDACTED


def _run_api_command(args: argparse.Namespace, output: _Output) -> int:
    command = _mailglyph_command(args) if args.provider == "mailglyph" else _sendgrid_command(args)
    api_key = _api_key(args.provider)
    output.secrets.append(api_key)
    if args.dry_run:
        return _dry_run(args, api_key, command, output)
    with _client(args, api_key, None, max_retries=2) as client:
        result = command.call(client)
    if args.json:
        output.out(json.dumps(command.as_json(result), indent=2, default=str))
    else:
        output.out(command.describe(result))
    return EXIT_OK


# --------------------------------------------------------------------------- demo


def _run_demo(output: _Output) -> int:
    from . import MailGlyph, SendGrid
    from .errors import CampaignClientError
    from .testing import FakeMailGlyph, FakeSendGrid

    def show_response(response: httpx.Response) -> None:
        request = response.request
        line = f"     {request.method} {request.url.raw_path.decode('ascii')} -> "
        line += f"{response.status_code} {response.reason_phrase}"
        if "retry-after" in response.headers:
            line += f" (Retry-After: {response.headers['retry-after']})"
        output.out(line)

    def step(number: int, title: str, action: Callable[[], str], expect_error: bool) -> bool:
        output.out(f"  {number}. {title}")
        try:
            result = action()
        except CampaignClientError as error:
            code = exit_code_for(error)
            output.out(f"     => refused (the CLI would exit {code}): {error}")
            return expect_error
        output.out(f"     => {result}")
        return not expect_error

    later = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    later += datetime.timedelta(days=1)
    ok = True
    output.out("campaign-clients demo: fake MailGlyph and SendGrid APIs on 127.0.0.1;")
    output.out("every line below is a real HTTP request made by the campaign_clients clients.")
    output.out("No API key is used and nothing leaves this machine.")

    mailglyph = FakeMailGlyph()
    for campaign_id in ("cmp_demo_now", "cmp_demo_later", "cmp_demo_busy"):
        mailglyph.add_campaign(campaign_id)
    with (
        mailglyph.serve() as base_url,
        httpx.Client(event_hooks={"response": [show_response]}) as http_client,
    ):
        output.out()
        output.out(f"MailGlyph (fake at {base_url})")
        mg = MailGlyph(
            api_key=mailglyph.api_key, base_url=base_url, timeout=5.0, http_client=http_client
        )
        ok &= step(
            1,
            "send cmp_demo_now now",
            lambda: f"sent: status {mg.send_now('cmp_demo_now').data['status']}",
            expect_error=False,
        )
        ok &= step(
            2,
            f"schedule cmp_demo_later for {utc_z(later)}",
            lambda: (
                "scheduled: status " + str(mg.schedule("cmp_demo_later", at=later).data["status"])
            ),
            expect_error=False,
        )
        ok &= step(3, "send cmp_demo_now again", lambda: str(mg.send_now("cmp_demo_now")), True)
        mailglyph.fail_next(429, retry_after=1)
        ok &= step(
            4,
            "send cmp_demo_busy while rate limited (one 429, Retry-After: 1)",
            lambda: (
                "sent after waiting as told: status "
                + str(mg.send_now("cmp_demo_busy").data["status"])
            ),
            expect_error=False,
        )

    sendgrid = FakeSendGrid()
    for number in (4900, 4901, 4902):
        sendgrid.add_campaign(number)
    with (
        sendgrid.serve() as base_url,
        httpx.Client(event_hooks={"response": [show_response]}) as http_client,
    ):
        output.out()
        output.out(f"SendGrid (fake at {base_url})")
        sg = SendGrid(
            api_key=sendgrid.api_key, base_url=base_url, timeout=5.0, http_client=http_client
        )
        ok &= step(
            1,
            "send 4900 now",
            lambda: f"send started: status {sg.send_now(4900).status}",
            expect_error=False,
        )
        ok &= step(
            2,
            f"schedule 4901 for {utc_z(later)}",
            lambda: f"scheduled: send_at {sg.schedule(4901, at=later).send_at}",
            expect_error=False,
        )
        ok &= step(3, "send 4900 again", lambda: str(sg.send_now(4900)), expect_error=True)
        sendgrid.fail_next(429, retry_after=1)
        ok &= step(
            4,
            "send 4902 while rate limited (one 429, Retry-After: 1)",
            lambda: f"sent after waiting as told: status {sg.send_now(4902).status}",
            expect_error=False,
        )

    output.out()
    if not ok:
        output.err("demo: a step did not turn out as expected")
        return EXIT_INTERNAL
    output.out(
        "Done: both clients sent, scheduled, were refused a second send and waited out a 429."
    )
    return EXIT_OK


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    output = _Output(sys.stdout, sys.stderr)
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The library logs retries as warnings; the CLI keeps stderr to one line per error.
    library_logger = logging.getLogger("campaign_clients")
    library_logger.addHandler(logging.NullHandler())
    library_logger.propagate = False
    try:
        args = _build_parser().parse_args(args_list)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    as_json = bool(getattr(args, "json", False))
    try:
        if args.provider == "demo":
            return _run_demo(output)
        return _run_api_command(args, output)
    except KeyboardInterrupt:
        output.err("interrupted; if a send was under way, check the campaign before retrying")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # every error ends as one line, never a traceback
        code = exit_code_for(error)
        if as_json:
            output.out(json.dumps(_error_json(error, code), indent=2, default=str))
        output.err(_error_line(error, code))
        return code


if __name__ == "__main__":
    raise SystemExit(main())
