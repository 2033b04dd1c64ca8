from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.single_send_schedule_request_send_now import (
    SingleSendScheduleRequestSendNow,
    check_single_send_schedule_request_send_now,
)

T = TypeVar("T", bound="SingleSendScheduleRequest")


@_attrs_define
class SingleSendScheduleRequest:
    """When to send the Single Send.

    Example:
        {'send_at': 'now'}

    """

    send_at: datetime.datetime | SingleSendScheduleRequestSendNow
    """ The string `now` to send at once, or the future instant to send at (ISO 8601 in UTC, `yyyy-MM-
    ddTHH:mm:ssZ`). SendGrid's description types it as a date-time only although it documents `now`; both are
    allowed here. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        send_at: str
        if isinstance(self.send_at, str):
            send_at = self.send_at
        else:
            send_at = self.send_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "send_at": send_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_send_at(
            data: object,
        ) -> datetime.datetime | SingleSendScheduleRequestSendNow:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_send_now = check_single_send_schedule_request_send_now(data)

                return send_at_send_now
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            send_at_type_1 = datetime.datetime.fromisoformat(data)

            return send_at_type_1

        send_at = _parse_send_at(d.pop("send_at"))

        single_send_schedule_request = cls(
            send_at=send_at,
        )

        single_send_schedule_request.additional_properties = d
        return single_send_schedule_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
