"""The public typed surface that consumers compile against, read from stubs.

mypy's `stubgen` (parse mode: nothing is imported) writes stubs of the hand-written
package and both generated clients; this module keeps only what a consumer can reach
(`PUBLIC_MODULES`, and every non-private module of the generated packages), follows
re-exports to their definitions, folds private base classes into the public classes
that use them (substituting their type variables), and gives a `Surface`: module ->
name -> `Symbol` (`releasing.model`). `snapshot` renders it as the committed,
human-readable files under `surface/`; `releasing.compare` diffs two of them.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import tempfile
from pathlib import Path

from . import surface_cache
from ._process import run
from .model import Class, Function, Module, Overloads, Param, Surface, Symbol, Variable, render

PACKAGES = ("campaign_clients", "mailglyph_client", "sendgrid_client")
"""The top-level packages the wheel ships (one snapshot file each)."""
PUBLIC_MODULES = ("campaign_clients", "campaign_clients.errors", "campaign_clients.testing")
"""The hand-written modules consumers import; the generated packages are public whole."""
STUBGEN_TIMEOUT = 300
_FIELD_CLASS = re.compile(r"(^|\.)(define|frozen|mutable|attrs|s|dataclass)(\(|$)")
"""Class decorators whose annotated fields are constructor arguments (attrs, dataclasses)."""


# -- stubs -------------------------------------------------------------------------------


def package_dirs(tree: Path) -> dict[str, Path]:
    """Where each shipped package lives in a source tree (`src/` and `generated/`)."""
    dirs = {"campaign_clients": tree / "src" / "campaign_clients"}
    dirs |= {name: tree / "generated" / name for name in PACKAGES[1:]}
    return dirs


def write_stubs(dirs: dict[str, Path], out: Path) -> None:
    """Run stubgen (parse mode, no docstrings) over the package directories into `out`.

    Each run has a cache of its own (next to `out`, not `.mypy_cache` in the working
    directory), so runs side by side never share mypy's cache database."""
    # mypy ships compiled, so `python -m mypy.stubgen` has no code object to run.
    run_stubgen = "from mypy.stubgen import main; main()"
    command = [sys.executable, "-c", run_stubgen, "-q", "-o", str(out.resolve())]
    work = out.parent / f"{out.name}-work"
    work.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "MYPY_CACHE_DIR": str(work / "cache")}
    paths = [str(path.resolve()) for path in dirs.values()]
    run([*command, *paths], what="stubgen", timeout=STUBGEN_TIMEOUT, cwd=work, env=env)


def surface_of(dirs: dict[str, Path]) -> Surface:
    """The public surface of the packages in `dirs` (name -> package directory)."""
    dirs = {name: path for name, path in dirs.items() if (path / "__init__.py").is_file()}
    if not dirs:  # e.g. a commit from before the packages existed
        return {}
    cache = surface_cache.folder()
    key = surface_cache.key(dirs) if cache is not None else ""
    if cache is not None and (kept := surface_cache.load(cache, key)) is not None:
        return kept
    with tempfile.TemporaryDirectory(prefix="surface-") as tmp:
        write_stubs(dirs, Path(tmp) / "stubs")
        stubs = _parse_stubs(Path(tmp) / "stubs")
    sources = {module: tree for path in dirs.values() for module, tree in _parse_sources(path)}
    surface = _Reader(stubs, sources).surface()
    if cache is not None:
        surface_cache.store(cache, key, surface)
    return surface


def _parse_stubs(root: Path) -> dict[str, ast.Module]:
    modules = {}
    for path in sorted(root.rglob("*.pyi")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


def _parse_sources(package: Path) -> list[tuple[str, ast.Module]]:
    """The package's own source, for what stubs leave out (the value of a type alias)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found.append((".".join(parts), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split("."))


def _is_public_module(module: str) -> bool:
    if module.split(".")[0] == "campaign_clients":
        return module in PUBLIC_MODULES
    return not _private(module)


class _Reader:
    """Follows names through the stubs and builds the model."""

    def __init__(self, stubs: dict[str, ast.Module], sources: dict[str, ast.Module]) -> None:
        self._stubs = stubs
        self._sources = sources
        self._defs: dict[str, dict[str, ast.stmt]] = {}
        self._imports: dict[str, dict[str, tuple[str, str]]] = {}
        self._exports: dict[str, list[str] | None] = {}
        self._packages = {name.rsplit(".", 1)[0] for name in stubs if "." in name}
        self._packages |= {name for name in stubs if "." not in name}
        for name, tree in stubs.items():
            self._index(name, tree)

    def _index(self, module: str, tree: ast.Module) -> None:
        defs: dict[str, ast.stmt] = {}
        imports: dict[str, tuple[str, str]] = {}
        exported: list[str] | None = None
        is_package = module in self._packages
        for node in tree.body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                defs[node.name] = node  # overloads: handled where the module is read
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defs[node.target.id] = node
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
                if target == "__all__":
                    exported = [ast.literal_eval(e) for e in ast.walk(node.value) if _is_str(e)]
                elif not _is_typevar(node.value):
                    defs[target] = node
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(module, node, is_package)
                for alias in node.names:
                    imports[alias.asname or alias.name] = (source, alias.name)
        self._defs[module], self._imports[module] = defs, imports
        self._exports[module] = exported

    def surface(self) -> Surface:
        result: Surface = {}
        for module in sorted(self._stubs):
            if not _is_public_module(module):
                continue
            exported = self._exports[module]
            names = exported if exported is not None else list(self._defs[module])
            entries: Module = {}
            for name in sorted(n for n in names if exported is not None or not n.startswith("_")):
                symbol = self._resolve(module, name)
                if symbol is not None:
                    entries[name] = symbol
            result[module] = entries
        return result

    def _resolve(self, module: str, name: str, depth: int = 0) -> Symbol | None:
        if depth > 20 or module not in self._stubs:
            return Variable(annotation=f"<external {module}.{name}>")
        if name in self._defs[module]:
            return self._symbol(module, name)
        if name in self._imports[module]:
            source, original = self._imports[module][name]
            return self._resolve(source, original, depth + 1)
        if f"{module}.{name}" in self._stubs:
            return Variable(annotation=f"<module {module}.{name}>")
        return None

    def _symbol(self, module: str, name: str) -> Symbol:
        overloads = [
            node
            for node in self._stubs[module].body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        ]
        if len(overloads) > 1:
            return Overloads(tuple(_function(node) for node in overloads))
        node = self._defs[module][name]
        if isinstance(node, ast.ClassDef):
            return self._class(module, node, {})
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return _function(node)
        variable = _variable(node)
        if variable.annotation in ("TypeAlias", "Incomplete") and variable.value is None:
            value = self._source_value(module, name)  # stubgen keeps no alias's value
            if value is not None:
                return Variable(variable.annotation, value=value)
        return variable

    def _source_value(self, module: str, name: str) -> str | None:
        for node in self._sources[module].body if module in self._sources else []:
            target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign):
                target = node.targets[0]
            value = node.value if isinstance(node, ast.AnnAssign | ast.Assign) else None
            if isinstance(target, ast.Name) and target.id == name and value is not None:
                return ast.unparse(value)
        return None

    def _find_class(
        self, module: str, name: str, depth: int = 0
    ) -> tuple[str, ast.ClassDef] | None:
        if depth > 20 or module not in self._stubs:
            return None
        node = self._defs[module].get(name)
        if isinstance(node, ast.ClassDef):
            return module, node
        if name in self._imports[module]:
            source, original = self._imports[module][name]
            return self._find_class(source, original, depth + 1)
        return None

    def _class(self, module: str, node: ast.ClassDef, types: dict[str, str]) -> Class:
        """A class with its public members, private bases folded in (theirs after its own)."""
        members: dict[str, Symbol] = {}
        for name, symbol in _members(node).items():
            members[name] = _substitute(symbol, types)
        decorators = tuple(ast.unparse(d) for d in node.decorator_list)
        if any(_FIELD_CLASS.search(d) for d in decorators):
            members |= self._private_fields(module, node.name)
        bases: list[str] = []
        for base in node.bases:
            base_name, args = _split_generic(base)
            if base_name == "Generic":
                continue
            found = self._find_class(module, base_name.split(".")[-1]) if base_name else None
            if found is not None and (_private(found[0]) or found[1].name.startswith("_")):
                base_module, base_node = found
                params = _generic_params(base_node)
                mapping = dict(zip(params, (_sub(a, types) for a in args), strict=False))
                folded = self._class(base_module, base_node, mapping)
                bases.extend(b for b in folded.bases if b not in bases)
                for name, symbol in folded.members.items():
                    members.setdefault(name, symbol)
            else:
                bases.append(_sub(ast.unparse(base), types))
        return Class(bases=tuple(bases), decorators=decorators, members=members)

    def _private_fields(self, module: str, name: str) -> dict[str, Symbol]:
        """An attrs or dataclass class's `_x` fields, which stubs leave out although each
        is a constructor argument (attrs names it `x`, or by its `alias`)."""
        source = self._sources.get(module)
        classes = [n for n in source.body if isinstance(n, ast.ClassDef)] if source else []
        fields: dict[str, Symbol] = {}
        for node in (c for c in classes if c.name == name):
            for item in node.body:
                if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                    continue
                field_name = item.target.id
                if not field_name.startswith("_") or field_name.startswith("__"):
                    continue
                spec = item.value if isinstance(item.value, ast.Call) else None
                options = {k.arg: ast.unparse(k.value) for k in spec.keywords} if spec else {}
                if options.get("init") == "False":
                    continue  # not a constructor argument
                has_default = item.value is not None and (
                    spec is None or bool({"default", "factory", "default_factory"} & set(options))
                )
                annotation = ast.unparse(item.annotation)
                fields[field_name] = Variable(annotation, has_default=has_default)
        return fields


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_typevar(value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and ast.unparse(value.func).endswith("TypeVar")


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    keep = len(parts) - node.level + (1 if is_package else 0)
    base = parts[:keep]
    return ".".join(base + ([node.module] if node.module else []))


def _split_generic(base: ast.expr) -> tuple[str, list[str]]:
    if isinstance(base, ast.Subscript):
        inner = base.slice
        args = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        return ast.unparse(base.value), [ast.unparse(a) for a in args]
    return ast.unparse(base), []


def _generic_params(node: ast.ClassDef) -> list[str]:
    for base in node.bases:
        name, args = _split_generic(base)
        if name in ("Generic", "typing.Generic"):
            return args
    return []


def _sub(text: str, types: dict[str, str]) -> str:
    for name, value in types.items():
        text = re.sub(rf"\b{re.escape(name)}\b", value, text)
    return text


def _substitute(symbol: Symbol, types: dict[str, str]) -> Symbol:
    if not types:
        return symbol
    if isinstance(symbol, Function):
        params = tuple(
            Param(p.name, p.kind, _sub(p.annotation, types), p.required) for p in symbol.params
        )
        return Function(params, _sub(symbol.returns, types), symbol.is_async, symbol.decorators)
    if isinstance(symbol, Variable):
        return Variable(_sub(symbol.annotation, types), symbol.value, symbol.has_default)
    if isinstance(symbol, Overloads):
        return Overloads(tuple(_substitute(s, types) for s in symbol.signatures))  # type: ignore[misc]
    return symbol


def _keep_member(name: str) -> bool:
    if name in ("__slots__", "__match_args__", "__attrs_attrs__", "__hash__"):
        return False
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _members(node: ast.ClassDef) -> dict[str, Symbol]:
    members: dict[str, Symbol] = {}
    functions: dict[str, list[Function]] = {}
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and _keep_member(item.name):
            functions.setdefault(item.name, []).append(_function(item))
            members[item.name] = functions[item.name][0]
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            if _keep_member(item.target.id):
                members[item.target.id] = _variable(item)
        elif (
            isinstance(item, ast.Assign)
            and isinstance(item.targets[0], ast.Name)
            and _keep_member(item.targets[0].id)
            and not _is_typevar(item.value)
        ):
            members[item.targets[0].id] = _variable(item)
    for name, signatures in functions.items():
        if len(signatures) > 1:
            members[name] = Overloads(tuple(signatures))
    return members


def _variable(node: ast.stmt) -> Variable:
    if isinstance(node, ast.AnnAssign):
        return Variable(ast.unparse(node.annotation), has_default=node.value is not None)
    assert isinstance(node, ast.Assign)
    value = ast.unparse(node.value)
    return Variable("", value=None if value == "..." else value)


def _function(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Function:
    args = node.args
    params: list[Param] = []
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = "positional-only" if index < len(args.posonlyargs) else "positional"
        params.append(Param(arg.arg, kind, _annotation(arg), default is None))
    if args.vararg:
        params.append(Param(args.vararg.arg, "*args", _annotation(args.vararg), False))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(Param(arg.arg, "keyword", _annotation(arg), kw_default is None))
    if args.kwarg:
        params.append(Param(args.kwarg.arg, "**kwargs", _annotation(args.kwarg), False))
    returns = ast.unparse(node.returns) if node.returns else ""
    decorators = tuple(ast.unparse(d) for d in node.decorator_list)
    return Function(tuple(params), returns, isinstance(node, ast.AsyncFunctionDef), decorators)


def _annotation(arg: ast.arg) -> str:
    return ast.unparse(arg.annotation) if arg.annotation else ""


def snapshot(tree: Path, dirs: dict[str, Path] | None = None) -> dict[str, str]:
    """The snapshot files for a source tree (or for the given package directories)."""
    return render(surface_of(dirs if dirs is not None else package_dirs(tree)))
