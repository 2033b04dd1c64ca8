from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign:
    """A legacy campaign. SendGrid's published description marks no field as required; every field here is optional and
    unknown fields are kept.

        Example:
            {'id': 4901, 'title': 'March newsletter', 'subject': 'Spring is here', 'status': 'Draft'}

    """

    id: int | Unset = UNSET
    title: str | Unset = UNSET
    subject: str | Unset = UNSET
    sender_id: int | Unset = UNSET
    list_ids: list[int] | Unset = UNSET
    segment_ids: list[int] | Unset = UNSET
    categories: list[str] | Unset = UNSET
    suppression_group_id: int | Unset = UNSET
    custom_unsubscribe_url: str | Unset = UNSET
    ip_pool: str | Unset = UNSET
    html_content: str | Unset = UNSET
    plain_content: str | Unset = UNSET
    status: str | Unset = UNSET
    """ The campaign's state, a free string. Values seen in SendGrid's examples and messages: `Draft`, `Scheduled`,
    `In Progress`, `Sent`, `Paused` and `Canceled`. Any string is accepted, so a new state never makes a read fail;
    the client treats one it does not know as "unknown" when it settles a send. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        subject = self.subject

        sender_id = self.sender_id

        list_ids: list[int] | Unset = UNSET
        if not isinstance(self.list_ids, Unset):
            list_ids = self.list_ids

        segment_ids: list[int] | Unset = UNSET
        if not isinstance(self.segment_ids, Unset):
            segment_ids = self.segment_ids

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        suppression_group_id = self.suppression_group_id

        custom_unsubscribe_url = self.custom_unsubscribe_url

        ip_pool = self.ip_pool

        html_content = self.html_content

        plain_content = self.plain_content

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if title is not UNSET:
            field_dict["title"] = title
        if subject is not UNSET:
            field_dict["subject"] = subject
        if sender_id is not UNSET:
            field_dict["sender_id"] = sender_id
        if list_ids is not UNSET:
            field_dict["list_ids"] = list_ids
        if segment_ids is not UNSET:
            field_dict["segment_ids"] = segment_ids
        if categories is not UNSET:
            field_dict["categories"] = categories
        if suppression_group_id is not UNSET:
            field_dict["suppression_group_id"] = suppression_group_id
        if custom_unsubscribe_url is not UNSET:
            field_dict["custom_unsubscribe_url"] = custom_unsubscribe_url
        if ip_pool is not UNSET:
            field_dict["ip_pool"] = ip_pool
        if html_content is not UNSET:
            field_dict["html_content"] = html_content
        if plain_content is not UNSET:
            field_dict["plain_content"] = plain_content
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        title = d.pop("title", UNSET)

        subject = d.pop("subject", UNSET)

        sender_id = d.pop("sender_id", UNSET)

        list_ids = cast(list[int], d.pop("list_ids", UNSET))

        segment_ids = cast(list[int], d.pop("segment_ids", UNSET))

        categories = cast(list[str], d.pop("categories", UNSET))

        suppression_group_id = d.pop("suppression_group_id", UNSET)

        custom_unsubscribe_url = d.pop("custom_unsubscribe_url", UNSET)

        ip_pool = d.pop("ip_pool", UNSET)

        html_content = d.pop("html_content", UNSET)

        plain_content = d.pop("plain_content", UNSET)

        status = d.pop("status", UNSET)

        campaign = cls(
            id=id,
            title=title,
            subject=subject,
            sender_id=sender_id,
            list_ids=list_ids,
            segment_ids=segment_ids,
            categories=categories,
            suppression_group_id=suppression_group_id,
            custom_unsubscribe_url=custom_unsubscribe_url,
            ip_pool=ip_pool,
            html_content=html_content,
            plain_content=plain_content,
            status=status,
        )

        campaign.additional_properties = d
        return campaign

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
