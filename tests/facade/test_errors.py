"""Responses and transport failures become the right typed error."""

from __future__ import annotations

import pickle

import httpx
import pytest
from support import Recorder, example, invoke

from campaign_clients import errors

pytestmark = pytest.mark.anyio

STATUS_CLASSES = [
    (400, errors.BadRequestError, False),
    (401, errors.AuthenticationError, False),
    (403, errors.PermissionDeniedError, False),
    (404, errors.NotFoundError, False),
    (409, errors.APIStatusError, False),
    (418, errors.APIStatusError, False),
    (422, errors.UnprocessableEntityError, False),
    (429, errors.RateLimitError, False),
    (500, errors.ServerError, True),
    (502, errors.ServerError, True),
    (503, errors.ServerError, True),
    (520, errors.ServerError, True),
    (599, errors.ServerError, True),
    (302, errors.APIStatusError, True),
]


@pytest.mark.parametrize(("status", "cls", "unknown"), STATUS_CLASSES)
async def test_status_maps_to_error_class(make_client, status, cls, unknown):
    body = {"errors": [{"field": None, "message": f"status {status}"}]}
    sg = make_client("sendgrid", Recorder([httpx.Response(status, json=body)]), max_retries=0)
    with pytest.raises(cls) as info:
        await invoke(sg.send_now, 4900)
    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.outcome_unknown is unknown
    assert error.messages == [f"status {status}"]
    assert error.body == body


async def test_mailglyph_envelope_messages_and_request_id(make_client):
    body = example("mailglyph", "sendCampaign", "422")
    mg = make_client("mailglyph", Recorder([httpx.Response(422, json=body)]))
    with pytest.raises(errors.UnprocessableEntityError) as info:
        await invoke(mg.send_now, "cmp_1")
    error = info.value
    assert error.messages == ["Request validation failed", "scheduledFor must be in the future"]
    assert error.request_id == "req_9e3d1b05"
    assert error.body == body
    assert str(error) == (
        "MailGlyph sendCampaign: HTTP 422: Request validation failed (+1 more) "
        "[request_id=req_9e3d1b05]"
    )


async def test_sendgrid_messages_and_header_request_id(make_client):
    body = example("sendgrid", "sendCampaignNow", "400")
    response = httpx.Response(400, json=body, headers={"X-Request-Id": "hdr-42"})
    sg = make_client("sendgrid", Recorder([response]))
    with pytest.raises(errors.BadRequestError) as info:
        await invoke(sg.send_now, 4900)
    error = info.value
    assert error.messages == [item["message"] for item in body["errors"]]
    assert error.request_id == "hdr-42"
    text = str(error)
    assert "\n" not in text
    assert text.startswith("SendGrid sendCampaignNow: HTTP 400: subject can't be blank")
    assert text.endswith("[request_id=hdr-42]")


@pytest.mark.parametrize(
    ("content", "content_type", "expected_body"),
    [
        (
            b"<html><body>Bad gateway</body></html>",
            "text/html",
            "<html><body>Bad gateway</body></html>",
        ),
        (b"", "text/plain", ""),
    ],
)
async def test_non_json_error_body_is_kept_as_text(
    make_client, content, content_type, expected_body
):
    response = httpx.Response(502, content=content, headers={"Content-Type": content_type})
    mg = make_client("mailglyph", Recorder([response]))
    with pytest.raises(errors.ServerError) as info:
        await invoke(mg.send_now, "cmp_1")
    error = info.value
    assert error.body == expected_body
    assert error.messages == []
    assert error.outcome_unknown is True
    assert "HTTP 502 Bad Gateway (no error message in the body)" in str(error)


def _campaign_without(field: str) -> dict[str, object]:
    body = example("mailglyph", "sendCampaign", "200")
    del body["data"][field]
    return body


def _campaign_with(field: str, value: object) -> dict[str, object]:
    body = example("mailglyph", "sendCampaign", "200")
    body["data"][field] = value
    return body


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (lambda: httpx.Response(200, content=b"<html>ok</html>"), "not JSON"),
        (lambda: httpx.Response(200, content=b""), "not JSON"),
        (lambda: httpx.Response(200, json=[1, 2]), "body should be object, got array"),
        (lambda: httpx.Response(200, json=_campaign_without("subject")), "'subject' is missing"),
        (
            lambda: httpx.Response(200, json=_campaign_with("sentCount", "12")),
            "body.data.sentCount should be integer, got string",
        ),
        (
            lambda: httpx.Response(200, json=_campaign_with("sentCount", True)),
            "body.data.sentCount should be integer, got boolean",
        ),
        (
            lambda: httpx.Response(200, json=_campaign_with("createdAt", "yesterday")),
            "wrong type or format",
        ),
        (lambda: httpx.Response(200, json=_campaign_with("segment", "seg_1")), "segment should be"),
        (lambda: httpx.Response(200, json={"success": True}), "'data' is missing"),
    ],
)
async def test_malformed_success_body_is_a_validation_error(make_client, response, reason):
    rec = Recorder([response()])
    mg = make_client("mailglyph", rec)
    with pytest.raises(errors.ResponseValidationError, match=reason) as info:
        await invoke(mg.send_now, "cmp_1")
    assert info.value.outcome_unknown is True
    assert info.value.status_code == 200
    assert rec.count == 1  # never retried: the campaign may have gone out


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            lambda: httpx.Response(201, json={"id": "4900", "status": "Scheduled"}),
            "body.id should be integer, got string",
        ),
        (lambda: httpx.Response(201, json={"id": 4900}), "'status' is missing"),
        (
            lambda: httpx.Response(201, json={"id": 4900, "status": None}),
            "body.status should be string, got null",
        ),
    ],
)
async def test_malformed_sendgrid_body(make_client, response, reason):
    sg = make_client("sendgrid", Recorder([response()]))
    with pytest.raises(errors.ResponseValidationError, match=reason):
        await invoke(sg.send_now, 4900)


async def test_a_body_on_a_documented_204_is_refused(make_client):
    """Over a socket HTTP drops what follows a 204; a transport that hands it over
    (here httpx.MockTransport) still does not get a body past the spec."""
    rec = Recorder([httpx.Response(204, content=b'{"status": "Scheduled"}')])
    sg = make_client("sendgrid", rec)
    with pytest.raises(errors.ResponseValidationError, match="documents no body for 204") as info:
        await invoke(sg.unschedule, 4900)
    assert info.value.outcome_unknown is True
    assert rec.count == 1


async def test_a_number_must_be_finite_where_the_spec_types_it():
    """No operation types a `number` today; the checks are ready for one that does."""
    from campaign_clients._shapes import shape_check

    check = shape_check({"$ref": "#/components/schemas/Rate"}, {"Rate": RATE})
    assert check({"rate": 0.5, "count": 1, "extra": float("nan")}) is None
    assert check({"rate": 1, "count": 0}) is None
    assert check({"rate": float("nan"), "count": 1}) == (
        ".rate should be number, got the non-finite number nan"
    )
    assert check({"rate": float("-inf"), "count": 1}) == (
        ".rate should be number, got the non-finite number -inf"
    )
    assert check({"rate": True, "count": 1}) == ".rate should be number, got boolean"
    assert check({"rate": 0.5, "count": 1.0}) == ".count should be integer, got number"
    assert check({"count": 1}) == ": required field 'rate' is missing"
    assert check([["rate", 0.5]]) == " should be object, got array"


def test_a_recursive_schema_is_checked_all_the_way_down():
    from campaign_clients._shapes import shape_check

    node = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            "parent": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
        },
    }
    check = shape_check({"$ref": "#/components/schemas/Node"}, {"Node": node})
    leaf = {"name": "c", "parent": None}
    assert check({"name": "a", "children": [{"name": "b", "children": [leaf]}]}) is None
    deep = {"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}
    assert check(deep) == ".children[0].children[0].name should be string, got integer"
    assert check({"name": "a", "parent": [["name", "b"]]}) == (
        ".parent should be object or null, got array"
    )
    assert check({"name": "a", "parent": {"name": None}}) == (
        ".parent.name should be string, got null"
    )


def test_the_facade_model_must_be_the_one_the_spec_documents():
    from sendgrid_client.models import Campaign

    from campaign_clients._calls import Operation

    with pytest.raises(TypeError, match="documents success bodies \\['SendCampaignNowResponse'\\]"):
        Operation("SendGrid", "sendCampaignNow", Campaign.from_dict)
    with pytest.raises(TypeError, match="documents success bodies \\[\\]"):
        Operation("SendGrid", "unscheduleCampaign", Campaign.from_dict)
    with pytest.raises(TypeError, match="parses them with None"):
        Operation("SendGrid", "getCampaign", None)


RATE = {
    "type": "object",
    "required": ["rate"],
    "properties": {"rate": {"type": "number"}, "count": {"type": "integer"}},
}


def test_a_model_float_field_must_be_finite():
    from campaign_clients._schema import _checker

    assert _checker(float)(0.5) and _checker(float)(3)
    assert not _checker(float)(float("nan")) and not _checker(float)(float("inf"))
    assert not _checker(float)(True)
    assert not _checker(float | None)(float("nan")) and _checker(float | None)(None)


@pytest.mark.parametrize(
    ("exc", "cls", "unknown"),
    [
        (httpx.ConnectError("refused"), errors.APIConnectionError, False),
        (httpx.ConnectTimeout("slow connect"), errors.APITimeoutError, False),
        (httpx.PoolTimeout("pool full"), errors.APITimeoutError, False),
        (httpx.ReadTimeout("slow read"), errors.APITimeoutError, True),
        (httpx.WriteTimeout("slow write"), errors.APITimeoutError, True),
        (httpx.ReadError("reset"), errors.APIConnectionError, True),
        (httpx.WriteError("broken pipe"), errors.APIConnectionError, True),
        (httpx.RemoteProtocolError("server disconnected"), errors.APIConnectionError, True),
    ],
)
async def test_transport_failures(make_client, exc, cls, unknown):
    mg = make_client("mailglyph", Recorder([exc]), max_retries=0)
    with pytest.raises(cls) as info:
        await invoke(mg.send_now, "cmp_1")
    assert type(info.value) is cls
    assert info.value.outcome_unknown is unknown
    assert type(exc).__name__ in str(info.value)
    assert ("outcome unknown" in str(info.value)) is unknown


ERROR_SAMPLES = [
    errors.BadRequestError(
        status_code=400,
        messages=["Campaign has already been sent"],
        request_id="req_1",
        body={"error": {"message": "Campaign has already been sent"}},
        outcome_unknown=False,
        provider="MailGlyph",
        operation="sendCampaign",
    ),
    errors.RateLimitError(
        retry_after=12.5,
        status_code=429,
        messages=["too many requests"],
        request_id=None,
        body={"errors": []},
        outcome_unknown=False,
        provider="SendGrid",
        operation="sendCampaignNow",
    ),
    errors.ServerError(
        status_code=520,
        messages=[],
        request_id=None,
        body="<html>",
        outcome_unknown=True,
        provider="SendGrid",
        operation="scheduleCampaign",
    ),
    errors.APITimeoutError(
        "timed out", outcome_unknown=True, provider="MailGlyph", operation="sendCampaign"
    ),
    errors.APIConnectionError("refused", outcome_unknown=False),
    errors.ResponseValidationError("bad body", status_code=200, body="x", provider="SendGrid"),
]


@pytest.mark.parametrize("error", ERROR_SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_pickle_round_trip(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert isinstance(copy, errors.CampaignClientError)


def test_rate_limit_error_carries_retry_after_in_its_text():
    assert "(retry after 12.5 s)" in str(ERROR_SAMPLES[1])
    assert ERROR_SAMPLES[1].retry_after == 12.5


def test_the_package_exports_every_error_class() -> None:
    import campaign_clients

    for name in errors.__all__:
        assert name in campaign_clients.__all__, name
        assert getattr(campaign_clients, name) is getattr(errors, name)
