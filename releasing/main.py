"""`scripts/release`: the release gate, then (without --check) the release build.

    scripts/release --check      the gate and a throw-away build, as CI runs it
    scripts/release              the gate, then the artefacts in dist/ (clean tree only)
    scripts/release --gate-only  the version gate alone: no build, no smoke test

The gate compares the working tree with a base commit (`releasing.history`): the change
of the public surface (`releasing.surface`, `releasing.compare`) and of the wire contract
(`releasing.spec_diff`) must fit the version bump, CHANGELOG.md must have a section for
the version, and a change of the generator's or ruff's pin must be in that section. The
build (`releasing.build`) must be byte-identical twice, the wheel and the sdist must carry
the licence pyproject.toml declares (`releasing.licence`), and the wheel must pass mypy
--strict and the README's examples in a fresh virtualenv (`releasing.smoke`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import ReleaseError
from ._process import extras_pins
from .build import Artefact, build_twice, export_tree, last_commit_epoch
from .compare import Change, Level, compare, level
from .history import Base, Version, find_base, git, required_version, tree_version
from .licence import check_licence
from .smoke import smoke_test
from .spec_diff import breaking_wire_changes
from .surface import package_dirs, surface_of

ROOT = Path(__file__).resolve().parent.parent
DIST = "dist"
PACKAGE = "campaign-clients"
PINNED_TOOLS = ("openapi-python-client", "ruff")
"""Tools whose pin changes what consumers get: the generator writes the typed clients,
ruff formats them."""
SHOWN_CHANGES = 40
"""How many non-breaking changes are listed (every breaking one is)."""


@dataclass(frozen=True)
class Verdict:
    version: Version
    base: Base
    changes: list[Change]

    @property
    def level(self) -> Level:
        return level(self.changes)


def gate(root: Path) -> Verdict:
    """The version gate: raises ReleaseError when the version or changelog does not fit."""
    version = tree_version(root)
    base = find_base(root, version)
    with tempfile.TemporaryDirectory(prefix="release-base-") as tmp:
        old_tree = Path(tmp)
        _export_commit(root, base.commit, old_tree)
        # stubgen (twice) and Optic are separate processes: run them side by side.
        with ThreadPoolExecutor(max_workers=3) as pool:
            old_surface = pool.submit(surface_of, package_dirs(old_tree))
            new_surface = pool.submit(surface_of, package_dirs(root))
            wire = pool.submit(wire_changes, old_tree, root)
            changes = compare(old_surface.result(), new_surface.result()) + wire.result()
        pins = pin_changes(old_tree, root)
    verdict = Verdict(version, base, sorted(changes, key=lambda c: -c.level))
    problems = version_problems(verdict) + changelog_problems(root, version, pins)
    if problems:
        raise ReleaseError("\n".join([*problems, "", *_describe(verdict)]))
    return verdict


def wire_changes(old_tree: Path, new_tree: Path) -> list[Change]:
    """Breaking changes of each spec that the generated types cannot show."""
    changes = []
    for spec in sorted((new_tree / "spec").glob("*.yaml")):
        old = old_tree / "spec" / spec.name
        # A document byte for byte as it was has no wire change: Optic need not say so.
        if old.is_file() and old.read_bytes() != spec.read_bytes():
            for what in breaking_wire_changes(old, spec):
                changes.append(Change(Level.BREAKING, f"spec/{spec.name}", what))
    for old in sorted((old_tree / "spec").glob("*.yaml")):
        if not (new_tree / "spec" / old.name).is_file():
            changes.append(Change(Level.BREAKING, f"spec/{old.name}", "spec removed"))
    return changes


def version_problems(verdict: Verdict) -> list[str]:
    version, base, change = verdict.version, verdict.base, verdict.level
    if base.new_version:
        needed = required_version(base.version, str(change))
        if version < needed:
            return [
                f"the change since {base.version} ({base.commit[:12]}) is {change}: "
                f"the version must be at least {needed}, not {version}"
            ]
        return []
    if verdict.changes:
        needed = required_version(version, str(change))
        return [
            f"the surface changed ({change}) since {version} was first carried "
            f"({base.commit[:12]}): bump the version to at least {needed}"
        ]
    return []


def pin_changes(old_tree: Path, new_tree: Path) -> dict[str, tuple[str | None, str | None]]:
    """{tool: (old pin, new pin)} for each of PINNED_TOOLS whose pin changed."""
    old, new = extras_pins(old_tree), extras_pins(new_tree)
    return {
        tool: (old.get(tool), new.get(tool))
        for tool in PINNED_TOOLS
        if old.get(tool) != new.get(tool)
    }


def changelog_section(text: str, version: Version) -> str | None:
    """The body of `## [X.Y.Z]` in a Keep a Changelog file (None when there is none)."""
    match = re.search(
        rf"^## \[{re.escape(str(version))}\][^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S
    )
    return match.group(1) if match else None


def changelog_problems(
    root: Path, version: Version, pins: dict[str, tuple[str | None, str | None]]
) -> list[str]:
    path = root / "CHANGELOG.md"
    section = changelog_section(path.read_text("utf-8"), version) if path.is_file() else None
    if section is None:
        return [
            f"CHANGELOG.md has no section for {version} (a '## [{version}] - YYYY-MM-DD' heading)"
        ]
    return [
        f"the pin of {tool} changed ({old} -> {new}): CHANGELOG.md's {version} section "
        f"must say so (a line naming {tool} {new})"
        for tool, (old, new) in pins.items()
        if not (tool in section and (new is None or new in section))
    ]


def _export_commit(root: Path, commit: str, dest: Path) -> None:
    """The files of `commit` (not the working tree) into `dest`."""
    archive = dest / ".base.tar"
    git(root, "archive", "--format=tar", "-o", str(archive), commit)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()


def _describe(verdict: Verdict) -> list[str]:
    lines = [
        f"version:  {verdict.version}",
        f"compared: {verdict.base.commit[:12]} ({verdict.base.reason})",
        f"change:   {verdict.level}",
    ]
    breaking = [c for c in verdict.changes if c.level is Level.BREAKING]
    others = [c for c in verdict.changes if c.level is not Level.BREAKING]
    shown = breaking + others[:SHOWN_CHANGES]  # every breaking change is named
    lines += [f"  {change}" for change in shown]
    if len(verdict.changes) > len(shown):
        lines.append(f"  ... and {len(verdict.changes) - len(shown)} more additions")
    return lines


def build(root: Path, out_dir: Path) -> list[Artefact]:
    """Two byte-identical builds from a clean copy of the tree, each artefact carrying the
    declared licence; the wheel smoke-tested."""
    with tempfile.TemporaryDirectory(prefix="release-tree-") as tmp:
        tree = Path(tmp) / "tree"
        export_tree(root, tree)
        artefacts = build_twice(tree, out_dir, epoch=last_commit_epoch(root))
        check_licence(tree, [artefact.path for artefact in artefacts])
    (wheel,) = (a.path for a in artefacts if a.path.suffix == ".whl")
    smoke_test(wheel, root / "README.md", root=root)
    return artefacts


def pin_line(version: Version, artefacts: list[Artefact]) -> str:
    hashes = " ".join(
        f"--hash=sha256:{a.sha256}" for a in sorted(artefacts, key=lambda a: a.path.name)
    )
    return f"{PACKAGE}=={version} {hashes}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/release", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="gate and throw-away build (CI)")
    mode.add_argument("--gate-only", action="store_true", help="the version gate alone")
    args = parser.parse_args(argv)
    try:
        if not (args.check or args.gate_only) and git(ROOT, "status", "--porcelain").strip():
            raise ReleaseError("the working tree has changes: a release is built from a commit")
        verdict = gate(ROOT)
        print("\n".join(_describe(verdict)))
        if args.gate_only:
            return 0
        with tempfile.TemporaryDirectory(prefix="release-dist-") as tmp:
            out_dir = Path(tmp) if args.check else ROOT / DIST
            if not args.check:
                shutil.rmtree(out_dir, ignore_errors=True)
            artefacts = build(ROOT, out_dir)
            print("built:    twice, byte-identical, licence metadata present; the wheel passed")
            print("          mypy --strict and the README's examples in a fresh virtualenv")
            for artefact in artefacts:
                where = artefact.path.name if args.check else artefact.path.relative_to(ROOT)
                print(f"sha256:   {artefact.sha256}  {where}")
            print(f"pin:      {pin_line(verdict.version, artefacts)}")
    except ReleaseError as exc:
        print(f"scripts/release: {exc}", file=sys.stderr)
        return 1
    print("release check passed" if args.check else f"release {verdict.version} built in {DIST}/")
    return 0
