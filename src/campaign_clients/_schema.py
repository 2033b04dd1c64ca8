"""Checks on what comes back: parse a success body with its generated model, then
make sure every field has the type the spec gives it, since the generated
`from_dict` does not check types. (`_shapes.py` checks the decoded JSON against the
spec's schema first, where the model cannot see.)

Strict: an integer is an `int` that is not a `bool`, a number is finite, a string is a
string, an object is an object. Lenient: a field the spec does not type (an extra one)
is kept as it came, `NaN` included.
"""

from __future__ import annotations

import math
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")


class SchemaMismatch(ValueError):
    """A parsed body whose fields do not have the spec's types."""


def parse_model(model: Callable[[Any], T], data: object) -> T:
    """Build a generated model from decoded JSON and check every field's type.

    Raises SchemaMismatch naming the first field that is missing or wrong.
    """
    if not isinstance(data, dict):
        raise SchemaMismatch(f"expected a JSON object, got {json_type(data)}")
    try:
        instance = model(data)
    except KeyError as exc:
        raise SchemaMismatch(f"required field {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaMismatch(f"a field has the wrong type or format ({exc})") from None
    if not _checker(type(instance))(instance):
        _explain(instance, type(instance), "body")  # raises, naming the field
    return instance


def json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _fields(cls: type) -> list[tuple[str, Any]]:
    """(name, resolved type) for each attrs field of a generated model."""
    module = sys.modules[cls.__module__]
    package = sys.modules[module.__package__ or ""]  # <client>.models, which exports all models
    hints = typing.get_type_hints(cls, globalns={**vars(package), **vars(module)})
    return [(f.name, hints[f.name]) for f in attrs.fields(cls) if f.name != "additional_properties"]


# The fast path: one predicate per type, compiled once, so a response costs a few
# microseconds to check. Only when it says no does `_explain` walk the value again
# to say where.

Check = Callable[[object], bool]
_CHECKS: dict[Any, Check] = {}


def _always(value: object) -> bool:
    return True


def _checker(expected: Any) -> Check:
    check = _CHECKS.get(expected)
    if check is None:
        _CHECKS[expected] = _always  # a placeholder while a recursive model compiles
        check = _CHECKS[expected] = _compile(expected)
    return check


def _compile(expected: Any) -> Check:
    origin = typing.get_origin(expected)
    if expected is Any or expected is object:
        return _always
    if origin is typing.Union or origin is types.UnionType:
        return _compile_union(typing.get_args(expected))
    if origin is list:
        item = _checker(typing.get_args(expected)[0])

        def check_list(value: object) -> bool:
            if type(value) is not list:
                return False
            for entry in value:  # noqa: SIM110 - a plain loop is cheaper than all() here
                if not item(entry):
                    return False
            return True

        return check_list
    if origin is dict:
        return lambda value: type(value) is dict
    if isinstance(expected, type) and attrs.has(expected):
        fields = [(name, _checker(field_type)) for name, field_type in _fields(expected)]

        def check_model(value: object) -> bool:
            if type(value) is not expected:
                return False
            for name, check in fields:  # noqa: SIM110 - as above
                if not check(getattr(value, name)):
                    return False
            return True

        return check_model
    if expected is float:
        return is_number
    if isinstance(expected, type) or expected is None:
        exact = _exact_types(expected)
        return lambda value: type(value) in exact
    return _always  # a typing construct the generator does not emit for our specs


def is_number(value: object) -> bool:
    """A JSON number the spec can mean: an int (not a bool) or a finite float."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _exact_types(expected: Any) -> frozenset[type]:
    """The JSON-decoded types that satisfy a plain type (int never admits bool; a float
    is checked for being finite by `is_number`, not here)."""
    if expected is None or expected is type(None):
        return frozenset({type(None)})
    return frozenset({expected})


def _compile_union(options: tuple[Any, ...]) -> Check:
    if Any in options or object in options:
        return _always
    plain = [o for o in options if isinstance(o, type) and not attrs.has(o) and o is not float]
    exact = frozenset().union(*(_exact_types(o) for o in plain))
    rest = [_checker(o) for o in options if o not in plain]
    if not rest:
        return lambda value: type(value) in exact

    def check_union(value: object) -> bool:
        if type(value) in exact:
            return True
        for check in rest:  # noqa: SIM110 - as above
            if check(value):
                return True
        return False

    return check_union


def _explain(value: object, expected: Any, where: str) -> None:
    """Raise SchemaMismatch for the first field under `where` that fails its check."""
    origin = typing.get_origin(expected)
    if isinstance(expected, type) and attrs.has(expected) and type(value) is expected:
        for name, field_type in _fields(expected):
            if not _checker(field_type)(getattr(value, name)):
                _explain(getattr(value, name), field_type, f"{where}.{name}")
    elif origin is list and type(value) is list:
        item_type = typing.get_args(expected)[0]
        for index, item in enumerate(value):
            if not _checker(item_type)(item):
                _explain(item, item_type, f"{where}[{index}]")
    elif origin is typing.Union or origin is types.UnionType:
        # Of the options, a model or list the value is an instance of explains best.
        for option in typing.get_args(expected):
            option_origin = typing.get_origin(option) or option
            if (
                option is not Any
                and isinstance(option_origin, type)
                and isinstance(value, option_origin)
            ):
                _explain(value, option, where)
    raise SchemaMismatch(f"{where} should be {_type_name(expected)}, got {json_type(value)}")


def _type_name(expected: Any) -> str:
    if typing.get_origin(expected) in (typing.Union, types.UnionType):
        names = [_type_name(option) for option in typing.get_args(expected)]
        return " or ".join(name for name in names if name != "Unset")
    if expected is type(None):
        return "null"
    return getattr(expected, "__name__", str(expected))
