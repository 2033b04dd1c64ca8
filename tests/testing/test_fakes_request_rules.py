"""What the fakes refuse before any campaign is looked at, in process and over HTTP
alike: a method the spec does not have on a path (405 with `Allow` and the provider's
JSON error body), and a request that breaks the operation's schema (the provider's
refusal of a bad request: SendGrid's 400, MailGlyph's 422 `VALIDATION_ERROR`). A
missing or wrong key is refused first (401), as the providers' stacks do."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fakes_support import PROVIDERS, Fake, Provider
from support import SpecCheck, bearer, load_spec, validator_for

from campaign_clients import _spec_examples
from campaign_clients.testing import FakeMailGlyph


@pytest.fixture
def fake(provider: Provider) -> Fake:
    """Overrides conftest.py's: this provider's fake, holding draft `provider.campaign_id`."""
    return provider.fake()


@pytest.fixture(params=["in-process", "http"])
def client(request: pytest.FixtureRequest, fake: Fake) -> Iterator[httpx.Client]:
    """Overrides conftest.py's: a client sending the fake's key, in process, then over
    HTTP on 127.0.0.1: both must answer alike."""
    if request.param == "in-process":
        with fake.http_client(headers=bearer(fake.api_key)) as in_process:
            yield in_process
        return
    with fake.serve() as base_url, httpx.Client(base_url=base_url) as over_http:
        over_http.headers.update(bearer(fake.api_key))
        yield over_http


def allowed(provider: Provider, operation: str) -> tuple[str, list[str]]:
    """(raw path of the operation on the provider's campaign, the spec's methods there)."""
    _, template = _spec_examples.route(provider.name, operation)
    methods = sorted(
        method
        for method, path in (
            _spec_examples.route(provider.name, other)
            for other in _spec_examples.operations(provider.name)
        )
        if path == template
    )
    return provider.path(operation)[1], methods


WITH_TEST_SENDS = [p for p in PROVIDERS.values() if p.test_field is not None]
SENDGRID, SINGLE_SEND = PROVIDERS["sendgrid"], PROVIDERS["singlesend"]
METHODS = ("TRACE", "PUT", "PATCH", "POST", "DELETE", "FOO", "M-SEARCH")


def by_key(provider: Provider) -> str:
    return provider.key


def assert_error_body(provider: Provider, body: Any, message: str) -> None:
    """`body` is the provider's error shape (its spec's ErrorResponse) saying `message`."""
    spec = load_spec(provider.name)
    validator_for(spec, "/components/schemas/ErrorResponse", provider.name).validate(body)
    said = (
        body["error"]["message"] if provider.name == "mailglyph" else body["errors"][0]["message"]
    )
    assert said == message


# ---------------------------------------------------------------- 405 with Allow


@pytest.mark.parametrize(
    ("provider", "method"),
    [
        pytest.param(provider, method, id=f"{provider.key}-{method}")
        for provider in PROVIDERS.values()
        for method in METHODS
        if method not in allowed(provider, provider.get)[1]
    ],
)
def test_a_method_the_path_does_not_have_is_405_with_allow_and_a_json_error(
    fake: Fake, client: httpx.Client, provider: Provider, method: str
) -> None:
    path, methods = allowed(provider, provider.get)
    before = provider.snapshot(fake)

    response = client.request(method, path, json={"send_at": "now"})

    assert response.status_code == 405
    assert response.headers["Allow"] == ", ".join(methods)
    assert response.headers["Content-Type"] == "application/json"
    assert_error_body(provider, response.json(), "Method not allowed")
    assert fake.requests[-1].method == method
    assert fake.requests[-1].operation is None
    assert provider.snapshot(fake) == before


@pytest.mark.parametrize("provider", [SENDGRID], ids=by_key)
def test_allow_lists_every_method_of_the_path(client: httpx.Client) -> None:
    response = client.request("TRACE", "/v3/campaigns/4900/schedules")

    assert response.headers["Allow"] == "DELETE, GET, PATCH, POST"


def test_head_is_405_where_the_spec_has_no_head(client: httpx.Client, provider: Provider) -> None:
    path, methods = allowed(provider, provider.get)

    response = client.head(path)

    assert (response.status_code, response.headers["Allow"]) == (405, ", ".join(methods))


@pytest.mark.parametrize("method", ["get", "trace", "Foo"])
def test_over_http_a_method_is_its_exact_token(provider: Provider, method: str) -> None:
    """HTTP methods are case-sensitive: a "get" is not a GET (httpx would upper-case it,
    so this sends the request line as it is)."""
    fake = provider.fake()
    path, methods = allowed(provider, provider.get)
    with fake.serve() as base_url:
        connection = http.client.HTTPConnection(base_url.removeprefix("http://"), timeout=5)
        try:
            connection.request(method, path, headers=bearer(fake.api_key))
            response = connection.getresponse()
            body = json.loads(response.read())
        finally:
            connection.close()

    assert (response.status, response.getheader("Allow")) == (405, ", ".join(methods))
    assert_error_body(provider, body, "Method not allowed")
    assert fake.requests[-1].method == method


def test_a_missing_key_is_401_before_a_wrong_method(provider: Provider) -> None:
    fake = provider.fake()
    with fake.serve() as base_url, httpx.Client(base_url=base_url) as client:
        response = client.request("TRACE", provider.path(provider.get)[1])

    assert response.status_code == 401
    assert "Allow" not in response.headers


# ---------------------------------------------------------------- requests that break the schema


@pytest.mark.parametrize("provider", WITH_TEST_SENDS, ids=by_key)
@pytest.mark.parametrize(
    "address",
    ["useratexample.com", "", "user@", "@example.com", "a b@example.com", "a@b@example.com"],
)
def test_a_test_copy_to_something_that_is_not_an_address_is_refused(
    fake: Fake, client: httpx.Client, spec_check: SpecCheck, provider: Provider, address: str
) -> None:
    body = provider.checked(
        client,
        spec_check,
        "sendTestCampaign",
        provider.invalid,
        json={provider.test_field: address},
    )

    assert provider.error_fields(body) == [provider.test_field]
    assert fake.requests[-1].operation == "sendTestCampaign"


def test_mailglyph_refuses_useratexample_com_with_its_422_validation_error(
    mailglyph_fake: FakeMailGlyph, spec_check: SpecCheck
) -> None:
    with mailglyph_fake.serve() as base_url, httpx.Client(base_url=base_url) as client:
        client.headers.update(bearer(mailglyph_fake.api_key))
        response = client.post("/campaigns/cmp_1/test", json={"email": "useratexample.com"})

    assert response.status_code == 422
    spec_check("mailglyph", "sendTestCampaign", 422, response.json())
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert error["errors"] == [
        {
            "field": "email",
            "message": "body.email should be an email address",
            "code": "invalid_value",
        }
    ]


@pytest.mark.parametrize("provider", WITH_TEST_SENDS, ids=by_key)
@pytest.mark.parametrize("address", ["qa@example.com", "first.last+tag@mail.example.org", "a@b"])
def test_an_address_is_accepted(client: httpx.Client, provider: Provider, address: str) -> None:
    response = provider.call(client, "sendTestCampaign", json={provider.test_field: address})

    assert response.is_success


@pytest.mark.parametrize("provider", [SENDGRID], ids=by_key)
@pytest.mark.parametrize("send_at", [2**63, -(2**63) - 1, 1.5, "4102444800", True], ids=str)
def test_a_sendgrid_send_at_that_is_not_an_int64_is_400_naming_it(
    fake: Fake, client: httpx.Client, spec_check: SpecCheck, provider: Provider, send_at: Any
) -> None:
    body = provider.checked(client, spec_check, "scheduleCampaign", 400, json={"send_at": send_at})

    assert provider.error_fields(body) == ["send_at"]
    assert provider.status(fake) == "Draft"


@pytest.mark.parametrize("provider", [SINGLE_SEND], ids=by_key)
@pytest.mark.parametrize(
    "send_at", ["2030-13-01T00:00:00Z", "2030-01-01 09:30:00Z", "2030-01-01T09:30Z", "later"]
)
def test_a_single_send_send_at_that_is_not_now_or_a_date_time_is_the_spec_400(
    fake: Fake, client: httpx.Client, spec_check: SpecCheck, provider: Provider, send_at: str
) -> None:
    body = provider.checked(
        client, spec_check, "scheduleSingleSend", 400, json={"send_at": send_at}
    )

    assert body == _spec_examples.response("sendgrid", "scheduleSingleSend", "400")
    assert provider.status(fake) == "draft"


def test_a_mailglyph_scheduled_for_that_is_not_a_date_time_is_the_422_naming_it(
    mailglyph_fake: FakeMailGlyph, spec_check: SpecCheck
) -> None:
    with mailglyph_fake.http_client(headers=bearer(mailglyph_fake.api_key)) as client:
        response = client.post("/campaigns/cmp_1/send", json={"scheduledFor": "2100-01-01"})

    assert response.status_code == 422
    spec_check("mailglyph", "sendCampaign", 422, response.json())
    assert [e["field"] for e in response.json()["error"]["errors"]] == ["scheduledFor"]
    assert mailglyph_fake.campaign("cmp_1").status == "DRAFT"


@pytest.mark.parametrize("provider", WITH_TEST_SENDS, ids=by_key)
def test_a_bad_request_for_an_unknown_id_is_refused_as_bad(
    client: httpx.Client, spec_check: SpecCheck, provider: Provider
) -> None:
    """The schema is checked before the campaign is looked up."""
    provider.checked(
        client,
        spec_check,
        "sendTestCampaign",
        provider.invalid,
        provider.other_id,
        json={provider.test_field: "useratexample.com"},
    )


def test_a_missing_key_is_401_before_a_bad_request(provider: Provider) -> None:
    fake = provider.fake()
    operation = provider.send_now
    with fake.http_client() as client:
        response = provider.call(client, operation, content=b"{no")

    assert response.status_code == 401
