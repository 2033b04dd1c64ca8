"""Every python block of the README's "Testing your code" section is a complete pytest file
that passes as written.

Each is run by pytest in a subprocess, from an empty folder (so none of this repository's
test configuration applies), with warnings as errors and `--strict-markers`. The first
block uses the fixtures of the package's pytest plugin, which reach it only through the
installed package's entry point, as in a consuming team's project.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import NO_DEV_PLUGINS, ROOT

from releasing import readme_examples

README = ROOT / "README.md"
SECTION = readme_examples.TESTING_SECTION


def readme_testing_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    blocks = readme_examples.testing_blocks(text)
    assert blocks, f"README.md's {SECTION!r} section has no python example"
    return blocks


EXAMPLES = readme_testing_examples()


def test_the_first_example_uses_the_plugin_fixtures_sync_async_and_the_marker() -> None:
    first = EXAMPLES[0]
    for name in ("mailglyph_client", "fake_mailglyph", "fake_sendgrid"):
        assert f"{name}: " in first, name
    assert re.search(r"async_\w+_client: Async", first)
    assert "@pytest.mark.campaign_clients_http" in first
    assert "@pytest.fixture" not in first  # the plugin's fixtures, none of its own


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_the_readme_testing_example_passes_under_pytest(tmp_path: Path, index: int) -> None:
    example = tmp_path / "test_campaigns.py"
    example.write_text(EXAMPLES[index], encoding="utf-8")
    tests = len(re.findall(r"^def test_", EXAMPLES[index], flags=re.MULTILINE))

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-W",
            "error",
            "--strict-markers",
            "-p",
            "no:cacheprovider",
            *NO_DEV_PLUGINS,
            example.name,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed is not None and int(passed.group(1)) == tests >= 4, result.stdout
    assert "failed" not in result.stdout and "error" not in result.stdout.lower()


def test_the_readme_testing_examples_are_mypy_strict_clean(tmp_path: Path) -> None:
    paths = []
    for index, example in enumerate(EXAMPLES):
        path = tmp_path / f"test_example_{index}.py"
        path.write_text(example, encoding="utf-8")
        paths.append(path.name)

    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *paths],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
