"""Fixtures for the tests of campaign_clients.testing's fakes (anyio_backend: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from support import load_spec, resolve

SpecCheck = Callable[[str, str, int, Any], None]


_SPECS = {name: load_spec(name) for name in ("mailglyph", "sendgrid")}


def _response_schema(provider: str, operation_id: str, status: int) -> dict[str, Any] | None:
    spec = _SPECS[provider]
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                continue
            responses = operation["responses"]
            response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
            assert response is not None, f"{operation_id} documents no {status}"
            response = resolve(spec, response)
            content = response.get("content")
            if content is None:
                return None
            schema: dict[str, Any] = content["application/json"]["schema"]
            return schema
    raise AssertionError(f"no operation {operation_id} in {provider}")


@pytest.fixture
def spec_check() -> SpecCheck:
    """Assert that a body is what the spec documents for operation and status."""

    def check(provider: str, operation_id: str, status: int, body: Any) -> None:
        schema = _response_schema(provider, operation_id, status)
        if schema is None:
            assert body is None, f"{operation_id} {status} has no body in the spec"
            return
        registry: Registry[Any] = Registry().with_resource(
            "urn:spec", Resource.from_contents(_SPECS[provider], default_specification=DRAFT202012)
        )
        ref = {"$ref": "urn:spec#" + _pointer(provider, schema)}
        jsonschema.Draft202012Validator(
            ref, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        ).validate(body)

    return check


def _pointer(provider: str, schema: dict[str, Any]) -> str:
    ref = schema.get("$ref")
    assert isinstance(ref, str) and ref.startswith("#/"), schema
    return ref[1:]
