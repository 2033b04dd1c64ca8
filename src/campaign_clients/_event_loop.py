"""An async client's connections belong to the event loop it was first used on; a
request from another loop (a closed one included) is refused before anything is sent,
instead of failing with a raw RuntimeError after the request went out."""

from __future__ import annotations

import sys
from typing import Any

from ._calls import Call
from .errors import APIConnectionError


def check_loop(first: object, client: object, call: Call[Any]) -> object:
    """The client's event loop: `first` (the loop of its first request), or the running
    one when there was none yet. Raises APIConnectionError for another loop."""
    asyncio = sys.modules.get("asyncio")  # not imported: not running on asyncio
    try:
        loop = asyncio.get_running_loop() if asyncio is not None else None
    except RuntimeError:
        loop = None  # not asyncio (trio, say): anyio's own checks apply
    if loop is None or first is None or loop is first:
        return first if loop is None else loop
    closed = " (now closed)" if getattr(first, "is_closed", lambda: False)() else ""
    raise APIConnectionError(
        f"this {type(client).__name__} was first used on another event loop{closed}; its "
        "connections belong to that loop, so make one client per event loop "
        "(nothing was sent)",
        outcome_unknown=False,
        provider=call.operation.provider,
        operation=call.operation.name,
    )
