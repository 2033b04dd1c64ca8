"""The README's "Testing your code" example is a complete pytest file that passes as written.

It is run by pytest in a subprocess, from an empty folder (so none of this repository's
test configuration applies), with warnings as errors.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from support import ROOT

README = ROOT / "README.md"
SECTION = "## Testing your code"


def readme_testing_example() -> str:
    text = README.read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, f"README.md's {SECTION!r} section has no python example"
    return str(blocks[0])


def test_the_readme_testing_example_passes_under_pytest(tmp_path: Path) -> None:
    example = tmp_path / "test_campaigns.py"
    example.write_text(readme_testing_example(), encoding="utf-8")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-W",
            "error",
            "-p",
            "no:cacheprovider",
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
    assert passed is not None and int(passed.group(1)) >= 5, result.stdout
    assert "failed" not in result.stdout and "error" not in result.stdout.lower()
