"""releasing.surface_cache: with the cache folder set, a tree read before is not read by
stubgen again, an edited tree is read afresh, and a damaged entry is read over; unset,
nothing is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from releasing import surface, surface_cache

PACKAGE = '"""A toy package."""\n\n\ndef launch(campaign_id: str) -> None: ...\n'


@pytest.fixture
def stubgen_runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every stubgen run, recorded; the stubs are the toy's sources as they are (a stub of
    a module of stubs), so no real stubgen run (seconds each) is needed to count them."""
    runs: list[Path] = []

    def counted(dirs: dict[str, Path], out: Path) -> None:
        runs.append(out)
        for name, package in dirs.items():
            for source in package.rglob("*.py"):
                stub = out / name / source.relative_to(package).with_suffix(".pyi")
                stub.parent.mkdir(parents=True, exist_ok=True)
                stub.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    monkeypatch.setattr(surface, "write_stubs", counted)
    return runs


@pytest.fixture
def toy(tmp_path: Path) -> dict[str, Path]:
    package = tmp_path / "src" / "mailglyph_client"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(PACKAGE, encoding="utf-8")
    return {"mailglyph_client": package}


def test_a_tree_read_before_is_not_read_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toy: dict[str, Path], stubgen_runs: list
) -> None:
    monkeypatch.setenv(surface_cache.SURFACE_CACHE, str(tmp_path / "cache"))

    first = surface.surface_of(toy)
    again = surface.surface_of(toy)

    assert len(stubgen_runs) == 1
    assert again == first
    assert "launch" in first["mailglyph_client"]


def test_an_edited_tree_is_read_afresh(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toy: dict[str, Path], stubgen_runs: list
) -> None:
    monkeypatch.setenv(surface_cache.SURFACE_CACHE, str(tmp_path / "cache"))
    surface.surface_of(toy)
    init = toy["mailglyph_client"] / "__init__.py"
    init.write_text(PACKAGE.replace("campaign_id: str", "campaign_id: int"), encoding="utf-8")

    edited = surface.surface_of(toy)

    assert len(stubgen_runs) == 2
    assert "int" in str(edited["mailglyph_client"]["launch"])


def test_a_damaged_entry_is_read_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toy: dict[str, Path], stubgen_runs: list
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(surface_cache.SURFACE_CACHE, str(cache))
    first = surface.surface_of(toy)
    (entry,) = cache.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:10])

    assert surface.surface_of(toy) == first
    assert len(stubgen_runs) == 2


def test_without_the_folder_nothing_is_kept(
    monkeypatch: pytest.MonkeyPatch, toy: dict[str, Path], stubgen_runs: list
) -> None:
    monkeypatch.delenv(surface_cache.SURFACE_CACHE, raising=False)

    surface.surface_of(toy)
    surface.surface_of(toy)

    assert len(stubgen_runs) == 2
