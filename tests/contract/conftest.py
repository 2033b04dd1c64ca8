"""Shared fixtures for the contract tests (spec/ vs provider docs vs generated/).

Helpers live in contract_support.py, imported relatively by the test modules.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import load_spec

from .contract_support import SPEC_NAMES


@pytest.fixture(params=SPEC_NAMES)
def spec_name(request: pytest.FixtureRequest) -> str:
    """Each spec's name in turn ("mailglyph", "sendgrid")."""
    return str(request.param)


@pytest.fixture
def spec(spec_name: str) -> dict[str, Any]:
    """A fresh, mutable copy of that spec document."""
    return load_spec(spec_name)
