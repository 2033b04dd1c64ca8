"""Schemathesis against each fake over HTTP, with the spec it fakes: consumers test their
code on the fakes, so a fake that answers what its spec does not document (a status, a
body, a content type, a header), serves a method the spec does not have, or accepts a
request the spec rules out, lets their tests pass where production fails.

Every operation of both specs (SendGrid's legacy campaigns and Single Sends), each a
test of its own, through Schemathesis' examples, coverage and fuzzing phases, positive
and negative data. Reproducible and quick: a fixed seed, no example database, a bounded
number of fuzzed examples. The checks are named here, not Schemathesis' defaults, so an
upgrade cannot change what is checked. The fakes hold the campaigns the specs' examples
name, in the parent account and the example `on-behalf-of` one, so requests built from
the examples reach a campaign and its successes are checked too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from support import SPEC_DIR

from campaign_clients import _spec_examples
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid

SEED = 20261206
MAX_EXAMPLES = 50  # fuzzed per operation; the examples and coverage phases are finite

CHECKS = [
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    negative_data_rejection,
    unsupported_method,  # a method the spec does not have: 405 with Allow
    not_a_server_error,
    missing_required_header,
]

# The ids and account of the specs' own examples (parameters' `example`).
MAILGLYPH_CAMPAIGN = "cmp_8f3a2b1c"
SENDGRID_CAMPAIGN = 4900
SINGLE_SEND = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"
SUBUSER = "subuser-marketing"


def _schema(name: str) -> Any:
    config = SchemathesisConfig.from_dict(
        {"seed": SEED, "generation": {"max-examples": MAX_EXAMPLES, "database": "none"}}
    )
    return schemathesis.openapi.from_path(SPEC_DIR / f"{name}.yaml", config=config)


mailglyph_schema = _schema("mailglyph")
sendgrid_schema = _schema("sendgrid")


@pytest.fixture(scope="module")
def mailglyph() -> Iterator[tuple[FakeMailGlyph, str]]:
    fake = FakeMailGlyph()
    fake.add_campaign(MAILGLYPH_CAMPAIGN)
    with fake.serve() as base_url:
        yield fake, base_url


@pytest.fixture(scope="module")
def sendgrid() -> Iterator[tuple[FakeSendGrid, str]]:
    fake = FakeSendGrid()
    for account in (None, SUBUSER):
        fake.add_campaign(SENDGRID_CAMPAIGN, on_behalf_of=account)
        fake.add_single_send(SINGLE_SEND, on_behalf_of=account)
    with fake.serve() as base_url:
        yield fake, base_url


@mailglyph_schema.parametrize()
def test_fake_mailglyph_answers_as_its_spec(
    case: Any, mailglyph: tuple[FakeMailGlyph, str]
) -> None:
    fake, base_url = mailglyph
    case.call_and_validate(
        base_url=base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, checks=CHECKS
    )


@sendgrid_schema.parametrize()
def test_fake_sendgrid_answers_as_its_spec(case: Any, sendgrid: tuple[FakeSendGrid, str]) -> None:
    fake, base_url = sendgrid
    case.call_and_validate(
        base_url=base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, checks=CHECKS
    )


@pytest.mark.parametrize(
    ("provider", "schema"), [("mailglyph", mailglyph_schema), ("sendgrid", sendgrid_schema)]
)
def test_every_operation_of_the_spec_is_checked(provider: str, schema: Any) -> None:
    checked = [result.ok().definition.raw["operationId"] for result in schema.get_all_operations()]

    assert sorted(checked) == sorted(_spec_examples.operations(provider))
