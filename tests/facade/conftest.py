"""Fixtures of the facade tests (those of every folder are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["mailglyph", "sendgrid"])
def provider(request: pytest.FixtureRequest) -> str:
    """Each provider in turn: a test taking `provider` runs once for each."""
    return str(request.param)
