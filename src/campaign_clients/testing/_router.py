"""Routing a fake's requests by the spec's own method and path templates, so a fake
answers exactly the operations the spec declares, at the paths it declares."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

from .. import _spec_examples
from ._models import Route

CampaignId = Callable[[str], str | int | None]


class Router:
    """Maps (method, raw path) to a spec operation and the campaign id in the path.

    `campaign_id` turns the path segment under a template's `{parameter}` into the
    provider's id, or None when it cannot be one (then the path is not the API's).
    """

    def __init__(self, provider: str, campaign_id: CampaignId) -> None:
        self.operations = _spec_examples.operations(provider)
        self._templates: list[tuple[str, str, list[str]]] = []
        methods: dict[str, set[str]] = {}
        for operation in self.operations:
            method, template = _spec_examples.route(provider, operation)
            self._templates.append((operation, method, template.split("/")))
            methods.setdefault(template, set()).add(method)
        # Each path template's methods, for the `Allow` of a 405.
        self._allowed = {template: tuple(sorted(found)) for template, found in methods.items()}
        self._campaign_id = campaign_id

    def check(self, operation: str | None, *, owner: str) -> str | None:
        """`operation` when it is None or one of the spec's operationIds, else ValueError."""
        if operation is not None and operation not in self.operations:
            raise ValueError(
                f"unknown operation {operation!r} for {owner}; "
                f"expected one of {', '.join(self.operations)}"
            )
        return operation

    def route(self, method: str, raw_path: str) -> Route:
        """The operation with this method at this path; a path that exists for other
        methods only (any other method token, in any case) is `path_known` with no
        operation and the path's methods in `allowed`."""
        segments = [urllib.parse.unquote(s) for s in raw_path.split("/")]
        campaign_id: str | int | None = None
        allowed: tuple[str, ...] = ()
        for operation, op_method, template in self._templates:
            found = self._match(template, segments)
            if found is None:
                continue
            campaign_id = found
            allowed = self._allowed["/".join(template)]
            if op_method == method:
                return Route(operation, campaign_id, path_known=True, allowed=allowed)
        return Route(None, campaign_id, path_known=campaign_id is not None, allowed=allowed)

    def _match(self, template: list[str], segments: list[str]) -> str | int | None:
        """The campaign id when `segments` fit `template` (one {parameter}), else None."""
        if len(template) != len(segments):
            return None
        campaign_id: str | int | None = None
        for expected, actual in zip(template, segments, strict=True):
            if expected.startswith("{"):
                campaign_id = self._campaign_id(actual)
                if campaign_id is None:
                    return None
            elif expected != actual:
                return None
        return campaign_id
