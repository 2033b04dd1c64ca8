from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audience_condition import AudienceCondition
    from ..models.segment import Segment


T = TypeVar("T", bound="Campaign")


@_attrs_define
class Campaign:
    """A campaign as MailGlyph returns it. The service also sends fields not shown here (such as `audienceType`); they are
    kept.

        Example:
            {'id': 'cmp_2d4e6f80', 'name': 'Spring sale', 'subject': '20% off this week', 'body': '<p>Our spring sale starts
                today.</p>', 'from': 'sales@example.com', 'fromName': None, 'totalRecipients': 300, 'sentCount': 300,
                'deliveredCount': 296, 'openedCount': 120, 'clickedCount': 41, 'bouncedCount': 4, 'sentAt':
                '2024-03-20T10:00:00Z', 'createdAt': '2024-03-18T15:30:00Z', 'updatedAt': '2024-03-20T10:05:00Z', 'status':
                'SENT', 'audienceType': 'ALL'}

    """

    id: str
    name: str
    subject: str
    body: str
    """ The campaign's HTML content. """
    from_: str
    total_recipients: int
    sent_count: int
    delivered_count: int
    opened_count: int
    clicked_count: int
    bounced_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    from_name: None | str | Unset = UNSET
    reply_to: None | str | Unset = UNSET
    audience_condition: AudienceCondition | None | Unset = UNSET
    segment_id: None | str | Unset = UNSET
    status: str | Unset = UNSET
    """ The campaign's state. Known values: `DRAFT`, `SCHEDULED`, `SENDING`, `SENT` and `CANCELLED`. Any string is
    accepted, so a state MailGlyph adds later never makes a read fail; the client treats one it does not know as
    "unknown" when it settles a send. """
    scheduled_for: datetime.datetime | None | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET
    segment: None | Segment | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audience_condition import AudienceCondition  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415

        id = self.id

        name = self.name

        subject = self.subject

        body = self.body

        from_ = self.from_

        total_recipients = self.total_recipients

        sent_count = self.sent_count

        delivered_count = self.delivered_count

        opened_count = self.opened_count

        clicked_count = self.clicked_count

        bounced_count = self.bounced_count

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        from_name: None | str | Unset
        if isinstance(self.from_name, Unset):
            from_name = UNSET
        else:
            from_name = self.from_name

        reply_to: None | str | Unset
        if isinstance(self.reply_to, Unset):
            reply_to = UNSET
        else:
            reply_to = self.reply_to

        audience_condition: dict[str, Any] | None | Unset
        if isinstance(self.audience_condition, Unset):
            audience_condition = UNSET
        elif isinstance(self.audience_condition, AudienceCondition):
            audience_condition = self.audience_condition.to_dict()
        else:
            audience_condition = self.audience_condition

        segment_id: None | str | Unset
        if isinstance(self.segment_id, Unset):
            segment_id = UNSET
        else:
            segment_id = self.segment_id

        status = self.status

        scheduled_for: None | str | Unset
        if isinstance(self.scheduled_for, Unset):
            scheduled_for = UNSET
        elif isinstance(self.scheduled_for, datetime.datetime):
            scheduled_for = self.scheduled_for.isoformat()
        else:
            scheduled_for = self.scheduled_for

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        segment: dict[str, Any] | None | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        elif isinstance(self.segment, Segment):
            segment = self.segment.to_dict()
        else:
            segment = self.segment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "subject": subject,
                "body": body,
                "from": from_,
                "totalRecipients": total_recipients,
                "sentCount": sent_count,
                "deliveredCount": delivered_count,
                "openedCount": opened_count,
                "clickedCount": clicked_count,
                "bouncedCount": bounced_count,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if from_name is not UNSET:
            field_dict["fromName"] = from_name
        if reply_to is not UNSET:
            field_dict["replyTo"] = reply_to
        if audience_condition is not UNSET:
            field_dict["audienceCondition"] = audience_condition
        if segment_id is not UNSET:
            field_dict["segmentId"] = segment_id
        if status is not UNSET:
            field_dict["status"] = status
        if scheduled_for is not UNSET:
            field_dict["scheduledFor"] = scheduled_for
        if sent_at is not UNSET:
            field_dict["sentAt"] = sent_at
        if segment is not UNSET:
            field_dict["segment"] = segment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audience_condition import AudienceCondition  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        subject = d.pop("subject")

        body = d.pop("body")

        from_ = d.pop("from")

        total_recipients = d.pop("totalRecipients")

        sent_count = d.pop("sentCount")

        delivered_count = d.pop("deliveredCount")

        opened_count = d.pop("openedCount")

        clicked_count = d.pop("clickedCount")

        bounced_count = d.pop("bouncedCount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_from_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_name = _parse_from_name(d.pop("fromName", UNSET))

        def _parse_reply_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reply_to = _parse_reply_to(d.pop("replyTo", UNSET))

        def _parse_audience_condition(data: object) -> AudienceCondition | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audience_condition_type_0 = AudienceCondition.from_dict(data)

                return audience_condition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AudienceCondition | None | Unset, data)

        audience_condition = _parse_audience_condition(
            d.pop("audienceCondition", UNSET)
        )

        def _parse_segment_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        segment_id = _parse_segment_id(d.pop("segmentId", UNSET))

        status = d.pop("status", UNSET)

        def _parse_scheduled_for(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_for_type_0 = datetime.datetime.fromisoformat(data)

                return scheduled_for_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduledFor", UNSET))

        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sentAt", UNSET))

        def _parse_segment(data: object) -> None | Segment | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                segment_type_0 = Segment.from_dict(data)

                return segment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Segment | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        campaign = cls(
            id=id,
            name=name,
            subject=subject,
            body=body,
            from_=from_,
            total_recipients=total_recipients,
            sent_count=sent_count,
            delivered_count=delivered_count,
            opened_count=opened_count,
            clicked_count=clicked_count,
            bounced_count=bounced_count,
            created_at=created_at,
            updated_at=updated_at,
            description=description,
            from_name=from_name,
            reply_to=reply_to,
            audience_condition=audience_condition,
            segment_id=segment_id,
            status=status,
            scheduled_for=scheduled_for,
            sent_at=sent_at,
            segment=segment,
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
