"""The pytest plugin shipped with the package (campaign_clients.testing.pytest_plugin).

Each test writes a consumer's test file and runs pytest on it with `pytester`, in a folder
with no conftest, warnings as errors and `--strict-markers`, as a consuming team would:
the fixtures reach it only through the `pytest11` entry point of the installed package.
pytest runs in a subprocess: an in-process run would drop the modules it imported
(httpcore among them) when it ends, and the next one would re-import them under httpx.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import pytest
from support import NO_DEV_PLUGINS

pytest_plugins = ["pytester"]

PLUGIN = "campaign_clients.testing.pytest_plugin"

CONSUMER_INI = f"""
[pytest]
addopts = --strict-markers -p no:cacheprovider {" ".join(NO_DEV_PLUGINS)}
filterwarnings = error
"""

IMPORTS = """
import asyncio
import gc

import httpx
import pytest

from campaign_clients import AsyncMailGlyph, AsyncSendGrid, MailGlyph, SendGrid
from campaign_clients.testing import FakeMailGlyph, FakeSendGrid
"""


@pytest.fixture
def consumer(pytester: pytest.Pytester) -> pytest.Pytester:
    """A consumer's project: an ini with warnings as errors, and no conftest."""
    pytester.makeini(CONSUMER_INI)
    return pytester


def run(pytester: pytest.Pytester, tests: str, *args: str) -> pytest.RunResult:
    """Write `tests` (after the usual imports) as a test file and run pytest on it."""
    pytester.makepyfile(test_consumer=IMPORTS + textwrap.dedent(tests))
    return pytester.runpytest_subprocess(*args, timeout=120)


def test_the_plugin_is_registered_through_the_pytest11_entry_point(
    consumer: pytest.Pytester,
) -> None:
    (entry_point,) = [
        e for e in importlib.metadata.entry_points(group="pytest11") if e.value == PLUGIN
    ]
    assert entry_point.name == "campaign_clients"

    uses_a_fixture = "def test_it(fake_mailglyph: FakeMailGlyph) -> None: pass\n"
    run(consumer, uses_a_fixture).assert_outcomes(passed=1)
    disabled = run(consumer, uses_a_fixture, "-p", "no:campaign_clients")
    disabled.assert_outcomes(errors=1)
    disabled.stdout.fnmatch_lines(["*fixture 'fake_mailglyph' not found*"])


def test_the_marker_is_registered(consumer: pytest.Pytester) -> None:
    result = consumer.runpytest_subprocess("--markers", timeout=120)

    result.stdout.fnmatch_lines(["@pytest.mark.campaign_clients_http:*127.0.0.1*"])


def test_each_fixture_is_its_client_on_its_fake_with_its_key(consumer: pytest.Pytester) -> None:
    result = run(
        consumer,
        """
        def test_fakes(fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid) -> None:
            assert type(fake_mailglyph) is FakeMailGlyph and fake_mailglyph.requests == []
            assert type(fake_sendgrid) is FakeSendGrid and fake_sendgrid.requests == []

        def test_mailglyph(mailglyph_client: MailGlyph, fake_mailglyph: FakeMailGlyph) -> None:
            assert type(mailglyph_client) is MailGlyph
            fake_mailglyph.add_campaign("cmp_1")
            assert mailglyph_client.send_now("cmp_1").data.status == "SENDING"
            assert fake_mailglyph.sends("cmp_1") == fake_mailglyph.applied_sends("cmp_1") == 1

        def test_sendgrid(sendgrid_client: SendGrid, fake_sendgrid: FakeSendGrid) -> None:
            assert type(sendgrid_client) is SendGrid
            fake_sendgrid.add_campaign(4900)
            assert sendgrid_client.send_now(4900).status == "Scheduled"
            assert fake_sendgrid.sends(4900) == fake_sendgrid.applied_sends(4900) == 1

        def test_async_mailglyph(
            async_mailglyph_client: AsyncMailGlyph, fake_mailglyph: FakeMailGlyph
        ) -> None:
            assert type(async_mailglyph_client) is AsyncMailGlyph
            fake_mailglyph.add_campaign("cmp_1")
            sent = asyncio.run(async_mailglyph_client.send_now("cmp_1"))
            assert sent.data.status == "SENDING"
            assert fake_mailglyph.sends("cmp_1") == fake_mailglyph.applied_sends("cmp_1") == 1

        def test_async_sendgrid(
            async_sendgrid_client: AsyncSendGrid, fake_sendgrid: FakeSendGrid
        ) -> None:
            assert type(async_sendgrid_client) is AsyncSendGrid
            fake_sendgrid.add_campaign(4900)
            assert asyncio.run(async_sendgrid_client.send_now(4900)).status == "Scheduled"
            assert fake_sendgrid.sends(4900) == fake_sendgrid.applied_sends(4900) == 1
        """,
    )

    result.assert_outcomes(passed=5)


def test_fake_sendgrid_holds_single_sends_for_the_client_fixtures(
    consumer: pytest.Pytester,
) -> None:
    result = run(
        consumer,
        """
        from campaign_clients.errors import AlreadySentError

        ID = "2f6dec81-43b9-4c67-a890-3a38cb63b54a"

        def test_send_once(sendgrid_client: SendGrid, fake_sendgrid: FakeSendGrid) -> None:
            fake_sendgrid.add_single_send(ID)
            fake_sendgrid.fail_next(503, after_acting=True, operation="scheduleSingleSend")
            assert sendgrid_client.single_sends.send_now(ID).status == "triggered"  # settled
            assert fake_sendgrid.single_send(ID).status == "triggered"
            assert fake_sendgrid.sends(ID) == fake_sendgrid.applied_sends(ID) == 1

        @pytest.mark.campaign_clients_http
        def test_never_twice_against_a_server_that_would(
            async_sendgrid_client: AsyncSendGrid, fake_sendgrid: FakeSendGrid
        ) -> None:
            fake_sendgrid.accept_second_schedule = True
            fake_sendgrid.add_single_send(ID, status="triggered")
            with pytest.raises(AlreadySentError):
                asyncio.run(async_sendgrid_client.single_sends.send_now(ID))
            assert fake_sendgrid.sends(ID) == fake_sendgrid.applied_sends(ID) == 0
        """,
    )

    result.assert_outcomes(passed=2)


def test_every_test_gets_fresh_fakes_and_clients(consumer: pytest.Pytester) -> None:
    result = run(
        consumer,
        """
        seen: list[object] = []

        @pytest.mark.parametrize("run", [1, 2])
        def test_send(
            run: int,
            fake_mailglyph: FakeMailGlyph,
            fake_sendgrid: FakeSendGrid,
            mailglyph_client: MailGlyph,
            sendgrid_client: SendGrid,
            async_mailglyph_client: AsyncMailGlyph,
            async_sendgrid_client: AsyncSendGrid,
        ) -> None:
            assert fake_mailglyph.requests == [] and fake_sendgrid.requests == []
            fake_mailglyph.add_campaign("cmp_1")  # the second run would find it sent
            fake_sendgrid.add_campaign(4900)
            mailglyph_client.send_now("cmp_1")
            sendgrid_client.send_now(4900)
            assert fake_mailglyph.campaign("cmp_1").status == "SENDING"
            assert fake_sendgrid.campaign(4900).status == "Sent"
            fixtures = [
                fake_mailglyph, fake_sendgrid, mailglyph_client, sendgrid_client,
                async_mailglyph_client, async_sendgrid_client,
            ]
            assert not any(any(f is s for s in seen) for f in fixtures)
            seen.extend(fixtures)
        """,
    )

    result.assert_outcomes(passed=2)


def test_clients_are_closed_at_teardown_after_use_in_asyncio_run(
    consumer: pytest.Pytester,
) -> None:
    # Closing an async client from the sync teardown, once the test's event loop is
    # closed, must neither raise nor leave a connection behind for the garbage
    # collector (a ResourceWarning, an error here): the last test collects.
    result = run(
        consumer,
        """
        used: list[object] = []

        def use_all(
            fake_mailglyph: FakeMailGlyph,
            fake_sendgrid: FakeSendGrid,
            clients: list[object],
        ) -> None:
            mailglyph, sendgrid, async_mailglyph, async_sendgrid = clients
            fake_mailglyph.add_campaign("cmp_1")
            fake_mailglyph.add_campaign("cmp_2")
            fake_sendgrid.add_campaign(1)
            fake_sendgrid.add_campaign(2)
            mailglyph.send_now("cmp_1")
            sendgrid.send_now(1)

            async def both() -> None:
                await async_mailglyph.send_now("cmp_2")
                await async_sendgrid.send_now(2)
                await async_mailglyph.get_campaign("cmp_2")

            asyncio.run(both())
            assert fake_mailglyph.applied_sends("cmp_2") == fake_sendgrid.applied_sends(2) == 1
            used.extend(clients)

        def test_in_process(
            fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid,
            mailglyph_client: MailGlyph, sendgrid_client: SendGrid,
            async_mailglyph_client: AsyncMailGlyph, async_sendgrid_client: AsyncSendGrid,
        ) -> None:
            use_all(fake_mailglyph, fake_sendgrid, [
                mailglyph_client, sendgrid_client, async_mailglyph_client, async_sendgrid_client
            ])

        @pytest.mark.campaign_clients_http
        def test_over_http(
            fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid,
            mailglyph_client: MailGlyph, sendgrid_client: SendGrid,
            async_mailglyph_client: AsyncMailGlyph, async_sendgrid_client: AsyncSendGrid,
        ) -> None:
            use_all(fake_mailglyph, fake_sendgrid, [
                mailglyph_client, sendgrid_client, async_mailglyph_client, async_sendgrid_client
            ])

        def test_afterwards_every_http_client_is_closed_and_nothing_is_left() -> None:
            assert len(used) == 8
            # the clients were given their httpx clients, which the fixtures close
            assert all(client._http.is_closed for client in used)  # type: ignore[attr-defined]
            gc.collect()
        """,
    )

    result.assert_outcomes(passed=3)


def test_the_marker_serves_the_fakes_on_127_0_0_1_until_the_test_ends(
    consumer: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy in the environment must not carry the marked tests' requests: this one
    # refuses every connection (port 9, discard, has nothing listening here).
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    result = run(
        consumer,
        """
        served: list[str] = []

        def hosts(fake: FakeMailGlyph | FakeSendGrid) -> set[str | None]:
            return {request.header("host") for request in fake.requests}

        @pytest.mark.campaign_clients_http
        def test_marked(
            fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid,
            mailglyph_client: MailGlyph, sendgrid_client: SendGrid,
            async_mailglyph_client: AsyncMailGlyph, async_sendgrid_client: AsyncSendGrid,
        ) -> None:
            fake_mailglyph.add_campaign("cmp_1")
            fake_sendgrid.add_campaign(4900)
            mailglyph_client.get_campaign("cmp_1")
            sendgrid_client.get_campaign(4900)

            async def reads() -> None:
                await async_mailglyph_client.get_campaign("cmp_1")
                await async_sendgrid_client.get_campaign(4900)

            asyncio.run(reads())
            for fake, sync, twin in [
                (fake_mailglyph, mailglyph_client, async_mailglyph_client),
                (fake_sendgrid, sendgrid_client, async_sendgrid_client),
            ]:
                assert sync.base_url == twin.base_url  # one server per fake
                assert sync.base_url.startswith("http://127.0.0.1:")
                assert hosts(fake) == {sync.base_url.removeprefix("http://")}
                assert fake.count("getCampaign") == 2
                served.append(sync.base_url)

        def test_unmarked_is_in_process_and_the_servers_are_stopped(
            fake_mailglyph: FakeMailGlyph, fake_sendgrid: FakeSendGrid,
            mailglyph_client: MailGlyph, sendgrid_client: SendGrid,
            async_mailglyph_client: AsyncMailGlyph, async_sendgrid_client: AsyncSendGrid,
        ) -> None:
            assert len(served) == 2
            for base_url in served:
                with pytest.raises(httpx.ConnectError):
                    httpx.get(base_url + "/", trust_env=False)

            fake_mailglyph.add_campaign("cmp_1")
            fake_sendgrid.add_campaign(4900)
            mailglyph_client.get_campaign("cmp_1")
            sendgrid_client.get_campaign(4900)
            asyncio.run(async_mailglyph_client.get_campaign("cmp_1"))
            asyncio.run(async_sendgrid_client.get_campaign(4900))
            for fake, sync, twin in [
                (fake_mailglyph, mailglyph_client, async_mailglyph_client),
                (fake_sendgrid, sendgrid_client, async_sendgrid_client),
            ]:
                assert sync.base_url == twin.base_url == fake.base_url
                assert fake.base_url.startswith("https://api.")  # never resolved: in process
                assert hosts(fake) == {fake.base_url.removeprefix("https://")}

        @pytest.mark.campaign_clients_http
        class TestAClassMark:
            def test_it(self, mailglyph_client: MailGlyph) -> None:
                assert mailglyph_client.base_url.startswith("http://127.0.0.1:")
        """,
    )

    result.assert_outcomes(passed=3)


def test_retries_are_kept_but_nothing_waits(consumer: pytest.Pytester) -> None:
    # Without the skipped waits the two backoffs alone would take over a second.
    result = run(
        consumer,
        """
        import time

        from campaign_clients import RateLimitError

        def test_a_read_is_retried_at_once(
            mailglyph_client: MailGlyph, fake_mailglyph: FakeMailGlyph
        ) -> None:
            fake_mailglyph.add_campaign("cmp_1")
            fake_mailglyph.fail_next(503, operation="getCampaign", times=2)
            started = time.monotonic()
            mailglyph_client.get_campaign("cmp_1")
            assert time.monotonic() - started < 0.75
            assert fake_mailglyph.count("getCampaign") == 3  # two retries, the defaults

        def test_async_too(
            async_sendgrid_client: AsyncSendGrid, fake_sendgrid: FakeSendGrid
        ) -> None:
            fake_sendgrid.add_campaign(4900)
            fake_sendgrid.fail_next(429, retry_after=30, times=2)
            started = time.monotonic()
            asyncio.run(async_sendgrid_client.send_now(4900))
            assert time.monotonic() - started < 0.75
            assert fake_sendgrid.sends(4900) == 3 and fake_sendgrid.applied_sends(4900) == 1

        def test_a_wait_past_max_retry_wait_still_raises(
            sendgrid_client: SendGrid, fake_sendgrid: FakeSendGrid
        ) -> None:
            fake_sendgrid.add_campaign(4900)
            fake_sendgrid.fail_next(429, retry_after=61)
            with pytest.raises(RateLimitError):
                sendgrid_client.send_now(4900)
            assert fake_sendgrid.sends(4900) == 1

        def test_a_lost_answer_is_settled_by_a_read(
            mailglyph_client: MailGlyph, fake_mailglyph: FakeMailGlyph
        ) -> None:
            fake_mailglyph.add_campaign("cmp_1")
            fake_mailglyph.fail_next(503, after_acting=True)
            assert mailglyph_client.send_now("cmp_1").data.status == "SENDING"
            assert fake_mailglyph.count("getCampaign") == 1
            assert fake_mailglyph.sends("cmp_1") == fake_mailglyph.applied_sends("cmp_1") == 1

        def test_the_waits_are_back_after_a_test_with_a_client() -> None:
            from campaign_clients import _retry

            assert _retry.sleep.__qualname__ == "sleep"
            assert _retry.async_sleep.__qualname__ == "async_sleep"
        """,
    )

    result.assert_outcomes(passed=5)


def test_the_timeout_is_the_same_five_seconds_in_process(consumer: pytest.Pytester) -> None:
    # In process a stall of at least the read timeout raises at once, a shorter one answers.
    result = run(
        consumer,
        """
        from campaign_clients import APITimeoutError

        def test_it(mailglyph_client: MailGlyph, fake_mailglyph: FakeMailGlyph) -> None:
            fake_mailglyph.add_campaign("cmp_1")
            fake_mailglyph.stall_next(4.9, operation="getCampaign")
            mailglyph_client.get_campaign("cmp_1")
            fake_mailglyph.stall_next(5, operation="getCampaign", times=3)
            with pytest.raises(APITimeoutError):
                mailglyph_client.get_campaign("cmp_1")
        """,
    )

    result.assert_outcomes(passed=1)


def test_the_package_imports_without_pytest_and_without_the_plugin() -> None:
    script = textwrap.dedent(
        f"""
        import sys

        sys.modules["pytest"] = None  # `import pytest` now raises ImportError
        import campaign_clients
        import campaign_clients.testing
        from campaign_clients.testing import FakeMailGlyph

        fake = FakeMailGlyph()
        fake.add_campaign("cmp_1")
        with campaign_clients.MailGlyph(
            fake.api_key, http_client=fake.http_client()
        ) as client:
            client.send_now("cmp_1")
        assert fake.sends("cmp_1") == 1
        assert {PLUGIN!r} not in sys.modules
        assert "_pytest" not in sys.modules
        print("ok")
        """
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
