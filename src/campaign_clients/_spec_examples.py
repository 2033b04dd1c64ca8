"""The spec's documented examples, as `scripts/regenerate` exports them next to this
module (the wheel carries no YAML parser). The fakes and the CLI's dry run answer
with them, so they stay in step with the spec."""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any, cast


@functools.cache
def _all() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("_spec_examples.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


def responses(provider: str, operation: str) -> dict[str, Any]:
    """{status: example or None} for one operation (shared: do not mutate)."""
    return cast(dict[str, Any], _all()[provider][operation]["responses"])


def response(provider: str, operation: str, status: str) -> Any:
    """A deep copy of one documented response example (KeyError when there is none)."""
    return copy.deepcopy(responses(provider, operation)[status])
