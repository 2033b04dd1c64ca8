"""The build half of `scripts/release`: a clean tree and two byte-identical builds.

- `export_tree` copies only what git tracks (working-tree contents), so nothing untracked,
  cached or left over from an earlier build can reach an artefact, and checks that every file
  hatch needs to build is in it.
- `build_twice` builds the sdist, and the wheel from that sdist (as pip and `python -m build`
  do, which also proves the sdist is complete), twice, from two fresh copies of the tree at
  different paths, with SOURCE_DATE_EPOCH set. It calls the PEP 517 hooks of the exact
  hatchling pinned in `[build-system] requires` (installed once into a throw-away virtualenv,
  or taken from the running interpreter when it already has exactly those pins, which needs
  no network). Any byte that differs between the two builds fails the release, naming the
  archive members that differ.

The wheel's smoke test in a fresh virtualenv is `releasing.smoke`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from releasing import ReleaseError
from releasing._process import (
    VENV_TIMEOUT,
    clean_env,
    exact_pins,
    install,
    make_venv,
    read_pyproject,
    run,
    trim,
)
from releasing.history import git

BUILD_TIMEOUT = 300
"""Seconds allowed to each build hook."""

_MAX_MEMBERS_NAMED = 20

# Runs in the backend's interpreter, in the source tree: one PEP 517 build, file name printed.
_HOOK = """\
import sys
import hatchling.build as backend

kind, out = sys.argv[1], sys.argv[2]
extra = getattr(backend, "get_requires_for_build_" + kind)()
if extra:
    sys.exit(f"building the {kind} needs more than [build-system] requires: {extra}")
print(getattr(backend, "build_" + kind)(out))
"""
_VERSIONS = """\
import importlib.metadata, sys

for name in sys.argv[1:]:
    try:
        print(name, importlib.metadata.version(name))
    except importlib.metadata.PackageNotFoundError:
        print(name, "-")
"""


@dataclass(frozen=True)
class Artefact:
    """A built file in the release folder, with the sha256 of its bytes (hex)."""

    path: Path
    sha256: str


# -- the tree ----------------------------------------------------------------------------------


def export_tree(root: Path, dest: Path) -> None:
    """Copy the files git tracks in `root` (their working-tree contents; tracked files that were
    deleted are skipped) to `dest`, which must be empty or absent, and check hatch can build it."""
    listing = git(root, "ls-files", "-z")
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise ReleaseError(f"{dest} is not empty; export the tree into a new folder")
    for name in filter(None, listing.split("\0")):
        source, target = root / name, dest / name
        if not os.path.lexists(source):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        elif source.is_dir():
            raise ReleaseError(f"{name} is a git submodule; the release tree cannot include it")
        else:
            shutil.copy2(source, target)
    _check_buildable(dest, root)


def _check_buildable(tree: Path, root: Path) -> None:
    """Every file the pyproject names (readme, license, version file, packages, literal sdist
    includes, custom build hooks, modules of entry points) is in the tree."""
    if not (tree / "pyproject.toml").is_file():
        raise ReleaseError(_not_in_tree("pyproject.toml", root))
    config = read_pyproject(tree)
    project: dict[str, Any] = config.get("project", {})
    hatch: dict[str, Any] = config.get("tool", {}).get("hatch", {})
    build: dict[str, Any] = hatch.get("build", {})
    targets: dict[str, Any] = build.get("targets", {})

    needed: list[str] = []
    readme, license_ = project.get("readme"), project.get("license")
    if isinstance(readme, str):
        needed.append(readme)
    for table in (readme, license_):
        if isinstance(table, dict) and isinstance(table.get("file"), str):
            needed.append(table["file"])
    if "version" in project.get("dynamic", []) and "path" in hatch.get("version", {}):
        needed.append(hatch["version"]["path"])
    packages: list[str] = []
    for section in (build, *targets.values()):
        packages.extend(section.get("packages", []))
        needed.extend(p for p in section.get("include", []) if not re.search(r"[*?\[!]", p))
        custom = section.get("hooks", {}).get("custom")
        if isinstance(custom, dict):
            needed.append(custom.get("path", "hatch_build.py"))
    needed += packages
    groups = [project.get("scripts", {}), project.get("gui-scripts", {})]
    for group in [*groups, *project.get("entry-points", {}).values()]:
        needed.extend(_entry_point_files(tree, packages, group.values()))
    missing = [p for p in dict.fromkeys(needed) if not (tree / p.strip("/")).exists()]
    missing += [g for g in project.get("license-files", []) if not any(tree.glob(g))]
    if missing:
        raise ReleaseError(
            "the release tree lacks what pyproject.toml needs to build:\n"
            + "\n".join(f"  {_not_in_tree(p, root)}" for p in missing)
        )


def _entry_point_files(tree: Path, packages: list[str], targets: Iterable[str]) -> list[str]:
    """The module file of each entry point (`module:attr`) that lives in one of `packages`:
    a module the wheel advertises must be in it."""
    by_name = {Path(p).name: p.strip("/") for p in packages}
    files = []
    for target in targets:
        top, _, rest = target.split(":")[0].strip().partition(".")
        if top in by_name:
            base = f"{by_name[top]}/{rest.replace('.', '/')}" if rest else by_name[top]
            module = f"{base}.py"
            files.append(f"{base}/__init__.py" if (tree / base).is_dir() else module)
    return files


def _not_in_tree(name: str, root: Path) -> str:
    if any(root.glob(name.strip("/"))):
        return f"{name}: exists in {root} but git does not track it (git add it)"
    return f"{name}: missing (not in the working tree either)"


def last_commit_epoch(root: Path) -> int:
    """The committer time of HEAD, in Unix seconds: the SOURCE_DATE_EPOCH of a release."""
    return int(git(root, "log", "-1", "--format=%ct").strip())


# -- the builds --------------------------------------------------------------------------------


def build_twice(tree: Path, out_dir: Path, *, epoch: int) -> list[Artefact]:
    """Build the sdist and the wheel twice from `tree`; unless both builds are byte for byte
    the same and stamped with `epoch`, raise ReleaseError naming what differs. Otherwise move
    one set into `out_dir` and return it (sdist first)."""
    with tempfile.TemporaryDirectory(prefix="release-build-") as scratch:
        work = Path(scratch)
        python = _backend_python(tree)
        first = _build_once(python, tree, work / "first", epoch)
        second = _build_once(python, tree, work / "second", epoch)
        for built in first + second:
            _check_stamped(built, epoch)
        _compare(first, second, epoch)
        out_dir.mkdir(parents=True, exist_ok=True)
        artefacts = []
        for built in first:
            target = out_dir / built.name
            target.unlink(missing_ok=True)
            shutil.move(built, target)
            artefacts.append(Artefact(target, hashlib.sha256(target.read_bytes()).hexdigest()))
    return artefacts


# Backend virtualenvs made by this process, by pins; removed when the process exits.
_backends: dict[tuple[tuple[str, str], ...], tuple[tempfile.TemporaryDirectory[str], Path]] = {}


def _backend_python(tree: Path) -> Path:
    """An interpreter with exactly the `[build-system] requires` pins: this one if it has
    them (no network), else a virtualenv with them installed (made once per process)."""
    system: dict[str, Any] = read_pyproject(tree).get("build-system", {})
    if system.get("build-backend") != "hatchling.build" or "backend-path" in system:
        raise ReleaseError("pyproject.toml: the build backend must be hatchling.build")
    pins = exact_pins(system.get("requires", []), "pyproject.toml [build-system] requires")
    if "hatchling" not in pins:
        raise ReleaseError("pyproject.toml: [build-system] requires must pin hatchling")
    current = Path(sys.executable)
    if _installed_versions(current, pins) == pins:
        return current
    key = tuple(sorted(pins.items()))
    if key in _backends:
        return _backends[key][1]
    folder = tempfile.TemporaryDirectory(prefix="release-backend-")
    python = make_venv(Path(folder.name) / "venv")
    install(
        python,
        [f"{name}=={version}" for name, version in pins.items()],
        what="installing the build backend",
    )
    installed = _installed_versions(python, pins)
    if installed != pins:
        raise ReleaseError(f"the build backend's virtualenv has {installed}, not {pins}")
    _backends[key] = folder, python
    return python


def _installed_versions(python: Path, pins: Mapping[str, str]) -> dict[str, str]:
    out = run(
        [python, "-I", "-c", _VERSIONS, *pins],
        what=f"reading installed versions with {python}",
        timeout=VENV_TIMEOUT,
        env=clean_env(),
    )
    return dict(line.split(" ", 1) for line in out.splitlines() if " " in line)


def _build_once(python: Path, tree: Path, work: Path, epoch: int) -> list[Path]:
    """[sdist, wheel] built in `work` from a fresh copy of `tree`, the wheel from the sdist."""
    source, dist, unpacked = work / "tree", work / "dist", work / "unpacked"
    shutil.copytree(tree, source, symlinks=True)
    dist.mkdir()
    sdist = dist / _hook(python, "sdist", source, dist, epoch)
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (sdist_root,) = unpacked.iterdir()
    wheel = dist / _hook(python, "wheel", sdist_root, dist, epoch)
    return [sdist, wheel]


def _hook(python: Path, kind: str, source: Path, dist: Path, epoch: int) -> str:
    out = run(
        [python, "-I", "-c", _HOOK, kind, dist],
        what=f"building the {kind} in {source}",
        timeout=BUILD_TIMEOUT,
        cwd=source,
        env=clean_env(SOURCE_DATE_EPOCH=str(epoch)),
    )
    name = out.strip().splitlines()[-1] if out.strip() else ""
    if not name or not (dist / name).is_file():
        raise ReleaseError(f"building the {kind} in {source} made no file:\n{trim(out)}")
    return name


# -- comparing builds --------------------------------------------------------------------------


def _compare(first: list[Path], second: list[Path], epoch: int) -> None:
    names = [p.name for p in first], [p.name for p in second]
    if names[0] != names[1]:
        raise ReleaseError(f"two builds made different files: {names[0]} and {names[1]}")
    problems = [
        f"{a.name} differs between two builds (SOURCE_DATE_EPOCH={epoch}): {_differences(a, b)}"
        for a, b in zip(first, second, strict=True)
        if a.read_bytes() != b.read_bytes()
    ]
    if problems:
        raise ReleaseError("the build is not reproducible:\n" + "\n".join(problems))


def _differences(a: Path, b: Path) -> str:
    """Which members (and which of their fields) differ between two archives."""
    if a.name.endswith(".whl"):
        members = _zip_members(a), _zip_members(b)
    elif a.name.endswith(".tar.gz"):
        members = _tar_members(a), _tar_members(b)
    else:
        return "the bytes differ"
    found: list[str] = []
    for name in dict.fromkeys([*members[0], *members[1]]):
        if name not in members[1]:
            found.append(f"{name} (only in the first)")
        elif name not in members[0]:
            found.append(f"{name} (only in the second)")
        else:
            fields = [k for k, v in members[0][name].items() if members[1][name][k] != v]
            if fields:
                found.append(f"{name} ({', '.join(fields)})")
    if not found and list(members[0]) != list(members[1]):
        found.append("the members' order")
    if not found:
        return "the archive bytes (compression or archive headers) differ"
    more = len(found) - _MAX_MEMBERS_NAMED
    shown = found[:_MAX_MEMBERS_NAMED] + ([f"and {more} more"] if more > 0 else [])
    return "members differ: " + "; ".join(shown)


def _zip_members(path: Path) -> dict[str, dict[str, object]]:
    with zipfile.ZipFile(path) as archive:
        return {
            info.filename: {
                "content": archive.read(info),
                "date_time": info.date_time,
                "mode": info.external_attr,
                "compression": info.compress_type,
            }
            for info in archive.infolist()
        }


def _tar_members(path: Path) -> dict[str, dict[str, object]]:
    header = path.read_bytes()[:10]
    members: dict[str, dict[str, object]] = {
        "(gzip header)": {"mtime": int.from_bytes(header[4:8], "little"), "bytes": header}
    }
    with tarfile.open(path) as archive:
        for info in archive.getmembers():
            extracted = archive.extractfile(info) if info.isfile() else None
            members[info.name] = {
                "content": extracted.read() if extracted is not None else b"",
                "mtime": info.mtime,
                "uid": info.uid,
                "gid": info.gid,
                "uname": info.uname,
                "gname": info.gname,
                "mode": info.mode,
                "type": info.type,
                "pax_headers": info.pax_headers,
            }
    return members


def _check_stamped(path: Path, epoch: int) -> None:
    """The artefact carries `epoch` as every timestamp (and no owner): proof that the build
    honoured SOURCE_DATE_EPOCH, which two builds in the same second could not show."""
    wrong: list[str] = []
    if path.name.endswith(".tar.gz"):
        header = path.read_bytes()[:10]  # RFC 1952: flags at 3, mtime at 4..8
        if int.from_bytes(header[4:8], "little") != epoch or header[3] & 0x08:
            wrong.append(f"gzip header {header.hex()} (time, or a file name, in it)")
        with tarfile.open(path) as archive:
            for info in archive.getmembers():
                owner = (info.uid, info.gid, info.uname, info.gname)
                if info.mtime != epoch or owner != (0, 0, "", ""):
                    wrong.append(f"{info.name}: mtime {info.mtime}, owner {info.uid}:{info.gid}")
    elif path.name.endswith(".whl"):
        stamp = datetime.fromtimestamp(max(epoch, 315532800), UTC)  # zip starts at 1980
        expected = (*stamp.timetuple()[:5], stamp.second - stamp.second % 2)  # 2 s resolution
        with zipfile.ZipFile(path) as archive:
            wrong += [
                f"{i.filename}: {i.date_time}"
                for i in archive.infolist()
                if i.date_time != expected
            ]
    if wrong:
        raise ReleaseError(
            f"{path.name} does not carry SOURCE_DATE_EPOCH={epoch} everywhere: "
            + "; ".join(wrong[:_MAX_MEMBERS_NAMED])
        )
