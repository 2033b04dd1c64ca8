"""Helpers shared by the test folders (fixtures live in tests/conftest.py).

A plain module with a unique name, so that no folder's conftest.py can shadow it.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import yaml

from campaign_clients import AsyncMailGlyph, AsyncSendGrid, MailGlyph, SendGrid

MAILGLYPH_KEY = "sk_test_4f9a2c7e1b3d5f60"
SENDGRID_KEY = "SG.test-key.9c1e7a3b5d2f4068"
SECRETS = (MAILGLYPH_KEY, SENDGRID_KEY)

SPEC_EXAMPLES: dict[str, Any] = json.loads(
    resources.files("campaign_clients").joinpath("_spec_examples.json").read_text("utf-8")
)


def example(api: str, operation: str, status: str) -> Any:
    """A deep copy of the spec's documented example for one response."""
    return json.loads(json.dumps(SPEC_EXAMPLES[api][operation]["responses"][status]))


Handler = Callable[[httpx.Request], httpx.Response]

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "spec"


@functools.cache
def load_spec(name: str) -> dict[str, Any]:
    """spec/<name>.yaml as parsed YAML, read once (shared: do not mutate)."""
    with (SPEC_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        document = yaml.safe_load(fh)
    assert isinstance(document, dict), f"{name}.yaml is not a mapping"
    return document


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow local $refs ("#/components/...") until a non-$ref node is reached."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local $refs are supported, got {ref!r}"
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@dataclass
class Recorder:
    """An httpx.MockTransport handler that records requests and answers from a script.

    `responses` are used in order (the last one repeats); a response may also be
    an exception instance to raise, as a transport error would be.
    """

    responses: list[httpx.Response | Exception] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        index = min(len(self.requests), len(self.responses)) - 1
        answer = self.responses[index]
        if isinstance(answer, Exception):
            raise answer
        # A fresh copy each time, so one scripted response serves sync and async clients.
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.read())

    @property
    def count(self) -> int:
        return len(self.requests)


def client_class(provider: str, flavor: str) -> type[Any]:
    classes: dict[tuple[str, str], type[Any]] = {
        ("mailglyph", "sync"): MailGlyph,
        ("mailglyph", "async"): AsyncMailGlyph,
        ("sendgrid", "sync"): SendGrid,
        ("sendgrid", "async"): AsyncSendGrid,
    }
    return classes[(provider, flavor)]


async def invoke(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a sync or async client method and return its result."""
    result = method(*args, **kwargs)
    if inspect.isawaitable(result):
        awaited: Awaitable[Any] = result
        result = await awaited
    return result
