"""The dry run: the command's real client against a transport that records its
requests and answers with the spec's documented examples, so the exact requests are
printed (keys redacted) and nothing leaves the process."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from .. import _spec_examples
from .._constants import KEY_ENV
from .._redaction import redact_authorization
from ._output import Output
from ._parser import EXIT_OK, PROVIDERS

if TYPE_CHECKING:
    from ._commands import Command

# What a dry run without a key signs with: it never leaves the process, and the
# Authorization header is printed redacted anyway. MailGlyph's must look like a secret key.
PLACEHOLDER_KEYS = {"mailglyph": "sk_dry_run_placeholder", "sendgrid": "SG.dry-run-placeholder"}


def dry_run(
    args: argparse.Namespace,
    api_key: str | None,
    command: Command,
    output: Output,
    make_client: Callable[..., Any],
) -> int:
    """Run the real client against a transport that records the requests and answers
    each with the spec's documented success example of its operation: nothing leaves the
    process. A command that reads first (a Single Send's send; a MailGlyph schedule with
    --since, whose read is answered as a draft) shows that read, then its own request
    (under --json: "reads_first", then "request"). Without a key, a
    placeholder signs the requests (their Authorization is printed redacted).
    `make_client(key, **options)` makes the command's client."""
    captured: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        reading = command.reads is not None and len(captured) == 0
        captured.append(request)
        operation = command.reads if reading and command.reads else command.operation
        status = _spec_examples.success_status(args.provider, operation)
        example = _spec_examples.response(args.provider, operation, str(status))
        if reading and operation == "getCampaign":  # MailGlyph's example is SCHEDULED:
            example["data"].update(status="DRAFT", scheduledFor=None, sentAt=None)  # a draft
        if example is None:
            return httpx.Response(status)
        return httpx.Response(status, json=example)

    key = PLACEHOLDER_KEYS[args.provider] if api_key is None else api_key
    with httpx.Client(transport=httpx.MockTransport(answer)) as http_client:
        client = make_client(key, http_client=http_client, max_retries=0)
        command.call(client)
    *reads, request = captured
    if args.json:
        shown: dict[str, Any] = {"dry_run": True}
        if reads:
            shown["reads_first"] = [_request_json(read) for read in reads]
        shown["request"] = _request_json(request)
        output.json(shown)
    else:
        for read in reads:
            _print_request(read, output)
        _print_request(request, output)
        note = "dry run: nothing was sent"
        if api_key is None:
            variable = KEY_ENV[PROVIDERS[args.provider]]
            note += f" ({variable} is not set: a placeholder key stood in)"
        output.note(note)
    return EXIT_OK


def _headers(request: httpx.Request) -> list[tuple[str, str]]:
    """A request's headers as sent, the Authorization value redacted."""
    headers = [
        (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
    ]
    return [
        (name, redact_authorization(value) if name.lower() == "authorization" else value)
        for name, value in headers
    ]


def _request_json(request: httpx.Request) -> dict[str, Any]:
    body = request.content
    return {
        "method": request.method,
        "url": str(request.url),
        "headers": dict(_headers(request)),
        "body": json.loads(body) if body else None,
    }


def _print_request(request: httpx.Request, output: Output) -> None:
    output.out(f"{request.method} {request.url} HTTP/1.1")
    for name, value in _headers(request):
        output.out(f"{name}: {value}")
    output.out()
    if request.content:
        output.out(request.content.decode("utf-8"))
