"""releasing.spec_diff on edited copies of the real specs: each breaking wire change is
reported once, naming its operation; additive changes and an unchanged spec report nothing.

Every scenario is one `optic diff` run (about 4 s), so the breaking edits of a spec are made
together in one new version, and a module-scoped fixture runs all scenarios two at a time.
Without node, npm or node_modules/.bin/optic the tests that run Optic are skipped with the
reason (under CI=true they fail instead), as the Prism tests in tests/integration are.
"""

from __future__ import annotations

import copy
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import SPEC_DIR

import releasing.main
from releasing import ReleaseError, spec_diff
from releasing.spec_diff import breaking_wire_changes

Spec = dict[str, Any]

MG_GET = "GET /campaigns/{id}"
MG_SEND = "POST /campaigns/{id}/send"
MG_CANCEL = "POST /campaigns/{id}/cancel"
MG_TEST = "POST /campaigns/{id}/test"
SG_NOW = "POST /v3/campaigns/{campaign_id}/schedules/now"
SG_SCHEDULE = "POST /v3/campaigns/{campaign_id}/schedules"
SG_RESCHEDULE = "PATCH /v3/campaigns/{campaign_id}/schedules"
SG_GET_SCHEDULE = "GET /v3/campaigns/{campaign_id}/schedules"
SG_UNSCHEDULE = "DELETE /v3/campaigns/{campaign_id}/schedules"
SG_GET = "GET /v3/campaigns/{campaign_id}"
SG_TEST = "POST /v3/campaigns/{campaign_id}/schedules/test"
SS_SCHEDULE = "PUT /v3/marketing/singlesends/{id}/schedule"
SS_UNSCHEDULE = "DELETE /v3/marketing/singlesends/{id}/schedule"
SS_GET = "GET /v3/marketing/singlesends/{id}"
SG_OPERATIONS = (
    SG_NOW,
    SG_SCHEDULE,
    SG_RESCHEDULE,
    SG_GET_SCHEDULE,
    SG_UNSCHEDULE,
    SG_GET,
    SG_TEST,
    SS_SCHEDULE,
    SS_UNSCHEDULE,
    SS_GET,
)

HEADER_REQUIRED = "cannot make optional header parameter 'on-behalf-of' required"
# Every line each breaking scenario must report: (operation, words of Optic's message).
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "mailglyph-breaking": [
        (MG_CANCEL, "cannot remove an operation"),
        (MG_GET, "must not remove response status code 404"),
        (MG_GET, "cannot make optional query parameter 'fields' required"),
        (MG_TEST, "cannot add a required request property 'name'"),
        (MG_SEND, "expected request body property 'scheduledFor' not to be narrowed"),
        (MG_SEND, "cannot remove response property 'message'"),
    ],
    "sendgrid-breaking": [
        (SG_TEST, "cannot remove enum option 'text' from 'format' property"),
        (SG_NOW, "cannot add required query parameter dry_run"),
        (SG_SCHEDULE, "expected request body property 'send_at' not to be narrowed"),
        (SG_RESCHEDULE, "expected request body property 'send_at' not to be narrowed"),
        *((operation, HEADER_REQUIRED) for operation in SG_OPERATIONS),
    ],
}
QUIET = ["mailglyph-additive", "sendgrid-additive", "unchanged"]


def _missing_optic() -> str | None:
    """Why Optic cannot run here, or None when it can."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return (
            f"{' and '.join(missing)} not found on PATH: the spec diff tests need Node 20 "
            "and npm (then run scripts/bootstrap)"
        )
    if not spec_diff.OPTIC.exists():
        return (
            "node_modules/.bin/optic is missing: run `npm ci` (scripts/bootstrap does) to "
            "install the Optic pinned in package-lock.json"
        )
    return None


@pytest.fixture(scope="module")
def optic() -> None:
    reason = _missing_optic()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the spec diff tests must run)", pytrace=False)
        pytest.skip(reason)


def _load(name: str) -> Spec:
    with (SPEC_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        spec: Spec = yaml.safe_load(fh)
    return spec


def _write(path: Path, spec: Spec) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _edited(spec: Spec, *edits: Callable[[Spec], None]) -> Spec:
    spec = copy.deepcopy(spec)
    for edit in edits:
        edit(spec)
    return spec


# The edits, each on a spec document in place.
def _mg_optional_fields_param(spec: Spec) -> None:
    spec["paths"]["/campaigns/{id}"]["get"]["parameters"].append(
        {"name": "fields", "in": "query", "required": False, "schema": {"type": "string"}}
    )


def _mg_breaking(spec: Spec) -> None:
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    del paths["/campaigns/{id}/cancel"]  # an operation removed
    get = paths["/campaigns/{id}"]["get"]
    del get["responses"]["404"]  # a documented status code removed
    get["parameters"][-1]["required"] = True  # a query parameter made required
    test_request = schemas["SendTestCampaignRequest"]  # a new required request property
    test_request["properties"]["name"] = {"type": "string"}
    test_request["required"].append("name")
    schemas["SendCampaignRequest"]["properties"]["scheduledFor"]["type"] = "string"  # no null
    del schemas["SendCampaignResponse"]["properties"]["message"]  # a response property removed


def _mg_additive(spec: Spec) -> None:
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    duplicate = copy.deepcopy(paths["/campaigns/{id}/cancel"]["post"])
    duplicate["operationId"] = "duplicateCampaign"
    paths["/campaigns/{id}/duplicate"] = {"post": duplicate}  # a new operation
    schemas["Campaign"]["properties"]["archived"] = {"type": "boolean"}  # optional, response
    schemas["SendCampaignRequest"]["properties"]["note"] = {"type": "string"}  # optional, request
    _mg_optional_fields_param(spec)  # a new optional query parameter


def _sg_format_enum(spec: Spec) -> None:
    properties = spec["components"]["schemas"]["SendTestRequest"]["properties"]
    properties["format"] = {"type": "string", "enum": ["html", "text"]}


def _sg_breaking(spec: Spec) -> None:
    components = spec["components"]
    components["schemas"]["SendTestRequest"]["properties"]["format"]["enum"] = ["html"]
    components["schemas"]["ScheduleRequest"]["properties"]["send_at"]["type"] = "string"
    components["parameters"]["OnBehalfOf"]["required"] = True  # on every operation
    now = spec["paths"]["/v3/campaigns/{campaign_id}/schedules/now"]["post"]
    now["parameters"].append(
        {"name": "dry_run", "in": "query", "required": True, "schema": {"type": "boolean"}}
    )


def _sg_additive(spec: Spec) -> None:
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    copied = copy.deepcopy(paths["/v3/campaigns/{campaign_id}"])
    copied["get"]["operationId"] = "getCampaignStats"
    paths["/v3/campaigns/{campaign_id}/stats"] = copied  # a new operation
    schemas["ScheduleResponse"]["properties"]["title"] = {"type": "string"}  # optional, response
    _sg_format_enum(spec)  # an optional request property


@pytest.fixture(scope="module")
def reported(optic: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """What breaking_wire_changes reports for each scenario, by scenario name."""
    tmp = tmp_path_factory.mktemp("spec-diff")
    mailglyph, sendgrid = _load("mailglyph"), _load("sendgrid")
    mg_old = _edited(mailglyph, _mg_optional_fields_param)
    sg_old = _edited(sendgrid, _sg_format_enum)
    pairs = {
        "mailglyph-breaking": (
            _write(tmp / "mg-old.yaml", mg_old),
            _write(tmp / "mg-breaking.yaml", _edited(mg_old, _mg_breaking)),
        ),
        "sendgrid-breaking": (
            _write(tmp / "sg-old.yaml", sg_old),
            _write(tmp / "sg-breaking.yaml", _edited(sg_old, _sg_breaking)),
        ),
        "mailglyph-additive": (
            _write(tmp / "mg.yaml", mailglyph),
            _write(tmp / "mg-additive.yaml", _edited(mailglyph, _mg_additive)),
        ),
        "sendgrid-additive": (
            _write(tmp / "sg.yaml", sendgrid),
            _write(tmp / "sg-additive.yaml", _edited(sendgrid, _sg_additive)),
        ),
        # A real file, as the release gate passes it (one is enough: each run costs ~4 s).
        "unchanged": (SPEC_DIR / "mailglyph.yaml", SPEC_DIR / "mailglyph.yaml"),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(breaking_wire_changes, *pair) for name, pair in pairs.items()}
        return {name: future.result() for name, future in futures.items()}


def _matching(lines: list[str], operation: str, words: str) -> list[str]:
    return [line for line in lines if line.startswith(f"{operation}: ") and words in line]


@pytest.mark.parametrize(
    ("scenario", "operation", "words"),
    [(scenario, *case) for scenario, cases in EXPECTED.items() for case in cases],
)
def test_each_breaking_change_is_reported_once_naming_its_operation(
    reported: dict[str, list[str]], scenario: str, operation: str, words: str
) -> None:
    lines = reported[scenario]
    assert len(_matching(lines, operation, words)) == 1, "\n".join(lines)


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_nothing_else_is_reported(reported: dict[str, list[str]], scenario: str) -> None:
    """One line a change: a removed operation's status codes and properties, or a removed
    status code's body properties, are not reported again on their own."""
    lines = reported[scenario]
    unexpected = [
        line
        for line in lines
        if not any(_matching([line], operation, words) for operation, words in EXPECTED[scenario])
    ]
    assert unexpected == []
    assert len(lines) == len(EXPECTED[scenario])


@pytest.mark.parametrize("scenario", QUIET)
def test_additive_changes_and_unchanged_specs_report_nothing(
    reported: dict[str, list[str]], scenario: str
) -> None:
    assert reported[scenario] == []


def test_a_spec_optic_cannot_read_raises(optic: None, tmp_path: Path) -> None:
    broken = _load("mailglyph")
    del broken["info"]["version"]
    with pytest.raises(ReleaseError, match=r"optic diff failed .*\n.*\n(?s:.*)version"):
        breaking_wire_changes(SPEC_DIR / "mailglyph.yaml", _write(tmp_path / "x.yaml", broken))


def test_missing_optic_says_to_run_bootstrap(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(spec_diff, "OPTIC", tmp_path / "node_modules" / ".bin" / "optic")
    spec = SPEC_DIR / "mailglyph.yaml"
    with pytest.raises(ReleaseError, match="run scripts/bootstrap"):
        breaking_wire_changes(spec, spec)


def test_the_gate_asks_optic_only_about_specs_that_changed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An unchanged document has no wire change, so the gate spends no Optic run on it; a
    changed one is compared, and a removed one is breaking."""
    asked: list[str] = []

    def fake_optic(old: Path, new: Path) -> list[str]:
        asked.append(Path(new).name)
        return ["a finding"]

    monkeypatch.setattr(releasing.main, "breaking_wire_changes", fake_optic)
    old_tree, new_tree = tmp_path / "old", tmp_path / "new"
    for tree in (old_tree, new_tree):
        (tree / "spec").mkdir(parents=True)
        for name in ("mailglyph", "sendgrid"):
            shutil.copy(SPEC_DIR / f"{name}.yaml", tree / "spec")
    (old_tree / "spec" / "gone.yaml").write_text("openapi: 3.1.0\n", encoding="utf-8")
    edited = new_tree / "spec" / "sendgrid.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    changes = releasing.main.wire_changes(old_tree, new_tree)

    assert asked == ["sendgrid.yaml"]
    assert [(c.where, c.what) for c in changes] == [
        ("spec/sendgrid.yaml", "a finding"),
        ("spec/gone.yaml", "spec removed"),
    ]
