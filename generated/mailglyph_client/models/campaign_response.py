from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.campaign import Campaign


T = TypeVar("T", bound="CampaignResponse")


@_attrs_define
class CampaignResponse:
    """MailGlyph's success envelope around one campaign (read or cancel).

    Example:
        {'success': True, 'data': {'id': 'cmp_2d4e6f80', 'name': 'Spring sale', 'subject': '20% off this week', 'body':
            '<p>Our spring sale starts today.</p>', 'from': 'sales@example.com', 'status': 'DRAFT', 'totalRecipients': 300,
            'sentCount': 0, 'deliveredCount': 0, 'openedCount': 0, 'clickedCount': 0, 'bouncedCount': 0, 'scheduledFor':
            None, 'sentAt': None, 'createdAt': '2024-03-18T15:30:00Z', 'updatedAt': '2024-03-18T15:30:00Z'}}

    """

    success: bool
    data: Campaign
    """ A campaign as MailGlyph returns it. The service also sends fields not shown here (such as `audienceType`);
    they are kept. """
    message: str | Unset = UNSET
    """ A human-readable summary, when there is one. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.campaign import Campaign  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = Campaign.from_dict(d.pop("data"))

        message = d.pop("message", UNSET)

        campaign_response = cls(
            success=success,
            data=data,
            message=message,
        )

        campaign_response.additional_properties = d
        return campaign_response

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
