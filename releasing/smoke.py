"""The smoke test of `scripts/release`: the wheel, installed into a fresh virtualenv outside
the repository, runs the README's examples: `mypy --strict` over every python block, the usage
examples against in-process documented answers, the "Testing your code" blocks under pytest.
What a block requires beyond the package (`requires=` on its fence) is installed first, at
the dev extras' pins.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from releasing import ReleaseError, readme_examples
from releasing._process import clean_env, extras_pins, install, make_venv, run, trim

CHECK_TIMEOUT = 600
"""Seconds allowed to each mypy or pytest run over the README's blocks."""

_MYPY = ("--strict", "--config-file=", "--cache-dir")  # no config file: only --strict applies
_PYTEST = ("-q", "-W", "error", "-p", "no:cacheprovider")


def _dev_pins(root: Path, names: Sequence[str]) -> list[str]:
    """`name==version` of each of `names` from the dev extras of `root`'s pyproject."""
    pinned = extras_pins(root)
    missing = [name for name in names if name not in pinned]
    if missing:
        raise ReleaseError(f"pyproject.toml dev extras have no exact pin of {missing}")
    return [f"{name}=={pinned[name]}" for name in names]


def smoke_test(wheel: Path, readme: Path, *, root: Path) -> None:
    """Install `wheel` (with the dev pins of mypy and pytest) into a fresh virtualenv outside
    the repository and run the README's examples against it; ReleaseError if any step fails."""
    blocks = readme_examples.python_blocks(readme.read_text(encoding="utf-8"))
    required = sorted({name for block in blocks for name in block.requires})
    pins = _dev_pins(root, ["mypy", "pytest", *required])
    usage = [b for b in blocks if b.section != readme_examples.TESTING_SECTION]
    testing = [b for b in blocks if b.section == readme_examples.TESTING_SECTION]
    if not usage:
        raise ReleaseError(f"{readme} has no python usage example to smoke-test")
    with tempfile.TemporaryDirectory(prefix="release-smoke-") as scratch:
        work = Path(scratch).resolve()
        if work.is_relative_to(root.resolve()):
            raise ReleaseError(f"the smoke test's folder {work} is inside {root}; set TMPDIR")
        venv = work / "venv"
        python = make_venv(venv)
        install(python, [wheel.resolve(), *pins], what=f"installing {wheel.name} and {pins}")
        env = clean_env(VIRTUAL_ENV=str(venv))
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"

        runner = work / "runner" / "readme_examples.py"
        runner.parent.mkdir()
        shutil.copyfile(readme_examples.__file__, runner)
        usage_files = _write_blocks(work / "usage", usage, "readme_line{}.py")
        testing_files = {
            b.line: _write_blocks(work / f"testing_line{b.line}", [b], "test_readme_line{}.py")[0]
            for b in testing
        }

        cache = work / ".mypy_cache"

        def check(command: Sequence[str | Path], what: str, cwd: Path = work) -> str:
            return run(command, what=what, timeout=CHECK_TIMEOUT, cwd=cwd, env=env)

        check(
            [python, "-I", "-m", "mypy", *_MYPY, cache, *usage_files, *testing_files.values()],
            f"mypy --strict over {readme.name}'s python blocks (file names give README lines)",
        )
        check(
            [python, "-I", runner, "--installed-in", venv, *usage_files],
            f"running {readme.name}'s usage examples against the installed wheel",
        )
        for line, test_file in testing_files.items():
            out = check(
                [python, "-I", "-m", "pytest", *_PYTEST, test_file.name],
                f"pytest on the {readme.name} testing block at line {line}",
                cwd=test_file.parent,
            )
            if not re.search(r"\b[1-9]\d* passed\b", out):
                raise ReleaseError(f"pytest ran no passing test in {test_file.name}:\n{trim(out)}")


def _write_blocks(folder: Path, blocks: Sequence[readme_examples.Block], name: str) -> list[Path]:
    folder.mkdir()
    written = []
    for block in blocks:
        path = folder / name.format(block.line)
        path.write_text(block.code, encoding="utf-8")
        written.append(path)
    return written
