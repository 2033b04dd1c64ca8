"""The async clients' own keep-alive pool: connections are reused, a full pool waits
at most the pool timeout, and a cancelled request gives its slot back."""

from __future__ import annotations

import anyio
import httpcore
import httpx
import pytest

from campaign_clients import APITimeoutError, AsyncMailGlyph
from campaign_clients import _pool as pool_module
from campaign_clients._pool import StackPoolTransport
from campaign_clients.testing import FakeMailGlyph

pytestmark = pytest.mark.anyio


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every connection the pool opens."""
    made: list[object] = []

    class CountedConnection(httpcore.AsyncHTTPConnection):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(pool_module.httpcore, "AsyncHTTPConnection", CountedConnection)
    return made


async def test_32_sends_in_flight_reuse_their_connections(opened):
    fake = FakeMailGlyph()
    ids = [f"cmp_{n}" for n in range(64)]
    for campaign_id in ids:
        fake.add_campaign(campaign_id)
    with fake.serve() as base_url:
        async with AsyncMailGlyph(fake.api_key, base_url=base_url) as client:
            for batch in (ids[:32], ids[32:]):
                async with anyio.create_task_group() as tg:
                    for campaign_id in batch:
                        tg.start_soon(client.send_now, campaign_id)
    assert all(fake.sends(campaign_id) == 1 for campaign_id in ids)
    assert len(opened) <= 32  # the second batch reused the first batch's connections


async def test_a_full_pool_waits_at_most_the_pool_timeout():
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.stall_next()
    transport = StackPoolTransport(max_connections=1, keepalive_expiry=5)
    with fake.serve() as base_url:
        async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(1.0, pool=0.2)) as (
            http_client
        ):
            client = AsyncMailGlyph(
                fake.api_key, base_url=base_url, timeout=1.0, http_client=http_client, settle=False
            )
            async with anyio.create_task_group() as tg:
                tg.start_soon(_expect_timeout, client)  # holds the only slot, stalled
                await anyio.sleep(0.1)
                with pytest.raises(httpx.PoolTimeout):
                    await http_client.post(f"{base_url}/campaigns/cmp_1/send")
    assert fake.sends("cmp_1") == 1  # the waiting request never left


async def _expect_timeout(client: AsyncMailGlyph) -> None:
    with pytest.raises(APITimeoutError):
        await client.send_now("cmp_1")


async def test_a_cancelled_request_gives_back_its_slot():
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    fake.add_campaign("cmp_2")
    fake.stall_next()
    transport = StackPoolTransport(max_connections=1, keepalive_expiry=5)
    with fake.serve() as base_url:
        async with httpx.AsyncClient(
            transport=transport, timeout=httpx.Timeout(5.0, pool=1.0)
        ) as http_client:
            client = AsyncMailGlyph(fake.api_key, base_url=base_url, http_client=http_client)
            with anyio.move_on_after(0.2):
                await client.send_now("cmp_1")  # stalled, then cancelled
            result = await client.send_now("cmp_2")  # would hit PoolTimeout if the slot leaked
    assert result.data.id == "cmp_2"


async def test_closed_port_is_a_connect_error_and_aclose_closes_idle_connections():
    transport = StackPoolTransport(max_connections=4, keepalive_expiry=5)
    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    with fake.serve() as base_url:
        async with httpx.AsyncClient(transport=transport) as http_client:
            await http_client.post(
                f"{base_url}/campaigns/cmp_1/send",
                headers={"Authorization": f"Bearer {fake.api_key}"},
            )
            (idle,) = [c for stack in transport._pool._idle.values() for c in stack]
    assert idle.is_closed()
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(transport=transport) as http_client:
            await http_client.post(f"{base_url}/campaigns/cmp_1/send")
