"""What the build (`releasing.build`) and the smoke test (`releasing.smoke`) both need: running
a subprocess with a timeout (its output trimmed into the error), an environment the caller's
cannot leak into, a fresh virtualenv, installs into it, and the pyproject with its exact pins.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from releasing import ReleaseError

VENV_TIMEOUT = 180
INSTALL_TIMEOUT = 900
"""Seconds allowed to making a virtualenv (or asking one for versions), and to an install."""

_OUTPUT_LIMIT = 6000
# Variables that would let the caller's environment leak into a build or the smoke venv.
_DROPPED_ENV = {
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "PYTHONUSERBASE",
    "PYTHONSAFEPATH",
    "MYPYPATH",
    "VIRTUAL_ENV",
    "SOURCE_DATE_EPOCH",
}
_DROPPED_PREFIXES = ("PYTEST_", "HATCH_")
_PIN = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)\s*")


def trim(text: str, limit: int = _OUTPUT_LIMIT) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    head = limit // 4
    return f"{text[:head]}\n[... {len(text) - limit} characters cut ...]\n{text[-(limit - head) :]}"


def run(
    command: Sequence[str | Path],
    *,
    what: str,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run a command; its stdout, or a ReleaseError saying `what` failed, with its output."""
    argv = [str(part) for part in command]
    try:
        result = subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        output = _text(expired.stdout) + _text(expired.stderr)
        raise ReleaseError(f"{what}: timed out after {timeout:g} s\n{trim(output)}") from None
    except OSError as error:
        raise ReleaseError(f"{what}: could not run {argv[0]}: {error}") from None
    if result.returncode != 0:
        raise ReleaseError(
            f"{what} failed (exit {result.returncode}): {' '.join(argv)}\n"
            f"{trim(result.stdout + result.stderr)}"
        )
    return result.stdout


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output or ""


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without what would leak into a build or a virtualenv, plus `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _DROPPED_ENV and not key.startswith(_DROPPED_PREFIXES)
    }
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def make_venv(venv: Path) -> Path:
    """A fresh virtualenv at `venv`, without pip of its own (`install` fills it from
    outside: seeding pip into every throw-away virtualenv costs seconds); its interpreter."""
    run(
        [sys.executable, "-m", "venv", "--without-pip", venv],
        what=f"creating a virtualenv in {venv}",
        timeout=VENV_TIMEOUT,
        env=clean_env(),
    )
    return _venv_python(venv)


def install(python: Path, requirements: Sequence[str | Path], *, what: str) -> None:
    """Install `requirements` into the virtualenv of `python` with the uv pinned in the dev
    extras (beside this interpreter; scripts/bootstrap installs it): what pip does in
    seconds, it does in a fraction of one. It compiles nothing, as the throw-away
    virtualenvs use few of the modules they install."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv is None:
        raise ReleaseError(f"uv is not installed beside {sys.executable}: run scripts/bootstrap")
    run(
        [uv, "pip", "install", "--quiet", "--python", python, *requirements],
        what=what,
        timeout=INSTALL_TIMEOUT,
        cwd=python.parent,
        env=clean_env(),
    )


def read_pyproject(tree: Path) -> dict[str, Any]:
    try:
        return tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ReleaseError(f"cannot read {tree / 'pyproject.toml'}: {error}") from None


def pin_of(requirement: str) -> tuple[str, str] | None:
    """(normalised name, version) of a `name==version` requirement; None for any other."""
    pin = _PIN.fullmatch(requirement)
    if pin is None:
        return None
    return re.sub(r"[-_.]+", "-", pin[1]).lower(), pin[2]


def exact_pins(requirements: Sequence[str], where: str) -> dict[str, str]:
    """{normalised name: version} of requirements that must all be `name==version`."""
    pins: dict[str, str] = {}
    for requirement in requirements:
        pin = pin_of(requirement)
        if pin is None:
            raise ReleaseError(f"{where}: {requirement!r} is not an exact pin (name==version)")
        pins[pin[0]] = pin[1]
    return pins


def extras_pins(tree: Path) -> dict[str, str]:
    """{normalised name: version} of every `name==version` in pyproject's optional
    dependencies (the dev tools' pins); empty when the tree has no pyproject.toml."""
    if not (tree / "pyproject.toml").is_file():
        return {}
    extras = read_pyproject(tree).get("project", {}).get("optional-dependencies", {})
    found = (pin_of(requirement) for group in extras.values() for requirement in group)
    return dict(pin for pin in found if pin is not None)
