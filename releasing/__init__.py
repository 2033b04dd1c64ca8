"""What `scripts/release` is made of: the release gate and the reproducible build.

Modules: ``surface`` (the public typed surface, read from normalised stubs), ``model``
(that surface as data, and its snapshot text), ``compare`` (what
changed in it, and how much of a bump that needs), ``history`` (which commit to compare
with, from the version history), ``spec_diff`` (wire-contract changes found from the specs),
``build`` (two byte-identical builds), ``smoke`` (a smoke test of the wheel in a fresh
virtualenv), ``_process`` (what those two share: subprocesses with a timeout, a clean
environment, virtualenvs, installs, the pyproject's pins), ``main`` (the command).
"""

from __future__ import annotations


class ReleaseError(Exception):
    """A release check that failed, with a message that says what to do about it."""
