"""The README's Python examples run as written (against in-process answers, not the network)."""

from __future__ import annotations

import re

import httpx
import pytest
from support import ROOT

from campaign_clients import _spec_examples

README = ROOT / "README.md"
# "Testing your code" holds a pytest module, run by tests/testing instead.
_TEXT = re.sub(
    r"## Testing your code\n.*?(?=\n## )",
    "",
    README.read_text(encoding="utf-8"),
    flags=re.DOTALL,
)
BLOCKS = re.findall(r"```python\n(.*?)```", _TEXT, flags=re.DOTALL)


def documented_answer(request: httpx.Request) -> httpx.Response:
    """The spec's documented success for whichever operation the request is."""
    for provider in ("mailglyph", "sendgrid"):
        for operation in _spec_examples.operations(provider):
            method, template = _spec_examples.route(provider, operation)
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            if method == request.method and re.fullmatch(pattern, request.url.path):
                status = _spec_examples.success_status(provider, operation)
                body = _spec_examples.response(provider, operation, str(status))
                return (
                    httpx.Response(status, json=body) if body is not None else httpx.Response(204)
                )
    raise AssertionError(f"no spec operation for {request.method} {request.url.path}")


@pytest.fixture
def offline_httpx(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Every httpx.Client made while the example runs answers in-process and records requests."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return documented_answer(request)

    original = httpx.Client.__init__

    def offline_init(self: httpx.Client, *args: object, **kwargs: object) -> None:
        kwargs["transport"] = httpx.MockTransport(handler)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpx.Client, "__init__", offline_init)
    return seen


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, offline_httpx, capsys):
    exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})
    assert offline_httpx, "the example made no request"
    assert all(r.url.host.startswith("api.") for r in offline_httpx)
