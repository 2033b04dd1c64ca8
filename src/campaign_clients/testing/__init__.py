"""Fakes of the MailGlyph and SendGrid campaign APIs, for testing code that sends campaigns.

`FakeMailGlyph` and `FakeSendGrid` answer every operation of ``spec/`` the way the providers
document them, routed by the spec's own method and path templates, with bodies built from
the spec's documented examples (``_spec_examples.json``, exported from ``spec/`` by
``scripts/regenerate``), so a test written against a fake stays in step with the spec:

* MailGlyph: ``sendCampaign`` (send now or schedule), ``getCampaign``, ``cancelCampaign``
  and ``sendTestCampaign``;
* SendGrid: ``sendCampaignNow``, ``scheduleCampaign``, ``rescheduleCampaign``,
  ``getCampaignSchedule``, ``unscheduleCampaign``, ``getCampaign`` and ``sendTestCampaign``
  (legacy campaigns), and ``scheduleSingleSend``, ``unscheduleSingleSend`` and
  ``getSingleSend`` (Single Sends).

Each fake:

* keeps campaigns and their states: MailGlyph ``DRAFT`` -> ``SCHEDULED`` -> ``SENDING``
  (``SENT``), cancel back to ``DRAFT`` (a schedule) or to ``CANCELLED`` (a send); SendGrid
  ``Draft`` -> ``Scheduled`` -> ``Sent`` (``In Progress``, ``Paused`` and ``Canceled`` for
  campaigns added so), and its Single Sends ``draft`` -> ``scheduled`` -> ``triggered``
  (``add_single_send``). Sending a campaign that was already sent gets the provider's
  documented refusal (a Single Send: a 403, unless ``accept_second_schedule=True`` makes
  the fake a server that sends it again); a read (``getCampaign``, ``getSingleSend``)
  shows the state, a test send changes nothing;
* checks the API key: a missing or different bearer token gets 401 with the provider's error
  body (MailGlyph answers a public ``pk_`` key with its documented 403);
* records every request it receives in ``fake.requests`` (the Authorization header redacted)
  and counts them: ``fake.sends(id)`` counts the send requests received,
  ``fake.applied_sends(id)`` those it acted on (a retried lost answer: received 2, applied 1);
* injects faults into the next N matching calls, of any operation or one (reads included):
  a status (`fail_next`; with ``after_acting=True`` the fake acts first), a stall
  (`stall_next`, always after acting) or a connection reset after the request was read
  (`reset_next`; after acting unless ``after_acting=False``);
* injects the answers a client's bounds are for, always after acting: a drip
  (`drip_next(seconds_per_byte=0.3)`: the answer one byte at a time, so no per-read
  timeout fires and only a total deadline ends it; ``body_only=True`` sends the head at
  once) and an oversized body (`oversize_next(size, gzip=False, status=None)`: the
  answer's JSON padded with spaces to ``size`` bytes, made as it is sent, gzip-compressed
  with ``gzip=True`` so that a small transfer inflates to ``size``);
* runs in-process through ``fake.transport`` (an ``httpx.MockTransport``) or over real HTTP on
  127.0.0.1 with ``with fake.serve() as base_url:``.

The package's modules: ``_models`` (records and snapshots), ``_core`` (what both fakes
share), ``_faults`` (the fault queue), ``_hostile`` (drips and oversized bodies),
``_router`` (routing by the spec's templates), ``_mailglyph`` and ``_sendgrid`` (one
provider each), ``_single_sends`` (SendGrid's Single Sends, without HTTP), ``_server``
(the HTTP server).

In-process, nothing sleeps: a stall (by default one that outlasts the client's timeout)
or a drip that would take at least the read timeout raises ``httpx.ReadTimeout`` at once,
a reset raises ``httpx.ReadError``, which is what httpx raises for a real reset, and an
oversized body is streamed from the same generator as over HTTP. Over HTTP the stall
really holds the answer (until the client gives up, or for the seconds given; always ended
when the server stops), the drip really sleeps between bytes (until the client leaves or
the server stops) and the reset really closes the socket with RST.

Example::

    fake = FakeMailGlyph()
    fake.add_campaign("cmp_1")
    client = MailGlyph(api_key=fake.api_key, http_client=fake.http_client())
    client.send_now("cmp_1")
    assert fake.sends("cmp_1") == fake.applied_sends("cmp_1") == 1
    assert fake.campaign("cmp_1").status == "SENDING"

This module needs nothing beyond the package's own dependencies (httpx and the standard
library); it does not import pytest.

With pytest installed, the plugin ``pytest_plugin`` (registered through the package's
``pytest11`` entry point; only pytest imports it) gives tests these fakes and clients
wired to them as fixtures: ``fake_mailglyph``, ``mailglyph_client``,
``async_mailglyph_client`` and their SendGrid twins, in process or, with the marker
``campaign_clients_http``, over HTTP on 127.0.0.1.
"""

from __future__ import annotations

from ._mailglyph import DEFAULT_MAILGLYPH_KEY, FakeMailGlyph
from ._models import (
    MailGlyphCampaign,
    MailGlyphStatus,
    RecordedRequest,
    SendGridCampaign,
    SendGridStatus,
    SingleSend,
    SingleSendStatus,
)
from ._sendgrid import DEFAULT_SENDGRID_KEY, FakeSendGrid

__all__ = [
    "DEFAULT_MAILGLYPH_KEY",
    "DEFAULT_SENDGRID_KEY",
    "FakeMailGlyph",
    "FakeSendGrid",
    "MailGlyphCampaign",
    "MailGlyphStatus",
    "RecordedRequest",
    "SendGridCampaign",
    "SendGridStatus",
    "SingleSend",
    "SingleSendStatus",
]
