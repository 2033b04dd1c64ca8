from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SingleSendEmailConfig")


@_attrs_define
class SingleSendEmailConfig:
    """The Single Send's message and sender.

    Example:
        {'subject': 'New in March', 'editor': 'design', 'design_id': 'd-6c9e1b0a3f5e4d2c', 'suppression_group_id': 42,
            'sender_id': 124451}

    """

    subject: str | Unset = UNSET
    """ The subject line (unused when `design_id` is set). """
    html_content: str | Unset = UNSET
    """ The HTML body (unused when `design_id` is set). """
    plain_content: str | Unset = UNSET
    """ The plain-text body (unused when `design_id` is set). """
    generate_plain_content: bool | Unset = UNSET
    """ True when the plain text is made from the HTML. """
    design_id: str | Unset = UNSET
    """ The design used instead of the subject and bodies. """
    editor: str | Unset = UNSET
    """ The editor the Single Send was made with; known values `code` and `design`. """
    suppression_group_id: int | None | Unset = UNSET
    """ The unsubscribe group recipients can leave. """
    custom_unsubscribe_url: None | str | Unset = UNSET
    """ The unsubscribe URL used instead of a suppression group. """
    sender_id: int | None | Unset = UNSET
    """ The verified sender it is sent from. """
    ip_pool: None | str | Unset = UNSET
    """ The IP pool it is sent from. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        html_content = self.html_content

        plain_content = self.plain_content

        generate_plain_content = self.generate_plain_content

        design_id = self.design_id

        editor = self.editor

        suppression_group_id: int | None | Unset
        if isinstance(self.suppression_group_id, Unset):
            suppression_group_id = UNSET
        else:
            suppression_group_id = self.suppression_group_id

        custom_unsubscribe_url: None | str | Unset
        if isinstance(self.custom_unsubscribe_url, Unset):
            custom_unsubscribe_url = UNSET
        else:
            custom_unsubscribe_url = self.custom_unsubscribe_url

        sender_id: int | None | Unset
        if isinstance(self.sender_id, Unset):
            sender_id = UNSET
        else:
            sender_id = self.sender_id

        ip_pool: None | str | Unset
        if isinstance(self.ip_pool, Unset):
            ip_pool = UNSET
        else:
            ip_pool = self.ip_pool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject
        if html_content is not UNSET:
            field_dict["html_content"] = html_content
        if plain_content is not UNSET:
            field_dict["plain_content"] = plain_content
        if generate_plain_content is not UNSET:
            field_dict["generate_plain_content"] = generate_plain_content
        if design_id is not UNSET:
            field_dict["design_id"] = design_id
        if editor is not UNSET:
            field_dict["editor"] = editor
        if suppression_group_id is not UNSET:
            field_dict["suppression_group_id"] = suppression_group_id
        if custom_unsubscribe_url is not UNSET:
            field_dict["custom_unsubscribe_url"] = custom_unsubscribe_url
        if sender_id is not UNSET:
            field_dict["sender_id"] = sender_id
        if ip_pool is not UNSET:
            field_dict["ip_pool"] = ip_pool

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject", UNSET)

        html_content = d.pop("html_content", UNSET)

        plain_content = d.pop("plain_content", UNSET)

        generate_plain_content = d.pop("generate_plain_content", UNSET)

        design_id = d.pop("design_id", UNSET)

        editor = d.pop("editor", UNSET)

        def _parse_suppression_group_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        suppression_group_id = _parse_suppression_group_id(
            d.pop("suppression_group_id", UNSET)
        )

        def _parse_custom_unsubscribe_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        custom_unsubscribe_url = _parse_custom_unsubscribe_url(
            d.pop("custom_unsubscribe_url", UNSET)
        )

        def _parse_sender_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sender_id = _parse_sender_id(d.pop("sender_id", UNSET))

        def _parse_ip_pool(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip_pool = _parse_ip_pool(d.pop("ip_pool", UNSET))

        single_send_email_config = cls(
            subject=subject,
            html_content=html_content,
            plain_content=plain_content,
            generate_plain_content=generate_plain_content,
            design_id=design_id,
            editor=editor,
            suppression_group_id=suppression_group_id,
            custom_unsubscribe_url=custom_unsubscribe_url,
            sender_id=sender_id,
            ip_pool=ip_pool,
        )

        single_send_email_config.additional_properties = d
        return single_send_email_config

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
