"""Every documented example parses through its generated model and comes back out.

Component schema `Foo` maps to `<package>.models.Foo`; request and response
examples use the model of the component schema their media type $refs.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest
from support import load_spec, resolve, resolve_pointer

from .contract_support import (
    SPEC_NAMES,
    Example,
    collect_examples,
    json_differences,
    load_fixture,
    model_for_schema,
    model_schema_name,
)

MODEL_EXAMPLES = [
    ex
    for name in SPEC_NAMES
    for ex in collect_examples(name)
    if ex.kind in ("request", "response", "schema")
]
MODEL_IDS = [ex.id for ex in MODEL_EXAMPLES]


def _declared(spec: dict[str, Any], schema_name: str) -> dict[str, Any]:
    props: dict[str, Any] = spec["components"]["schemas"][schema_name].get("properties", {})
    return props


def _required_cases() -> list[Any]:
    """(example, required field) for every required field each example carries."""
    cases = []
    for ex in MODEL_EXAMPLES:
        spec = load_spec(ex.spec)
        schema = resolve(spec, spec["components"]["schemas"][model_schema_name(spec, ex)])
        for field in schema.get("required", []):
            if isinstance(ex.value, dict) and field in ex.value:
                cases.append(pytest.param(ex, field, id=f"{ex.id}-without-{field}"))
    return cases


REQUIRED_CASES = _required_cases()


# ------------------------------------------------------------------ mapping


def test_every_component_schema_has_a_generated_model(spec_name: str) -> None:
    spec = load_spec(spec_name)
    for schema_name, schema in spec["components"]["schemas"].items():
        cls = model_for_schema(spec_name, schema_name)
        fields = [f.name for f in attrs.fields(cls) if f.name != "additional_properties"]
        assert len(fields) == len(schema.get("properties", {})), (
            f"{cls.__name__} has fields {fields}, spec declares {sorted(schema['properties'])}"
        )


# ------------------------------------------------------------------ round trip


@pytest.mark.parametrize("example", MODEL_EXAMPLES, ids=MODEL_IDS)
def test_example_round_trips_through_its_generated_model(example: Example) -> None:
    spec = load_spec(example.spec)
    cls = model_for_schema(example.spec, model_schema_name(spec, example))
    parsed = cls.from_dict(copy.deepcopy(example.value))
    assert json_differences(example.value, parsed.to_dict()) == []


@pytest.mark.parametrize("example", MODEL_EXAMPLES, ids=MODEL_IDS)
def test_example_fields_parse_into_typed_attributes(example: Example) -> None:
    # Only keys the schema does not declare may end up in additional_properties;
    # a declared field landing there means generated/ lags spec/.
    spec = load_spec(example.spec)
    schema_name = model_schema_name(spec, example)
    parsed = model_for_schema(example.spec, schema_name).from_dict(copy.deepcopy(example.value))
    expected_extra = set(example.value) - set(_declared(spec, schema_name))
    assert set(parsed.additional_properties) == expected_extra


# ------------------------------------------------------------------ unknown fields


def test_mailglyph_response_keeps_fields_the_spec_does_not_declare() -> None:
    # The real service sends campaign audienceType, condition logic and filter
    # operator; the client must keep them and give them back. `status` is declared
    # and comes back typed, whatever its value.
    payload = load_fixture("mailglyph_send_response.json")
    data = payload["data"]
    data["status"] = "A_STATE_NOT_YET_DOCUMENTED"
    data["audienceType"] = "SEGMENT"
    data["audienceCondition"]["logic"] = "AND"
    data["audienceCondition"]["groups"][0]["filters"][0]["operator"] = "equals"
    data["segment"]["condition"]["logic"] = "OR"

    model = model_for_schema("mailglyph", "SendCampaignResponse")
    parsed = model.from_dict(copy.deepcopy(payload))

    assert parsed.data.status == "A_STATE_NOT_YET_DOCUMENTED"
    assert parsed.data.additional_properties == {"audienceType": "SEGMENT"}
    condition = parsed.data.audience_condition
    assert condition.additional_properties == {"logic": "AND"}
    assert condition.groups[0].filters[0].additional_properties == {"operator": "equals"}
    assert parsed.data.segment.condition.additional_properties == {"logic": "OR"}
    assert json_differences(payload, parsed.to_dict()) == []


@pytest.mark.parametrize(
    "example", [ex for ex in MODEL_EXAMPLES if ex.kind == "response"], ids=lambda ex: ex.id
)
def test_response_keeps_an_unknown_top_level_field(example: Example) -> None:
    spec = load_spec(example.spec)
    cls = model_for_schema(example.spec, model_schema_name(spec, example))
    payload = {**copy.deepcopy(example.value), "unexpectedField": {"nested": [1, "two", None]}}
    parsed = cls.from_dict(copy.deepcopy(payload))
    assert parsed.additional_properties["unexpectedField"] == {"nested": [1, "two", None]}
    assert json_differences(payload, parsed.to_dict()) == []


# ------------------------------------------------------------------ missing required


@pytest.mark.parametrize(("example", "field"), REQUIRED_CASES)
def test_missing_required_field_fails_in_the_model_naming_the_field(
    example: Example, field: str
) -> None:
    spec = load_spec(example.spec)
    cls = model_for_schema(example.spec, model_schema_name(spec, example))
    payload = copy.deepcopy(example.value)
    del payload[field]
    with pytest.raises(KeyError) as excinfo:
        cls.from_dict(payload)
    assert excinfo.value.args == (field,)


@pytest.mark.parametrize(
    ("spec_name", "schema_name", "fixture", "campaign_ptr"),
    [
        ("mailglyph", "SendCampaignResponse", "mailglyph_send_response.json", "/data"),
        ("sendgrid", "SendCampaignNowResponse", "sendgrid_send_now_response.json", ""),
    ],
    ids=["mailglyph", "sendgrid"],
)
def test_response_without_the_campaign_id_fails_naming_id(
    spec_name: str, schema_name: str, fixture: str, campaign_ptr: str
) -> None:
    payload = load_fixture(fixture)
    del resolve_pointer(payload, campaign_ptr)["id"]
    with pytest.raises(KeyError) as excinfo:
        model_for_schema(spec_name, schema_name).from_dict(payload)
    assert "id" in excinfo.value.args


def test_invalid_nested_nullable_object_is_caught_by_the_facade_not_the_model() -> None:
    # The generated code parses a nullable $ref (oneOf [$ref, null]) inside try/except and
    # keeps the raw dict when the nested object is invalid; the facade's type check is what
    # rejects it, naming the field.
    from campaign_clients._schema import SchemaMismatch, parse_model

    payload = load_fixture("mailglyph_send_response.json")
    del payload["data"]["segment"]["id"]
    model = model_for_schema("mailglyph", "SendCampaignResponse")
    assert model.from_dict(payload).data.segment == payload["data"]["segment"]
    with pytest.raises(SchemaMismatch, match=r"body\.data\.segment should be null or Segment, got"):
        parse_model(model.from_dict, payload)


@pytest.mark.parametrize(
    "help_value",
    ["https://docs.sendgrid.com/for-developers", {"link": "https://example.com"}, None],
)
def test_sendgrid_error_help_accepts_what_the_service_sends(help_value: object) -> None:
    # SendGrid documents `help` as an object but also sends strings; the model must read both.
    from sendgrid_client.models import ErrorResponse

    body = {"errors": [{"field": None, "message": "not found", "help": help_value}]}
    parsed = ErrorResponse.from_dict(body)
    assert parsed.errors[0].help_ == help_value
    assert parsed.to_dict() == body
