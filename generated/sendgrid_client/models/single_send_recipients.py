from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SingleSendRecipients")


@_attrs_define
class SingleSendRecipients:
    """Who the Single Send goes to.

    Example:
        {'list_ids': ['7dce758d-1155-4102-88d2-ca65565ac98b'], 'segment_ids': [], 'all': False}

    """

    list_ids: list[UUID] | Unset = UNSET
    """ The contact lists (up to 50) it is sent to. """
    segment_ids: list[UUID] | Unset = UNSET
    """ The segments (up to 10) it is sent to. """
    all_: bool | Unset = UNSET
    """ True to send to all contacts, ignoring the lists and segments. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        list_ids: list[str] | Unset = UNSET
        if not isinstance(self.list_ids, Unset):
            list_ids = []
            for list_ids_item_data in self.list_ids:
                list_ids_item = str(list_ids_item_data)
                list_ids.append(list_ids_item)

        segment_ids: list[str] | Unset = UNSET
        if not isinstance(self.segment_ids, Unset):
            segment_ids = []
            for segment_ids_item_data in self.segment_ids:
                segment_ids_item = str(segment_ids_item_data)
                segment_ids.append(segment_ids_item)

        all_ = self.all_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if list_ids is not UNSET:
            field_dict["list_ids"] = list_ids
        if segment_ids is not UNSET:
            field_dict["segment_ids"] = segment_ids
        if all_ is not UNSET:
            field_dict["all"] = all_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _list_ids = d.pop("list_ids", UNSET)
        list_ids: list[UUID] | Unset = UNSET
        if _list_ids is not UNSET:
            list_ids = []
            for list_ids_item_data in _list_ids:
                list_ids_item = UUID(list_ids_item_data)

                list_ids.append(list_ids_item)

        _segment_ids = d.pop("segment_ids", UNSET)
        segment_ids: list[UUID] | Unset = UNSET
        if _segment_ids is not UNSET:
            segment_ids = []
            for segment_ids_item_data in _segment_ids:
                segment_ids_item = UUID(segment_ids_item_data)

                segment_ids.append(segment_ids_item)

        all_ = d.pop("all", UNSET)

        single_send_recipients = cls(
            list_ids=list_ids,
            segment_ids=segment_ids,
            all_=all_,
        )

        single_send_recipients.additional_properties = d
        return single_send_recipients

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
