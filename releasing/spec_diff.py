"""releasing.spec_diff: breaking wire-contract changes between two versions of a spec.

The generated Python types show what a model looks like, not what the server will accept
or return: a new required request field or parameter, a removed operation or status code,
a request enum value removed or a request property's type narrowed all break consumers
without changing a signature. Optic (`@useoptic/optic`, pinned in package-lock.json and
installed by `npm ci`, which scripts/bootstrap runs) compares two OpenAPI 3.1 documents
with its standard breaking-change rules; this module runs it and reads its verdict.

How Optic 1.0.9 is run, and why:
- `optic diff OLD NEW --check` exits 1 when a rule fails, but its `--json` output lists
  only the changes, not the rule results. With CI=true it also writes every rule result
  (rule, message, operation, JSON pointer) to `ci-run-details.json` in its working
  directory: that file is what is parsed here, not the terminal text.
- The working directory is a fresh temporary directory outside any git repository
  (GIT_CEILING_DIRECTORIES): inside a repository Optic runs `git status` and reads an
  `optic.yml` / `.optic.env` it finds there. HOME is that directory too, so no user
  config or token (`~/.config/optic`) is read, and the environment is minimal (no
  OPTIC_TOKEN). Telemetry is off (OPTIC_TELEMETRY_LEVEL=off; this build has no telemetry
  keys anyway) and the npm update check is off (NO_UPDATE_NOTIFIER, and CI): the run
  makes no network connection.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ReleaseError

ROOT = Path(__file__).resolve().parent.parent
OPTIC = ROOT / "node_modules" / ".bin" / "optic"
OPTIC_TIMEOUT = 120  # seconds; one diff of our specs takes about 4 s
RESULTS_FILE = "ci-run-details.json"  # written by `optic diff` into its cwd when CI=true
ERROR_SEVERITY = 2  # Optic's severities: info=0, warn=1, error=2 (what --check fails on)
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_SUFFIX = " This is a breaking change."


@dataclass(frozen=True)
class _Failure:
    """One failed Optic rule: where it points (which spec, JSON pointer) and what it says."""

    spec: str  # "before" or "after"
    pointer: str
    where: str
    error: str

    def covered_by(self, other: _Failure) -> bool:
        """True when other fails for a node that contains this one (for example a removed
        operation and each of its removed status codes): only the outer one is reported."""
        return self.spec == other.spec and self.pointer.startswith(other.pointer + "/")

    def describe(self) -> str:
        message = self.error.removesuffix(_SUFFIX).strip().rstrip(".")
        operation = _operation(self.pointer)
        if operation is None:
            return f"{self.where}: {message}" if self.where else message
        detail = self.where.removeprefix(operation).strip() if self.where else ""
        return f"{operation}: {message}" + (f" ({detail})" if detail else "")


def breaking_wire_changes(old_spec: Path, new_spec: Path) -> list[str]:
    """Human-readable descriptions of each breaking change from old_spec to new_spec
    (empty: none), one a line, each naming the operation (method and path)."""
    failures = _run_optic(Path(old_spec).resolve(), Path(new_spec).resolve())
    kept = [f for f in failures if not any(f.covered_by(other) for other in failures)]
    return sorted({failure.describe() for failure in kept})


def _run_optic(old_spec: Path, new_spec: Path) -> list[_Failure]:
    if not OPTIC.exists():
        raise ReleaseError(
            f"{OPTIC} is missing: run scripts/bootstrap (it runs `npm ci`) to install "
            "the Optic pinned in package-lock.json"
        )
    for spec in (old_spec, new_spec):
        if not spec.is_file():
            raise ReleaseError(f"no spec at {spec}")
    path = os.environ.get("PATH", os.defpath)
    if shutil.which("node", path=path) is None:
        raise ReleaseError(
            "node not found on PATH: Optic needs Node 20 (then run scripts/bootstrap)"
        )
    command = [str(OPTIC), "diff", str(old_spec), str(new_spec), "--check"]
    with tempfile.TemporaryDirectory(prefix="optic-diff-") as tmp:
        work = Path(tmp).resolve()
        env = {
            "PATH": path,
            "HOME": str(work),
            "CI": "true",
            "OPTIC_TELEMETRY_LEVEL": "off",
            "NO_UPDATE_NOTIFIER": "1",
            "NO_COLOR": "1",
            "GIT_CEILING_DIRECTORIES": str(work.parent),
        }
        try:
            done = subprocess.run(
                command,
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                timeout=OPTIC_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ReleaseError(
                f"optic diff did not finish within {OPTIC_TIMEOUT} s: {' '.join(command)}"
            ) from exc
        except OSError as exc:
            raise ReleaseError(f"could not run {OPTIC}: {exc} (run scripts/bootstrap)") from exc
        results = work / RESULTS_FILE
        output = (done.stdout + done.stderr).strip()[-4000:]
        if done.returncode not in (0, 1) or not results.is_file():
            raise ReleaseError(
                f"optic diff failed (exit status {done.returncode}) comparing {old_spec} "
                f"with {new_spec}.\ncommand: {' '.join(command)}\noutput:\n{output}"
            )
        try:
            failures = _failures(json.loads(results.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ReleaseError(
                f"optic diff wrote a {RESULTS_FILE} this module cannot read ({exc!r}); "
                "was the pinned Optic version changed?"
            ) from exc
    if done.returncode == 1 and not failures:
        raise ReleaseError(
            f"optic diff failed (exit status 1) but reported no failed check.\n"
            f"command: {' '.join(command)}\noutput:\n{output}"
        )
    return failures


def _failures(details: Any) -> list[_Failure]:
    """The failed error-level rule results in Optic's ci-run-details.json."""
    if details["failed"]:
        raise ReleaseError(f"optic diff could not compare the specs: {details['failed']!r}")
    failures = []
    for completed in details["completed"]:
        for result in completed["comparison"]["results"]:
            if result["passed"] or result.get("exempted") or result["severity"] < ERROR_SEVERITY:
                continue
            location = result["location"]
            failures.append(
                _Failure(
                    spec=str(location["spec"]),
                    pointer=str(location["jsonPath"]),
                    where=str(result.get("where") or ""),
                    error=str(result["error"]),
                )
            )
    return failures


def _operation(pointer: str) -> str | None:
    """'POST /campaigns/{id}/send' for a JSON pointer into that operation, else None."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    if len(parts) >= 3 and parts[0] == "paths" and parts[2] in _METHODS:
        return f"{parts[2].upper()} {parts[1]}"
    return None
