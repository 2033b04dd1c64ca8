"""Every example in each spec validates against its own schema (JSON Schema 2020-12).

Examples are media-type `example`s of request bodies and responses (including
responses reached via $ref to components/responses), parameter examples, and
each component schema's `example`. $refs resolve against the spec document;
`date-time` and `email` formats are checked.
"""

from __future__ import annotations

import pytest
from support import FORMAT_CHECKER, load_spec, operations, resolve

from .contract_support import (
    SPEC_NAMES,
    Example,
    collect_examples,
    example_locations,
    example_problems,
)

EXAMPLES = [ex for name in SPEC_NAMES for ex in collect_examples(name)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[ex.id for ex in EXAMPLES])
def test_example_validates_against_its_schema(example: Example) -> None:
    assert example_problems(load_spec(example.spec), example) == []


def test_every_example_in_each_spec_is_checked(spec_name: str) -> None:
    # Walks the whole document for `example`/`examples` entries, so an example
    # added somewhere the collector does not look fails here instead of going
    # unchecked.
    spec = load_spec(spec_name)
    checked = {ex.example_pointer for ex in collect_examples(spec_name, spec)}
    assert example_locations(spec) == checked


def test_every_operation_response_example_is_reached(spec_name: str) -> None:
    # Each (operation, status) with a JSON example shows up as a user of a checked example.
    spec = load_spec(spec_name)
    used = {use for ex in collect_examples(spec_name, spec) for use in ex.used_by}
    expected = {
        f"{op['operationId']} {status}"
        for _, _, op in operations(spec)
        for status, response in op["responses"].items()
        if any("example" in media for media in resolve(spec, response).get("content", {}).values())
    }
    assert expected, "no operation documents a response example"
    assert expected - used == set()


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("date-time", "2023-11-07T05:31:56Z", "2023-11-07 05:31"),
        ("date-time", "2023-11-07T05:31:56+00:00", "yesterday"),
        ("email", "news@example.com", "news.example.com"),
    ],
)
def test_format_checker_checks_date_time_and_email(fmt: str, good: str, bad: str) -> None:
    # The validators above use this checker; prove the formats are really enforced.
    assert FORMAT_CHECKER.conforms(good, fmt)
    assert not FORMAT_CHECKER.conforms(bad, fmt)
