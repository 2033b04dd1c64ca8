"""A request against its operation's schema in the spec (header and query parameters,
JSON body, as `_spec_examples.rules` exports them), so a fake refuses a request the
provider's validation would refuse, before looking at any campaign.

The checks are `_shapes.py`'s, the ones the clients use on answers; path parameters are
the router's (an id that cannot be one is no route: 404). A fake turns a `Violation`
into its provider's refusal.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import httpx

from .. import _spec_examples
from .._shapes import Problem, shape_check

_REQUIRED = re.compile(r": required field '(.+)' is missing")


@dataclass(frozen=True)
class Violation:
    """What breaks the schema: the field (a body property or a parameter's name; None for
    the body as a whole) and a message saying what is wrong."""

    field: str | None
    message: str


@dataclass(frozen=True)
class _Parameter:
    name: str
    location: str  # "header" or "query"
    required: bool
    check: Problem  # of the text sent (`scripts/regenerate` exports string ones only)


@dataclass(frozen=True)
class _Rules:
    parameters: tuple[_Parameter, ...]
    body_required: bool
    body: Problem | None  # None: the operation documents no body (one sent is ignored)
    body_field: str | None  # what a body that is no object at all is named by: its
    # first required property (the field the provider says is missing), if it has one


@functools.cache
def _rules(provider: str, operation: str) -> _Rules:
    exported = _spec_examples.rules(provider, operation)
    parameters = []
    for parameter in exported["parameters"]:
        parameters.append(
            _Parameter(
                name=parameter["name"],
                location=parameter["in"],
                required=parameter["required"],
                check=shape_check(parameter["schema"], {}),
            )
        )
    body = exported["body"]
    required = body["schema"].get("required", []) if body else []
    return _Rules(
        parameters=tuple(parameters),
        body_required=bool(body and body["required"]),
        body=shape_check(body["schema"], {}) if body else None,
        body_field=required[0] if required else None,
    )


def violation(
    provider: str, operation: str, request: httpx.Request, parsed: bool, body: Any
) -> Violation | None:
    """The first way the request breaks the operation's schema, or None when it fits.

    `parsed` and `body` are the fake's reading of the body: (False, None) when it is not
    JSON, (True, None) when it is empty.
    """
    rules = _rules(provider, operation)
    query = urllib.parse.parse_qs(request.url.query.decode("ascii"), keep_blank_values=True)
    for parameter in rules.parameters:
        if parameter.location == "header":
            value: str | None = request.headers.get(parameter.name)
        else:
            value = query[parameter.name][0] if parameter.name in query else None
        if value is None:
            if parameter.required:
                where = f"the {parameter.location} {parameter.name}"
                return Violation(parameter.name, f"{where} is required")
            continue
        problem = parameter.check(value)
        if problem is not None:
            return Violation(parameter.name, f"{parameter.name}{problem}")
    if rules.body is None:
        return None
    if not parsed:
        return Violation(rules.body_field, "the body must be JSON")
    if body is None and not request.content.strip():
        if rules.body_required:
            return Violation(rules.body_field, "a JSON body is required")
        return None
    problem = rules.body(body)
    if problem is None:
        return None
    return Violation(_field(problem) or rules.body_field, f"body{problem}")


def _field(problem: str) -> str | None:
    """The top-level property a body problem is under (".to should be ..." -> "to")."""
    missing = _REQUIRED.match(problem)
    if missing:
        return missing.group(1)
    named = re.match(r"\.([^.\[ ]+)", problem)
    return named.group(1) if named else None
