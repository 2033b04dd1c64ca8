from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.send_campaign_request import SendCampaignRequest
from ...models.send_campaign_response import SendCampaignResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    body: SendCampaignRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/campaigns/{id}/send".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SendCampaignResponse | None:
    if response.status_code == 200:
        response_200 = SendCampaignResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | SendCampaignResponse]:
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
    body: SendCampaignRequest | Unset = UNSET,
) -> Response[ErrorResponse | SendCampaignResponse]:
    """Send or schedule a campaign

     Sends the campaign at once when `scheduledFor` is omitted or null, or schedules it for the given
    instant. Not idempotent: each accepted call may start a send. MailGlyph refuses it with 400 unless
    the campaign is `DRAFT` or `SCHEDULED` ("Campaign has already been sent or is currently sending");
    starting a send sets `SENDING` and `sentAt`, scheduling sets `SCHEDULED` and `scheduledFor`.

    Args:
        id (str):
        body (SendCampaignRequest | Unset): Omit the body, or `scheduledFor`, or set it to null,
            to send now. Example: {'scheduledFor': '2023-11-07T05:31:56Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendCampaignResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SendCampaignRequest | Unset = UNSET,
) -> ErrorResponse | SendCampaignResponse | None:
    """Send or schedule a campaign

     Sends the campaign at once when `scheduledFor` is omitted or null, or schedules it for the given
    instant. Not idempotent: each accepted call may start a send. MailGlyph refuses it with 400 unless
    the campaign is `DRAFT` or `SCHEDULED` ("Campaign has already been sent or is currently sending");
    starting a send sets `SENDING` and `sentAt`, scheduling sets `SCHEDULED` and `scheduledFor`.

    Args:
        id (str):
        body (SendCampaignRequest | Unset): Omit the body, or `scheduledFor`, or set it to null,
            to send now. Example: {'scheduledFor': '2023-11-07T05:31:56Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendCampaignResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SendCampaignRequest | Unset = UNSET,
) -> Response[ErrorResponse | SendCampaignResponse]:
    """Send or schedule a campaign

     Sends the campaign at once when `scheduledFor` is omitted or null, or schedules it for the given
    instant. Not idempotent: each accepted call may start a send. MailGlyph refuses it with 400 unless
    the campaign is `DRAFT` or `SCHEDULED` ("Campaign has already been sent or is currently sending");
    starting a send sets `SENDING` and `sentAt`, scheduling sets `SCHEDULED` and `scheduledFor`.

    Args:
        id (str):
        body (SendCampaignRequest | Unset): Omit the body, or `scheduledFor`, or set it to null,
            to send now. Example: {'scheduledFor': '2023-11-07T05:31:56Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SendCampaignResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: SendCampaignRequest | Unset = UNSET,
) -> ErrorResponse | SendCampaignResponse | None:
    """Send or schedule a campaign

     Sends the campaign at once when `scheduledFor` is omitted or null, or schedules it for the given
    instant. Not idempotent: each accepted call may start a send. MailGlyph refuses it with 400 unless
    the campaign is `DRAFT` or `SCHEDULED` ("Campaign has already been sent or is currently sending");
    starting a send sets `SENDING` and `sentAt`, scheduling sets `SCHEDULED` and `scheduledFor`.

    Args:
        id (str):
        body (SendCampaignRequest | Unset): Omit the body, or `scheduledFor`, or set it to null,
            to send now. Example: {'scheduledFor': '2023-11-07T05:31:56Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SendCampaignResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
