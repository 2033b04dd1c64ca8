"""Checks on what goes out (caller input) and what comes back (response bodies).

Input checks raise ValueError before any request is made. Response checks
parse a body with its generated model and then make sure every field has the
type the spec gives it, since the generated `from_dict` does not check types.
"""

from __future__ import annotations

import datetime
import sys
import types
import typing
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

INT64_MAX = 2**63 - 1


def _has_control_chars(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def check_api_key(api_key: object, *, provider: str) -> str:
    """The key must be a non-empty string that is safe in a header. Never echo it."""
    if not isinstance(api_key, str):
        raise ValueError(f"{provider} api_key must be a string, got {type(api_key).__name__}")
    if not api_key.strip():
        raise ValueError(f"{provider} api_key is empty")
    if api_key != api_key.strip() or _has_control_chars(api_key) or " " in api_key:
        raise ValueError(f"{provider} api_key contains whitespace or control characters")
    if not api_key.isascii():
        raise ValueError(f"{provider} api_key contains non-ASCII characters")
    return api_key


def check_header_value(value: object, *, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if _has_control_chars(value) or not value.isascii():
        raise ValueError(f"{name} must be printable ASCII (no control characters)")
    return value


def check_string_id(campaign_id: object) -> str:
    """A MailGlyph id: a non-empty string that stays one path segment."""
    if not isinstance(campaign_id, str):
        raise ValueError(f"campaign id must be a string, got {type(campaign_id).__name__}")
    if not campaign_id:
        raise ValueError("campaign id must not be empty")
    if campaign_id in (".", ".."):
        raise ValueError(f"campaign id {campaign_id!r} is a dot segment and would leave its path")
    if _has_control_chars(campaign_id):
        raise ValueError(f"campaign id {campaign_id!r} contains control characters")
    return campaign_id


def check_int_id(campaign_id: object) -> int:
    """A SendGrid id: a positive int64 (bool refused)."""
    if isinstance(campaign_id, bool) or not isinstance(campaign_id, int):
        raise ValueError(f"campaign id must be an int, got {type(campaign_id).__name__}")
    if not 0 < campaign_id <= INT64_MAX:
        raise ValueError(f"campaign id must be a positive 64-bit integer, got {campaign_id}")
    return campaign_id


def check_aware(at: object) -> datetime.datetime:
    """A timezone-aware datetime, converted to UTC. Naive ones are refused, not guessed."""
    if not isinstance(at, datetime.datetime):
        raise ValueError(f"at= must be a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            "at= must be timezone-aware (for example datetime(..., tzinfo=timezone.utc)); "
            "a naive datetime's zone would be a guess"
        )
    return at.astimezone(datetime.UTC)


def utc_z(at: datetime.datetime) -> str:
    """ISO 8601 in UTC with a Z suffix, as MailGlyph documents it."""
    return at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


# -- response bodies ---------------------------------------------------------------------


class SchemaMismatch(ValueError):
    """A parsed body whose fields do not have the spec's types."""


def parse_model(model: Callable[[Any], T], data: object) -> T:
    """Build a generated model from decoded JSON and check every field's type.

    Raises SchemaMismatch naming the first field that is missing or wrong.
    """
    if not isinstance(data, dict):
        raise SchemaMismatch(f"expected a JSON object, got {_json_type(data)}")
    try:
        instance = model(data)
    except KeyError as exc:
        raise SchemaMismatch(f"required field {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaMismatch(f"a field has the wrong type or format ({exc})") from None
    _check(instance, type(instance), "body")
    return instance


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


_FIELD_TYPES: dict[type, list[tuple[str, Any]]] = {}


def _fields(cls: type) -> list[tuple[str, Any]]:
    """(name, resolved type) for each attrs field of a generated model, cached."""
    fields = _FIELD_TYPES.get(cls)
    if fields is None:
        module = sys.modules[cls.__module__]
        package = sys.modules[module.__package__ or ""]  # <client>.models, which exports all models
        namespace = {**vars(package), **vars(module)}
        hints = typing.get_type_hints(cls, globalns=namespace)
        fields = [
            (field.name, hints[field.name])
            for field in attrs.fields(cls)
            if field.name != "additional_properties"
        ]
        _FIELD_TYPES[cls] = fields
    return fields


def _check(value: object, expected: Any, where: str) -> None:
    if _matches(value, expected, where):
        return
    raise SchemaMismatch(f"{where} should be {_type_name(expected)}, got {_json_type(value)}")


def _matches(value: object, expected: Any, where: str) -> bool:
    if expected is Any or expected is object:
        return True
    origin = typing.get_origin(expected)
    if origin is typing.Union or origin is types.UnionType:
        return any(_matches(value, option, where) for option in typing.get_args(expected))
    if origin is list:
        if not isinstance(value, list):
            return False
        (item_type,) = typing.get_args(expected)
        for index, item in enumerate(value):
            _check(item, item_type, f"{where}[{index}]")
        return True
    if origin is dict:
        return isinstance(value, dict)
    if expected is type(None):
        return value is None
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(expected, type) and attrs.has(expected):
        if not isinstance(value, expected):
            return False
        for name, field_type in _fields(expected):
            _check(getattr(value, name), field_type, f"{where}.{name}")
        return True
    if isinstance(expected, type):
        return isinstance(value, expected)
    return True  # a typing construct the generator does not emit for our specs


def _type_name(expected: Any) -> str:
    if typing.get_origin(expected) in (typing.Union, types.UnionType):
        names = [_type_name(option) for option in typing.get_args(expected)]
        return " or ".join(name for name in names if name != "Unset")
    if expected is type(None):
        return "null"
    return getattr(expected, "__name__", str(expected))
