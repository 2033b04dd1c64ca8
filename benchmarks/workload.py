"""What the clients send and the server answers.

The operations, their paths and their documented success bodies come from the package's
own export of the spec (`campaign_clients._spec_examples`), so the benchmark stays in step
with spec/; only its own choices are made here: the keys, the campaign ids (one per client,
so the server can count each client's requests apart), how many async sends are in flight,
and the draft a Single Send launch reads.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from typing import Any

from campaign_clients import _spec_examples as spec

Operation = tuple[str, str]
"""(provider, operationId) as the spec names them."""
MAILGLYPH_SEND: Operation = ("mailglyph", "sendCampaign")
SENDGRID_SEND: Operation = ("sendgrid", "sendCampaignNow")
SINGLE_SEND_READ: Operation = ("sendgrid", "getSingleSend")
SINGLE_SEND_LAUNCH: Operation = ("sendgrid", "scheduleSingleSend")
SINGLE_SEND_BODY = {"send_at": "now"}
"""What a Single Send launch asks for: send it now."""

MG_KEY = "sk_bench_0123456789"
SG_KEY = "SG.bench.0123456789"
IN_FLIGHT = 32
"""Concurrent sends of every async client."""
SDK_ID_PREFIX = "cmp_sdk"
"""MailGlyph ids of the MailGlyph SDK's rows: they are served the SDK-compatible body."""


def mg_id(slot: int, sdk: bool = False) -> str:
    return f"{SDK_ID_PREFIX if sdk else 'cmp_bench'}{slot}"


def sg_id(slot: int) -> int:
    return 10000 + slot


def ss_id(slot: int) -> str:
    """A Single Send id (a UUID) per slot, so the server counts each client apart."""
    return f"00000000-0000-4000-8000-{slot:012d}"


def ss_paths(slot: int) -> tuple[str, str]:
    """A Single Send's read path and its schedule path."""
    ident = ss_id(slot)
    return spec.path(*SINGLE_SEND_READ, id=ident), spec.path(*SINGLE_SEND_LAUNCH, id=ident)


def mg_path(slot: int, sdk: bool = False) -> str:
    return spec.path(*MAILGLYPH_SEND, id=mg_id(slot, sdk))


def sg_path(slot: int) -> str:
    return spec.path(*SENDGRID_SEND, campaign_id=sg_id(slot))


def dump(obj: Any) -> bytes:
    """Compact JSON, as a server sends it."""
    return json.dumps(obj, separators=(",", ":")).encode()


def documented(operation: Operation) -> tuple[int, bytes]:
    """The operation's documented success: its status and example body."""
    status = spec.success_status(*operation)
    return status, dump(spec.response(*operation, str(status)))


def sdk_compatible(body: bytes) -> bytes:
    """The documented MailGlyph body with what the MailGlyph SDK's pydantic models require.

    The SDK (2.2.0) declares `logic` on every filter condition and `operator` on every
    filter as required; the documented sendCampaign example has neither, so the SDK rejects
    it. Its rows are served this variant (`"logic": "AND"`, `"operator": "equals"` added).
    """

    def fix(node: Any) -> Any:
        if isinstance(node, list):
            return [fix(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: fix(v) for k, v in node.items()}
        if "groups" in out and "logic" not in out:
            out["logic"] = "AND"
        if "field" in out and "value" in out and "operator" not in out:
            out["operator"] = "equals"
        return out

    return dump(fix(json.loads(body)))


def draft(body: bytes) -> bytes:
    """The documented Single Send as a draft (`status: draft`, no `send_at`).

    The documented getSingleSend example is a scheduled Single Send, which the facade
    rightly refuses to send now; a launch starts from a draft, so the read is served this.
    The server answers every read with it, so every launch is a first one.
    """
    return dump({**json.loads(body), "status": "draft", "send_at": None})


def path_pattern(template: str, **params: str) -> str:
    """An anchored regular expression for a path template such as "/campaigns/{id}/send".

    Each {param} becomes the pattern given for it, or one path segment. The result reads
    the same to Python's re and to nginx's PCRE.
    """
    parts = ["^"]
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(params.get(name, "[^/]+"))
    return "".join(parts) + "$"


@dataclass(frozen=True)
class Route:
    """One answer of the server: a `method` request to a path matching `pattern`."""

    method: str
    pattern: str
    status: int
    body: bytes


def routes() -> tuple[Route, ...]:
    """What the server answers, first match first; anything else is a 404 (405: wrong method)."""

    def route(operation: Operation, answer: tuple[int, bytes], **params: str) -> Route:
        method, template = spec.route(*operation)
        return Route(method, path_pattern(template, **params), *answer)

    mg_status, mg_body = documented(MAILGLYPH_SEND)
    read_status, read_body = documented(SINGLE_SEND_READ)
    return (
        route(
            MAILGLYPH_SEND,
            (mg_status, sdk_compatible(mg_body)),
            id=re.escape(SDK_ID_PREFIX) + "[^/]*",
        ),
        route(MAILGLYPH_SEND, (mg_status, mg_body)),
        route(SENDGRID_SEND, documented(SENDGRID_SEND), campaign_id="[0-9]+"),
        route(SINGLE_SEND_READ, (read_status, draft(read_body))),
        route(SINGLE_SEND_LAUNCH, documented(SINGLE_SEND_LAUNCH)),
    )
