"""generated/ is exactly what the pinned generator writes from spec/."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

SCRIPT = ROOT / "scripts" / "regenerate"


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


def _copy_project(tmp_path: Path) -> Path:
    """The parts of the project scripts/regenerate reads and writes, in a scratch folder."""
    project = tmp_path / "project"
    # src/ and releasing/ too: the surface snapshot (surface/) is made from both packages.
    for folder in ("spec", "generated", "scripts", "src", "releasing", "surface"):
        shutil.copytree(
            ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "generator-config.yaml", project)
    return project


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _regenerate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "scripts" / "regenerate"), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda text: text.replace("openapi: 3.1.0", "openapi: 3.1.0\n  oops: [", 1),
            "not valid YAML",
        ),
        (
            lambda text: text.replace(
                "    post:\n      operationId: sendCampaign", "    post:\n      operationId: 7", 1
            ),
            "invalid OpenAPI",
        ),
        (lambda text: text.replace("paths:", "pathz:", 1), "invalid OpenAPI"),
        (
            lambda text: text.replace("        repeatable: false\n        settles: send\n", "", 1),
            "sendCampaign: x-campaign-clients must be a mapping with repeatable: true|false",
        ),
        (
            lambda text: text.replace("settles: send", "settles: sometimes", 1),
            "sendCampaign: x-campaign-clients.settles must be one of send, schedule",
        ),
    ],
    ids=["bad-yaml", "bad-operation-id", "no-paths", "no-safety-class", "unknown-settles"],
)
def test_a_broken_spec_fails_with_the_validators_message_and_leaves_generated_alone(
    tmp_path: Path, breakage: Any, message: str
) -> None:
    project = _copy_project(tmp_path)
    spec = project / "spec" / "mailglyph.yaml"
    spec.write_text(breakage(spec.read_text(encoding="utf-8")), encoding="utf-8")
    before = _snapshot(project / "generated")

    proc = _regenerate(project)

    assert proc.returncode == 1
    assert f"mailglyph.yaml: {message}" in proc.stderr
    assert "generated/ was left unchanged" in proc.stderr
    assert _snapshot(project / "generated") == before


def test_check_lists_the_files_that_drifted(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    spec = project / "spec" / "sendgrid.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "description: An error id, when SendGrid gives one.", "description: Changed.", 1
        ),
        encoding="utf-8",
    )
    (project / "generated" / "mailglyph_client" / "stray.py").write_text(
        "x = 1\n", encoding="utf-8"
    )

    proc = _regenerate(project, "--check")

    assert proc.returncode == 1
    assert "generated/sendgrid_client: changed: models/error_response.py" in proc.stderr
    assert "generated/mailglyph_client: extra:   stray.py" in proc.stderr
    assert "Run scripts/regenerate" in proc.stderr


def test_the_surface_snapshot_and_build_record_follow_the_spec(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    spec = project / "spec" / "mailglyph.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  version: 1.0.0", "  version: 1.1.0", 1), encoding="utf-8")
    (project / "surface" / "stray.txt").write_text("x\n", encoding="utf-8")
    facade = project / "src" / "campaign_clients" / "mailglyph.py"
    facade.write_text(
        facade.read_text(encoding="utf-8") + "\n\ndef launch(campaign_id: str) -> None: ...\n",
        encoding="utf-8",
    )
    snapshot = project / "surface" / "campaign_clients.txt"
    before = snapshot.read_text(encoding="utf-8")

    proc = _regenerate(project, "--check")

    assert proc.returncode == 1
    assert "changed: src/campaign_clients/_build_info.json" in proc.stderr
    assert "extra:   surface/stray.txt" in proc.stderr
    assert "changed: surface" not in proc.stderr  # campaign_clients.mailglyph is not public

    facade.write_text(
        facade.read_text(encoding="utf-8").replace("def launch", "def _launch"), encoding="utf-8"
    )
    errors = project / "src" / "campaign_clients" / "errors.py"
    text = errors.read_text(encoding="utf-8")
    errors.write_text(
        text.replace(
            "def describe(self) -> str:", "def describe(self, full: bool = False) -> str:"
        ),
        encoding="utf-8",
    )
    proc = _regenerate(project, "--check")
    assert "changed: surface/campaign_clients.txt" in proc.stderr

    proc = _regenerate(project)
    assert proc.returncode == 0, proc.stderr
    assert not (project / "surface" / "stray.txt").exists()
    after = snapshot.read_text(encoding="utf-8")
    assert "    def describe(self, full: bool = ...) -> str" in after
    assert after.replace("(self, full: bool = ...)", "(self)") == before
    record = (project / "src" / "campaign_clients" / "_build_info.json").read_text("utf-8")
    assert '"mailglyph": "1.1.0"' in record


def _regenerate_module() -> Any:
    """scripts/regenerate as a module (it has no .py suffix), for its pure functions."""
    loader = importlib.machinery.SourceFileLoader("regenerate_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_documented_successes_are_exported_with_their_shapes() -> None:
    regenerate = _regenerate_module()
    document = {
        "components": {
            "schemas": {
                "Answer": {
                    "type": "object",
                    "description": "dropped: only what the clients check is exported",
                    "required": ["item"],
                    "properties": {"item": {"$ref": "#/components/schemas/Item"}},
                },
                "Item": {"type": "object", "example": {}, "properties": {"n": {"type": "number"}}},
            }
        }
    }
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}}
    op = {"responses": {"201": body, "204": {"description": "none"}, "404": body}}

    success, schemas = regenerate.successes("x.yaml: op", document, op)

    assert success == {"201": {"$ref": "#/components/schemas/Answer"}, "204": None}
    assert schemas == {
        "Answer": {
            "type": "object",
            "required": ["item"],
            "properties": {"item": {"$ref": "#/components/schemas/Item"}},
        },
        "Item": {"type": "object", "properties": {"n": {"type": "number"}}},
    }


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ({"200": {"content": {"text/html": {}}}}, "a success body (200) must be application/json"),
        ({"200": {"content": {"application/json": {}}}}, "a success body (200) must be"),
        ({"2XX": {"description": "any"}}, "document each success status ('2XX')"),
        ({"404": {"description": "only errors"}}, "no success status is documented"),
    ],
    ids=["html", "no-schema", "range", "none"],
)
def test_a_success_the_clients_cannot_check_is_refused(responses: Any, message: str) -> None:
    regenerate = _regenerate_module()
    with pytest.raises(regenerate.RegenerateError, match=re.escape(f"x.yaml: op: {message}")):
        regenerate.successes("x.yaml: op", {}, {"responses": responses})


def test_the_request_rules_are_exported_resolved_and_cut_to_what_the_fakes_check() -> None:
    regenerate = _regenerate_module()
    document = {
        "components": {
            "parameters": {
                "Account": {"name": "on-behalf-of", "in": "header", "schema": {"type": "string"}},
                "Id": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            },
            "schemas": {
                "Body": {
                    "type": "object",
                    "description": "dropped: an annotation",
                    "required": ["to"],
                    "properties": {"to": {"type": "string", "format": "email", "example": "a@b"}},
                }
            },
        }
    }
    item = {"parameters": [{"$ref": "#/components/parameters/Id"}]}
    op = {
        "parameters": [{"$ref": "#/components/parameters/Account"}],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}},
        },
    }

    rules = regenerate.request_rules("x.yaml: op", document, item, op)

    assert rules == {
        "parameters": [  # a path parameter is the fakes' router's
            {
                "name": "on-behalf-of",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
            }
        ],
        "body": {
            "required": True,
            "schema": {
                "type": "object",
                "required": ["to"],
                "properties": {"to": {"type": "string", "format": "email"}},
            },
        },
    }


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (
            {"requestBody": {"content": {"application/json": {"schema": {"pattern": "^a"}}}}},
            "the fakes do not check pattern in a request schema",
        ),
        (
            {"parameters": [{"name": "n", "in": "query", "schema": {"type": "integer"}}]},
            "the fakes check string query parameters only (n)",
        ),
        (
            {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
            "a request body must be application/json",
        ),
    ],
    ids=["keyword", "integer-query", "not-json"],
)
def test_a_request_rule_the_fakes_cannot_check_is_refused(op: Any, message: str) -> None:
    regenerate = _regenerate_module()
    with pytest.raises(regenerate.RegenerateError, match=re.escape(f"x.yaml: op: {message}")):
        regenerate.request_rules("x.yaml: op", {}, {}, op)
