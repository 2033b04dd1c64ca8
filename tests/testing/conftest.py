"""Fixtures for the tests of campaign_clients.testing's fakes (anyio_backend: tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fakes_support import LOST, PROVIDERS, Fake, LostAnswer, Provider
from support import SpecCheck, bearer, load_spec, operations, ref_target, resolve, validator_for

from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

_SPECS = {name: load_spec(name) for name in ("mailglyph", "sendgrid")}


def _response_schema(provider: str, operation_id: str, status: int) -> dict[str, Any] | None:
    spec = _SPECS[provider]
    for _, _, operation in operations(spec):
        if operation.get("operationId") != operation_id:
            continue
        responses = operation["responses"]
        response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
        assert response is not None, f"{operation_id} documents no {status}"
        content = resolve(spec, response).get("content")
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
        schema_pointer = ref_target(schema)
        assert schema_pointer is not None, schema
        validator_for(_SPECS[provider], schema_pointer, provider).validate(body)

    return check


@pytest.fixture
def fake() -> FakeSendGrid:
    """A FakeSendGrid holding draft campaign 4900: this folder's fake, except in
    test_fakes_mailglyph*.py, which override it with a FakeMailGlyph, and in the files
    that run on both fakes, which override it with `provider.fake()`."""
    fake = FakeSendGrid()
    fake.add_campaign(4900)
    return fake


@pytest.fixture
def mailglyph_fake() -> FakeMailGlyph:
    """A FakeMailGlyph holding draft campaign "cmp_1": `fake` in test_fakes_mailglyph*.py."""
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    return fake


@pytest.fixture
def client(fake: Fake) -> Iterator[httpx.Client]:
    """An in-process httpx client on `fake`, sending its key."""
    with fake.http_client(headers=bearer(fake.api_key)) as client:
        yield client


# ---------------------------------------------------------------- tests on both fakes


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> Provider:
    """Each provider in turn (the files that run on both override `fake` with its fake)."""
    return PROVIDERS[str(request.param)]


@pytest.fixture(params=LOST)
def lost(request: pytest.FixtureRequest) -> LostAnswer:
    """Each way a send's answer can be lost or replaced, in turn."""
    answer: LostAnswer = request.param
    return answer
