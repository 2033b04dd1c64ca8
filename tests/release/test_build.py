"""releasing.build and releasing.smoke: the tree a release is built from, two byte-identical
builds, the licence they carry, and the README block extraction the wheel's smoke test relies
on (the smoke test of the real wheel runs in tests/release/test_release_gate.py, inside the
whole `scripts/release --check` of this repository).

The toy projects build with the same pinned hatchling as the package; the real builds use this
repository's tracked files, as `scripts/release` does.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
import textwrap
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import ROOT

import campaign_clients
from releasing import ReleaseError, readme_examples
from releasing.build import (
    Artefact,
    build_twice,
    export_tree,
    last_commit_epoch,
)
from releasing.licence import check_licence

TOY_EPOCH = 1_700_000_000
TOY_PYPROJECT = """\
[build-system]
requires = ["hatchling==1.33.0"]
build-backend = "hatchling.build"

[project]
name = "toy"
version = "1.0"
readme = "README.md"
requires-python = ">=3.11"
"""
# A build hook that puts a new random stamp into the artefact at every build.
STAMP_HOOK = """\
import os
import tempfile
import uuid

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class StampHook(BuildHookInterface):
    def initialize(self, version, build_data):
        fd, path = tempfile.mkstemp()
        with os.fdopen(fd, "w") as stamp:
            stamp.write(uuid.uuid4().hex)
        build_data["force_include"][path] = "toy/stamp.txt"
"""


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": f"@{TOY_EPOCH} +0000",
        "GIT_COMMITTER_DATE": f"@{TOY_EPOCH} +0000",
    }
    subprocess.run(
        ["git", "-c", "user.name=Toy", "-c", "user.email=toy@example.com", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def toy_repo(tmp_path: Path) -> Path:
    """A committed toy project, then changed: one tracked file deleted, one modified, junk
    added (ignored and not)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    write(
        repo,
        {
            "pyproject.toml": TOY_PYPROJECT,
            "README.md": "# toy\n",
            ".gitignore": "__pycache__/\n.venv/\nbuild/\n",
            "toy/__init__.py": "",
            "docs/a file, é.txt": "odd name\n",
            "deleted.txt": "gone\n",
            "modified.txt": "committed\n",
        },
    )
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "toy")
    (repo / "deleted.txt").unlink()
    write(
        repo,
        {
            "modified.txt": "in the working tree\n",
            "junk.txt": "untracked\n",
            "toy/scratch.py": "untracked\n",
            "toy/__pycache__/x.pyc": "ignored\n",
            ".venv/lib/site.py": "ignored\n",
            "build/leftover.whl": "ignored\n",
        },
    )
    return repo


def test_export_tree_copies_the_tracked_files_as_they_are(toy_repo: Path, tmp_path: Path) -> None:
    dest = tmp_path / "tree"

    export_tree(toy_repo, dest)

    assert files_under(dest) == {
        ".gitignore",
        "README.md",
        "docs/a file, é.txt",
        "modified.txt",
        "pyproject.toml",
        "toy/__init__.py",
    }
    assert (dest / "modified.txt").read_text(encoding="utf-8") == "in the working tree\n"


def test_export_tree_refuses_a_tree_missing_what_the_build_needs(
    toy_repo: Path, tmp_path: Path
) -> None:
    git(toy_repo, "rm", "-q", "--cached", "README.md")  # on disk, no longer tracked

    with pytest.raises(ReleaseError, match=r"README\.md: exists .* git does not track it"):
        export_tree(toy_repo, tmp_path / "tree")


def test_last_commit_epoch_is_the_committer_time(toy_repo: Path) -> None:
    assert last_commit_epoch(toy_repo) == TOY_EPOCH


def toy_project(path: Path, extra_pyproject: str = "") -> Path:
    write(
        path,
        {
            "pyproject.toml": TOY_PYPROJECT + textwrap.dedent(extra_pyproject),
            "README.md": "# toy\n",
            "toy/__init__.py": "",
            "hatch_build.py": STAMP_HOOK,
        },
    )
    return path


@pytest.mark.parametrize(
    ("target", "differing"),
    [
        ("wheel", ["toy-1.0-py3-none-any.whl differs", "members differ: toy/stamp.txt (content)"]),
        # The wheel is built from the sdist, so it inherits the sdist's stamp.
        (
            "sdist",
            [
                "toy-1.0.tar.gz differs",
                "members differ: toy-1.0/toy/stamp.txt (content)",
                "toy-1.0-py3-none-any.whl differs",
            ],
        ),
    ],
)
def test_build_twice_catches_a_build_that_is_not_reproducible(
    tmp_path: Path, target: str, differing: list[str]
) -> None:
    tree = toy_project(tmp_path / "toy", f"[tool.hatch.build.targets.{target}.hooks.custom]\n")

    with pytest.raises(ReleaseError, match="the build is not reproducible") as caught:
        build_twice(tree, tmp_path / "dist", epoch=TOY_EPOCH)

    message = str(caught.value)
    assert all(part in message for part in differing), message
    if target == "wheel":
        assert ".tar.gz" not in message, "the sdist has no stamp and must not be reported"
    assert not (tmp_path / "dist").exists()


def test_build_twice_catches_a_build_that_ignores_source_date_epoch(tmp_path: Path) -> None:
    tree = toy_project(tmp_path / "toy", "[tool.hatch.build]\nreproducible = false\n")

    with pytest.raises(ReleaseError, match=r"does not carry SOURCE_DATE_EPOCH=1700000000"):
        build_twice(tree, tmp_path / "dist", epoch=TOY_EPOCH)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Artefact]]]:
    """(the exported tree, the artefacts) of this repository, built twice."""
    tree = tmp_path_factory.mktemp("release") / "tree"
    export_tree(ROOT, tree)
    yield tree, build_twice(tree, tree.parent / "dist", epoch=last_commit_epoch(ROOT))


def test_build_twice_builds_the_real_sdist_and_wheel_identically(
    release: tuple[Path, list[Artefact]],
) -> None:
    tree, (sdist, wheel) = release
    version = campaign_clients.__version__
    epoch = last_commit_epoch(ROOT)

    assert sdist.path == tree.parent / "dist" / f"campaign_clients-{version}.tar.gz"
    assert wheel.path == tree.parent / "dist" / f"campaign_clients-{version}-py3-none-any.whl"
    for artefact in (sdist, wheel):
        assert artefact.sha256 == hashlib.sha256(artefact.path.read_bytes()).hexdigest()

    # Reproducible by construction: every timestamp is the last commit's, no owner is recorded.
    assert int.from_bytes(sdist.path.read_bytes()[4:8], "little") == epoch  # gzip header
    with tarfile.open(sdist.path) as archive:
        members = archive.getmembers()
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(epoch, 0, 0, "", "")}
    assert f"campaign_clients-{version}/pyproject.toml" in {m.name for m in members}
    stamp = datetime.fromtimestamp(epoch, UTC)
    with zipfile.ZipFile(wheel.path) as archive:
        assert {i.date_time[:5] for i in archive.infolist()} == {stamp.timetuple()[:5]}
        assert "campaign_clients/__init__.py" in archive.namelist()


def test_the_real_artefacts_carry_the_mit_licence(release: tuple[Path, list[Artefact]]) -> None:
    tree, (sdist, wheel) = release

    check_licence(tree, [sdist.path, wheel.path])  # raises if anything is missing

    with zipfile.ZipFile(wheel.path) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(metadata).decode()
        licence = archive.read(metadata.replace("METADATA", "licenses/LICENSE"))
    assert "License-Expression: MIT\n" in text and "License-File: LICENSE\n" in text
    assert licence == (ROOT / "LICENSE").read_bytes()
    assert licence.startswith(b"MIT License")


def _rewrite_metadata(wheel: Path, out: Path, drop: str) -> Path:
    """A copy of `wheel` whose METADATA lacks the header lines starting with `drop`."""
    target = out / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/METADATA"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if not line.startswith(drop)).encode()
            copy.writestr(info, data)
    return target


@pytest.mark.parametrize(
    ("drop", "complaint"),
    [
        ("License-Expression:", "License-Expression is None, not 'MIT'"),
        ("License-File:", "no License-File: LICENSE in its metadata"),
    ],
)
def test_the_release_check_fails_on_a_wheel_without_licence_metadata(
    release: tuple[Path, list[Artefact]], tmp_path: Path, drop: str, complaint: str
) -> None:
    tree, (_, wheel) = release
    stripped = _rewrite_metadata(wheel.path, tmp_path, drop)

    with pytest.raises(ReleaseError, match="do not carry the licence") as caught:
        check_licence(tree, [stripped])

    assert complaint in str(caught.value)


def test_the_release_check_fails_on_a_project_that_declares_no_licence(tmp_path: Path) -> None:
    tree = toy_project(tmp_path / "toy")
    artefacts = build_twice(tree, tmp_path / "dist", epoch=TOY_EPOCH)

    with pytest.raises(ReleaseError, match="license must be an SPDX expression"):
        check_licence(tree, [a.path for a in artefacts])


def test_a_toy_with_a_licence_passes_and_one_with_the_file_dropped_fails(tmp_path: Path) -> None:
    tree = toy_project(tmp_path / "toy", 'license = "MIT"\nlicense-files = ["LICENSE"]\n')
    (tree / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    artefacts = [a.path for a in build_twice(tree, tmp_path / "dist", epoch=TOY_EPOCH)]

    check_licence(tree, artefacts)

    (tree / "LICENSE").write_text("MIT License, edited after the build\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"LICENSE is missing or differs from the tree's"):
        check_licence(tree, artefacts)


README_SAMPLE = """\
# Title

```python
a = 1
```

## Testing your code

```sh
## a shell comment, not a heading
```

```python
def test_x() -> None: ...
```

### A subsection stays in its section

````python
b = "```"
````

## Next
   ```python
   c = 3
   ```
"""


def test_readme_blocks_are_split_by_section() -> None:
    assert readme_examples.usage_blocks(README_SAMPLE) == ["a = 1\n", "c = 3\n"]
    assert readme_examples.testing_blocks(README_SAMPLE) == [
        "def test_x() -> None: ...\n",
        'b = "```"\n',
    ]
    last = README_SAMPLE.split("## Next")[0]  # "Testing your code" ends the file
    assert readme_examples.testing_blocks(last) == readme_examples.testing_blocks(README_SAMPLE)
    assert [b.line for b in readme_examples.python_blocks(README_SAMPLE)] == [3, 13, 19, 24]


def test_a_block_requiring_more_than_the_package_is_run_apart() -> None:
    text = "## Use\n```python requires=opentelemetry-sdk,wrapt\nx = 1\n```\n```python\ny = 2\n```\n"
    assert readme_examples.usage_blocks(text) == ["y = 2\n"]
    (block,) = readme_examples.requiring_blocks(text)
    assert (block.code, block.requires) == ("x = 1\n", ("opentelemetry-sdk", "wrapt"))


def test_a_usage_example_must_make_a_request() -> None:
    with pytest.raises(AssertionError, match="made no request"):
        readme_examples.run_usage_example("print('hello')\n", "example.py")
