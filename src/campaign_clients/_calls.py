"""What a client sends: an operation of the spec, and one call of it.

An operation's safety class (may it be repeated after an outcome that is not
known, and how is it settled) comes from the spec's `x-campaign-clients`, so a new
operation's rule is reviewed with its contract rather than written in code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import _spec_examples
from ._constants import SPEC_NAMES
from ._settlement import Attempt

T = TypeVar("T")

# Plain slotted classes rather than dataclasses: they cost nothing at import time.


class Operation(Generic[T]):
    """One API operation: its operationId, its safety class from the spec, its parser."""

    __slots__ = ("idempotent", "name", "parse", "provider", "settles")

    def __init__(self, provider: str, name: str, parse: Callable[[Any], T] | None) -> None:
        self.provider = provider
        self.name = name
        self.idempotent, self.settles = _spec_examples.safety(SPEC_NAMES[provider], name)
        self.parse = parse  # None: the success response has no body


class Call(Generic[T]):
    """One call of an operation, as built by the generated `_get_kwargs`, and what it
    asks for when the operation can be settled (`attempt`)."""

    __slots__ = ("asked", "kwargs", "operation", "settles")

    def __init__(
        self,
        operation: Operation[T],
        kwargs: dict[str, Any],
        *,
        campaign_id: str | int | None = None,
        at: datetime.datetime | None = None,
        on_behalf_of: str | None = None,
        settles: str | None = None,
    ) -> None:
        self.operation = operation
        self.kwargs = kwargs
        # What an Attempt records; the Attempt itself is made only when the call fails,
        # so a call that succeeds pays nothing for it.
        self.asked = (campaign_id, at, on_behalf_of)
        # How this call is settled: the operation's kind, unless one operation does two
        # things (a Single Send's schedule with send_at "now" is a send).
        self.settles = (
            operation.settles if settles is None or operation.settles is None else settles
        )

    def attempt(self, began: float) -> Attempt | None:
        """What this call asked for, begun at `began` (Unix seconds), when it can be settled."""
        campaign_id, at, on_behalf_of = self.asked
        settles = self.settles
        if settles is None or campaign_id is None:
            return None
        started = datetime.datetime.fromtimestamp(began, datetime.UTC)
        operation = self.operation
        return Attempt(
            operation.provider, operation.name, campaign_id, settles, at, on_behalf_of, started
        )
