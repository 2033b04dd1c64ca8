from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.campaign import Campaign
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    campaign_id: int,
    *,
    on_behalf_of: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(on_behalf_of, Unset):
        headers["on-behalf-of"] = on_behalf_of

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v3/campaigns/{campaign_id}".format(
            campaign_id=quote(str(campaign_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Campaign | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = Campaign.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Campaign | ErrorResponse]:
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
    on_behalf_of: str | Unset = UNSET,
) -> Response[Campaign | ErrorResponse]:
    """Read a campaign

     Reads one campaign with its `status`; the client reads it to settle a send or schedule whose outcome
    is unknown. Safe to repeat. Not in the seed document: from SendGrid's published OpenAPI description
    of the legacy campaigns API (operation `GetCampaign`), which documents 200, 401 and 404; the other
    statuses are those of the sibling operations.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | ErrorResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
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
    on_behalf_of: str | Unset = UNSET,
) -> Campaign | ErrorResponse | None:
    """Read a campaign

     Reads one campaign with its `status`; the client reads it to settle a send or schedule whose outcome
    is unknown. Safe to repeat. Not in the seed document: from SendGrid's published OpenAPI description
    of the legacy campaigns API (operation `GetCampaign`), which documents 200, 401 and 404; the other
    statuses are those of the sibling operations.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | ErrorResponse
    """

    return sync_detailed(
        campaign_id=campaign_id,
        client=client,
        on_behalf_of=on_behalf_of,
    ).parsed


async def asyncio_detailed(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> Response[Campaign | ErrorResponse]:
    """Read a campaign

     Reads one campaign with its `status`; the client reads it to settle a send or schedule whose outcome
    is unknown. Safe to repeat. Not in the seed document: from SendGrid's published OpenAPI description
    of the legacy campaigns API (operation `GetCampaign`), which documents 200, 401 and 404; the other
    statuses are those of the sibling operations.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Campaign | ErrorResponse]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        on_behalf_of=on_behalf_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    campaign_id: int,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> Campaign | ErrorResponse | None:
    """Read a campaign

     Reads one campaign with its `status`; the client reads it to settle a send or schedule whose outcome
    is unknown. Safe to repeat. Not in the seed document: from SendGrid's published OpenAPI description
    of the legacy campaigns API (operation `GetCampaign`), which documents 200, 401 and 404; the other
    statuses are those of the sibling operations.

    Args:
        campaign_id (int):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Campaign | ErrorResponse
    """

    return (
        await asyncio_detailed(
            campaign_id=campaign_id,
            client=client,
            on_behalf_of=on_behalf_of,
        )
    ).parsed
