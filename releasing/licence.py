"""The licence half of the release check: every built artefact says under which licence it
may be used, as PEP 639 puts it, so a consuming team's legal review can read it from the
package itself.

pyproject.toml must declare `license` as an SPDX expression (a string, not the legacy
table) and name its `license-files`. The wheel's `METADATA` and the sdist's `PKG-INFO`
must then carry that `License-Expression` and a `License-File` for each file, and each
file must be in the archive (the wheel's `.dist-info/licenses/`, the sdist's root) with
the tree's bytes.
"""

from __future__ import annotations

import tarfile
import zipfile
from collections.abc import Sequence
from email.message import Message
from email.parser import Parser
from pathlib import Path

from releasing import ReleaseError
from releasing._process import read_pyproject


def declared_licence(tree: Path) -> tuple[str, list[str]]:
    """(the SPDX expression, the licence files) that `tree`'s pyproject.toml declares."""
    project = read_pyproject(tree).get("project", {})
    expression, files = project.get("license"), project.get("license-files")
    if not isinstance(expression, str) or not expression.strip():
        raise ReleaseError(
            'pyproject.toml: [project] license must be an SPDX expression (license = "MIT")'
        )
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise ReleaseError("pyproject.toml: [project] license-files must name the licence text")
    return expression, files


def check_licence(tree: Path, artefacts: Sequence[Path]) -> None:
    """Raise ReleaseError unless each wheel and sdist in `artefacts` carries the licence that
    `tree` declares: the expression, a License-File entry and the bytes of each file."""
    expression, patterns = declared_licence(tree)
    files = sorted({p.relative_to(tree).as_posix() for g in patterns for p in tree.glob(g)})
    if not files:
        raise ReleaseError(f"pyproject.toml: no file matches license-files {patterns}")
    problems: list[str] = []
    for artefact in artefacts:
        if artefact.name.endswith(".whl"):
            metadata, members = _wheel(artefact)
        elif artefact.name.endswith(".tar.gz"):
            metadata, members = _sdist(artefact)
        else:
            continue
        problems += _problems(artefact.name, metadata, members, expression, files, tree)
    if problems:
        raise ReleaseError("the artefacts do not carry the licence:\n" + "\n".join(problems))


def _problems(
    name: str,
    metadata: Message,
    members: dict[str, bytes],
    expression: str,
    files: list[str],
    tree: Path,
) -> list[str]:
    found: list[str] = []
    if metadata.get("License-Expression") != expression:
        found.append(
            f"  {name}: License-Expression is {metadata.get('License-Expression')!r}, "
            f"not {expression!r}"
        )
    declared = metadata.get_all("License-File") or []
    for file in files:
        if file not in declared:
            found.append(f"  {name}: no License-File: {file} in its metadata")
        if members.get(file) != (tree / file).read_bytes():
            found.append(f"  {name}: {file} is missing or differs from the tree's")
    return found


def _parse(raw: bytes) -> Message:
    return Parser().parsestr(raw.decode("utf-8"), headersonly=True)


def _wheel(path: Path) -> tuple[Message, dict[str, bytes]]:
    """The wheel's METADATA, and its licence files by their path under `licenses/`."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        metadata = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if metadata is None:
            raise ReleaseError(f"{path.name} has no .dist-info/METADATA")
        licences = metadata.rsplit("/", 1)[0] + "/licenses/"
        members = {n[len(licences) :]: archive.read(n) for n in names if n.startswith(licences)}
        return _parse(archive.read(metadata)), members


def _sdist(path: Path) -> tuple[Message, dict[str, bytes]]:
    """The sdist's PKG-INFO, and its regular files by their path under the top folder."""
    with tarfile.open(path) as archive:
        members: dict[str, bytes] = {}
        for info in archive.getmembers():
            extracted = archive.extractfile(info) if info.isfile() else None
            if extracted is not None and "/" in info.name:
                members[info.name.split("/", 1)[1]] = extracted.read()
    if "PKG-INFO" not in members:
        raise ReleaseError(f"{path.name} has no PKG-INFO")
    return _parse(members["PKG-INFO"]), members
