"""The README's Python examples: which blocks there are, and how to run them offline.

One harness for two users: the test suite (tests/facade/test_readme_examples.py and
tests/testing/test_readme_testing_section.py) and the release smoke test, which copies this
file into a fresh virtualenv and runs it there against the installed wheel
(``python readme_examples.py --installed-in VENV example.py...``). So it imports only the
standard library, httpx and campaign_clients, never the repository.

Blocks under "## Testing your code" are pytest files; every other python block is a usage
example, run with every httpx client answering in-process with the spec's documented
examples (no network, no key). A block whose fence names distributions it needs beyond
the package (```` ```python requires=opentelemetry-sdk,... ````) sets up process-wide
state of its own (a tracer provider, an instrumentation): it is left out of
`usage_blocks`, which run in the test suite's process, and run in a process of its own
(tests/facade/test_tracing.py); the smoke test installs what it requires from the dev
pins and runs it with the others.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import httpx

import campaign_clients
from campaign_clients import _spec_examples

TESTING_SECTION = "## Testing your code"

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_HEADING = re.compile(r"^#{1,2}[ \t]")


@dataclass(frozen=True)
class Block:
    """One fenced python block: its code, the line its fence opens on, its `##` heading,
    and the distributions its fence says it requires (`requires=a,b`)."""

    code: str
    line: int
    section: str
    requires: tuple[str, ...] = ()


def _requires(info: str) -> tuple[str, ...]:
    """The distributions a fence's info string names after the language (`requires=a,b`)."""
    for word in info.split()[1:]:
        if word.startswith("requires="):
            return tuple(name for name in word.removeprefix("requires=").split(",") if name)
    return ()


def python_blocks(readme_text: str) -> list[Block]:
    """Every fenced block tagged `python`, in order (headings inside code do not count)."""
    blocks: list[Block] = []
    section = ""
    fence: str | None = None
    language = info = ""
    start = 0
    body: list[str] = []
    for number, line in enumerate(readme_text.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if fence is None:
            opening = _FENCE.match(bare)
            if opening is not None:
                fence, start, body = opening["fence"], number, []
                info = opening["info"]
                language = (info.split() or [""])[0].lower()
            elif _HEADING.match(bare):
                section = bare.strip()
        elif bare.strip().startswith(fence) and set(bare.strip()) == {fence[0]}:
            if language == "python":
                code = textwrap.dedent("".join(body))
                blocks.append(Block(code, start, section, _requires(info)))
            fence = None
        else:
            body.append(line)
    return blocks


def usage_blocks(readme_text: str) -> list[str]:
    """The usage examples that need only the package: python blocks outside "## Testing
    your code" that require nothing more."""
    return [
        b.code
        for b in python_blocks(readme_text)
        if b.section != TESTING_SECTION and not b.requires
    ]


def requiring_blocks(readme_text: str) -> list[Block]:
    """The usage examples that require more than the package (`requires=` on the fence)."""
    return [b for b in python_blocks(readme_text) if b.section != TESTING_SECTION and b.requires]


def testing_blocks(readme_text: str) -> list[str]:
    """The pytest files: python blocks under "## Testing your code" (none if no section)."""
    return [b.code for b in python_blocks(readme_text) if b.section == TESTING_SECTION]


def documented_answer(request: httpx.Request) -> httpx.Response:
    """The spec's documented success for whichever operation the request is."""
    for provider in ("mailglyph", "sendgrid"):
        for operation in _spec_examples.operations(provider):
            method, template = _spec_examples.route(provider, operation)
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            if method == request.method and re.fullmatch(pattern, request.url.path):
                status = _spec_examples.success_status(provider, operation)
                body = _spec_examples.response(provider, operation, str(status))
                return (
                    httpx.Response(status, json=body) if body is not None else httpx.Response(204)
                )
    raise AssertionError(f"no spec operation for {request.method} {request.url.path}")


@contextmanager
def offline_httpx() -> Iterator[list[httpx.Request]]:
    """Every httpx client made inside answers in-process (`documented_answer`); yields the
    requests they made."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return documented_answer(request)

    original_sync = httpx.Client.__init__
    original_async = httpx.AsyncClient.__init__

    def sync_init(self: httpx.Client, *args: Any, **kwargs: Any) -> None:
        kwargs["transport"] = httpx.MockTransport(handler)
        original_sync(self, *args, **kwargs)

    def async_init(self: httpx.AsyncClient, *args: Any, **kwargs: Any) -> None:
        kwargs["transport"] = httpx.MockTransport(handler)
        original_async(self, *args, **kwargs)

    with (
        mock.patch.object(httpx.Client, "__init__", sync_init),
        mock.patch.object(httpx.AsyncClient, "__init__", async_init),
    ):
        yield seen


def run_usage_example(code: str, filename: str) -> list[httpx.Request]:
    """Run one usage example offline; it must make requests, and only to the APIs' hosts."""
    with offline_httpx() as seen:
        exec(compile(code, filename, "exec"), {"__name__": "readme_example"})
    if not seen:
        raise AssertionError(f"{filename}: the example made no request")
    strays = sorted({str(r.url) for r in seen if not r.url.host.startswith("api.")})
    if strays:
        raise AssertionError(f"{filename}: requests to hosts other than api.*: {strays}")
    return seen


def check_installed(prefix: Path) -> str:
    """The packages are imported from `prefix` (not a checkout) and the distribution's
    version is the package's `__version__`; returns that version."""
    import mailglyph_client
    import sendgrid_client

    for module in (campaign_clients, mailglyph_client, sendgrid_client):
        where = Path(str(module.__file__)).resolve()
        if not where.is_relative_to(prefix.resolve()):
            raise AssertionError(f"{module.__name__} is imported from {where}, not from {prefix}")
    installed = importlib.metadata.version("campaign-clients")
    if installed != campaign_clients.__version__:
        raise AssertionError(
            f"distribution version {installed} != campaign_clients.__version__ "
            f"{campaign_clients.__version__}"
        )
    return installed


def main(argv: list[str] | None = None) -> int:
    """Check where the package is installed, then run each usage example file offline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--installed-in", type=Path, required=True, metavar="PREFIX")
    parser.add_argument("examples", nargs="*", type=Path)
    args = parser.parse_args(argv)
    version = check_installed(args.installed_in)
    print(f"campaign-clients {version} from {Path(campaign_clients.__file__).parent}")
    for example in args.examples:
        requests = run_usage_example(example.read_text(encoding="utf-8"), str(example))
        print(f"{example.name}: ran, {len(requests)} requests answered in-process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
