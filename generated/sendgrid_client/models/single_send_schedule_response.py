from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SingleSendScheduleResponse")


@_attrs_define
class SingleSendScheduleResponse:
    """The Single Send's schedule after a send-now or a schedule.

    Example:
        {'send_at': '2030-01-28T23:21:52Z', 'status': 'scheduled'}

    """

    send_at: datetime.datetime
    """ The instant the Single Send is scheduled to be sent. """
    status: str
    """ The Single Send's status, a free string; SendGrid documents `scheduled` here. Known values: `draft`,
    `scheduled`, `triggered`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        send_at = self.send_at.isoformat()

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "send_at": send_at,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        send_at = datetime.datetime.fromisoformat(d.pop("send_at"))

        status = d.pop("status")

        single_send_schedule_response = cls(
            send_at=send_at,
            status=status,
        )

        single_send_schedule_response.additional_properties = d
        return single_send_schedule_response

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
