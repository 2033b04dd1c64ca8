"""The wheel consuming teams install: three typed packages, two runtime dependencies."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest
from support import ROOT

from campaign_clients import __version__


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob(f"campaign_clients-{__version__}-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_has_the_three_typed_packages(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for package in ("campaign_clients", "mailglyph_client", "sendgrid_client"):
        assert f"{package}/__init__.py" in names
        assert f"{package}/py.typed" in names
    assert "campaign_clients/_spec_examples.json" in names  # the fakes answer from it
    assert "campaign_clients/_build_info.json" in names  # SPEC_VERSIONS, GENERATOR_VERSION
    assert "mailglyph_client/api/campaigns/send_campaign.py" in names
    assert "sendgrid_client/api/campaigns/send_campaign_now.py" in names
    assert not any(name.startswith(("tests/", "spec/", "scripts/")) for name in names)


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    (metadata_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["Name"] == "campaign-clients"
    assert metadata["Version"] == __version__
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["License-Expression"] == "MIT"  # PEP 639
    assert metadata.get_all("License-File") == ["LICENSE"]
    runtime = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert sorted(r.split(">")[0].split("<")[0].strip() for r in runtime) == ["attrs", "httpx"]
    assert all("<" in r and ">=" in r for r in runtime)  # bounded ranges
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    declared = wheel.read(entry_points).decode()
    assert "campaign-clients = campaign_clients.cli:main" in declared
    # The pytest plugin: loaded by pytest only, so the package needs no pytest itself.
    assert "[pytest11]\ncampaign_clients = campaign_clients.testing.pytest_plugin" in declared
    assert not any("pytest" in r for r in runtime)
