"""The API commands: what each one calls on the facade, how its result is shown,
and the dry run that shows the exact request instead of sending it."""

from __future__ import annotations

import argparse
import datetime
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .. import _spec_examples
from .._constants import KEY_ENV
from .._redaction import redact_authorization
from .._validation import parse_instant, utc_z
from ._output import Output
from ._parser import EXIT_OK, PROVIDERS, UsageError

if TYPE_CHECKING:
    from ..mailglyph import MailGlyph
    from ..sendgrid import SendGrid


@dataclass(frozen=True)
class Command:
    """One API call to make: which operation, how to call it, how to describe the result."""

    operation: str
    call: Callable[[Any], Any]  # client -> result
    describe: Callable[[Any], str]  # result -> one human line
    as_json: Callable[[Any], Any]  # result -> JSON value


def _at(args: argparse.Namespace) -> datetime.datetime | None:
    return None if args.at is None else parse_instant(args.at, name="--at")


def _sendgrid_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"a SendGrid campaign id is a positive integer, not {text!r}")
    return int(text)


def _api_key(provider: str) -> str:
    name = KEY_ENV[PROVIDERS[provider]]
    key = os.environ.get(name, "")
    if not key.strip():
        raise UsageError(
            f"{name} is not set; put your {PROVIDERS[provider]} API key in it "
            "(keys are never taken from the command line)"
        )
    return key


def _from_unix(seconds: int) -> str:
    return utc_z(datetime.datetime.fromtimestamp(seconds, datetime.UTC))


def _to_dict(result: Any) -> Any:
    return result.to_dict()


def _mailglyph_command(args: argparse.Namespace) -> Command:
    campaign_id: str = args.campaign_id
    at = _at(args)

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
        return Command("sendCampaign", lambda c: c.send_now(campaign_id), describe, _to_dict)
    return Command("sendCampaign", lambda c: c.schedule(campaign_id, at=at), describe, _to_dict)


def _sendgrid_command(args: argparse.Namespace) -> Command:
    campaign_id = _sendgrid_id(args.campaign_id)
    obo: str | None = args.on_behalf_of
    if args.action == "send":
        at = _at(args)
        if at is None:
            return Command(
                "sendCampaignNow",
                lambda c: c.send_now(campaign_id, on_behalf_of=obo),
                lambda r: f"SendGrid: campaign {r.id} send started (status {r.status})",
                _to_dict,
            )
        return Command(
            "scheduleCampaign",
            lambda c: c.schedule(campaign_id, at=at, on_behalf_of=obo),
            lambda r: (
                f"SendGrid: campaign {r.id} scheduled for {_from_unix(r.send_at)} "
                f"(send_at {r.send_at}, status {r.status})"
            ),
            _to_dict,
        )
    if args.action == "unschedule":
        return Command(
            "unscheduleCampaign",
            lambda c: c.unschedule(campaign_id, on_behalf_of=obo),
            lambda _: f"SendGrid: campaign {campaign_id} unscheduled (back to draft)",
            lambda _: {"id": campaign_id, "unscheduled": True},
        )
    return Command(
        "getCampaignSchedule",
        lambda c: c.get_schedule(campaign_id, on_behalf_of=obo),
        lambda r: (
            f"SendGrid: campaign {campaign_id} is scheduled for {_from_unix(r.send_at)} "
            f"(send_at {r.send_at})"
        ),
        lambda r: {"id": campaign_id, **r.to_dict()},
    )


def _client(args: argparse.Namespace, api_key: str, **overrides: Any) -> MailGlyph | SendGrid:
    """The facade's client for this command; `overrides` are constructor options."""
    from ..mailglyph import MailGlyph
    from ..sendgrid import SendGrid

    # The command does not settle yet: its exit 4 still means "outcome unknown".
    options: dict[str, Any] = {"timeout": args.timeout, "settle": False, **overrides}
    if args.base_url is not None:
        options["base_url"] = args.base_url
    if args.provider == "mailglyph":
        return MailGlyph(api_key=api_key, **options)
    return SendGrid(api_key=api_key, region=args.region, **options)


def _dry_run(args: argparse.Namespace, api_key: str, command: Command, output: Output) -> int:
    """Run the real client against a transport that records the request and answers
    with the spec's documented success example: nothing leaves the process."""
    captured: list[httpx.Request] = []
    status = _spec_examples.success_status(args.provider, command.operation)
    example = _spec_examples.response(args.provider, command.operation, str(status))

    def answer(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        if example is None:
            return httpx.Response(status)
        return httpx.Response(status, json=example)

    with httpx.Client(transport=httpx.MockTransport(answer)) as http_client:
        client = _client(args, api_key, http_client=http_client, max_retries=0)
        command.call(client)
    (request,) = captured
    headers = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
    ]
    headers = [
        (name, redact_authorization(value) if name.lower() == "authorization" else value)
        for name, value in headers
    ]
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
        output.note("dry run: nothing was sent")
    return EXIT_OK


def run_api_command(args: argparse.Namespace, output: Output) -> int:
    command = _mailglyph_command(args) if args.provider == "mailglyph" else _sendgrid_command(args)
    api_key = _api_key(args.provider)
    output.secrets.append(api_key)
    if args.dry_run:
        return _dry_run(args, api_key, command, output)
    with _client(args, api_key) as client:
        result = command.call(client)
    if args.json:
        output.out(json.dumps(command.as_json(result), indent=2, default=str))
    else:
        output.out(command.describe(result))
    return EXIT_OK
