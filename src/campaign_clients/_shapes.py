"""The decoded JSON of a success body against the spec's schema of it, as
`scripts/regenerate` exports it (`_spec_examples.schemas`), checked before the generated
model is built: a nested model's `from_dict` builds it from anything `dict()` takes, so
an array of `[key, value]` pairs would pass for an object (MailGlyph's `data`).

Strict where the spec types a value: an integer is an `int` that is not a `bool`, a
number is finite, a string is a string, an object is an object, an array an array, a
required field is there. Lenient where it does not: a property the schema does not
name, or one documented as any JSON value, is not looked at (`NaN` included).

The fakes check requests with it too (`testing/_request_schema.py`), so it also knows
the value keywords a request schema has: `enum`, `format` (the `FORMATS` below),
`minimum`, `maximum`, `minLength` and `maxLength`. A success shape never carries them
(`scripts/regenerate` cuts them), so the facade's check of an answer is unchanged.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ._schema import is_number, json_type

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


# RFC 3339 `date-time` (JSON Schema's): a date, "T", a time with seconds and a zone.
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
# An RFC 5321 mailbox with a dot-atom local part and a domain name (what a provider's
# address check accepts; a quoted local part or an address literal is refused).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*@{_LABEL}(?:\.{_LABEL})*", re.ASCII)
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", re.ASCII)


def _is_date_time(value: str) -> bool:
    if not _DATE_TIME.fullmatch(value):
        return False
    try:  # the fields' ranges (month 13, hour 24): what the pattern cannot see
        datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


def _is_uuid(value: str) -> bool:
    if not _UUID.fullmatch(value):
        return False
    uuid.UUID(value)
    return True


FORMATS: dict[str, tuple[type, Callable[[Any], bool], str]] = {
    "date-time": (str, _is_date_time, "an RFC 3339 date-time"),
    "email": (
        str,
        lambda value: len(value) <= 254 and bool(_EMAIL.fullmatch(value)),
        "an email address",
    ),
    "uuid": (str, _is_uuid, "a UUID"),
    "int32": (int, lambda value: -(2**31) <= value < 2**31, "a 32-bit integer"),
    "int64": (int, lambda value: -(2**63) <= value < 2**63, "a 64-bit integer"),
}
"""{format: (the JSON type it applies to, its test, what it is in words)}; a format
not named here is an annotation, as JSON Schema reads one by default."""


class _Absent:
    """What `dict.get` gives for a property left out (allowed unless it is required)."""


_ABSENT = _Absent()


def shape_check(schema: Any, schemas: dict[str, Any]) -> Problem:
    """Compile a schema exported by `scripts/regenerate` (type, properties, required,
    items, oneOf, anyOf, allOf, and `$ref`s to `schemas`) into a check of decoded JSON.
    Properties it does not name, and values whose schema gives no type, are not looked at.
    Compiled once per operation into plain closures: the check of a campaign costs a few
    microseconds, and a message is built only for a value that does not fit."""
    return _Shapes(schemas).compile(schema)


def _json_kind(value: object) -> str:
    if type(value) is float and not is_number(value):
        return f"the non-finite number {value}"
    return {float: "number", int: "integer"}.get(type(value)) or json_type(value)


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
                _values(schema),
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
            if kind in exact or (number and kind is float and is_number(value)):
                return None
            return f" should be {expected}, got {_json_kind(value)}"

        return check_type

    def _object(self, schema: dict[str, Any], kind: Problem | None) -> Problem | None:
        required = tuple(schema.get("required", ()))
        properties = schema.get("properties", {})
        if not (required or properties):
            return None
        may_be_object = kind is None or kind({}) is None
        # A property whose schema is a plain type (most of them) is checked in the loop by
        # one lookup, no call; its full check runs only to say what is wrong.
        plain: list[tuple[str, frozenset[type], Problem]] = []
        nested: list[tuple[str, Problem]] = []
        for key, sub in properties.items():
            exact = self._plain_types(sub)
            if exact is None:
                nested.append((key, self.compile(sub)))
            else:
                plain.append((key, exact, self.compile(sub)))

        def check_object(value: object) -> str | None:
            if type(value) is not dict or not may_be_object:
                return None if kind is None else kind(value)
            for key in required:
                if key not in value:
                    return f": required field {key!r} is missing"
            for key, exact, check in plain:
                if type(value.get(key, _ABSENT)) not in exact:
                    return f".{key}{check(value[key])}"
            for key, check in nested:
                if key in value:
                    problem = check(value[key])
                    if problem is not None:
                        return f".{key}{problem}"
            return None

        return check_object

    @staticmethod
    def _plain_types(schema: Any) -> frozenset[type] | None:
        """The exact types a schema of nothing but a `type` admits (and _Absent, for a
        property left out), or None when it needs more than one lookup (a number, which
        must be finite, or any other keyword)."""
        if not (isinstance(schema, dict) and set(schema) == {"type"}):
            return None
        kinds = schema["type"]
        names = kinds if isinstance(kinds, list) else [kinds]
        if "number" in names or not all(name in _JSON_TYPES for name in names):
            return None
        return frozenset({_Absent, *(_JSON_TYPES[name] for name in names)})

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
            # Of the right type for an option but not its value (a request's format or
            # enum): say what the values may be.
            values = [p.removeprefix(" should be ") for p in problems if ", got " not in p]
            if values:
                return f" should be {' or '.join(values)}"
            return f" should be {wanted}, got {_json_kind(value)}"

        return check_options


def _values(schema: dict[str, Any]) -> Problem | None:
    """The check of a request schema's value keywords (enum, format, minimum, maximum,
    minLength, maxLength), each on the JSON type it applies to; None when it has none."""
    tests: list[tuple[Callable[[Any], bool], str]] = []
    if "enum" in schema:
        allowed = [(type(option), option) for option in schema["enum"]]
        listed = ", ".join(repr(option) for option in schema["enum"])
        tests.append((lambda v: (type(v), v) in allowed, f"one of {listed}"))
    known = FORMATS.get(schema.get("format", ""))
    if known is not None:
        kind, fits, words = known
        tests.append((lambda v: type(v) is not kind or fits(v), words))
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None:
        tests.append((lambda v: not is_number(v) or v >= low, f"at least {low}"))
    if high is not None:
        tests.append((lambda v: not is_number(v) or v <= high, f"at most {high}"))
    shortest, longest = schema.get("minLength"), schema.get("maxLength")
    if shortest is not None:
        tests.append(
            (lambda v: type(v) is not str or len(v) >= shortest, f"{shortest}+ characters long")
        )
    if longest is not None:
        tests.append(
            (lambda v: type(v) is not str or len(v) <= longest, f"at most {longest} characters")
        )
    if not tests:
        return None

    def check_values(value: object) -> str | None:
        for test, words in tests:
            if not test(value):
                return f" should be {words}"
        return None

    return check_values
