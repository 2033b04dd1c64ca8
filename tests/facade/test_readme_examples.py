"""The README's Python examples run as written (against in-process answers, not the network).

The block extraction and the offline harness live in releasing/readme_examples.py, which the
release smoke test also runs against the installed wheel.
"""

from __future__ import annotations

import pytest
from support import ROOT

from releasing.readme_examples import run_usage_example, usage_blocks

README = ROOT / "README.md"
# "Testing your code" holds pytest files, run by tests/testing instead.
BLOCKS = usage_blocks(README.read_text(encoding="utf-8"))


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys):
    requests = run_usage_example(code, str(README))
    assert requests, "the example made no request"
    assert all(r.url.host.startswith("api.") for r in requests)
