"""The ``campaign-clients`` command: send, schedule and inspect campaigns from a shell.

    campaign-clients mailglyph send ID [--at ISO8601] [--no-settle] [--settle-delay SECONDS]
    campaign-clients mailglyph status ID
    campaign-clients mailglyph cancel ID
    campaign-clients mailglyph test ID --to EMAIL
    campaign-clients sendgrid send ID [--at ISO8601] [--no-settle] [--on-behalf-of NAME]
    campaign-clients sendgrid status ID | test ID --to EMAIL
    campaign-clients sendgrid unschedule ID | schedule-info ID
    campaign-clients sendgrid single-send send ID [--no-settle] [--on-behalf-of NAME]
    campaign-clients sendgrid single-send schedule ID --at ISO8601 [--no-settle]
    campaign-clients sendgrid single-send unschedule ID | status ID
    campaign-clients demo

API keys come only from MAILGLYPH_API_KEY and SENDGRID_API_KEY, never from the command
line (it would show in the process list); a ``--dry-run`` needs none (a placeholder stands
in, and the Authorization header is printed redacted). Every command goes through the same
facade a program would use (`campaign_clients.MailGlyph` / `SendGrid`), with its checks,
its retry rule and, for ``send``, its settling: when a send's answer is lost, the campaign
is read; found sent is success, found not sent is sent once more (``--no-settle``: not
read).

Exit status: 0 done (a send settled as sent included), 2 bad usage or input, 3 the API
refused (4xx) or a send was settled as not sent and could not be repeated (nothing was
sent), or a Single Send was not sent or scheduled because of the state its read found
(already sent, scheduled), or not unscheduled because its send had started; 4 outcome
unknown (5xx, a timeout or lost connection after sending, and for ``send`` still unknown
after reading the campaign, or not read with ``--no-settle``; the message says what was
read), 5 could not connect, or a read got no usable answer (the read before a Single
Send's send included: nothing was sent); 1 is kept for a bug in this program. An
error is one line on stderr, never a traceback or a key.

A Single Send's ``send`` and ``schedule`` read it first and act only on a draft, as the
library does: SendGrid refuses no second send of a Single Send. Their ``--dry-run``
shows that read, then the request that would act.

Modules: ``_parser`` (the grammar and the exit statuses), ``_output`` (what is printed),
``_commands`` (the API commands), ``_dry_run`` (the dry run), ``_demo`` (the demo).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from .._constants import LOGGER_NAME
from ._commands import run_api_command
from ._demo import run_demo
from ._output import Output, error_json, error_line
from ._parser import (
    EXIT_CONNECT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNKNOWN,
    EXIT_USAGE,
    build_parser,
    exit_code_for,
)

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    output = Output(sys.stdout, sys.stderr)
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The library logs retries as warnings; the CLI keeps stderr to one line per error.
    library_logger = logging.getLogger(LOGGER_NAME)
    library_logger.addHandler(logging.NullHandler())
    library_logger.propagate = False
    try:
        args = build_parser().parse_args(args_list)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    as_json = bool(getattr(args, "json", False))
    try:
        if args.provider == "demo":
            return run_demo(output)
        return run_api_command(args, output)
    except KeyboardInterrupt:
        output.err("interrupted; if a send was under way, check the campaign before retrying")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # every error ends as one line, never a traceback
        code = exit_code_for(error)
        if as_json:
            output.json(error_json(error, code))
        output.err(error_line(error, code))
        return code
