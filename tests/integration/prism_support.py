"""The Prism contract tests both providers share, and their helpers: reading
operations, statuses and examples from spec/*.yaml, and recording what went over
the wire so a test can fail when Prism flags a request (its `sl-violations`
response header).

A provider's test module subclasses `PrismContract` (see there). Test modules
import this directly; the test folder is on sys.path in pytest's default
(prepend) import mode, and conftest.py has pytest rewrite its asserts.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx
import pytest
from support import client_class, invoke, load_spec, operations, resolve

from campaign_clients import errors

# The error class each documented status must map to.
ERROR_CLASSES: dict[int, type[errors.APIStatusError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    422: errors.UnprocessableEntityError,
    429: errors.RateLimitError,
}
# The concrete statuses asked for (with `Prefer: code=NNN`) for a range key.
RANGE_SAMPLES = {"4XX": (400, 409), "5XX": (500, 503)}
VIOLATIONS_HEADER = "sl-violations"
DYNAMIC_RESPONSES = 200  # random bodies parsed per call from `prism mock --dynamic`


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True)
class SpecOperation:
    """One operation of a spec, found by path and method."""

    spec_name: str
    path: str
    method: str

    @functools.cached_property
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
    def error_class(self) -> type[errors.APIStatusError]:
        if self.status >= 500:
            return errors.ServerError
        return ERROR_CLASSES.get(self.status, errors.APIStatusError)

    @property
    def id(self) -> str:
        return str(self.status) if self.key.isdigit() else f"{self.status}({self.key})"


# ---------------------------------------------------------------- facade calls


@dataclass(frozen=True)
class FacadeCall:
    """One facade method call and the spec operation it must hit.

    A call may read first (`reads_first`, a GET of `read_path`), as a Single Send's
    send or schedule does before it acts: it then makes two requests, the read and
    the call's own (its "acting" request, the one the tests' `Prefer` aims at).
    """

    method: str  # the facade method's name
    operation: SpecOperation
    url_path: str  # the request path the call must produce
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    model: type | None = None  # the generated model it returns (None: returns None)
    on: str | None = None  # the client's attribute that has the method (None: the client)
    reads_first: SpecOperation | None = None
    read_path: str | None = None

    @property
    def id(self) -> str:
        return self.method if self.on is None else f"{self.on}.{self.method}"

    @property
    def requests(self) -> int:
        """How many requests one call makes."""
        return 1 if self.reads_first is None else 2

    def run(self, client: Any, **overrides: Any) -> Any:
        """Call the method on a sync or async client (an async one returns an awaitable)."""
        target = client if self.on is None else getattr(client, self.on)
        return getattr(target, self.method)(*self.args, **{**self.kwargs, **overrides})

    def acts(self, request: httpx.Request) -> bool:
        """Whether `request` is the call's own (not the read before it)."""
        return (
            request.method == self.operation.method.upper()
            and request.url.raw_path.decode() == self.url_path
        )

    def expected_result(self) -> Any:
        """The documented success example parsed into the generated model."""
        if self.model is None:
            return None
        return self.model.from_dict(self.operation.success_example)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the wire


Prefer = Callable[[httpx.Request], str | None]
"""The `Prefer` header (Prism's per-request choice: `code=404`, `dynamic=false`) a request
gets, or None for none."""


class Recorder:
    """Records every response (and so its request) through an httpx event hook, and
    gives each request the `Prefer` header `prefer` chooses for it."""

    def __init__(self, prefer: Prefer | None = None) -> None:
        self.responses: list[httpx.Response] = []
        self._prefer = prefer

    def _set_prefer(self, request: httpx.Request) -> None:
        value = None if self._prefer is None else self._prefer(request)
        if value is not None:
            request.headers["Prefer"] = value

    async def _aset_prefer(self, request: httpx.Request) -> None:
        self._set_prefer(request)

    def _record(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def _arecord(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def client(self, headers: dict[str, str] | None = None) -> httpx.Client:
        """An httpx.Client for the facade's `http_client` that records every response."""
        hooks = {"request": [self._set_prefer], "response": [self._record]}
        return httpx.Client(headers=headers, event_hooks=hooks)

    def async_client(self, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        hooks = {"request": [self._aset_prefer], "response": [self._arecord]}
        return httpx.AsyncClient(headers=headers, event_hooks=hooks)

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

    def answer_to(self, call: FacadeCall) -> httpx.Response:
        """The response to the call's own request, after checking that one call was made:
        its read first when it reads first (a GET of `read_path`), then its own request."""
        seen = [f"{r.request.method} {r.request.url} -> {r.status_code}" for r in self.responses]
        assert len(seen) == call.requests, f"expected {call.requests} requests, got {seen}"
        if call.reads_first is not None:
            read = self.responses[0].request
            assert (read.method, read.url.raw_path.decode()) == ("GET", call.read_path), seen
        return self.responses[-1]

    def acting(self, call: FacadeCall) -> list[httpx.Response]:
        """The responses to the call's own requests (not to the reads before them)."""
        return [r for r in self.responses if call.acts(r.request)]


async def checked(recorder: Recorder, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async method; whatever happens, a flagged request fails the test first."""
    try:
        result = await invoke(method, *args, **kwargs)
    except errors.CampaignClientError:
        recorder.assert_accepted()
        raise
    recorder.assert_accepted()
    return result


def check_error(error: errors.APIStatusError, case: ErrorCase, response: httpx.Response) -> None:
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
    # Only a 5xx leaves the outcome unknown, and only for a call that can act (a read
    # cannot); a 4xx (including 429) was not acted on.
    acts = response.request.method != "GET"
    assert error.outcome_unknown is (case.status >= 500 and acts)
    if isinstance(error, errors.RateLimitError):
        retry_after = response.headers.get("retry-after")
        if retry_after is not None:
            assert error.retry_after == float(retry_after)
        else:
            assert error.retry_after is None or error.retry_after >= 0


# ---------------------------------------------------------------- the shared tests


class PrismURLs(Protocol):
    """The `prism` fixture (conftest.py): Prism's base URL for a spec, started on first use."""

    def url(self, spec_name: str, *, dynamic: bool = False) -> str: ...


class PrismContract:
    """The tests every provider's facade passes against Prism, sync and async (`flavor`).

    A provider's test module subclasses this as `Test<Provider>`, sets the class
    attributes and `check_body`, and adds its own tests. A test taking `call` runs
    once per facade call in `calls`; one taking `call, case` once per documented
    error status of each call (see pytest_generate_tests).
    """

    pytestmark = pytest.mark.anyio

    spec_name: ClassVar[str]  # also the provider: support.client_class(spec_name, flavor)
    api_key: ClassVar[str]
    calls: ClassVar[tuple[FacadeCall, ...]]
    # Headers the facade sends only when asked to: absent from a plain call.
    unrequested_headers: ClassVar[tuple[str, ...]] = ()

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "case" in metafunc.fixturenames:
            cases = [
                pytest.param(call, case, id=f"{call.id}-{case.id}")
                for call in self.calls
                for case in call.operation.error_cases()
            ]
            metafunc.parametrize(("call", "case"), cases)
        elif "call" in metafunc.fixturenames:
            metafunc.parametrize("call", self.calls, ids=lambda call: call.id)

    # ------------------------------------------------ provider hooks

    def check_body(self, call: FacadeCall, request: httpx.Request) -> None:
        """The request body the call must send."""
        raise NotImplementedError

    def check_error_details(self, error: errors.APIStatusError, case: ErrorCase) -> None:
        """Provider-specific checks of a documented error (beyond check_error)."""

    # ------------------------------------------------ helpers

    @contextlib.asynccontextmanager
    async def facade(
        self,
        flavor: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        prefer: Prefer | None = None,
        max_retries: int = 2,
        **options: Any,
    ) -> AsyncIterator[tuple[Recorder, Any]]:
        """A Recorder, and a facade client of that flavor on url whose http_client it records
        (and whose requests get the `Prefer` header `prefer` chooses)."""
        recorder = Recorder(prefer)
        facade = client_class(self.spec_name, flavor)
        options.update(base_url=url, max_retries=max_retries)
        if flavor == "sync":
            with (
                recorder.client(headers) as http,
                facade(self.api_key, http_client=http, **options) as client,
            ):
                yield recorder, client
        else:
            async with (
                recorder.async_client(headers) as async_http,
                facade(self.api_key, http_client=async_http, **options) as client,
            ):
                yield recorder, client

    def check_request(self, call: FacadeCall, request: httpx.Request) -> None:
        """The call hit its operation, with the key and the body it must send."""
        assert request.method == call.operation.method.upper()
        assert request.url.raw_path.decode() == call.url_path
        assert request.headers["authorization"] == f"Bearer {self.api_key}"
        self.check_body(call, request)

    def check_result(self, call: FacadeCall, result: object, response: httpx.Response) -> None:
        """The request was right, and the documented example came back as the model."""
        self.check_request(call, response.request)
        assert response.status_code == call.operation.success_status
        if call.model is None:
            assert result is None
            assert response.content == b""
        else:
            assert isinstance(result, call.model)
            assert result == call.expected_result()

    # ------------------------------------------------ the tests

    def test_every_operation_is_covered(self) -> None:
        """A new operation in the spec needs a facade call in `calls`."""
        spec_operations = {
            operation["operationId"]
            for _, _, operation in operations(load_spec(self.spec_name))
            if "operationId" in operation
        }
        assert spec_operations == {call.operation.operation_id for call in self.calls}

    async def test_example_response(self, prism: PrismURLs, flavor: str, call: FacadeCall) -> None:
        async with self.facade(flavor, prism.url(self.spec_name)) as (recorder, client):
            result = await checked(recorder, call.run, client)
        response = recorder.answer_to(call)
        self.check_result(call, result, response)
        for header in self.unrequested_headers:
            assert header not in response.request.headers

    async def test_documented_error(
        self, prism: PrismURLs, flavor: str, call: FacadeCall, case: ErrorCase
    ) -> None:
        def prefer(request: httpx.Request) -> str | None:
            """The documented error for the call's own request; its read is answered."""
            return f"code={case.status}" if call.acts(request) else None

        url = prism.url(self.spec_name)
        # One response's mapping: no settling read after a 5xx (test_settlement covers that).
        options = {"prefer": prefer, "max_retries": 0, "settle": False}
        async with self.facade(flavor, url, **options) as (recorder, client):
            with pytest.raises(errors.APIStatusError) as raised:
                await checked(recorder, call.run, client)
        response = recorder.answer_to(call)
        self.check_request(call, response.request)
        check_error(raised.value, case, response)
        self.check_error_details(raised.value, case)

    async def test_dynamic_responses_parse(
        self, prism: PrismURLs, flavor: str, call: FacadeCall
    ) -> None:
        def prefer(request: httpx.Request) -> str | None:
            """A read before the call gets the documented example (a Single Send that may be
            sent); the call's own request a random body."""
            return None if call.acts(request) else "dynamic=false"

        url = prism.url(self.spec_name, dynamic=True)
        results = []
        async with self.facade(flavor, url, prefer=prefer, max_retries=0) as (recorder, client):
            for _ in range(DYNAMIC_RESPONSES):
                results.append(await checked(recorder, call.run, client))
        assert len(recorder.responses) == DYNAMIC_RESPONSES * call.requests
        assert len(recorder.acting(call)) == DYNAMIC_RESPONSES
        if call.model is None:
            assert results == [None] * DYNAMIC_RESPONSES
            return
        assert all(isinstance(result, call.model) for result in results)
        # Unseeded --dynamic: the bodies differ (a seed would make them all the same).
        assert len({repr(result) for result in results}) > DYNAMIC_RESPONSES // 2
