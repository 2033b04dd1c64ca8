"""Shared helpers for the contract tests: finding every documented example,
validating against the spec's own schemas, walking payloads against schemas, and
comparing JSON values (date-times as instants). Loading a spec, JSON pointers,
$refs and the schema validator come from tests/support.py.

tests/contract is a package (it has an __init__.py) so that its conftest.py
is imported as `contract.conftest` and never shadows another folder's
`conftest` module; test modules import these helpers relatively.
"""

from __future__ import annotations

import datetime
import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match
from support import (
    load_spec,
    operations,
    pointer,
    ref_target,
    resolve,
    resolve_pointer,
    validator_for,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC_NAMES = ("mailglyph", "sendgrid")
PACKAGES = {"mailglyph": "mailglyph_client", "sendgrid": "sendgrid_client"}


# ---------------------------------------------------------------- loading


def load_fixture(filename: str) -> Any:
    with (FIXTURES / filename).open(encoding="utf-8") as fh:
        return json.load(fh)


def models_module(spec_name: str) -> Any:
    return importlib.import_module(f"{PACKAGES[spec_name]}.models")


def model_for_schema(spec_name: str, schema_name: str) -> Any:
    """The generated model class for components/schemas/<schema_name>."""
    models = models_module(spec_name)
    cls = getattr(models, schema_name, None)
    assert cls is not None, f"{PACKAGES[spec_name]}.models has no class {schema_name!r}"
    return cls


# ---------------------------------------------------------------- refs


def schema_name_of(schema: Any) -> str | None:
    """ "Campaign" for {"$ref": "#/components/schemas/Campaign"}, else None."""
    target = ref_target(schema)
    prefix = "/components/schemas/"
    if target and target.startswith(prefix) and "/" not in target[len(prefix) :]:
        return target[len(prefix) :]
    return None


# ---------------------------------------------------------------- validation


def schema_errors(document: dict[str, Any], schema_pointer: str, instance: Any) -> list[str]:
    """Human-readable validation errors of instance (empty when it is valid).

    A oneOf/anyOf failure is reported by its most relevant branch error (e.g.
    "data/segment/trackMembership: 'yes' is not of type 'boolean'") rather than
    "... is not valid under any of the given schemas".
    """
    validator = validator_for(document, schema_pointer)
    messages = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        leaf = best_match([error])
        where = "/".join(map(str, leaf.absolute_path)) or "<root>"
        messages.append(f"{where}: {leaf.message}")
    return messages


# ---------------------------------------------------------------- examples


@dataclass(frozen=True)
class Example:
    """One documented example and the schema it must satisfy."""

    spec: str
    label: str  # readable test id, e.g. "sendCampaign 200" or "responses/NotFound"
    kind: str  # "request" | "response" | "schema" | "parameter" | "header"
    example_pointer: str  # where the example value sits in the spec
    schema_pointer: str  # where its schema sits in the spec
    value: Any
    used_by: tuple[str, ...] = ()  # "operationId status" for shared component responses

    @property
    def id(self) -> str:
        return f"{self.spec}:{self.label}"


def _media_examples(
    document: dict[str, Any], container_ptr: str, container: dict[str, Any]
) -> Iterator[tuple[str, str, str, Any]]:
    """(label suffix, example pointer, schema pointer, value) for a content map."""
    content = container.get("content", {})
    for media, media_obj in content.items():
        media_ptr = container_ptr + pointer("content", media)
        schema_ptr = media_ptr + pointer("schema")
        suffix = f" {media}" if len(content) > 1 else ""
        if "example" in media_obj:
            yield suffix, media_ptr + pointer("example"), schema_ptr, media_obj["example"]
        for ex_name, ex_obj in media_obj.get("examples", {}).items():
            ex_ptr = media_ptr + pointer("examples", ex_name)
            target = ref_target(ex_obj)
            if target is not None:
                ex_ptr, ex_obj = target, resolve(document, ex_obj)
            yield f"{suffix} {ex_name}", ex_ptr + pointer("value"), schema_ptr, ex_obj["value"]


def _located(document: dict[str, Any], ptr: str, node: Any) -> tuple[str, Any]:
    """(pointer, node) with a $ref followed, so pointers name the real location."""
    target = ref_target(node)
    if target is not None:
        return target, resolve(document, node)
    return ptr, node


def collect_examples(spec: str, document: dict[str, Any] | None = None) -> list[Example]:
    """Every example in the spec, each paired with the schema it documents.

    Covers operations' request bodies and responses (inline, or reached via $ref
    to components/responses and components/requestBodies; a shared component is
    listed once, with the operations that use it), parameter and header
    examples, and each component schema's own `example`. Components no
    operation uses are included too.
    """
    doc = document if document is not None else load_spec(spec)
    found: dict[str, Example] = {}  # by example pointer

    def add(label: str, kind: str, ex_ptr: str, schema_ptr: str, value: Any, use: str) -> None:
        if ex_ptr in found:
            seen = found[ex_ptr]
            if use and use not in seen.used_by:
                found[ex_ptr] = replace(seen, used_by=(*seen.used_by, use))
            return
        found[ex_ptr] = Example(spec, label, kind, ex_ptr, schema_ptr, value, (use,) if use else ())

    def add_content(label: str, kind: str, ptr: str, obj: dict[str, Any], use: str) -> None:
        for suffix, ex_ptr, schema_ptr, value in _media_examples(doc, ptr, obj):
            add(label + suffix, kind, ex_ptr, schema_ptr, value, use)

    def add_headers(ptr: str, obj: dict[str, Any], use: str) -> None:
        for h_name, h_obj in obj.get("headers", {}).items():
            h_ptr, h_obj = _located(doc, ptr + pointer("headers", h_name), h_obj)
            if "example" in h_obj:
                label = f"header {h_name}"
                add(label, "header", h_ptr + "/example", h_ptr + "/schema", h_obj["example"], use)

    def add_parameter(p_ptr: str, p_obj: dict[str, Any], use: str) -> None:
        if "example" in p_obj:
            label = f"parameter {p_obj['in']} {p_obj['name']}"
            add(label, "parameter", p_ptr + "/example", p_ptr + "/schema", p_obj["example"], use)

    def label_for(ptr: str, default: str) -> str:
        # A shared component is named by its component path, not by one user.
        return ptr.removeprefix("/components/") if ptr.startswith("/components/") else default

    for path, method, op in operations(doc):
        path_ptr = pointer("paths", path)
        op_ptr = path_ptr + pointer(method)
        op_id = op.get("operationId", f"{method.upper()} {path}")
        params = [
            (path_ptr + pointer("parameters", str(i)), p)
            for i, p in enumerate(doc["paths"][path].get("parameters", []))
        ] + [
            (op_ptr + pointer("parameters", str(i)), p)
            for i, p in enumerate(op.get("parameters", []))
        ]
        for ptr, param in params:
            add_parameter(*_located(doc, ptr, param), op_id)
        if "requestBody" in op:
            rb_ptr, rb = _located(doc, op_ptr + "/requestBody", op["requestBody"])
            add_content(label_for(rb_ptr, f"{op_id} request"), "request", rb_ptr, rb, op_id)
        for status, response in op.get("responses", {}).items():
            r_ptr, r_obj = _located(doc, op_ptr + pointer("responses", str(status)), response)
            use = f"{op_id} {status}"
            add_content(label_for(r_ptr, use), "response", r_ptr, r_obj, use)
            add_headers(r_ptr, r_obj, use)

    components = doc.get("components", {})
    for name, response in components.get("responses", {}).items():
        r_ptr = pointer("components", "responses", name)
        add_content(f"responses/{name}", "response", r_ptr, response, "")
        add_headers(r_ptr, response, "")
    for name, body in components.get("requestBodies", {}).items():
        b_ptr = pointer("components", "requestBodies", name)
        add_content(f"requestBodies/{name}", "request", b_ptr, body, "")
    for name, param in components.get("parameters", {}).items():
        add_parameter(pointer("components", "parameters", name), param, "")
    for name, header in components.get("headers", {}).items():
        h_ptr = pointer("components", "headers", name)
        if "example" in header:
            add(
                f"headers/{name}",
                "header",
                h_ptr + "/example",
                h_ptr + "/schema",
                header["example"],
                "",
            )
    for name, schema in components.get("schemas", {}).items():
        s_ptr = pointer("components", "schemas", name)
        if "example" in schema:
            add(f"schemas/{name}", "schema", s_ptr + "/example", s_ptr, schema["example"], "")
    return list(found.values())


def example_problems(document: dict[str, Any], example: Example) -> list[str]:
    """Why an example does not satisfy its own schema (empty when it does)."""
    return schema_errors(document, example.schema_pointer, example.value)


def example_locations(node: Any, ptr: str = "") -> set[str]:
    """Pointers of every `example` / `examples` entry anywhere in the document.

    Used to prove collect_examples misses none. Example values themselves are
    not searched (a payload may legitimately contain a key named "example").
    """
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            child = ptr + pointer(key)
            if key == "example" and not ptr.endswith("/properties"):
                found.add(child)
            elif key == "examples" and isinstance(value, dict) and not ptr.endswith("/properties"):
                for ex_name, ex_obj in value.items():
                    if isinstance(ex_obj, dict) and "value" in ex_obj:
                        found.add(child + pointer(ex_name, "value"))
            else:
                found |= example_locations(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found |= example_locations(value, ptr + pointer(str(index)))
    return found


# ---------------------------------------------------------------- schema walking


def _object_schemas(document: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """The object-shaped alternatives of a schema ($ref followed, oneOf/anyOf/allOf
    flattened, null alternatives dropped)."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return []
    out: list[dict[str, Any]] = []
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key, []):
            out += _object_schemas(document, sub)
    if "properties" in schema or "items" in schema or schema.get("type") in ("object", "array"):
        out.append(schema)
    return out


def undeclared_keys(
    document: dict[str, Any], schema: Any, payload: Any, path: str = ""
) -> list[str]:
    """Dotted paths of payload keys that the schema does not declare in `properties`.

    Walks nested objects and arrays through $ref, oneOf/anyOf/allOf and items.
    A schema with no `properties` at all (e.g. a free-form `help: {type: object}`
    or an untyped `value`) declares nothing to check against and is skipped.
    """
    alternatives = _object_schemas(document, schema)
    missing: list[str] = []
    if isinstance(payload, dict):
        declared: dict[str, Any] = {}
        has_properties = False
        for alt in alternatives:
            if "properties" in alt:
                has_properties = True
                declared.update(alt["properties"])
        if not has_properties:
            return []
        for key, value in payload.items():
            child = f"{path}.{key}" if path else key
            if key not in declared:
                missing.append(child)
            else:
                missing += undeclared_keys(document, declared[key], value, child)
    elif isinstance(payload, list):
        items = [alt["items"] for alt in alternatives if "items" in alt]
        if items:
            for value in payload:
                missing += undeclared_keys(document, items[0], value, f"{path}[]")
    return missing


def key_paths(payload: Any, path: str = "") -> set[str]:
    """Every key of a JSON value as a dotted path; list items are written `[]`."""
    out: set[str] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            child = f"{path}.{key}" if path else key
            out.add(child)
            out |= key_paths(value, child)
    elif isinstance(payload, list):
        for value in payload:
            out |= key_paths(value, f"{path}[]")
    return out


# ---------------------------------------------------------------- comparison


def _instant(value: str) -> datetime.datetime | None:
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    # An instant needs an offset; a naive date-time names no single moment.
    return parsed if parsed.tzinfo is not None else None


def same_instant(a: str, b: str) -> bool:
    """True when both strings are ISO 8601 date-times naming the same instant."""
    ta, tb = _instant(a), _instant(b)
    return ta is not None and tb is not None and ta == tb


def json_differences(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ (empty when equal).

    Same keys, same list lengths, same scalar types (bool is not int) and values;
    two strings also count as equal when both are ISO date-times naming the same
    instant ("...Z" equals "...+00:00").
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        diffs = [f"{path}: key {k!r} missing" for k in expected if k not in actual]
        diffs += [f"{path}: unexpected key {k!r}" for k in actual if k not in expected]
        for key in expected:
            if key in actual:
                diffs += json_differences(expected[key], actual[key], f"{path}.{key}")
        return diffs
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items expected, got {len(actual)}"]
        diffs = []
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            diffs += json_differences(e, a, f"{path}[{index}]")
        return diffs
    if type(expected) is not type(actual):
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    if expected == actual:
        return []
    if isinstance(expected, str) and same_instant(expected, actual):
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def model_schema_name(document: dict[str, Any], example: Example) -> str:
    """The component schema whose generated model should parse this example.

    Component schema examples use their own schema; request and response
    examples use the component their media-type schema $refs (an inline schema
    there has no generated model of its own, so it is reported as a failure).
    """
    prefix = "/components/schemas/"
    if example.kind == "schema":
        return example.schema_pointer.removeprefix(prefix)
    node = resolve_pointer(document, example.schema_pointer)
    name = schema_name_of(node)
    assert name is not None, (
        f"{example.id}: media-type schema at {example.schema_pointer} is not a $ref to "
        f"components/schemas, so no generated model can be named for it: {node!r}"
    )
    return name
