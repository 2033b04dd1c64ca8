"""The public typed surface as data, and its snapshot text.

A `Surface` maps each public module to its names, each a `Symbol`: a `Function` (its
`Param`s), `Overloads`, a `Variable` (a field, an alias, an enum member) or a `Class`
(its bases and members). `releasing.surface` reads one from a source tree;
`releasing.compare` diffs two; `render` writes the committed snapshot under `surface/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "positional-only", "positional", "*args", "keyword", "**kwargs"
    annotation: str
    required: bool


@dataclass(frozen=True)
class Function:
    params: tuple[Param, ...]
    returns: str
    is_async: bool = False
    decorators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    annotation: str  # "" when only a value is known
    value: str | None = None  # enum members, aliases
    has_default: bool = False  # class fields: optional in an attrs/dataclass constructor


@dataclass(frozen=True)
class Overloads:
    signatures: tuple[Function, ...]


@dataclass(frozen=True)
class Class:
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    members: dict[str, Symbol] = field(default_factory=dict)


Symbol = Function | Overloads | Variable | Class
Module = dict[str, Symbol]
Surface = dict[str, Module]


# -- rendering ---------------------------------------------------------------------------


def render(surface: Surface) -> dict[str, str]:
    """{file name: text}: one snapshot file per shipped package, stable and readable."""
    files: dict[str, list[str]] = {}
    for module in sorted(surface):
        lines = files.setdefault(module.split(".")[0], [])
        lines += ["", f"# ---- module {module}", ""]
        for name, symbol in surface[module].items():
            lines += _render_symbol(name, symbol, "")
    header = "# The public typed surface of {}: made by scripts/regenerate (do not edit).\n\n"
    return {
        f"{package}.txt": header.format(package) + "\n".join(lines).lstrip("\n") + "\n"
        for package, lines in files.items()
    }


def _render_symbol(name: str, symbol: Symbol, indent: str) -> list[str]:
    if isinstance(symbol, Class):
        lines = [f"{indent}@{d}" for d in symbol.decorators]
        bases = f"({', '.join(symbol.bases)})" if symbol.bases else ""
        lines.append(f"{indent}class {name}{bases}:")
        if not symbol.members:
            lines.append(f"{indent}    ...")
        for member, value in symbol.members.items():
            lines += _render_symbol(member, value, indent + "    ")
        return lines
    if isinstance(symbol, Overloads):
        return [line for s in symbol.signatures for line in _render_symbol(name, s, indent)]
    if isinstance(symbol, Function):
        lines = [f"{indent}@{d}" for d in symbol.decorators]
        prefix = "async def" if symbol.is_async else "def"
        returns = f" -> {symbol.returns}" if symbol.returns else ""
        lines.append(f"{indent}{prefix} {name}({render_params(symbol.params)}){returns}")
        return lines
    annotation = f": {symbol.annotation}" if symbol.annotation else ""
    default = " = ..." if symbol.has_default else ""
    shown = f" = {symbol.value}" if symbol.value is not None else default
    return [f"{indent}{name}{annotation}{shown}"]


def render_params(params: tuple[Param, ...]) -> str:
    out: list[str] = []
    for index, param in enumerate(params):
        previous = params[index - 1].kind if index else None
        if param.kind == "keyword" and previous not in ("keyword", "*args"):
            out.append("*")
        text = param.name + (f": {param.annotation}" if param.annotation else "")
        if param.kind == "*args":
            text = "*" + text
        elif param.kind == "**kwargs":
            text = "**" + text
        elif not param.required:
            text += " = ..."
        out.append(text)
        is_last_posonly = param.kind == "positional-only" and (
            index + 1 == len(params) or params[index + 1].kind != "positional-only"
        )
        if is_last_posonly:
            out.append("/")
    return ", ".join(out)
