"""Keeping secrets out of what leaves the process: records, output, dry runs."""

from __future__ import annotations

from collections.abc import Iterable

from ._constants import REDACTED


def redact_authorization(value: str) -> str:
    """An Authorization header value with its credentials replaced: "Bearer ***"."""
    scheme, _, token = value.partition(" ")
    return f"{scheme} {REDACTED}" if token else REDACTED


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each (non-empty) secret replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text
