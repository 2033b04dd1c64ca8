"""Both fakes (SendGrid's legacy campaigns and Single Sends apart), every operation of
their spec, in every state: a documented answer whose body the spec validates; an unknown
id is 404 and a missing key 401 for all of them; a fault can target any of them; a test
send changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fakes_support import PROVIDERS, Fake, Provider
from support import SpecCheck

from campaign_clients import _spec_examples


@pytest.fixture
def fake(provider: Provider) -> Fake:
    """Overrides conftest.py's: this provider's fake, holding draft `provider.campaign_id`."""
    return provider.fake()


def every_operation(*, with_states: bool) -> list[Any]:
    """(provider, operation[, status]) for every operation of both specs."""
    return [
        pytest.param(provider, operation, *state, id="-".join([key, operation, *state]))
        for key, provider in sorted(PROVIDERS.items())
        for operation in provider.operations
        for state in ([(s,) for s in provider.statuses] if with_states else [()])
    ]


@pytest.mark.parametrize("spec", ["mailglyph", "sendgrid"])
def test_every_operation_of_the_specs_is_tested_here(spec: str) -> None:
    covered = [o for p in PROVIDERS.values() if p.name == spec for o in p.operations]

    assert sorted(covered) == sorted(_spec_examples.operations(spec))


def body_of(response: httpx.Response) -> Any:
    return response.json() if response.content else None


@pytest.mark.parametrize(("provider", "operation", "status"), every_operation(with_states=True))
def test_every_operation_in_every_state_answers_what_the_spec_documents(
    fake: Fake,
    client: httpx.Client,
    spec_check: SpecCheck,
    provider: Provider,
    operation: str,
    status: Any,
) -> None:
    provider.add(fake, provider.other_id, status=status)

    response = provider.call(
        client, operation, provider.other_id, json=provider.example_request(operation)
    )

    assert response.status_code < 500
    spec_check(provider.name, operation, response.status_code, body_of(response))


@pytest.mark.parametrize(("provider", "operation"), every_operation(with_states=False))
def test_an_unknown_id_is_404_for_every_operation(
    client: httpx.Client, spec_check: SpecCheck, provider: Provider, operation: str
) -> None:
    response = provider.call(
        client, operation, provider.other_id, json=provider.example_request(operation)
    )

    assert response.status_code == 404
    spec_check(provider.name, operation, 404, response.json())


@pytest.mark.parametrize(("provider", "operation"), every_operation(with_states=False))
def test_a_missing_key_is_401_for_every_operation_and_changes_nothing(
    fake: Fake, spec_check: SpecCheck, provider: Provider, operation: str
) -> None:
    before = provider.snapshot(fake)
    with fake.http_client() as anonymous:
        response = provider.call(anonymous, operation, json=provider.example_request(operation))

    assert response.status_code == 401
    spec_check(provider.name, operation, 401, response.json())
    assert provider.snapshot(fake) == before
    assert fake.applied_sends(provider.campaign_id) == 0


@pytest.mark.parametrize(("provider", "operation"), every_operation(with_states=False))
def test_a_fault_can_target_every_operation(
    fake: Fake, client: httpx.Client, provider: Provider, operation: str
) -> None:
    fake.fail_next(418, operation=operation, body={"teapot": True})
    others = [o for o in _spec_examples.operations(provider.name) if o != operation]

    for other in others:  # the fault waits for its operation
        assert provider.call(client, other, json=provider.example_request(other)).status_code != 418
    response = provider.call(client, operation, json=provider.example_request(operation))

    assert (response.status_code, response.json()) == (418, {"teapot": True})
    assert fake.requests[-1].operation == operation
    assert fake.pending_faults == 0


@pytest.mark.parametrize(
    ("provider", "operation", "status"),
    [
        pytest.param(provider, operation, code, id=f"{key}-{operation}-{code}")
        for key, provider in sorted(PROVIDERS.items())
        for operation in provider.operations
        for code in _spec_examples.responses(provider.name, operation)
    ],
)
def test_an_injected_documented_status_has_a_body_the_spec_validates(
    fake: Fake,
    client: httpx.Client,
    spec_check: SpecCheck,
    provider: Provider,
    operation: str,
    status: str,
) -> None:
    code = 503 if status == "5XX" else int(status)
    fake.fail_next(code, operation=operation)

    response = provider.call(client, operation, json=provider.example_request(operation))

    assert response.status_code == code
    spec_check(provider.name, operation, code, body_of(response))


WITH_TEST_SENDS = [p for _, p in sorted(PROVIDERS.items()) if p.test_field is not None]


TEST_SENT = {
    "mailglyph": {"success": True, "message": "Test email sent to qa@example.org"},
    "sendgrid": {"to": "qa@example.org"},
}


@pytest.mark.parametrize(
    ("provider", "status"),
    [
        pytest.param(provider, status, id=f"{provider.key}-{status}")
        for provider in WITH_TEST_SENDS
        for status in provider.statuses
    ],
)
def test_a_test_send_answers_in_every_state_and_changes_nothing(
    fake: Fake, client: httpx.Client, spec_check: SpecCheck, provider: Provider, status: Any
) -> None:
    assert provider.test_field is not None
    before = fake.add_campaign(provider.other_id, status=status)
    success = provider.success("sendTestCampaign")

    body = provider.checked(
        client,
        spec_check,
        "sendTestCampaign",
        success,
        provider.other_id,
        json={provider.test_field: "qa@example.org"},
    )

    assert body == TEST_SENT[provider.name]
    assert fake.campaign(provider.other_id) == before
    assert fake.requests[-1].json == {provider.test_field: "qa@example.org"}
    assert (fake.sends(provider.other_id), fake.applied_sends(provider.other_id)) == (0, 0)


@pytest.mark.parametrize("provider", WITH_TEST_SENDS, ids=lambda p: p.key)
@pytest.mark.parametrize(
    "content",
    [b"", b"[]", b"{}", b'{"FIELD": 5}', b'{"FIELD": null}', b'{"FIELD": ["a@b.c"]}', b"{no"],
    ids=["no-body", "array", "missing", "number", "null", "list", "not-json"],
)
def test_a_test_send_without_a_string_address_is_refused_naming_the_field(
    fake: Fake, client: httpx.Client, spec_check: SpecCheck, provider: Provider, content: bytes
) -> None:
    assert provider.test_field is not None
    before = fake.campaign(provider.campaign_id)

    body = provider.checked(
        client,
        spec_check,
        "sendTestCampaign",
        provider.invalid,
        content=content.replace(b"FIELD", provider.test_field.encode()),
        headers={"Content-Type": "application/json"},
    )

    assert provider.error_fields(body) == [provider.test_field]
    assert fake.campaign(provider.campaign_id) == before
