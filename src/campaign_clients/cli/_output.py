"""What the command line prints: results on stdout (text, or strict JSON with
`--json`), one line per error on stderr, and never a key it knows of."""

from __future__ import annotations

import json
import math
import os
from typing import IO, Any

from .._constants import KEY_ENV
from .._redaction import scrub
from ..errors import APIConnectionError, CampaignStateError
from ._parser import EXIT_CONNECT, EXIT_REFUSED, EXIT_UNKNOWN, EXIT_USAGE, PROG, settled


class Output:
    """stdout/stderr writer that never prints a key it knows of."""

    def __init__(self, stdout: IO[str], stderr: IO[str]) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.secrets: list[str] = [
            value for name in KEY_ENV.values() if (value := os.environ.get(name, "").strip())
        ]

    def out(self, text: str = "") -> None:
        self.stdout.write(scrub(text, self.secrets) + "\n")
        self.stdout.flush()

    def json(self, value: Any) -> None:
        """`value` on stdout as strict JSON (`strict_json`)."""
        self.out(strict_json(value))

    def err(self, text: str) -> None:
        line = " ".join(scrub(text, self.secrets).split())  # one line, whatever it holds
        self.stderr.write(f"{PROG}: {line}\n")
        self.stderr.flush()

    def note(self, text: str) -> None:
        """A remark on stderr that is not an error (a dry run's "nothing was sent")."""
        self.stderr.write(f"{PROG}: {text}\n")


def error_line(error: BaseException, code: int) -> str:
    """The one stderr line for an error. A settled error's text ends with what reading the
    campaign found ("[settled as ...: reason]")."""
    if code == EXIT_USAGE:
        return f"error: {error}"
    if isinstance(error, CampaignStateError):  # its message says what was read
        return f"not sent: {error}"
    if code == EXIT_REFUSED and settled(error) is not None:
        return f"not sent (settled by reading the campaign): {error}"
    if code == EXIT_REFUSED:
        return f"refused: {error}"
    if code == EXIT_UNKNOWN and settled(error) is not None:
        return (
            f"the outcome is still unknown after settling: {error}; "
            "check the campaign before trying again"
        )
    if code == EXIT_UNKNOWN:
        return f"{error}; check the campaign before trying again"
    if code == EXIT_CONNECT and isinstance(error, APIConnectionError):
        return f"could not connect, nothing was sent: {error}"
    if code == EXIT_CONNECT:
        return f"no usable answer, nothing was changed: {error}"
    return f"internal error ({type(error).__name__}: {error}); please report this bug"


def error_json(error: BaseException, code: int) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "type": type(error).__name__,
        "message": str(error),
        "exit_code": code,
        "outcome_unknown": bool(getattr(error, "outcome_unknown", False)),
        "nothing_sent": bool(getattr(error, "nothing_sent", False)),
    }
    if isinstance(error, CampaignStateError):
        detail["status"] = error.status
    for name in ("status_code", "messages", "request_id", "retry_after"):
        if hasattr(error, name):
            detail[name] = getattr(error, name)
    settlement = settled(error)
    if settlement is not None:
        detail["settlement"] = {
            "outcome": settlement.outcome,
            "reason": settlement.reason,
            "status": settlement.status,
        }
    return {"error": detail}


def strict_json(value: Any) -> str:
    """`value` as RFC 8259 JSON, indented. A non-finite number (an open rate of 0/0 that
    a provider wrote as `NaN`, in a field the spec does not type) becomes null: Python's
    json would print `NaN` or `Infinity`, which jq and every strict parser reject."""
    return json.dumps(_finite(value), indent=2, default=str, allow_nan=False)


def _finite(value: Any) -> Any:
    if type(value) is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
