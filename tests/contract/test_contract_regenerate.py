"""generated/ is exactly what the pinned generator writes from spec/."""

from __future__ import annotations

import subprocess
import sys

from .contract_support import ROOT


def test_regenerate_check_reports_no_drift() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "regenerate"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "matches" in proc.stdout
