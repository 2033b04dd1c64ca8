"""A folder of surfaces already read, for runs that read the same trees again and again.

Reading a surface runs stubgen with mypy's semantic analysis, about three seconds. The
test suite reads the same trees many times over, in separate processes: the base commit
in every gate test's clone, the unchanged repository in regenerate's and the release
check's tests. When `SURFACE_CACHE` names a folder (the suite sets it for its run),
`surface_of` keeps each surface there under a hash of everything it is made from: the
packages' files, this reader's own code and mypy's version, so an edited tree is a new
key, never a stale hit. Unset (CI's own release check, a developer's), nothing is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from pathlib import Path

from .model import Surface

SURFACE_CACHE = "CAMPAIGN_CLIENTS_SURFACE_CACHE"
"""The environment variable naming the folder; unset or empty: no cache."""

_READER = [Path(__file__).with_name(name) for name in ("surface.py", "model.py")]


def folder() -> Path | None:
    where = os.environ.get(SURFACE_CACHE)
    return Path(where) if where else None


def key(dirs: dict[str, Path]) -> str:
    """A hash of the packages' files (names and bytes), the reader's code and mypy."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version}\0mypy {importlib.metadata.version('mypy')}\0".encode())
    for source in _READER:
        digest.update(source.read_bytes())
    for name, package in sorted(dirs.items()):
        digest.update(f"\0package {name}\0".encode())
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def load(where: Path, name: str) -> Surface | None:
    """The surface kept under `name`, or None (none kept, or unreadable)."""
    try:
        with (where / f"{name}.pickle").open("rb") as kept:
            surface = pickle.load(kept)  # written by `store` below into the suite's folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return surface if isinstance(surface, dict) else None


def store(where: Path, name: str, surface: Surface) -> None:
    """Keep `surface` under `name`, atomically: processes side by side may write the same."""
    where.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=where, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(surface, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, where / f"{name}.pickle")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
