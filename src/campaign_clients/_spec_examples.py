"""What the spec says, at run time: each operation's method, path template, what a
request must be, documented examples and what a success is (its statuses and body
shapes), as `scripts/regenerate` exports them next to this module (the wheel carries no YAML
parser). The clients accept only a documented success, the fakes route and answer
with the examples, the CLI's dry run answers with them and the benchmark serves
them, so all of them stay in step with `spec/`.

Providers are named as the spec files are: "mailglyph", "sendgrid".
"""

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


def operations(provider: str) -> tuple[str, ...]:
    """The spec's operationIds for one provider, in a stable order."""
    return tuple(sorted(_all()[provider]))


def route(provider: str, operation: str) -> tuple[str, str]:
    """(METHOD, path template) of one operation, e.g. ("POST", "/campaigns/{id}/send")."""
    entry = _all()[provider][operation]
    return entry["method"], entry["path"]


def path(provider: str, operation: str, **params: object) -> str:
    """The operation's path with its parameters filled in (not percent-encoded)."""
    return route(provider, operation)[1].format(**params)


def rules(provider: str, operation: str) -> dict[str, Any]:
    """What a request of the operation must be (shared: do not mutate):
    {"parameters": [{"name", "in" ("header" or "query"), "required", "schema"}],
    "body": {"required", "schema"} or None}; schemas have their `$ref`s resolved."""
    return cast(dict[str, Any], _all()[provider][operation]["rules"])


def responses(provider: str, operation: str) -> dict[str, Any]:
    """{status: example or None} for one operation (shared: do not mutate)."""
    return cast(dict[str, Any], _all()[provider][operation]["responses"])


def response(provider: str, operation: str, status: str) -> Any:
    """A deep copy of one documented response example (KeyError when there is none)."""
    return copy.deepcopy(responses(provider, operation)[status])


def successes(provider: str, operation: str) -> dict[int, Any]:
    """{status: the shape of its body, or None for no body} of every success the spec
    documents for one operation (shared: do not mutate). A shape is the body's schema cut
    to what the client checks, its `$ref`s naming `schemas(provider, operation)`."""
    documented = _all()[provider][operation]["success"]
    return {int(status): body for status, body in documented.items()}


def schemas(provider: str, operation: str) -> dict[str, Any]:
    """{name: shape} of the component schemas its success bodies refer to (shared)."""
    return cast(dict[str, Any], _all()[provider][operation]["schemas"])


def success_status(provider: str, operation: str) -> int:
    """The operation's one documented success status (200, 201 or 204)."""
    (status,) = (int(code) for code in responses(provider, operation) if code.startswith("2"))
    return status


def safety(provider: str, operation: str) -> tuple[bool, str | None]:
    """(repeatable, settles) from the operation's `x-campaign-clients` in the spec.

    `repeatable`: the client may repeat it after an outcome that is not known.
    `settles`: how the client reads whether it was applied ("send", "schedule",
    "reschedule", "unschedule", "cancel"), or None when it cannot be read back.
    """
    declared = _all()[provider][operation]["safety"]
    return bool(declared["repeatable"]), declared["settles"]
