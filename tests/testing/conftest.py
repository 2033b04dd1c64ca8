"""Fixtures for the tests of campaign_clients.testing's fakes (anyio_backend: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"

SpecCheck = Callable[[str, str, int, Any], None]


def _load(provider: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((SPEC_DIR / f"{provider}.yaml").read_text())
    return document


_SPECS = {name: _load(name) for name in ("mailglyph", "sendgrid")}


def _response_schema(provider: str, operation_id: str, status: int) -> dict[str, Any] | None:
    spec = _SPECS[provider]
    for path_item in spec["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                continue
            responses = operation["responses"]
            response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
            assert response is not None, f"{operation_id} documents no {status}"
            if "$ref" in response:
                name = response["$ref"].rsplit("/", 1)[1]
                response = spec["components"]["responses"][name]
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
