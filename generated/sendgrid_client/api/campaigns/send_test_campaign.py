from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.send_test_request import SendTestRequest
from ...models.send_test_response import SendTestResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    campaign_id: int,
    *,
    body: SendTestRequest,
    on_behalf_of: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(on_behalf_of, Unset):
        headers["on-behalf-of"] = on_behalf_of

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v3/campaigns/{campaign_id}/schedules/test".format(
            campaign_id=quote(str(campaign_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SendTestResponse | None:
    if response.status_code == 201:
        response_201 = SendTestResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | SendTestResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: SendTestRequest,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SendTestResponse]:
    """Send a test copy of a campaign

     Sends one copy of the campaign to the address in `to`; the campaign's state does not change. Not
    repeated after an unknown outcome (it would mail a second copy). Not in the seed document: from
    SendGrid's published OpenAPI description (operation `SendTestCampaign`), which documents 201, 400
    and 404 and a single `to` address.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):
        body (SendTestRequest): Where to send the test copy. Example: {'to': 'qa@example.com'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendTestResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
        on_behalf_of=on_behalf_of,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: SendTestRequest,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SendTestResponse | None:
    """Send a test copy of a campaign

     Sends one copy of the campaign to the address in `to`; the campaign's state does not change. Not
    repeated after an unknown outcome (it would mail a second copy). Not in the seed document: from
    SendGrid's published OpenAPI description (operation `SendTestCampaign`), which documents 201, 400
    and 404 and a single `to` address.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):
        body (SendTestRequest): Where to send the test copy. Example: {'to': 'qa@example.com'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendTestResponse
    """

    return sync_detailed(
        campaign_id=campaign_id,
        client=client,
        body=body,
        on_behalf_of=on_behalf_of,
    ).parsed


async def asyncio_detailed(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: SendTestRequest,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SendTestResponse]:
    """Send a test copy of a campaign

     Sends one copy of the campaign to the address in `to`; the campaign's state does not change. Not
    repeated after an unknown outcome (it would mail a second copy). Not in the seed document: from
    SendGrid's published OpenAPI description (operation `SendTestCampaign`), which documents 201, 400
    and 404 and a single `to` address.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):
        body (SendTestRequest): Where to send the test copy. Example: {'to': 'qa@example.com'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendTestResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
        on_behalf_of=on_behalf_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: SendTestRequest,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SendTestResponse | None:
    """Send a test copy of a campaign

     Sends one copy of the campaign to the address in `to`; the campaign's state does not change. Not
    repeated after an unknown outcome (it would mail a second copy). Not in the seed document: from
    SendGrid's published OpenAPI description (operation `SendTestCampaign`), which documents 201, 400
    and 404 and a single `to` address.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):
        body (SendTestRequest): Where to send the test copy. Example: {'to': 'qa@example.com'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendTestResponse
    """

    return (
        await asyncio_detailed(
            campaign_id=campaign_id,
            client=client,
            body=body,
            on_behalf_of=on_behalf_of,
        )
    ).parsed
