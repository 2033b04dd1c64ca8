"""The contract checks catch a damaged spec.

Each test damages an in-memory copy of a spec the way a bad edit would (a field
removed, an example that no longer fits its schema, an example placed where the
checker does not look) and runs the same checker functions the contract tests
use on the real specs, asserting they report the damage.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import load_spec, pointer, resolve_pointer

from .contract_support import (
    collect_examples,
    example_locations,
    example_problems,
    load_fixture,
    undeclared_keys,
)

MG_200 = pointer("paths", "/campaigns/{id}/send", "post", "responses", "200", "content")
MG_200_SCHEMA = MG_200 + pointer("application/json", "schema")
MG_200_EXAMPLE = MG_200 + pointer("application/json", "example")
SG_201_SCHEMA = pointer(
    "paths",
    "/v3/campaigns/{campaign_id}/schedules/now",
    "post",
    "responses",
    "201",
    "content",
    "application/json",
    "schema",
)


def _problems_by_id(spec_name: str, spec: dict[str, Any]) -> dict[str, list[str]]:
    return {ex.id: example_problems(spec, ex) for ex in collect_examples(spec_name, spec)}


# ------------------------------------------------- a field removed from the spec


@pytest.mark.parametrize(
    ("schema", "prop", "expected"),
    [
        ("Campaign", "subject", ["data.subject"]),
        ("Campaign", "scheduledFor", ["data.scheduledFor"]),
        ("Segment", "projectId", ["data.segment.projectId"]),
        (
            "AudienceFilter",
            "value",
            [
                "data.audienceCondition.groups[].filters[].value",
                "data.segment.condition.groups[].filters[].value",
            ],
        ),
        ("SendCampaignResponse", "message", ["message"]),
    ],
)
def test_removing_a_mailglyph_property_leaves_the_fixture_field_undeclared(
    schema: str, prop: str, expected: list[str]
) -> None:
    spec = load_spec("mailglyph")
    fixture = load_fixture("mailglyph_send_response.json")
    response_schema = resolve_pointer(spec, MG_200_SCHEMA)
    assert undeclared_keys(spec, response_schema, fixture) == []

    del spec["components"]["schemas"][schema]["properties"][prop]

    assert undeclared_keys(spec, response_schema, fixture) == expected


def test_removing_a_sendgrid_property_leaves_the_fixture_field_undeclared() -> None:
    spec = load_spec("sendgrid")
    fixture = load_fixture("sendgrid_send_now_response.json")
    del spec["components"]["schemas"]["SendCampaignNowResponse"]["properties"]["status"]
    assert undeclared_keys(spec, resolve_pointer(spec, SG_201_SCHEMA), fixture) == ["status"]


def test_removed_property_is_caught_by_the_declared_check_not_by_validation() -> None:
    # The schemas allow unknown fields (the service sends some), so an example
    # still validates after a property is deleted from `properties`; this is
    # why every fixture field must also be declared (undeclared_keys).
    spec = load_spec("mailglyph")
    del spec["components"]["schemas"]["Campaign"]["properties"]["subject"]
    fixture = load_fixture("mailglyph_send_response.json")
    assert _problems_by_id("mailglyph", spec)["mailglyph:sendCampaign 200"] == []
    assert undeclared_keys(spec, resolve_pointer(spec, MG_200_SCHEMA), fixture) == ["data.subject"]


def test_required_field_missing_from_a_component_example_is_reported() -> None:
    spec = load_spec("mailglyph")
    del spec["components"]["schemas"]["Campaign"]["example"]["subject"]
    problems = _problems_by_id("mailglyph", spec)
    assert problems["mailglyph:schemas/Campaign"] == ["<root>: 'subject' is a required property"]


# ------------------------------------------------- an example that no longer fits


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda ex: ex["data"].update(totalRecipients="1250"),
            "data/totalRecipients: '1250' is not of type 'integer'",
        ),
        (
            lambda ex: ex["data"].update(createdAt="2023-11-01 09:12"),
            "data/createdAt: '2023-11-01 09:12' is not a 'date-time'",
        ),
        (
            lambda ex: ex["data"].update({"from": "news.example.com"}),
            "data/from: 'news.example.com' is not a 'email'",
        ),
        (lambda ex: ex["data"].pop("id"), "data: 'id' is a required property"),
        (
            lambda ex: ex["data"]["segment"].update(trackMembership="yes"),
            "data/segment/trackMembership: 'yes' is not of type 'boolean'",
        ),
        (lambda ex: ex.pop("success"), "<root>: 'success' is a required property"),
    ],
    ids=["wrong-type", "bad-date-time", "bad-email", "missing-required", "nested-oneOf", "top"],
)
def test_damaged_mailglyph_response_example_is_reported(damage: Any, expected: str) -> None:
    spec = load_spec("mailglyph")
    assert _problems_by_id("mailglyph", spec)["mailglyph:sendCampaign 200"] == []

    damage(resolve_pointer(spec, MG_200_EXAMPLE))

    assert _problems_by_id("mailglyph", spec)["mailglyph:sendCampaign 200"] == [expected]


def test_damaged_error_example_reached_via_component_response_is_reported() -> None:
    spec = load_spec("sendgrid")
    example = spec["components"]["responses"]["NotFound"]["content"]["application/json"]["example"]
    example["errors"][0]["message"] = 404
    problems = _problems_by_id("sendgrid", spec)["sendgrid:responses/NotFound"]
    assert problems == ["errors/0/message: 404 is not of type 'string'"]


def test_schema_type_change_makes_the_existing_example_fail() -> None:
    spec = load_spec("sendgrid")
    spec["components"]["schemas"]["ScheduleRequest"]["properties"]["send_at"]["type"] = "string"
    problems = _problems_by_id("sendgrid", spec)
    failing = sorted(ex_id for ex_id, found in problems.items() if found)
    assert failing == [
        "sendgrid:rescheduleCampaign request",
        "sendgrid:scheduleCampaign request",
        "sendgrid:schemas/ScheduleRequest",
    ]


def test_changing_the_spec_example_breaks_fixture_equality() -> None:
    spec = load_spec("mailglyph")
    fixture = load_fixture("mailglyph_send_response.json")
    assert resolve_pointer(spec, MG_200_EXAMPLE) == fixture
    resolve_pointer(spec, MG_200_EXAMPLE)["data"]["name"] = "December product update"
    assert resolve_pointer(spec, MG_200_EXAMPLE) != fixture


# ------------------------------------------------- an example the collector would miss


def test_example_in_an_unvisited_place_breaks_the_completeness_check() -> None:
    spec = load_spec("mailglyph")
    spec["components"]["schemas"]["Campaign"]["properties"]["name"]["example"] = "Spring sale"
    checked = {ex.example_pointer for ex in collect_examples("mailglyph", spec)}
    assert example_locations(spec) - checked == {
        "/components/schemas/Campaign/properties/name/example"
    }
