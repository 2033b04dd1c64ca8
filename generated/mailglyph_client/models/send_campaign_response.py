from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.campaign import Campaign


T = TypeVar("T", bound="SendCampaignResponse")


@_attrs_define
class SendCampaignResponse:
    """MailGlyph's success envelope around the campaign.

    Example:
        {'success': True, 'data': {'id': 'cmp_8f3a2b1c', 'name': 'November product update', 'description': 'Monthly
            digest for active customers', 'subject': "What's new in November", 'body': "<h1>What's new</h1><p>Three features
            shipped this month.</p>", 'from': 'news@example.com', 'fromName': 'Example Team', 'replyTo':
            'support@example.com', 'audienceCondition': {'groups': [{'filters': [{'field': 'plan', 'value': 'pro'}],
            'conditions': None}]}, 'segmentId': 'seg_41d9e7', 'totalRecipients': 1250, 'sentCount': 0, 'deliveredCount': 0,
            'openedCount': 0, 'clickedCount': 0, 'bouncedCount': 0, 'scheduledFor': '2023-11-07T05:31:56Z', 'sentAt':
            '2023-11-07T05:31:56Z', 'createdAt': '2023-11-01T09:12:00Z', 'updatedAt': '2023-11-07T05:31:56Z', 'segment':
            {'id': 'seg_41d9e7', 'name': 'Pro customers', 'description': 'Everyone on the pro plan', 'condition': {'groups':
            [{'filters': [{'field': 'plan', 'value': 'pro'}], 'conditions': None}]}, 'trackMembership': True, 'memberCount':
            1250, 'projectId': 'prj_2c7e90', 'createdAt': '2023-10-15T08:00:00Z', 'updatedAt': '2023-11-01T09:12:00Z'}},
            'message': 'Campaign scheduled'}

    """

    success: bool
    data: Campaign
    """ A campaign as MailGlyph returns it. The service also sends fields not shown here (such as `audienceType`);
    they are kept. """
    message: str | Unset = UNSET
    """ A human-readable summary, such as "Campaign scheduled". """
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

        send_campaign_response = cls(
            success=success,
            data=data,
            message=message,
        )

        send_campaign_response.additional_properties = d
        return send_campaign_response

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
