from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.single_send_schedule_request import SingleSendScheduleRequest
from ...models.single_send_schedule_response import SingleSendScheduleResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: SingleSendScheduleRequest,
    on_behalf_of: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(on_behalf_of, Unset):
        headers["on-behalf-of"] = on_behalf_of

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v3/marketing/singlesends/{id}/schedule".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | SingleSendScheduleResponse | None:
    if response.status_code == 201:
        response_201 = SingleSendScheduleResponse.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | SingleSendScheduleResponse]:
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
    body: SingleSendScheduleRequest,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SingleSendScheduleResponse]:
    """Send a Single Send now or schedule it

     With `send_at` set to the string `now`, starts sending the Single Send at once; with a future date-
    time, schedules it for that instant. Not idempotent, and SendGrid documents no refusal of a Single
    Send that is already scheduled or already sent: a repeat may overwrite a schedule or send a second
    time. The client therefore reads the Single Send (`getSingleSend`) before each call and never
    repeats one whose outcome is not known unless a read proves it was not applied. A send-now settles
    as a send, a date-time as a schedule.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):
        body (SingleSendScheduleRequest): When to send the Single Send. Example: {'send_at':
            'now'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SingleSendScheduleResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
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
    body: SingleSendScheduleRequest,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SingleSendScheduleResponse | None:
    """Send a Single Send now or schedule it

     With `send_at` set to the string `now`, starts sending the Single Send at once; with a future date-
    time, schedules it for that instant. Not idempotent, and SendGrid documents no refusal of a Single
    Send that is already scheduled or already sent: a repeat may overwrite a schedule or send a second
    time. The client therefore reads the Single Send (`getSingleSend`) before each call and never
    repeats one whose outcome is not known unless a read proves it was not applied. A send-now settles
    as a send, a date-time as a schedule.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):
        body (SingleSendScheduleRequest): When to send the Single Send. Example: {'send_at':
            'now'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SingleSendScheduleResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        on_behalf_of=on_behalf_of,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SingleSendScheduleRequest,
    on_behalf_of: str | Unset = UNSET,
) -> Response[ErrorResponse | SingleSendScheduleResponse]:
    """Send a Single Send now or schedule it

     With `send_at` set to the string `now`, starts sending the Single Send at once; with a future date-
    time, schedules it for that instant. Not idempotent, and SendGrid documents no refusal of a Single
    Send that is already scheduled or already sent: a repeat may overwrite a schedule or send a second
    time. The client therefore reads the Single Send (`getSingleSend`) before each call and never
    repeats one whose outcome is not known unless a read proves it was not applied. A send-now settles
    as a send, a date-time as a schedule.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):
        body (SingleSendScheduleRequest): When to send the Single Send. Example: {'send_at':
            'now'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | SingleSendScheduleResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        on_behalf_of=on_behalf_of,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SingleSendScheduleRequest,
    on_behalf_of: str | Unset = UNSET,
) -> ErrorResponse | SingleSendScheduleResponse | None:
    """Send a Single Send now or schedule it

     With `send_at` set to the string `now`, starts sending the Single Send at once; with a future date-
    time, schedules it for that instant. Not idempotent, and SendGrid documents no refusal of a Single
    Send that is already scheduled or already sent: a repeat may overwrite a schedule or send a second
    time. The client therefore reads the Single Send (`getSingleSend`) before each call and never
    repeats one whose outcome is not known unless a read proves it was not applied. A send-now settles
    as a send, a date-time as a schedule.

    Args:
        id (UUID):
        on_behalf_of (str | Unset):
        body (SingleSendScheduleRequest): When to send the Single Send. Example: {'send_at':
            'now'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | SingleSendScheduleResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            on_behalf_of=on_behalf_of,
        )
    ).parsed
