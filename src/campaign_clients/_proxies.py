"""The environment's proxies for the async httpx client the facade makes itself.

httpx reads HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (or lower-case) only when a
client is made without `transport=`; the async clients pass their own pool as
`transport=`, so they mount the same proxy transports that a default
`httpx.AsyncClient(limits=...)` would, through httpx's public `mounts=`. A NO_PROXY
pattern is mounted as None: such requests go to the client's own transport, like those
that match no pattern. The sync clients pass their own transport too (`_deadline.py`),
so they mount the sync twins.
"""

from __future__ import annotations

import httpx


def environment_proxy_mounts(limits: httpx.Limits) -> dict[str, httpx.AsyncBaseTransport | None]:
    """`mounts=` for an `httpx.AsyncClient` given `transport=`, so that it routes as
    `httpx.AsyncClient(limits=limits)` would; read once, now."""
    return {
        pattern: None if proxy is None else httpx.AsyncHTTPTransport(proxy=proxy, limits=limits)
        for pattern, proxy in _environment_proxies().items()
    }


def sync_environment_proxy_mounts(limits: httpx.Limits) -> dict[str, httpx.BaseTransport | None]:
    """The same for the sync clients' `httpx.Client`, given their own transport too."""
    return {
        pattern: None if proxy is None else httpx.HTTPTransport(proxy=proxy, limits=limits)
        for pattern, proxy in _environment_proxies().items()
    }


def _environment_proxies() -> dict[str, str | None]:
    """URL pattern -> proxy URL, or None for NO_PROXY, as httpx reads the environment.

    The one use of a private httpx helper (httpx has no public one): it is what
    `httpx.AsyncClient` itself calls, so NO_PROXY's forms (`*`, `.domain`, IPs, `::1`,
    `localhost`) match exactly as httpx matches them. tests/facade/test_proxies.py
    calls this function directly and fails if httpx moves or changes it.
    """
    from httpx._utils import get_environment_proxies

    return get_environment_proxies()
