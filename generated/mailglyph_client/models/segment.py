from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audience_condition import AudienceCondition


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """A saved audience segment.

    Example:
        {'id': 'seg_41d9e7', 'name': 'Pro customers', 'description': None, 'condition': {'groups': [{'filters':
            [{'field': 'plan', 'value': 'pro'}], 'conditions': None}]}, 'trackMembership': True, 'memberCount': 1250,
            'projectId': 'prj_2c7e90', 'createdAt': '2023-10-15T08:00:00Z', 'updatedAt': '2023-11-01T09:12:00Z'}

    """

    id: str
    name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    description: None | str | Unset = UNSET
    condition: AudienceCondition | None | Unset = UNSET
    track_membership: bool | Unset = UNSET
    member_count: int | Unset = UNSET
    project_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audience_condition import AudienceCondition  # noqa: PLC0415

        id = self.id

        name = self.name

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        condition: dict[str, Any] | None | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        elif isinstance(self.condition, AudienceCondition):
            condition = self.condition.to_dict()
        else:
            condition = self.condition

        track_membership = self.track_membership

        member_count = self.member_count

        project_id = self.project_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if condition is not UNSET:
            field_dict["condition"] = condition
        if track_membership is not UNSET:
            field_dict["trackMembership"] = track_membership
        if member_count is not UNSET:
            field_dict["memberCount"] = member_count
        if project_id is not UNSET:
            field_dict["projectId"] = project_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audience_condition import AudienceCondition  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_condition(data: object) -> AudienceCondition | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                condition_type_0 = AudienceCondition.from_dict(data)

                return condition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AudienceCondition | None | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        track_membership = d.pop("trackMembership", UNSET)

        member_count = d.pop("memberCount", UNSET)

        project_id = d.pop("projectId", UNSET)

        segment = cls(
            id=id,
            name=name,
            created_at=created_at,
            updated_at=updated_at,
            description=description,
            condition=condition,
            track_membership=track_membership,
            member_count=member_count,
            project_id=project_id,
        )

        segment.additional_properties = d
        return segment

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
