"""Plain helpers for the CLI tests (a unique module name, so no other folder shadows it)."""

from __future__ import annotations

import subprocess

FUTURE = "2099-03-01T10:30:00+01:00"
FUTURE_Z = "2099-03-01T09:30:00Z"
FUTURE_UNIX = 4076040600  # FUTURE as Unix seconds


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line an error prints on stderr (fails if there is anything else)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("campaign-clients: "), lines[0]
    return lines[0]
