"""Helpers for the Prism contract tests: reading operations, statuses and examples
from spec/*.yaml, and recording what went over the wire so a test can fail when
Prism flags a request (its `sl-violations` response header).

Test modules import this directly; the test folder is on sys.path in pytest's
default (prepend) import mode.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from support import load_spec, resolve

from campaign_clients import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    CampaignClientError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]

# The error class each documented status must map to.
ERROR_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
# The concrete statuses asked for (with `Prefer: code=NNN`) for a range key.
RANGE_SAMPLES = {"4XX": (400, 409), "5XX": (500, 503)}
VIOLATIONS_HEADER = "sl-violations"


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True)
class SpecOperation:
    """One operation of a spec, found by path and method."""

    spec_name: str
    path: str
    method: str

    @property
    def document(self) -> dict[str, Any]:
        return load_spec(self.spec_name)

    @property
    def node(self) -> dict[str, Any]:
        paths = self.document["paths"]
        assert self.path in paths, f"{self.spec_name}.yaml has no path {self.path}"
        operation = paths[self.path].get(self.method)
        assert operation is not None, f"{self.spec_name}.yaml has no {self.method} {self.path}"
        return dict(operation)

    @property
    def operation_id(self) -> str:
        return str(self.node["operationId"])

    def responses(self) -> dict[str, dict[str, Any]]:
        """Status key ("200", "404", "5XX") -> the resolved response object."""
        return {
            str(key): resolve(self.document, value) for key, value in self.node["responses"].items()
        }

    @property
    def success_status(self) -> int:
        statuses = [key for key in self.responses() if key.isdigit() and key.startswith("2")]
        assert len(statuses) == 1, f"{self.operation_id}: expected one 2xx response, {statuses}"
        return int(statuses[0])

    @property
    def success_example(self) -> Any:
        """The documented JSON example of the success response (None: no body)."""
        return json_example(self.document, self.responses()[str(self.success_status)])

    def error_cases(self) -> list[ErrorCase]:
        """Every documented error status, with a range key expanded to sample statuses."""
        explicit = {int(key) for key in self.responses() if key.isdigit()}
        cases: list[ErrorCase] = []
        for key, response in self.responses().items():
            if key.isdigit():
                statuses: tuple[int, ...] = () if key.startswith("2") else (int(key),)
            elif key in RANGE_SAMPLES:
                statuses = tuple(s for s in RANGE_SAMPLES[key] if s not in explicit)
            else:
                raise AssertionError(
                    f"{self.operation_id}: no rule for testing response key {key!r}; "
                    "extend prism_support.error_cases"
                )
            example = json_example(self.document, response)
            cases.extend(ErrorCase(status, key, example) for status in statuses)
        return cases


def json_example(document: dict[str, Any], response: dict[str, Any]) -> Any:
    """The application/json example of a resolved response object (None: no content)."""
    content = response.get("content")
    if not content:
        return None
    media = content["application/json"]
    if "example" in media:
        return media["example"]
    examples = media.get("examples") or {}
    if examples:
        return resolve(document, next(iter(examples.values())))["value"]
    return resolve(document, media["schema"]).get("example")


def example_messages(example: Any) -> list[str]:
    """Every `message` string in an example body, in document order."""
    found: list[str] = []
    if isinstance(example, dict):
        for key, value in example.items():
            if key == "message" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(example_messages(value))
    elif isinstance(example, list):
        for item in example:
            found.extend(example_messages(item))
    return found


@dataclass(frozen=True)
class ErrorCase:
    """One documented error status of an operation, and the example Prism serves for it."""

    status: int
    key: str  # the spec's response key: "404", or "5XX" for a range
    example: Any

    @property
    def messages(self) -> list[str]:
        return example_messages(self.example)

    @property
    def error_class(self) -> type[APIStatusError]:
        if self.status >= 500:
            return ServerError
        return ERROR_CLASSES.get(self.status, APIStatusError)

    @property
    def id(self) -> str:
        return str(self.status) if self.key.isdigit() else f"{self.status}({self.key})"


# ---------------------------------------------------------------- facade calls


@dataclass(frozen=True)
class FacadeCall:
    """One facade method call and the spec operation it must hit."""

    method: str  # the facade method's name
    operation: SpecOperation
    url_path: str  # the request path the call must produce
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    model: type | None = None  # the generated model it returns (None: returns None)

    @property
    def id(self) -> str:
        return self.method

    def run(self, client: Any) -> Any:
        return getattr(client, self.method)(*self.args, **self.kwargs)

    async def arun(self, client: Any) -> Any:
        return await getattr(client, self.method)(*self.args, **self.kwargs)

    def expected_result(self) -> Any:
        """The documented success example parsed into the generated model."""
        if self.model is None:
            return None
        return self.model.from_dict(self.operation.success_example)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the wire


class Recorder:
    """Records every response (and so its request) through an httpx event hook."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []

    def _record(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def _arecord(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def client(self, headers: dict[str, str] | None = None) -> httpx.Client:
        """An httpx.Client for the facade's `http_client` that records every response."""
        return httpx.Client(headers=headers, event_hooks={"response": [self._record]})

    def async_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        return httpx.AsyncClient(headers=headers, event_hooks={"response": [self._arecord]})

    def violations(self) -> Iterator[str]:
        for response in self.responses:
            header = response.headers.get(VIOLATIONS_HEADER)
            if header is not None:
                request = response.request
                yield (
                    f"{request.method} {request.url} -> {response.status_code}\n"
                    f"  {VIOLATIONS_HEADER}: {header}"
                )

    def assert_accepted(self) -> None:
        """Fail when Prism flagged any recorded request or response as breaking the spec."""
        flagged = list(self.violations())
        if flagged:
            pytest.fail(
                "Prism found spec violations (sl-violations header):\n" + "\n".join(flagged),
                pytrace=False,
            )

    def only(self) -> httpx.Response:
        """The one response recorded (exactly one request must have been made)."""
        seen = [f"{r.request.method} {r.request.url} -> {r.status_code}" for r in self.responses]
        assert len(seen) == 1, f"expected exactly one request, got {len(seen)}: {seen}"
        return self.responses[0]


def checked(recorder: Recorder, call: Callable[[], T]) -> T:
    """Run call(); whatever happens, a flagged request fails the test first."""
    try:
        result = call()
    except CampaignClientError:
        recorder.assert_accepted()
        raise
    recorder.assert_accepted()
    return result


async def achecked(recorder: Recorder, call: Callable[[], Awaitable[T]]) -> T:
    try:
        result = await call()
    except CampaignClientError:
        recorder.assert_accepted()
        raise
    recorder.assert_accepted()
    return result


def check_error(error: APIStatusError, case: ErrorCase, response: httpx.Response) -> None:
    """The error a documented status must become: class, status, messages, body."""
    assert response.status_code == case.status, (
        f"Prism answered {response.status_code}, not the preferred {case.status}"
    )
    assert type(error) is case.error_class, (
        f"HTTP {case.status} raised {type(error).__name__}, expected {case.error_class.__name__}"
    )
    assert error.status_code == case.status
    assert error.messages == case.messages
    assert error.body == case.example
    # Only a 5xx leaves the outcome unknown; a 4xx (including 429) was not acted on.
    assert error.outcome_unknown is (case.status >= 500)
    if isinstance(error, RateLimitError):
        retry_after = response.headers.get("retry-after")
        if retry_after is not None:
            assert error.retry_after == float(retry_after)
        else:
            assert error.retry_after is None or error.retry_after >= 0
