"""What changed between two public surfaces, and how big a release that makes.

A consumer's code reads results and passes arguments, so the rules follow the data:
- anything removed, a parameter made required or added without a default, a parameter
  that accepts less, a result or a field that may now hold more (a field's type is read
  and written, so any change of it), a class losing a base: **breaking**;
- a new module, name, member or optional parameter, a parameter that accepts more, a
  result that holds less: **feature**;
- nothing: **patch**.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import IntEnum

from .model import Class, Function, Overloads, Param, Surface, Symbol, Variable, render_params


class Level(IntEnum):
    """A change class, ordered so the largest of several is their `max`."""

    PATCH = 0
    FEATURE = 1
    BREAKING = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Change:
    level: Level
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.what}"


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from `old` to `new`, breaking ones first."""
    changes: list[Change] = []
    for module in sorted(old.keys() | new.keys()):
        if module not in new:
            changes.append(Change(Level.BREAKING, module, "module removed"))
        elif module not in old:
            changes.append(Change(Level.FEATURE, module, "module added"))
        else:
            changes += _names(module, old[module], new[module])
    return sorted(changes, key=lambda change: -change.level)


def level(changes: list[Change]) -> Level:
    return max((change.level for change in changes), default=Level.PATCH)


def _names(where: str, old: dict[str, Symbol], new: dict[str, Symbol]) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        here = f"{where}.{name}"
        if name not in new:
            changes.append(Change(Level.BREAKING, here, "removed"))
        elif name not in old:
            changes.append(Change(Level.FEATURE, here, "added"))
        else:
            changes += _symbol(here, old[name], new[name])
    return changes


def _symbol(where: str, old: Symbol, new: Symbol) -> list[Change]:
    if old == new:
        return []
    if isinstance(old, Class) and isinstance(new, Class):
        return _class(where, old, new)
    if isinstance(old, Function) and isinstance(new, Function):
        return _function(where, old, new)
    if isinstance(old, Variable) and isinstance(new, Variable):
        return _variable(where, old, new)
    if isinstance(old, Overloads) and isinstance(new, Overloads):
        return [Change(Level.BREAKING, where, "overloaded signatures changed")]
    kinds = f"{type(old).__name__.lower()} -> {type(new).__name__.lower()}"
    return [Change(Level.BREAKING, where, f"changed from {kinds}")]


def _class(where: str, old: Class, new: Class) -> list[Change]:
    changes = [
        Change(Level.BREAKING, where, f"no longer a subclass of {base}")
        for base in old.bases
        if base not in new.bases
    ]
    changes += [
        Change(Level.FEATURE, where, f"now also a subclass of {base}")
        for base in new.bases
        if base not in old.bases
    ]
    if old.decorators != new.decorators:
        was, now = ", ".join(old.decorators) or "none", ", ".join(new.decorators) or "none"
        changes.append(Change(Level.BREAKING, where, f"decorators {was} -> {now}"))
    return changes + _names(where, old.members, new.members)


def _variable(where: str, old: Variable, new: Variable) -> list[Change]:
    changes: list[Change] = []
    if _canonical(old.annotation) != _canonical(new.annotation):
        what = f"type {old.annotation or '?'} -> {new.annotation or '?'}"
        changes.append(Change(Level.BREAKING, where, what))
    if old.value != new.value:
        changes += _value(where, old.value, new.value)
    if old.has_default and not new.has_default:
        changes.append(Change(Level.BREAKING, where, "now required (its default was removed)"))
    elif new.has_default and not old.has_default:
        changes.append(Change(Level.FEATURE, where, "now optional (it has a default)"))
    return changes


def _value(where: str, old: str | None, new: str | None) -> list[Change]:
    """An alias or enum member's value; a `Literal[...]` alias compares its values."""
    was, now = _literal_values(old), _literal_values(new)
    if was is None or now is None:
        return [Change(Level.BREAKING, where, f"value {old} -> {new}")]
    changes = [Change(Level.BREAKING, where, f"value {v} removed") for v in sorted(was - now)]
    changes += [Change(Level.FEATURE, where, f"value {v} added") for v in sorted(now - was)]
    return changes


def _literal_values(value: str | None) -> frozenset[str] | None:
    try:
        node = ast.parse(value or "", mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("Literal")):
        return None
    args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return frozenset(ast.unparse(arg) for arg in args)


def _function(where: str, old: Function, new: Function) -> list[Change]:
    changes: list[Change] = []
    if old.is_async != new.is_async:
        what = "now a coroutine" if new.is_async else "no longer a coroutine"
        changes.append(Change(Level.BREAKING, where, what))
    if old.decorators != new.decorators:
        was, now = ", ".join(old.decorators) or "none", ", ".join(new.decorators) or "none"
        changes.append(Change(Level.BREAKING, where, f"decorators {was} -> {now}"))
    changes += _params(where, old.params, new.params)
    if _canonical(old.returns) != _canonical(new.returns):
        narrowed = _members(new.returns) < _members(old.returns)
        what = f"returns {old.returns or '?'} -> {new.returns or '?'}"
        if narrowed:
            changes.append(Change(Level.FEATURE, where, what + " (narrowed)"))
        else:
            changes.append(Change(Level.BREAKING, where, what + " (callers must handle it)"))
    return changes


def _params(where: str, old: tuple[Param, ...], new: tuple[Param, ...]) -> list[Change]:
    changes: list[Change] = []
    old_by_name = {p.name: p for p in old}
    new_by_name = {p.name: p for p in new}
    takes_kwargs = any(p.kind == "**kwargs" for p in new)
    for param in old:
        here = f"{where}({param.name})"
        if param.name not in new_by_name:
            if not (takes_kwargs and param.kind == "keyword"):
                changes.append(Change(Level.BREAKING, here, "parameter removed"))
            continue
        changes += _param(here, param, new_by_name[param.name])
    for param in new:
        if param.name in old_by_name:
            continue
        here = f"{where}({param.name})"
        if param.required:
            changes.append(Change(Level.BREAKING, here, "new required parameter"))
        else:
            changes.append(Change(Level.FEATURE, here, "new optional parameter"))
    if _positions(old) != _positions(new)[: len(_positions(old))]:
        was, now = render_params(old), render_params(new)
        changes.append(Change(Level.BREAKING, where, f"positional order ({was}) -> ({now})"))
    return changes


def _param(where: str, old: Param, new: Param) -> list[Change]:
    changes: list[Change] = []
    if old.kind != new.kind:
        widened = old.kind == "keyword" and new.kind == "positional"
        level = Level.FEATURE if widened else Level.BREAKING
        changes.append(Change(level, where, f"{old.kind} -> {new.kind}"))
    if new.required and not old.required:
        changes.append(Change(Level.BREAKING, where, "parameter made required"))
    elif old.required and not new.required:
        changes.append(Change(Level.FEATURE, where, "parameter made optional"))
    if _canonical(old.annotation) != _canonical(new.annotation):
        what = f"type {old.annotation or '?'} -> {new.annotation or '?'}"
        if _members(new.annotation) > _members(old.annotation):
            changes.append(Change(Level.FEATURE, where, what + " (accepts more)"))
        else:
            changes.append(Change(Level.BREAKING, where, what + " (accepts less)"))
    return changes


def _positions(params: tuple[Param, ...]) -> list[str]:
    return [p.name for p in params if p.kind in ("positional-only", "positional")]


# -- types as sets of union members --------------------------------------------------------


def _members(annotation: str) -> frozenset[str]:
    """The members of a top-level union, each in canonical form."""
    try:
        node = ast.parse(annotation, mode="eval").body if annotation else None
    except SyntaxError:
        return frozenset({annotation})
    if node is None:
        return frozenset({""})
    return frozenset(_canonical_node(member) for member in _union(node))


def _canonical(annotation: str) -> str:
    """A form in which `A | B` and `B | A` (and `Optional[A]`, `Union[A, B]`) are equal."""
    return " | ".join(sorted(_members(annotation)))


def _union(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union(node.left) + _union(node.right)
    if isinstance(node, ast.Subscript):
        name = ast.unparse(node.value).rsplit(".", 1)[-1]
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if name == "Union":
            return [member for arg in args for member in _union(arg)]
        if name == "Optional":
            return [*_union(args[0]), ast.Constant(None)]
    return [node]


def _canonical_node(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        inner = ", ".join(" | ".join(sorted(_canonical_node(m) for m in _union(a))) for a in args)
        return f"{ast.unparse(node.value)}[{inner}]"
    return ast.unparse(node)
