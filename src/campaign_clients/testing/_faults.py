"""The fakes' injected faults: the queue of faults waiting for calls, and what a
status fault answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from ._models import SPEC_EXAMPLE, Fault


def check_times(times: int) -> int:
    """``times`` when it is a positive int (not a bool), else ValueError."""
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ValueError(f"times must be a positive int, not {times!r}")
    return times


class FaultQueue:
    """Injected faults waiting for their calls, oldest first (the fake holds its lock)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    @property
    def pending(self) -> int:
        """How many calls the queued faults are still waiting for."""
        return sum(f.remaining for f in self._faults)

    def add(self, fault: Fault) -> None:
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, operation: str | None) -> Fault | None:
        """The oldest fault for this operation (or for any), used up once; None if none."""
        for fault in self._faults:
            if fault.operation is None or fault.operation == operation:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None


def _header_value(value: int | float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def status_response(fault: Fault, spec_body: Callable[[], Any]) -> httpx.Response:
    """A status fault's answer: its own body (bytes as they are, or JSON) or, by default,
    `spec_body()` (the spec's example; None for no body), with its headers."""
    headers = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = _header_value(fault.retry_after)
    headers.update(fault.headers)
    if isinstance(fault.body, bytes):
        headers.setdefault("Content-Type", "application/json")
        return httpx.Response(fault.status, content=fault.body, headers=headers)
    body = spec_body() if fault.body is SPEC_EXAMPLE else fault.body
    return httpx.Response(fault.status, json=body, headers=headers)  # None: no body
