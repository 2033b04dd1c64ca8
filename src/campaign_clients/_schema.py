"""Checks on what comes back: parse a success body with its generated model, then
make sure every field has the type the spec gives it, since the generated
`from_dict` does not check types. `shape_check` checks the decoded JSON itself against
the spec's schema first, where the model cannot see: a nested model's `from_dict`
builds it from anything `dict()` takes, so an array of `[key, value]` pairs would pass
for an object.

Strict: an integer is an `int` that is not a `bool`, a number is finite, a string is a
string, an object is an object. Lenient: a field the spec does not type (an extra one,
or one documented as any JSON value) is kept as it came, `NaN` included.
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
        raise SchemaMismatch(f"expected a JSON object, got {_json_type(data)}")
    try:
        instance = model(data)
    except KeyError as exc:
        raise SchemaMismatch(f"required field {exc.args[0]!r} is missing") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise SchemaMismatch(f"a field has the wrong type or format ({exc})") from None
    if not _checker(type(instance))(instance):
        _explain(instance, type(instance), "body")  # raises, naming the field
    return instance


def _json_type(value: object) -> str:
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
        return _is_number
    if isinstance(expected, type) or expected is None:
        exact = _exact_types(expected)
        return lambda value: type(value) in exact
    return _always  # a typing construct the generator does not emit for our specs


def _is_number(value: object) -> bool:
    """A JSON number the spec can mean: an int (not a bool) or a finite float."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


def _exact_types(expected: Any) -> frozenset[type]:
    """The JSON-decoded types that satisfy a plain type (int never admits bool; a float
    is checked for being finite by `_is_number`, not here)."""
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
    raise SchemaMismatch(f"{where} should be {_type_name(expected)}, got {_json_type(value)}")


def _type_name(expected: Any) -> str:
    if typing.get_origin(expected) in (typing.Union, types.UnionType):
        names = [_type_name(option) for option in typing.get_args(expected)]
        return " or ".join(name for name in names if name != "Unset")
    if expected is type(None):
        return "null"
    return getattr(expected, "__name__", str(expected))


# -- the decoded JSON against the spec's schema -------------------------------------------------

Problem = Callable[[object], str | None]
"""None when a value fits its schema, else what is wrong, starting with where below the
value (".data.groups[0]") and then what (" should be object, got array")."""

_JSON_TYPES: dict[str, type] = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,  # `type(value) is int`: a bool is not an integer
    "number": int,  # and a finite float, checked apart
    "boolean": bool,
    "null": type(None),
}


def _fits(value: object) -> None:
    return None


def shape_check(schema: Any, schemas: dict[str, Any]) -> Problem:
    """Compile a schema exported by `scripts/regenerate` (type, properties, required,
    items, oneOf, anyOf, allOf, and `$ref`s to `schemas`) into a check of decoded JSON.
    Properties it does not name, and values whose schema gives no type, are not looked at.
    Compiled once per operation into plain closures: the check of a campaign costs a few
    microseconds, and a message is built only for a value that does not fit."""
    return _Shapes(schemas).compile(schema)


def _json_kind(value: object) -> str:
    if type(value) is float and not _is_number(value):
        return f"the non-finite number {value}"
    return {float: "number", int: "integer"}.get(type(value)) or _json_type(value)


class _Shapes:
    """Compiles the schemas of one body, each named one once (they may be recursive)."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.compiled: dict[str, Problem] = {}

    def named(self, name: str) -> Problem:
        compiled = self.compiled
        if name not in compiled:
            # A reference met while `name` compiles (a recursive schema) gets this
            # trampoline; every other one gets the compiled check itself.
            compiled[name] = lambda value: compiled[name](value)
            compiled[name] = self.compile(self.schemas[name])
        return compiled[name]

    def resolve(self, schema: Any) -> Any:
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def expected(self, schema: Any) -> str:
        """What a schema asks for, in words ("object", "string or null")."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return "any JSON value"
        kinds = schema.get("type", "a documented shape")
        return " or ".join(kinds) if isinstance(kinds, list) else str(kinds)

    def compile(self, schema: Any) -> Problem:
        if not isinstance(schema, dict):
            return _fits
        if "$ref" in schema:
            return self.named(schema["$ref"].rsplit("/", 1)[-1])
        kind = self._type(schema)
        whole = self._object(schema, kind)  # an object's check includes its type's
        checks = [
            check
            for check in (
                kind if whole is None else whole,
                self._items(schema),
                self._options(schema.get("oneOf", []) + schema.get("anyOf", [])),
            )
            if check is not None
        ]
        checks += [self.compile(option) for option in schema.get("allOf", ())]
        if not checks:
            return _fits
        if len(checks) == 1:
            return checks[0]

        def check_all(value: object) -> str | None:
            for check in checks:
                problem = check(value)
                if problem is not None:
                    return problem
            return None

        return check_all

    def _type(self, schema: dict[str, Any]) -> Problem | None:
        kinds = schema.get("type")
        if kinds is None:
            return None
        names = kinds if isinstance(kinds, list) else [kinds]
        exact = frozenset(_JSON_TYPES[name] for name in names)
        number = "number" in names
        expected = self.expected(schema)

        def check_type(value: object) -> str | None:
            kind = type(value)
            if kind in exact or (number and kind is float and _is_number(value)):
                return None
            return f" should be {expected}, got {_json_kind(value)}"

        return check_type

    def _object(self, schema: dict[str, Any], kind: Problem | None) -> Problem | None:
        required = tuple(schema.get("required", ()))
        properties = [(key, self.compile(sub)) for key, sub in schema.get("properties", {}).items()]
        if not (required or properties):
            return None
        may_be_object = kind is None or kind({}) is None

        def check_object(value: object) -> str | None:
            if type(value) is not dict or not may_be_object:
                return None if kind is None else kind(value)
            for key in required:
                if key not in value:
                    return f": required field {key!r} is missing"
            for key, check in properties:
                if key in value:
                    problem = check(value[key])
                    if problem is not None:
                        return f".{key}{problem}"
            return None

        return check_object

    def _items(self, schema: dict[str, Any]) -> Problem | None:
        if "items" not in schema:
            return None
        item = self.compile(schema["items"])

        def check_items(value: object) -> str | None:
            if type(value) is list:
                for index, entry in enumerate(value):
                    problem = item(entry)
                    if problem is not None:
                        return f"[{index}]{problem}"
            return None

        return check_items

    def _options(self, options: list[Any]) -> Problem | None:
        """One of the options must fit (oneOf is read as anyOf: the question is whether
        the answer is one the spec documents, not whether the spec's options overlap)."""
        if not options:
            return None
        compiled = [self.compile(option) for option in options]
        wanted = " or ".join(self.expected(option) for option in options)
        # Options that are a bare type ({"type": "null"}) are answered by one lookup.
        plain = frozenset(
            _JSON_TYPES[option["type"]]
            for option in options
            if isinstance(option, dict)
            and set(option) == {"type"}
            and option["type"] in _JSON_TYPES
            and option["type"] != "number"
        )

        def check_options(value: object) -> str | None:
            if type(value) in plain:
                return None
            problems = []
            for check in compiled:
                problem = check(value)
                if problem is None:
                    return None
                problems.append(problem)
            for problem in problems:  # the option the value was meant as, wrong further in
                if not problem.startswith(" should be "):
                    return problem
            return f" should be {wanted}, got {_json_kind(value)}"

        return check_options
