from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.single_send_email_config import SingleSendEmailConfig
    from ..models.single_send_recipients import SingleSendRecipients
    from ..models.single_send_warning import SingleSendWarning


T = TypeVar("T", bound="SingleSend")


@_attrs_define
class SingleSend:
    """A Single Send of the new Marketing Campaigns. SendGrid's published description marks no field as required; every
    field here is optional and unknown fields are kept.

        Example:
            {'id': '0b5e9c55-0c4a-4b83-9b9b-7a2a1c8f6d21', 'name': 'March product news', 'status': 'draft', 'send_at': None}

    """

    id: UUID | Unset = UNSET
    """ The Single Send's id. """
    name: str | Unset = UNSET
    """ The Single Send's name (1 to 100 characters). """
    status: str | Unset = UNSET
    """ The Single Send's state, a free string. Known values: `draft` (not scheduled), `scheduled` (to be sent at
    `send_at`) and `triggered` (its send has started). Any string is accepted, so a new state never makes a read
    fail; the client treats one it does not know as "unknown" when it settles a send, and refuses to send or
    schedule from it. """
    categories: list[str] | Unset = UNSET
    """ Up to 10 categories of the Single Send. """
    send_at: datetime.datetime | None | Unset = UNSET
    """ When the Single Send is, or was, to be sent. It has no effect while the status is `draft`: only the schedule
    operation schedules it. """
    send_to: SingleSendRecipients | Unset = UNSET
    """ Who the Single Send goes to. """
    created_at: datetime.datetime | Unset = UNSET
    """ When the Single Send was created. """
    updated_at: datetime.datetime | Unset = UNSET
    """ When the Single Send was last changed. """
    email_config: SingleSendEmailConfig | Unset = UNSET
    """ The Single Send's message and sender. """
    warnings: list[SingleSendWarning] | Unset = UNSET
    """ What SendGrid warns about this Single Send. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id: str | Unset = UNSET
        if not isinstance(self.id, Unset):
            id = str(self.id)

        name = self.name

        status = self.status

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        send_to: dict[str, Any] | Unset = UNSET
        if not isinstance(self.send_to, Unset):
            send_to = self.send_to.to_dict()

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        email_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.email_config, Unset):
            email_config = self.email_config.to_dict()

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status
        if categories is not UNSET:
            field_dict["categories"] = categories
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if send_to is not UNSET:
            field_dict["send_to"] = send_to
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if email_config is not UNSET:
            field_dict["email_config"] = email_config
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.single_send_email_config import SingleSendEmailConfig  # noqa: PLC0415
        from ..models.single_send_recipients import SingleSendRecipients  # noqa: PLC0415
        from ..models.single_send_warning import SingleSendWarning  # noqa: PLC0415

        d = dict(src_dict)
        _id = d.pop("id", UNSET)
        id: UUID | Unset
        if isinstance(_id, Unset):
            id = UNSET
        else:
            id = UUID(_id)

        name = d.pop("name", UNSET)

        status = d.pop("status", UNSET)

        categories = cast(list[str], d.pop("categories", UNSET))

        def _parse_send_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        send_at = _parse_send_at(d.pop("send_at", UNSET))

        _send_to = d.pop("send_to", UNSET)
        send_to: SingleSendRecipients | Unset
        if isinstance(_send_to, Unset):
            send_to = UNSET
        else:
            send_to = SingleSendRecipients.from_dict(_send_to)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        _email_config = d.pop("email_config", UNSET)
        email_config: SingleSendEmailConfig | Unset
        if isinstance(_email_config, Unset):
            email_config = UNSET
        else:
            email_config = SingleSendEmailConfig.from_dict(_email_config)

        _warnings = d.pop("warnings", UNSET)
        warnings: list[SingleSendWarning] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = SingleSendWarning.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        single_send = cls(
            id=id,
            name=name,
            status=status,
            categories=categories,
            send_at=send_at,
            send_to=send_to,
            created_at=created_at,
            updated_at=updated_at,
            email_config=email_config,
            warnings=warnings,
        )

        single_send.additional_properties = d
        return single_send

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
