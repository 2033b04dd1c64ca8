"""Which commit a release is compared with, found from the version history of main.

Every commit on main is installable, so its version must describe it:
- when the working tree's version V is new (no earlier commit carried it), the base is
  the newest commit that carried the version before it, and the change since then must
  fit the bump from that version to V;
- when an earlier commit already carried V, the base is the first commit that did, and
  any change of the surface since then needs a bump.
A tag `vX.Y.Z`, where there is one, must name the first commit that carried X.Y.Z.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ReleaseError
from ._process import run

GIT_TIMEOUT = 60
"""Seconds allowed to each git command."""
_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _SEMVER.fullmatch(text.strip())
        if match is None:
            raise ReleaseError(f"version {text!r} is not MAJOR.MINOR.PATCH")
        return cls(*(int(part) for part in match.groups()))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def next_minor(self) -> Version:
        return Version(self.major, self.minor + 1, 0)

    def next_major(self) -> Version:
        return Version(self.major + 1, 0, 0)

    def next_patch(self) -> Version:
        return Version(self.major, self.minor, self.patch + 1)


@dataclass(frozen=True)
class Base:
    """The commit to compare with, its version, and why it was chosen."""

    commit: str
    version: Version
    new_version: bool  # the working tree's version is carried by no earlier commit
    reason: str


def git(root: Path, *args: str) -> str:
    """A git command's output in `root`; ReleaseError when it fails or times out."""
    return run(["git", *args], what=f"git {' '.join(args)}", timeout=GIT_TIMEOUT, cwd=root)


def version_in(read: Callable[[str], str | None]) -> Version:
    """The version from pyproject.toml's text and the file hatch reads it from.

    `read` gives a repository path's text (None when the file is absent)."""
    pyproject_text = read("pyproject.toml")
    if pyproject_text is None:
        raise ReleaseError("no pyproject.toml")
    pyproject = tomllib.loads(pyproject_text)
    static = pyproject.get("project", {}).get("version")
    if static:
        return Version.parse(static)
    path = pyproject.get("tool", {}).get("hatch", {}).get("version", {}).get("path")
    text = read(path) if path else None
    if text is None:
        raise ReleaseError(f"pyproject.toml names no readable version (hatch path {path!r})")
    match = re.search(r"""^(?:__version__|VERSION)\s*=\s*["']([^"']+)["']""", text, re.M)
    if match is None:
        raise ReleaseError(f"{path} has no VERSION = '...' line")
    return Version.parse(match.group(1))


def tree_version(root: Path) -> Version:
    """The working tree's version."""

    def read(key: str) -> str | None:
        path = root / key
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return version_in(read)


def commit_version(root: Path, commit: str) -> Version | None:
    """The version a commit carried (None when it had none that can be read)."""

    def read(key: str) -> str | None:
        try:
            return git(root, "show", f"{commit}:{key}")
        except ReleaseError:  # no such file in that commit
            return None

    try:
        return version_in(read)
    except ReleaseError:
        return None


def history(root: Path) -> list[tuple[str, Version | None]]:
    """(commit, version) along HEAD's first-parent history, newest first."""
    commits = git(root, "rev-list", "--first-parent", "HEAD").split()
    return [(commit, commit_version(root, commit)) for commit in commits]


def find_base(root: Path, version: Version) -> Base:
    """The commit to compare the working tree (carrying `version`) with."""
    carried = history(root)
    if not carried:
        raise ReleaseError("no commits: nothing to compare with")
    same = [commit for commit, v in carried if v == version]
    if same:
        first = same[-1]
        _check_tag(root, version, first)
        reason = f"the first commit that carried {version}"
        return Base(first, version, new_version=False, reason=reason)
    for commit, previous in carried:
        if previous is not None:
            if previous > version:
                raise ReleaseError(
                    f"version {version} is lower than {previous}, carried by {commit[:12]}"
                )
            _check_tag(root, version, None)
            reason = f"the newest commit that carried {previous}, the version before {version}"
            return Base(commit, previous, new_version=True, reason=reason)
    raise ReleaseError("no earlier commit carries a readable version")


def _check_tag(root: Path, version: Version, first: str | None) -> None:
    """A tag vX.Y.Z must name the first commit that carried X.Y.Z."""
    tag = f"v{version}"
    if not git(root, "tag", "--list", tag).strip():
        return
    tagged = git(root, "rev-list", "-n", "1", tag).strip()
    if first is None:
        raise ReleaseError(f"tag {tag} exists ({tagged[:12]}) but no commit carries {version}")
    if tagged != first:
        raise ReleaseError(
            f"tag {tag} names {tagged[:12]}, but the first commit that carried {version} "
            f"is {first[:12]}"
        )


def required_version(base: Version, level_name: str) -> Version:
    """The smallest version the change class allows after `base` (0.x: breaking is minor)."""
    if level_name == "breaking":
        return base.next_minor() if base.major == 0 else base.next_major()
    if level_name == "feature":
        return base.next_patch() if base.major == 0 else base.next_minor()
    return base
