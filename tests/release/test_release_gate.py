"""`scripts/release --check`, on the repository itself (what CI gates a release on: the
gate, two byte-identical builds, the licence, the wheel's smoke test) and in temporary
clones of it: a breaking change fails with a message naming it and the bump it needs, a
purely additive change passes with a minor bump (and fails without one), and an unchanged
tree passes.

Each case edits a spec, regenerates and runs the gate, as a developer would; the gate
finds its base commit from the clone's version history.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

OPTIC = ROOT / "node_modules" / ".bin" / "optic"
CONSTANTS = Path("src/campaign_clients/_constants.py")

pytestmark = pytest.mark.skipif(
    not OPTIC.exists(), reason="Optic is not installed (run scripts/bootstrap)"
)


def run(repo: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / script), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A clone of this repository's history, with the installed npm tools beside it."""
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    (clone / "node_modules").symlink_to(ROOT / "node_modules")
    return clone


def version(repo: Path) -> str:
    match = re.search(r'VERSION = "([^"]+)"', (repo / CONSTANTS).read_text(encoding="utf-8"))
    assert match is not None
    return match.group(1)


def bump(repo: Path, new: str) -> None:
    """Set the version and give the changelog a section for it."""
    constants = repo / CONSTANTS
    old = version(repo)
    constants.write_text(
        constants.read_text(encoding="utf-8").replace(f'"{old}"', f'"{new}"'), encoding="utf-8"
    )
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    section = f"## [{new}] - 2030-01-01\n\n### Changed\n- A test release.\n\n"
    changelog.write_text(text.replace("## [", section + "## [", 1), encoding="utf-8")


def edit_spec(repo: Path, name: str, old: str, new: str) -> None:
    spec = repo / "spec" / f"{name}.yaml"
    text = spec.read_text(encoding="utf-8")
    assert old in text
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    regenerated = run(repo, "regenerate")
    assert regenerated.returncode == 0, regenerated.stderr


def next_versions(repo: Path) -> tuple[str, str]:
    major, minor, patch = (int(part) for part in version(repo).split("."))
    return f"{major}.{minor}.{patch + 1}", f"{major}.{minor + 1}.0"


def test_the_release_check_passes_on_this_repository():
    """The whole check on the tree CI tests: the real wheel, built twice from the tracked
    files, passes the smoke test (mypy --strict and the README's examples, installed in a
    fresh virtualenv)."""
    result = run(ROOT, "release", "--check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"version:  {version(ROOT)}" in result.stdout
    assert "the wheel passed\n          mypy --strict and the README's examples" in result.stdout
    assert f"pin:      campaign-clients=={version(ROOT)} --hash=sha256:" in result.stdout
    assert result.stdout.rstrip().endswith("release check passed")


def test_an_unchanged_tree_passes(repo):
    result = run(repo, "release", "--gate-only")
    assert result.returncode == 0, result.stderr
    assert f"version:  {version(repo)}" in result.stdout
    assert "change:   patch" in result.stdout


def test_removing_a_response_field_is_breaking_and_needs_a_minor_bump(repo):
    patch, minor = next_versions(repo)
    edit_spec(repo, "mailglyph", "        description:\n          type: [string, 'null']\n", "")

    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert "breaking: mailglyph_client.models.campaign.Campaign.description: removed" in (
        result.stderr
    )
    assert f"bump the version to at least {minor}" in result.stderr

    bump(repo, patch)
    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert f"is breaking: the version must be at least {minor}, not {patch}" in result.stderr


def test_making_a_parameter_required_is_breaking(repo):
    _, minor = next_versions(repo)
    edit_spec(
        repo,
        "sendgrid",
        "      name: on-behalf-of\n      in: header\n      required: false",
        "      name: on-behalf-of\n      in: header\n      required: true",
    )

    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert (
        "breaking: sendgrid_client.api.campaigns.send_campaign_now.sync(on_behalf_of): "
        "parameter made required" in result.stderr
    )
    assert "spec/sendgrid.yaml: POST /v3/campaigns/{campaign_id}/schedules/now" in result.stderr
    assert f"bump the version to at least {minor}" in result.stderr


def test_a_removed_status_code_is_found_from_the_spec(repo):
    """The generated types cannot show it (the 404 shares the error model): Optic does."""
    _, minor = next_versions(repo)
    edit_spec(
        repo, "mailglyph", "        '404':\n          $ref: '#/components/responses/NotFound'\n", ""
    )

    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert re.search(
        r"breaking: spec/mailglyph.yaml: POST /campaigns/\{id\}/send: .*404", result.stderr
    )
    assert f"bump the version to at least {minor}" in result.stderr


def test_an_additive_change_passes_with_a_minor_bump_and_fails_without(repo):
    patch, minor = next_versions(repo)
    edit_spec(
        repo,
        "mailglyph",
        "        segmentId:\n          type: [string, 'null']\n",
        "        segmentId:\n          type: [string, 'null']\n"
        "        tags:\n          type: array\n          items:\n            type: string\n",
    )

    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert "feature: mailglyph_client.models.campaign.Campaign.tags: added" in result.stderr
    assert f"bump the version to at least {patch}" in result.stderr

    bump(repo, minor)
    result = run(repo, "release", "--check")
    assert result.returncode == 0, result.stderr
    assert "change:   feature" in result.stdout
    assert f"version:  {minor}" in result.stdout
    assert f"pin:      campaign-clients=={minor} --hash=sha256:" in result.stdout
    assert "release check passed" in result.stdout


def test_a_changed_generator_pin_needs_a_changelog_line(repo):
    patch, _ = next_versions(repo)
    pyproject = repo / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pinned = re.search(r'"ruff==([^"]+)"', text)
    assert pinned is not None
    pyproject.write_text(text.replace(pinned.group(0), '"ruff==0.0.1"'), encoding="utf-8")
    bump(repo, patch)

    result = run(repo, "release", "--check")
    assert result.returncode == 1
    assert f"the pin of ruff changed ({pinned.group(1)} -> 0.0.1)" in result.stderr
