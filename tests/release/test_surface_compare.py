"""The surface reader and the change classifier, on small packages written for each case:
what consumers compile against is read from stubs, and each kind of change gets the class
a consumer would feel (breaking, feature, or nothing)."""

from __future__ import annotations

import textwrap

import pytest

from releasing.compare import Level, compare, level
from releasing.model import Class, Function, Surface, Variable, render
from releasing.surface import surface_of

BASE = """
from typing import Generic, Literal, TypeAlias, TypeVar
from enum import Enum

from attrs import define, field

T = TypeVar("T")
Status: TypeAlias = Literal["DRAFT", "SENT"]


class Unset: ...


class Color(str, Enum):
    RED = "RED"
    BLUE = "BLUE"


@define
class Campaign:
    id: str
    name: str | Unset = Unset()
    _token: str | None = field(default=None, alias="token")
    _cache: int = field(default=0, init=False)


class _Core(Generic[T]):
    def __init__(self, key: str, *, http: T | None = None) -> None: ...
    def close(self) -> None: ...


class Client(_Core[int]):
    def send(self, campaign_id: str, *, at: int | None = None) -> Campaign: ...
    def read(self, campaign_id: str) -> Campaign | None: ...


def helper(value: int) -> str: ...
"""


BREAKING = [
    (
        'field(default=None, alias="token")',
        'field(alias="token")',
        "breaking: mailglyph_client.Campaign._token: now required (its default was removed)",
    ),
    ("def helper(value: int) -> str: ...", "", "breaking: mailglyph_client.helper: removed"),
    ("    id: str\n", "", "breaking: mailglyph_client.Campaign.id: removed"),
    (
        "    id: str\n",
        "    id: str | Unset = Unset()\n",
        "breaking: mailglyph_client.Campaign.id: type str -> str | Unset",
    ),
    (
        "def read(self, campaign_id: str) -> Campaign | None",
        "def read(self, campaign_id: str, strict: bool) -> Campaign | None",
        "breaking: mailglyph_client.Client.read(strict): new required parameter",
    ),
    (
        "at: int | None = None",
        "at: int | None",
        "breaking: mailglyph_client.Client.send(at): parameter made required",
    ),
    (
        "def helper(value: int) -> str",
        "def helper(value: bool) -> str",
        "breaking: mailglyph_client.helper(value): type int -> bool (accepts less)",
    ),
    (
        "def helper(value: int) -> str",
        "def helper(value: int) -> str | None",
        "breaking: mailglyph_client.helper: returns str -> str | None (callers must handle it)",
    ),
    ('["DRAFT", "SENT"]', '["DRAFT"]', "breaking: mailglyph_client.Status: value 'SENT' removed"),
    ('    BLUE = "BLUE"\n', "", "breaking: mailglyph_client.Color.BLUE: removed"),
    (
        "def helper(value: int)",
        "def helper(*, value: int)",
        "breaking: mailglyph_client.helper(value): positional -> keyword",
    ),
]
FEATURES = [
    ("", "def added() -> None: ...\n", "feature: mailglyph_client.added: added"),
    (
        "def read(self, campaign_id: str)",
        "def read(self, campaign_id: str, *, strict: bool = False)",
        "feature: mailglyph_client.Client.read(strict): new optional parameter",
    ),
    (
        "def helper(value: int) -> str",
        "def helper(value: int | str) -> str",
        "feature: mailglyph_client.helper(value): type int -> int | str (accepts more)",
    ),
    (
        "-> Campaign | None: ...",
        "-> Campaign: ...",
        "feature: mailglyph_client.Client.read: returns Campaign | None -> Campaign (narrowed)",
    ),
    (
        '["DRAFT", "SENT"]',
        '["DRAFT", "SENT", "PAUSED"]',
        "feature: mailglyph_client.Status: value 'PAUSED' added",
    ),
    (
        '    BLUE = "BLUE"\n',
        '    BLUE = "BLUE"\n    GREEN = "GREEN"\n',
        "feature: mailglyph_client.Color.GREEN: added",
    ),
]
RESPELLED = "from typing import Optional\n" + BASE.replace(
    "-> Campaign | None:", "-> None | Campaign:"
).replace("at: int | None = None", "at: Optional[int] = None")


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1) if old else BASE + new


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Surface]:
    """Every variant's surface, from one stubgen run (each run costs about a second): the
    variants are packages side by side, renamed to `mailglyph_client` afterwards."""
    sources = {"base": BASE, "again": BASE, "respelled": RESPELLED}
    sources |= {f"breaking_{i}": edited(old, new) for i, (old, new, _) in enumerate(BREAKING)}
    sources |= {f"feature_{i}": edited(old, new) for i, (old, new, _) in enumerate(FEATURES)}
    root = tmp_path_factory.mktemp("variants")
    dirs = {}
    for name, source in sources.items():
        (root / name).mkdir()
        (root / name / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        dirs[name] = root / name
    read = surface_of(dirs)
    return {
        name: {
            module.replace(name, "mailglyph_client", 1): v
            for module, v in read.items()
            if module.split(".")[0] == name
        }
        for name in sources
    }


def changes(surfaces: dict[str, Surface], variant: str) -> list[str]:
    return [str(change) for change in compare(surfaces["base"], surfaces[variant])]


def test_private_bases_are_folded_in_with_their_type_variables(surfaces):
    client = surfaces["base"]["mailglyph_client"]["Client"]
    assert isinstance(client, Class)
    assert client.bases == ()  # _Core and Generic are not part of what consumers see
    init = client.members["__init__"]
    assert isinstance(init, Function)
    assert [(p.name, p.annotation) for p in init.params][-1] == ("http", "int | None")
    assert {"send", "read", "close", "__init__"} <= client.members.keys()
    assert "_Core" not in surfaces["base"]["mailglyph_client"]


def test_private_constructor_fields_of_attrs_classes_come_from_the_source(surfaces):
    campaign = surfaces["base"]["mailglyph_client"]["Campaign"]
    assert isinstance(campaign, Class)
    assert campaign.members["_token"] == Variable("str | None", has_default=True)
    assert "_cache" not in campaign.members  # init=False: not a constructor argument


def test_type_alias_values_come_from_the_source(surfaces):
    status = surfaces["base"]["mailglyph_client"]["Status"]
    assert status == Variable("TypeAlias", value="Literal['DRAFT', 'SENT']")


def test_the_snapshot_is_stable_and_readable(surfaces):
    first = render(surfaces["base"])["mailglyph_client.txt"]
    again = render(surfaces["again"])["mailglyph_client.txt"]
    assert first == again
    assert "    def send(self, campaign_id: str, *, at: int | None = ...) -> Campaign" in first
    assert "    name: str | Unset = ..." in first


def test_an_unchanged_surface_is_a_patch(surfaces):
    assert changes(surfaces, "again") == []
    assert level([]) is Level.PATCH


@pytest.mark.parametrize(("index", "expected"), [(i, case[2]) for i, case in enumerate(BREAKING)])
def test_breaking_changes_are_named(surfaces, index, expected):
    found = changes(surfaces, f"breaking_{index}")
    assert expected in found
    assert found[0].startswith("breaking")


@pytest.mark.parametrize(("index", "expected"), [(i, case[2]) for i, case in enumerate(FEATURES)])
def test_additions_are_features(surfaces, index, expected):
    assert changes(surfaces, f"feature_{index}") == [expected]


def test_union_order_and_optional_spelling_are_not_changes(surfaces):
    assert changes(surfaces, "respelled") == []
