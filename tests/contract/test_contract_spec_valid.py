"""Both hand-written specs are valid OpenAPI 3.1 documents."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from support import load_spec


def test_spec_declares_openapi_3_1(spec: dict[str, Any]) -> None:
    assert str(spec["openapi"]).startswith("3.1.")


def test_spec_passes_openapi_spec_validator(spec: dict[str, Any]) -> None:
    validate(spec, cls=OpenAPIV31SpecValidator)  # raises on any violation


@pytest.mark.parametrize(
    "break_spec",
    [
        pytest.param(
            lambda s: s["components"]["parameters"]["CampaignId"].pop("required"),
            id="path-param-optional",
        ),
        pytest.param(
            lambda s: s["components"]["schemas"]["Campaign"]["properties"]["id"].update(
                type="strng"
            ),
            id="unknown-schema-type",
        ),
        pytest.param(lambda s: s.pop("info"), id="no-info"),
    ],
)
def test_openapi_spec_validator_rejects_a_broken_mailglyph_spec(break_spec: Any) -> None:
    # Evidence that the check above can fail: the same call on a damaged copy.
    spec = load_spec("mailglyph")
    break_spec(spec)
    with pytest.raises(OpenAPIValidationError):
        validate(spec, cls=OpenAPIV31SpecValidator)
