"""What a client sends: an operation of the spec, and one call of it.

An operation's safety class (may it be repeated after an outcome that is not
known, and how is it settled) comes from the spec's `x-campaign-clients`, and what
counts as its success (the documented 2xx statuses, each with its body's shape or
no body) from its documented responses, so a new operation's rules are reviewed
with its contract rather than written in code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import _spec_examples
from ._constants import SPEC_NAMES
from ._settlement import Attempt
from ._shapes import Problem, shape_check

T = TypeVar("T")

# Plain slotted classes rather than dataclasses: they cost nothing at import time.


class Operation(Generic[T]):
    """One API operation: its operationId, its safety class and documented successes
    from the spec, and the generated model's parser for a success body."""

    __slots__ = ("_successes", "idempotent", "name", "parse", "provider", "settles")

    def __init__(self, provider: str, name: str, parse: Callable[[Any], T] | None) -> None:
        self.provider = provider
        self.name = name
        spec = SPEC_NAMES[provider]
        self.idempotent, self.settles = _spec_examples.safety(spec, name)
        self.parse = parse  # None: no documented success has a body
        _check_model(provider, name, parse, _spec_examples.successes(spec, name))
        self._successes: dict[int, Problem | None] | None = None

    @property
    def successes(self) -> dict[int, Problem | None]:
        """{status: the check of its body, or None where the spec documents no body} for
        every success the spec documents; any other 2xx is not a success. Compiled on
        first use."""
        if self._successes is None:
            spec = SPEC_NAMES[self.provider]
            schemas = _spec_examples.schemas(spec, self.name)
            self._successes = {
                status: None if shape is None else shape_check(shape, schemas)
                for status, shape in _spec_examples.successes(spec, self.name).items()
            }
        return self._successes

    def describe_successes(self) -> str:
        """The documented successes in words, e.g. "204 with no body"."""
        return ", ".join(
            f"{status} with {'no body' if check is None else 'a JSON body'}"
            for status, check in sorted(self.successes.items())
        )


def _check_model(
    provider: str, name: str, parse: Callable[[Any], Any] | None, documented: dict[int, Any]
) -> None:
    """The model the facade parses with must be the one the spec documents (a mismatch
    is a bug of this package, caught when its module is imported)."""
    bodies = {shape.get("$ref", "").rsplit("/", 1)[-1] for shape in documented.values() if shape}
    model = getattr(getattr(parse, "__self__", None), "__name__", None)
    if (parse is None) != (not bodies) or (model is not None and bodies - {"", model}):
        raise TypeError(
            f"{provider} {name}: the spec documents success bodies {sorted(bodies)}, "
            f"but the facade parses them with {model or parse}"
        )


class Call(Generic[T]):
    """One call of an operation, as built by the generated `_get_kwargs`, and what it
    asks for when the operation can be settled (`attempt`)."""

    __slots__ = ("asked", "kwargs", "operation", "settles", "since")

    def __init__(
        self,
        operation: Operation[T],
        kwargs: dict[str, Any],
        *,
        campaign_id: str | int | None = None,
        at: datetime.datetime | None = None,
        on_behalf_of: str | None = None,
        settles: str | None = None,
        since: datetime.datetime | None = None,
    ) -> None:
        self.operation = operation
        self.kwargs = kwargs
        # What an Attempt records (the campaign id also names a call's span, reads
        # included); the Attempt itself is made only when a call that can be settled
        # fails, so a call that succeeds pays nothing for it.
        self.asked = (campaign_id, at, on_behalf_of)
        # How this call is settled: the operation's kind, unless one operation does two
        # things (a Single Send's schedule with send_at "now" is a send).
        self.settles = (
            operation.settles if settles is None or operation.settles is None else settles
        )
        # The instant the launch began (`since=`, checked), when the caller gave one: the
        # attempt starts there, so a send by any earlier try of the launch counts as this
        # call's, and a refusal because the campaign moved on is settled.
        self.since = since

    def attempt(self, began: float) -> Attempt | None:
        """What this call asked for, begun at `began` (Unix seconds) or, when the caller
        said when the launch began, at `since`; None when it cannot be settled."""
        campaign_id, at, on_behalf_of = self.asked
        settles = self.settles
        if settles is None or campaign_id is None:
            return None
        started = self.since or datetime.datetime.fromtimestamp(began, datetime.UTC)
        operation = self.operation
        return Attempt(
            operation.provider, operation.name, campaign_id, settles, at, on_behalf_of, started
        )
