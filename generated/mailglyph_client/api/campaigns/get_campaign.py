from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign_response import CampaignResponse
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/campaigns/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CampaignResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CampaignResponse.from_dict(response.json())

        return response_200

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

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CampaignResponse | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CampaignResponse | ErrorResponse]:
    """Get a campaign

     Reads one campaign with its `status`, `scheduledFor` and `sentAt`; the client reads it to settle a
    send whose outcome is unknown. Safe to repeat. Not in the seed document: the route and the
    `{success, data}` envelope come from the official `mailglyph` SDK 2.2.0 (`campaigns.get`) and the
    open-source Plunk server MailGlyph derives from (`GET /campaigns/:id`).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CampaignResponse | ErrorResponse | None:
    """Get a campaign

     Reads one campaign with its `status`, `scheduledFor` and `sentAt`; the client reads it to settle a
    send whose outcome is unknown. Safe to repeat. Not in the seed document: the route and the
    `{success, data}` envelope come from the official `mailglyph` SDK 2.2.0 (`campaigns.get`) and the
    open-source Plunk server MailGlyph derives from (`GET /campaigns/:id`).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignResponse | ErrorResponse
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[CampaignResponse | ErrorResponse]:
    """Get a campaign

     Reads one campaign with its `status`, `scheduledFor` and `sentAt`; the client reads it to settle a
    send whose outcome is unknown. Safe to repeat. Not in the seed document: the route and the
    `{success, data}` envelope come from the official `mailglyph` SDK 2.2.0 (`campaigns.get`) and the
    open-source Plunk server MailGlyph derives from (`GET /campaigns/:id`).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CampaignResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> CampaignResponse | ErrorResponse | None:
    """Get a campaign

     Reads one campaign with its `status`, `scheduledFor` and `sentAt`; the client reads it to settle a
    send whose outcome is unknown. Safe to repeat. Not in the seed document: the route and the
    `{success, data}` envelope come from the official `mailglyph` SDK 2.2.0 (`campaigns.get`) and the
    open-source Plunk server MailGlyph derives from (`GET /campaigns/:id`).

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CampaignResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
