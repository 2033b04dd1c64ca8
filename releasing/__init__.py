"""What `scripts/release` is made of: the release gate and the reproducible build.

Modules: ``surface`` (the public typed surface, as normalised stubs), ``compare`` (what
changed in it, and how much of a bump that needs), ``history`` (which commit to compare
with, from the version history), ``spec_diff`` (wire-contract changes found from the specs),
``build`` (two byte-identical builds and a smoke test of the wheel in a fresh virtualenv),
``main`` (the command).
"""

from __future__ import annotations


class ReleaseError(Exception):
    """A release check that failed, with a message that says what to do about it."""
