"""Both fakes, Single Sends included: what a fault does to the campaign (acting first or
not), the send counts (`sends` received, `applied_sends` acted on) and faults aimed at the
read, in process."""

from __future__ import annotations

import httpx
import pytest
from fakes_support import Fake, LostAnswer, Provider


@pytest.fixture
def fake(provider: Provider) -> Fake:
    """Overrides conftest.py's: this provider's fake, holding draft `provider.campaign_id`."""
    return provider.fake()


def test_a_lost_or_replaced_answer_then_a_retry_is_received_2_applied_1(
    provider: Provider, fake: Fake, client: httpx.Client, lost: LostAnswer
) -> None:
    lost.inject(fake)

    lost.send(provider, client)

    lost.check_and_retry(provider, fake, client)


def test_a_fault_after_acting_on_a_refused_send_applies_nothing(
    provider: Provider, fake: Fake, client: httpx.Client
) -> None:
    assert provider.call(client, provider.send_now).is_success
    fake.fail_next(503, after_acting=True)

    assert provider.call(client, provider.send_now).status_code == 503

    assert provider.counts(fake) == (2, 1)
    assert provider.status(fake) == provider.sending


def test_refusals_and_faults_before_acting_are_received_but_not_applied(
    provider: Provider, fake: Fake, client: httpx.Client
) -> None:
    with fake.http_client() as anonymous:
        assert provider.call(anonymous, provider.send_now).status_code == 401
    fake.fail_next(429)
    assert provider.call(client, provider.send_now).status_code == 429
    fake.reset_next(after_acting=False)
    with pytest.raises(httpx.ReadError):
        provider.call(client, provider.send_now)

    assert provider.counts(fake) == (3, 0)
    assert provider.status(fake) == provider.draft


def test_counts_are_per_campaign_and_cleared_with_the_requests(
    provider: Provider, fake: Fake, client: httpx.Client
) -> None:
    provider.add(fake, provider.other_id)
    provider.call(client, provider.send_now)
    provider.call(client, provider.get)  # a read is no send

    assert provider.counts(fake) == (1, 1)
    assert (fake.sends(provider.other_id), fake.applied_sends(provider.other_id)) == (0, 0)
    fake.clear_requests()
    assert provider.counts(fake) == (0, 0)
    assert provider.status(fake) == provider.sending  # the campaign is kept


def test_fail_next_can_target_the_read(
    provider: Provider, fake: Fake, client: httpx.Client
) -> None:
    fake.fail_next(503, operation=provider.get, times=3)

    assert provider.call(client, provider.send_now).is_success  # not the fault's operation
    reads = [provider.call(client, provider.get) for _ in range(4)]

    assert [r.status_code for r in reads] == [503, 503, 503, 200]
    assert provider.read_status(reads[-1]) == provider.sending
    assert provider.counts(fake) == (1, 1)
    assert fake.pending_faults == 0


def test_stall_next_can_target_the_read(
    provider: Provider, fake: Fake, client: httpx.Client
) -> None:
    fake.stall_next(operation=provider.get)

    with pytest.raises(httpx.ReadTimeout):
        provider.call(client, provider.get)

    assert provider.status(fake) == provider.draft
    assert provider.read_status(provider.call(client, provider.get)) == provider.draft
    assert fake.count(provider.get) == 2
