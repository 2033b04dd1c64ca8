"""Which optional packages a run may use.

The official SDKs come from the `bench` extra and may be missing; a missing one gives a
"not installed" row rather than a failure. `--hide-module` makes an installed one count as
missing (the tests use it to mimic an environment with only the dev extra); the set is
fixed for the run and passed explicitly, in an `Installed`.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from typing import Any


class NotInstalled(Exception):
    """An optional module that is missing, or hidden by --hide-module."""


@dataclass(frozen=True)
class Installed:
    hidden: frozenset[str] = frozenset()
    """Top-level names treated as not installed (--hide-module)."""

    def version(self, dist: str) -> str | None:
        """The installed distribution's version; None when missing or hidden."""
        if dist in self.hidden:
            return None
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    def load(self, module: str) -> Any:
        """Import `module`, or raise NotInstalled."""
        if module.split(".")[0] in self.hidden:
            raise NotInstalled(f"No module named {module!r} (hidden by --hide-module)")
        try:
            return importlib.import_module(module)
        except ImportError as exc:
            raise NotInstalled(str(exc)) from exc
