"""Keeping secrets out of what leaves the process: records, output, dry runs, and
anything the clients keep from a response (a provider or a proxy may echo the
Authorization header back in an error message or an HTML page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._constants import ACCEPT_ENCODING, REDACTED


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


class Credentials:
    """A client's key and the headers that carry it, kept out of sight.

    `repr()`, `vars()` of the client and tracebacks show no key: the key lives only
    in this object's slots, and the headers are built when a request needs them.
    `redact()` takes the key out of anything kept from a response.
    """

    __slots__ = ("_key", "_user_agent")

    def __init__(self, api_key: str, user_agent: str) -> None:
        self._key = api_key
        self._user_agent = user_agent

    def __repr__(self) -> str:
        return f"Credentials(api_key={REDACTED!r})"

    def __getstate__(self) -> object:
        raise TypeError("Credentials hold a key; they are never pickled")

    @property
    def headers(self) -> dict[str, str]:
        """The headers every request carries: the key, JSON, and who is calling."""
        return {
            "Authorization": f"Bearer {self._key}",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,  # only what _limits.py decompresses
            "User-Agent": self._user_agent,
        }

    def redact(self, text: str) -> str:
        """`text` without the key (and so without "Bearer <key>")."""
        return scrub(text, (self._key,))

    def redact_json(self, value: object) -> object:
        """A decoded JSON value with the key taken out of every string, keys included.

        Iterative, so a deeply nested body cannot exhaust the stack here.
        """
        root: list[Any] = [value]
        stack: list[tuple[Any, Any]] = [(root, 0)]  # (container, index or key) to clean
        while stack:
            parent, slot = stack.pop()
            item = parent[slot]
            if isinstance(item, str):
                parent[slot] = self.redact(item)
            elif isinstance(item, list):
                parent[slot] = items = list(item)
                stack.extend((items, index) for index in range(len(items)))
            elif isinstance(item, dict):
                parent[slot] = fields = {
                    self.redact(k) if isinstance(k, str) else k: v for k, v in item.items()
                }
                stack.extend((fields, key) for key in fields)
        return root[0]
