"""The comparison and walking helpers the contract tests rely on can fail."""

from __future__ import annotations

import pytest

from .contract_support import json_differences, key_paths, same_instant


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2023-11-07T05:31:56Z", "2023-11-07T05:31:56+00:00"),
        ("2023-11-07T05:31:56Z", "2023-11-07T06:31:56+01:00"),
        ("2023-11-07T05:31:56.000Z", "2023-11-07T05:31:56+00:00"),
    ],
)
def test_same_instant_accepts_one_instant_written_two_ways(a: str, b: str) -> None:
    assert same_instant(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2023-11-07T05:31:56Z", "2023-11-07T05:31:57Z"),
        ("2023-11-07T05:31:56Z", "2023-11-07T05:31:56+01:00"),
        ("2023-11-07T05:31:56Z", "2023-11-07T05:31:56"),  # naive: no instant
        ("2023-11-07T05:31:56Z", "cmp_8f3a2b1c"),
    ],
)
def test_same_instant_rejects_different_or_unanchored_times(a: str, b: str) -> None:
    assert not same_instant(a, b)


def test_json_differences_treats_z_and_utc_offset_as_equal() -> None:
    expected = {"sentAt": "2023-11-07T05:31:56Z", "n": [1, None, True]}
    actual = {"sentAt": "2023-11-07T05:31:56+00:00", "n": [1, None, True]}
    assert json_differences(expected, actual) == []


@pytest.mark.parametrize(
    ("actual", "difference"),
    [
        ({"id": "cmp_1", "count": 1}, "$: key 'extra' missing"),
        ({"id": "cmp_1", "count": 1, "extra": None, "more": 1}, "$: unexpected key 'more'"),
        ({"id": "cmp_2", "count": 1, "extra": None}, "$.id: expected 'cmp_1', got 'cmp_2'"),
        ({"id": "cmp_1", "count": True, "extra": None}, "$.count: expected 1, got True"),
        ({"id": "cmp_1", "count": 1.0, "extra": None}, "$.count: expected 1, got 1.0"),
        ({"id": "cmp_1", "count": 1, "extra": "null"}, "$.extra: expected None, got 'null'"),
    ],
    ids=["missing-key", "extra-key", "value", "bool-is-not-int", "float-is-not-int", "null"],
)
def test_json_differences_reports_each_kind_of_difference(actual: object, difference: str) -> None:
    expected = {"id": "cmp_1", "count": 1, "extra": None}
    assert difference in json_differences(expected, actual)


def test_json_differences_compares_lists_item_by_item() -> None:
    assert json_differences([1, 2], [1]) == ["$: 2 items expected, got 1"]
    assert json_differences([{"a": 1}], [{"a": 2}]) == ["$[0].a: expected 1, got 2"]


def test_key_paths_names_nested_keys_and_list_items() -> None:
    payload = {"data": {"groups": [{"filters": [{"field": "plan"}]}]}, "ok": True}
    assert key_paths(payload) == {
        "ok",
        "data",
        "data.groups",
        "data.groups[].filters",
        "data.groups[].filters[].field",
    }
