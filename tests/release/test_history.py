"""Which commit a release is compared with, the bump each change class needs, and the
changelog rules, on a small git repository made for each test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from releasing import ReleaseError
from releasing.history import Version, find_base, required_version, tree_version
from releasing.main import changelog_problems

PYPROJECT = """\
[project]
name = "toy"
dynamic = ["version"]

[tool.hatch.version]
path = "toy/_constants.py"
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()


def commit(repo: Path, version: str, note: str = "") -> str:
    (repo / "toy").mkdir(exist_ok=True)
    (repo / "toy" / "_constants.py").write_text(f'VERSION = "{version}"\n# {note}\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"{version} {note}")
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    return tmp_path


def test_the_version_is_read_where_hatch_reads_it(repo):
    commit(repo, "0.3.1")
    assert tree_version(repo) == Version(0, 3, 1)


def test_a_new_version_compares_with_the_newest_commit_of_the_version_before(repo):
    commit(repo, "0.1.0", "first")
    commit(repo, "0.1.0", "second")
    newest = commit(repo, "0.1.0", "third")
    (repo / "toy" / "_constants.py").write_text('VERSION = "0.2.0"\n')  # not committed yet

    base = find_base(repo, tree_version(repo))
    assert (base.commit, base.version, base.new_version) == (newest, Version(0, 1, 0), True)


def test_a_carried_version_compares_with_its_first_commit(repo):
    commit(repo, "0.1.0")
    first = commit(repo, "0.2.0", "release")
    commit(repo, "0.2.0", "a fix")

    base = find_base(repo, tree_version(repo))
    assert (base.commit, base.new_version) == (first, False)
    assert "first commit that carried 0.2.0" in base.reason


def test_a_tag_must_name_the_first_commit_of_its_version(repo):
    first = commit(repo, "0.2.0", "release")
    later = commit(repo, "0.2.0", "a fix")
    git(repo, "tag", "v0.2.0", first)
    assert find_base(repo, Version(0, 2, 0)).commit == first

    git(repo, "tag", "-f", "v0.2.0", later)
    mismatch = r"tag v0\.2\.0 names .* first commit that carried 0\.2\.0"
    with pytest.raises(ReleaseError, match=mismatch):
        find_base(repo, Version(0, 2, 0))


def test_a_lower_version_is_refused(repo):
    commit(repo, "0.2.0")
    with pytest.raises(ReleaseError, match=r"version 0\.1\.9 is lower than 0\.2\.0"):
        find_base(repo, Version(0, 1, 9))


@pytest.mark.parametrize(
    ("base", "change", "needed"),
    [
        ("0.2.0", "breaking", "0.3.0"),  # 0.x: breaking needs at least a minor bump
        ("0.2.0", "feature", "0.2.1"),
        ("0.2.0", "patch", "0.2.0"),
        ("1.4.2", "breaking", "2.0.0"),
        ("1.4.2", "feature", "1.5.0"),
        ("1.4.2", "patch", "1.4.2"),
    ],
)
def test_the_bump_each_change_needs(base, change, needed):
    assert str(required_version(Version.parse(base), change)) == needed


def test_the_changelog_needs_a_section_for_the_version(tmp_path):
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2026-01-01\n- x\n")
    (problem,) = changelog_problems(tmp_path, Version(0, 2, 0), {})
    assert problem.startswith("CHANGELOG.md has no section for 0.2.0")
    assert changelog_problems(tmp_path, Version(0, 1, 0), {}) == []


def test_a_changed_pin_must_be_named_in_the_versions_section(tmp_path):
    text = "## [0.2.0] - 2026-01-02\n- Generated with openapi-python-client 0.30.0.\n"
    (tmp_path / "CHANGELOG.md").write_text(text + "\n## [0.1.0] - 2026-01-01\n- ruff 0.18.0\n")
    pins = {"openapi-python-client": ("0.29.1", "0.30.0"), "ruff": ("0.17.6", "0.18.0")}
    (problem,) = changelog_problems(tmp_path, Version(0, 2, 0), pins)
    assert problem.startswith("the pin of ruff changed (0.17.6 -> 0.18.0)")
