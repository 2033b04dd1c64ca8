from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SingleSendWarning")


@_attrs_define
class SingleSendWarning:
    """One warning about a Single Send.

    Example:
        {'message': 'The suppression group is missing', 'field': 'email_config.suppression_group_id', 'warning_id':
            'missing_suppression_group'}

    """

    message: str | Unset = UNSET
    field: str | Unset = UNSET
    warning_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        field = self.field

        warning_id = self.warning_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message is not UNSET:
            field_dict["message"] = message
        if field is not UNSET:
            field_dict["field"] = field
        if warning_id is not UNSET:
            field_dict["warning_id"] = warning_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message", UNSET)

        field = d.pop("field", UNSET)

        warning_id = d.pop("warning_id", UNSET)

        single_send_warning = cls(
            message=message,
            field=field,
            warning_id=warning_id,
        )

        single_send_warning.additional_properties = d
        return single_send_warning

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
