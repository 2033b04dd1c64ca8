from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.single_send import SingleSend
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    on_behalf_of: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(on_behalf_of, Unset):
        headers["on-behalf-of"] = on_behalf_of

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v3/marketing/singlesends/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SingleSend | None:
    if response.status_code == 200:
        response_200 = SingleSend.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | SingleSend]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SingleSend]:
    """Read a Single Send

     Reads one Single Send with its `status` and `send_at`. The client reads it before each send or
    schedule (a `triggered` Single Send is never sent again) and to settle a call whose outcome is not
    known. Safe to repeat.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SingleSend]
    """

    kwargs = _get_kwargs(
        id=id,
        on_behalf_of=on_behalf_of,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SingleSend | None:
    """Read a Single Send

     Reads one Single Send with its `status` and `send_at`. The client reads it before each send or
    schedule (a `triggered` Single Send is never sent again) and to settle a call whose outcome is not
    known. Safe to repeat.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SingleSend
    """

    return sync_detailed(
        id=id,
        client=client,
        on_behalf_of=on_behalf_of,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SingleSend]:
    """Read a Single Send

     Reads one Single Send with its `status` and `send_at`. The client reads it before each send or
    schedule (a `triggered` Single Send is never sent again) and to settle a call whose outcome is not
    known. Safe to repeat.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SingleSend]
    """

    kwargs = _get_kwargs(
        id=id,
        on_behalf_of=on_behalf_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SingleSend | None:
    """Read a Single Send

     Reads one Single Send with its `status` and `send_at`. The client reads it before each send or
    schedule (a `triggered` Single Send is never sent again) and to settle a call whose outcome is not
    known. Safe to repeat.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SingleSend
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            on_behalf_of=on_behalf_of,
        )
    ).parsed
