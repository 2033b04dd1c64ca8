"""The providers' documented payloads, stored as fixtures, are the specs' examples.

fixtures/*.json are the JSON payloads from the provider docs (MailGlyph "Send or
schedule campaign", SendGrid legacy "Send a Campaign") with placeholders replaced
by realistic values; fixtures/doc/*.json are the MailGlyph payloads exactly as the
doc prints them. These tests tie the three together: the doc's keys, the
fixture, and the example the spec documents for that operation and status.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import load_spec, pointer, resolve, resolve_pointer

from .contract_support import FIXTURES as FIXTURE_DIR
from .contract_support import (
    json_differences,
    key_paths,
    load_fixture,
    same_instant,
    schema_errors,
    undeclared_keys,
)

MG_OP = pointer("paths", "/campaigns/{id}/send", "post")
SG_NOW_OP = pointer("paths", "/v3/campaigns/{campaign_id}/schedules/now", "post")
JSON = "application/json"
# The media types the fixtures document.
MG_REQUEST = MG_OP + pointer("requestBody", "content", JSON)
MG_200 = MG_OP + pointer("responses", "200", "content", JSON)
SG_NOW_201 = SG_NOW_OP + pointer("responses", "201", "content", JSON)

# The keys each doc payload shows, written out from the docs ("[]" = list items).
_GROUPS = (
    "groups",
    "groups[].filters",
    "groups[].filters[].field",
    "groups[].filters[].value",
    "groups[].conditions",
)
MAILGLYPH_SEND_RESPONSE_DOC_KEYS = {
    "success",
    "message",
    "data",
    *(
        f"data.{key}"
        for key in (
            "id",
            "name",
            "description",
            "subject",
            "body",
            "from",
            "fromName",
            "replyTo",
            "audienceCondition",
            "segmentId",
            "totalRecipients",
            "sentCount",
            "deliveredCount",
            "openedCount",
            "clickedCount",
            "bouncedCount",
            "scheduledFor",
            "sentAt",
            "createdAt",
            "updatedAt",
            "segment",
        )
    ),
    *(f"data.audienceCondition.{key}" for key in _GROUPS),
    *(
        f"data.segment.{key}"
        for key in (
            "id",
            "name",
            "description",
            "condition",
            "trackMembership",
            "memberCount",
            "projectId",
            "createdAt",
            "updatedAt",
        )
    ),
    *(f"data.segment.condition.{key}" for key in _GROUPS),
}
DOC_KEYS = {
    "mailglyph_send_request": {"scheduledFor"},
    "mailglyph_send_response": MAILGLYPH_SEND_RESPONSE_DOC_KEYS,
    # SendGrid's page shows the 201 body only as a schema table: id integer<int64>, status string.
    "sendgrid_send_now_response": {"id", "status"},
}


def _fixture(name: str, media_ptr: str, component: str) -> Any:
    """The test arguments for fixtures/<name>.json, which documents the media type at
    media_ptr: (fixture, spec, expected doc keys, schema pointer, [pointers of the spec
    examples it must equal: the media type's and its component schema's])."""
    spec_name = name.split("_", 1)[0]
    schema_ptr = media_ptr + "/schema"
    example_ptrs = [media_ptr + "/example", f"/components/schemas/{component}/example"]
    return pytest.param(
        f"{name}.json", spec_name, DOC_KEYS[name], schema_ptr, example_ptrs, id=name
    )


FIXTURES = [
    _fixture("mailglyph_send_request", MG_REQUEST, "SendCampaignRequest"),
    _fixture("mailglyph_send_response", MG_200, "SendCampaignResponse"),
    _fixture("sendgrid_send_now_response", SG_NOW_201, "SendCampaignNowResponse"),
]
FIXTURE_ARGS = "fixture_file, spec_name, doc_keys, schema_ptr, example_ptrs"


@pytest.mark.parametrize(FIXTURE_ARGS, FIXTURES)
def test_fixture_keys_equal_the_doc_keys(
    fixture_file: str, spec_name: str, doc_keys: set[str], schema_ptr: str, example_ptrs: list[str]
) -> None:
    fixture = load_fixture(fixture_file)
    assert key_paths(fixture) == doc_keys, (
        f"only in fixture: {sorted(key_paths(fixture) - doc_keys)}; "
        f"only in doc: {sorted(doc_keys - key_paths(fixture))}"
    )


@pytest.mark.parametrize(FIXTURE_ARGS, FIXTURES)
def test_fixture_equals_the_specs_documented_example(
    fixture_file: str, spec_name: str, doc_keys: set[str], schema_ptr: str, example_ptrs: list[str]
) -> None:
    fixture = load_fixture(fixture_file)
    spec = load_spec(spec_name)
    for example_ptr in example_ptrs:
        example = resolve_pointer(spec, example_ptr)
        assert example == fixture, (example_ptr, json_differences(fixture, example))


@pytest.mark.parametrize(FIXTURE_ARGS, FIXTURES)
def test_fixture_validates_against_the_operations_schema(
    fixture_file: str, spec_name: str, doc_keys: set[str], schema_ptr: str, example_ptrs: list[str]
) -> None:
    assert schema_errors(load_spec(spec_name), schema_ptr, load_fixture(fixture_file)) == []


@pytest.mark.parametrize(FIXTURE_ARGS, FIXTURES)
def test_every_fixture_property_is_declared_in_the_spec_schema(
    fixture_file: str, spec_name: str, doc_keys: set[str], schema_ptr: str, example_ptrs: list[str]
) -> None:
    spec = load_spec(spec_name)
    schema = resolve_pointer(spec, schema_ptr)
    assert undeclared_keys(spec, schema, load_fixture(fixture_file)) == []


# ------------------------------------------------- fixture vs the doc's own JSON


def _is_date_time(value: str) -> bool:
    return same_instant(value, value)  # parses as an ISO date-time with an offset


def _shape_differences(doc: Any, fixture: Any, path: str = "$") -> list[str]:
    """Where the fixture's structure or value types depart from the doc's payload.

    Same keys and nesting; each doc list's sample item describes every fixture
    item; a doc "<unknown>" accepts any value; a doc date-time must stay a
    date-time and a doc e-mail (shown obfuscated as "[email protected]") an address.
    """
    if doc == "<unknown>":
        return []
    if isinstance(doc, dict):
        if not isinstance(fixture, dict):
            return [f"{path}: doc has an object, fixture has {fixture!r}"]
        if set(doc) != set(fixture):
            return [f"{path}: keys differ: doc {sorted(doc)}, fixture {sorted(fixture)}"]
        return [d for k in doc for d in _shape_differences(doc[k], fixture[k], f"{path}.{k}")]
    if isinstance(doc, list):
        if not isinstance(fixture, list) or not fixture:
            return [f"{path}: doc has a non-empty list, fixture has {fixture!r}"]
        return [
            d
            for i, item in enumerate(fixture)
            for d in _shape_differences(doc[0], item, f"{path}[{i}]")
        ]
    if type(doc) is not type(fixture):
        return [f"{path}: doc has {type(doc).__name__}, fixture has {fixture!r}"]
    if isinstance(doc, str) and _is_date_time(doc) and not _is_date_time(fixture):
        return [f"{path}: doc has a date-time, fixture has {fixture!r}"]
    if doc == "[email protected]" and "@" not in fixture:
        return [f"{path}: doc has an e-mail address, fixture has {fixture!r}"]
    return []


@pytest.mark.parametrize("name", ["mailglyph_send_request.json", "mailglyph_send_response.json"])
def test_fixture_has_the_structure_and_value_types_of_the_verbatim_doc_payload(name: str) -> None:
    doc = load_fixture(f"doc/{name}")
    fixture = load_fixture(name)
    assert key_paths(doc) == key_paths(fixture)
    assert _shape_differences(doc, fixture) == []


@pytest.mark.parametrize(
    "name",
    [
        "mailglyph_send_request.json",
        "mailglyph_send_response.json",
        "sendgrid_send_now_response.json",
    ],
)
def test_fixture_has_no_doc_placeholders_left(name: str) -> None:
    placeholders = ("<string>", "<unknown>", "[email", "<token>")
    text = (FIXTURE_DIR / name).read_text(encoding="utf-8")
    assert [p for p in placeholders if p in text] == []


def test_shape_check_catches_a_fixture_that_drifts_from_the_doc() -> None:
    doc = load_fixture("doc/mailglyph_send_response.json")
    fixture = load_fixture("mailglyph_send_response.json")
    fixture["data"]["totalRecipients"] = "1250"
    fixture["data"]["segment"]["createdAt"] = "last week"
    del fixture["data"]["audienceCondition"]["groups"][0]["conditions"]
    assert _shape_differences(doc, fixture) == [
        "$.data.audienceCondition.groups[0]: keys differ: doc ['conditions', 'filters'], "
        "fixture ['filters']",
        "$.data.totalRecipients: doc has int, fixture has '1250'",
        "$.data.segment.createdAt: doc has a date-time, fixture has 'last week'",
    ]


# ------------------------------------------------- what the docs declare is in the specs


def _param(spec: dict[str, Any], op_ptr: str, name: str) -> dict[str, Any]:
    path_item = resolve_pointer(spec, op_ptr.rsplit("/", 1)[0])
    op = resolve_pointer(spec, op_ptr)
    for param in [*path_item.get("parameters", []), *op.get("parameters", [])]:
        param = resolve(spec, param)
        if param["name"] == name:
            return dict(param)
    raise AssertionError(f"{op_ptr} declares no parameter {name!r}")


def test_mailglyph_spec_declares_what_the_doc_declares() -> None:
    spec = load_spec("mailglyph")
    # Path parameter: id, string, required.
    param = _param(spec, MG_OP, "id")
    assert (param["in"], param["required"], param["schema"]["type"]) == ("path", True, "string")
    # Body: scheduledFor, string<date-time> | null.
    body_schema = resolve(spec, resolve_pointer(spec, MG_REQUEST + "/schema"))
    scheduled_for = body_schema["properties"]["scheduledFor"]
    assert set(scheduled_for["type"]) == {"string", "null"}
    assert scheduled_for["format"] == "date-time"
    # 200 application/json: success boolean, data object, message string.
    schema = resolve(spec, resolve_pointer(spec, MG_200 + "/schema"))
    props = schema["properties"]
    assert props["success"]["type"] == "boolean"
    assert resolve(spec, props["data"])["type"] == "object"
    assert props["message"]["type"] == "string"
    # Authorization: Bearer.
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"bearerAuth": []} in spec["security"]


def test_sendgrid_spec_declares_what_the_doc_declares() -> None:
    spec = load_spec("sendgrid")
    op = resolve_pointer(spec, SG_NOW_OP)
    # Path parameter campaign_id: integer, required; header on-behalf-of: string, optional.
    campaign_id = _param(spec, SG_NOW_OP, "campaign_id")
    assert (campaign_id["in"], campaign_id["required"], campaign_id["schema"]["type"]) == (
        "path",
        True,
        "integer",
    )
    on_behalf_of = _param(spec, SG_NOW_OP, "on-behalf-of")
    assert (on_behalf_of["in"], on_behalf_of.get("required", False)) == ("header", False)
    assert on_behalf_of["schema"]["type"] == "string"
    # No request body; the doc lists responses 201, 400, 401, 403, 404.
    assert "requestBody" not in op
    assert {"201", "400", "401", "403", "404"} <= set(op["responses"])
    # 201 schema: id integer<int64>, status string.
    schema = resolve(spec, op["responses"]["201"]["content"][JSON]["schema"])
    assert schema["properties"]["id"] == {"type": "integer", "format": "int64"}
    assert schema["properties"]["status"]["type"] == "string"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert {"bearerAuth": []} in spec["security"]
