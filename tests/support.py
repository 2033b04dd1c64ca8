"""Helpers shared by the test folders (fixtures live in tests/conftest.py): the specs
(one loader, one JSON pointer / $ref resolver, one schema validator), the spec
examples, and scripted httpx transports.

A plain module with a unique name, so that no folder's conftest.py can shadow it.
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

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


ROOT = Path(__file__).resolve().parents[1]
NO_DEV_PLUGINS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")
"""pytest options for a run in a subprocess that stands for a consuming team's project:
the pytest plugins of this repository's dev tools (installed beside it, loaded by entry
point, over a second of imports per run) stay out, as they would be in that project."""
SPEC_DIR = ROOT / "spec"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Base URI under which a spec document is registered for $ref resolution; it is
# never fetched, the registry already holds the document.
BASE_URI = "https://campaign-clients.invalid/spec/{name}.yaml"
FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


# ---------------------------------------------------------------- the specs


@functools.cache
def _parsed_spec(name: str) -> dict[str, Any]:
    with (SPEC_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        document = yaml.safe_load(fh)
    assert isinstance(document, dict), f"{name}.yaml is not a mapping"
    return document


def load_spec(name: str) -> dict[str, Any]:
    """spec/<name>.yaml as parsed YAML: a fresh deep copy, safe to mutate (parsed once)."""
    return copy.deepcopy(_parsed_spec(name))


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation object) for every operation of a spec, in document order."""
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


# ---------------------------------------------------------------- pointers and $refs


def pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) from unescaped parts: ("paths", "/a") -> "/paths/~1a"."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve_pointer(document: Any, ptr: str) -> Any:
    """The node at a JSON pointer (RFC 6901: "~1" is "/", "~0" is "~"; list items by index)."""
    assert ptr == "" or ptr.startswith("/"), f"not a JSON pointer: {ptr!r}"
    node = document
    for part in ptr.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def ref_target(node: Any) -> str | None:
    """The pointer a local {"$ref": "#/..."} node names, else None."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        assert ref.startswith("#/"), f"only local $refs are supported, got {ref!r}"
        return ref.removeprefix("#")
    return None


def resolve(document: dict[str, Any], node: Any) -> Any:
    """Follow local $refs ("#/components/...") until a non-$ref node is reached."""
    while (target := ref_target(node)) is not None:
        node = resolve_pointer(document, target)
    return node


def validator_for(
    document: dict[str, Any], schema_pointer: str, name: str = "spec"
) -> Draft202012Validator:
    """A Draft 2020-12 validator for the schema at schema_pointer in document.

    Local $refs inside it resolve against the whole document; date-time and
    email formats are checked.
    """
    uri = BASE_URI.format(name=name)
    registry: Registry[Any] = Registry().with_resource(uri, DRAFT202012.create_resource(document))
    fragment = quote(schema_pointer, safe="/~")
    return Draft202012Validator(
        {"$ref": f"{uri}#{fragment}"}, registry=registry, format_checker=FORMAT_CHECKER
    )


# ---------------------------------------------------------------- fake HTTP

Handler = Callable[[httpx.Request], httpx.Response]
# The spec_check fixture of tests/testing/conftest.py: (provider, operationId, status, body).
SpecCheck = Callable[[str, str, int, Any], None]


def bearer(api_key: str) -> dict[str, str]:
    """The Authorization header both providers take: {"Authorization": "Bearer <key>"}."""
    return {"Authorization": f"Bearer {api_key}"}


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
