"""Keys from the environment: with no `api_key`, each client reads its provider's variable
(`MAILGLYPH_API_KEY`, `SENDGRID_API_KEY`), checks it as a given key is checked, and says
which variable is missing or bad; a given key wins over the variable."""

from __future__ import annotations

import httpx
import pytest
from support import MAILGLYPH_KEY, SENDGRID_KEY, Recorder, client_class, example, invoke

from campaign_clients._constants import KEY_ENV

pytestmark = pytest.mark.anyio

VARIABLE = {"mailglyph": KEY_ENV["MailGlyph"], "sendgrid": KEY_ENV["SendGrid"]}
KEY = {"mailglyph": MAILGLYPH_KEY, "sendgrid": SENDGRID_KEY}
SEND = {"mailglyph": ("cmp_1", "sendCampaign", 200), "sendgrid": (4900, "sendCampaignNow", 201)}


@pytest.fixture(autouse=True)
def no_keys_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine running the tests has, each test starts with neither variable."""
    for name in KEY_ENV.values():
        monkeypatch.delenv(name, raising=False)


def answering_send(provider: str) -> Recorder:
    _, operation, status = SEND[provider]
    return Recorder([httpx.Response(status, json=example(provider, operation, str(status)))])


async def test_the_key_comes_from_the_providers_variable(provider, make_client, monkeypatch):
    monkeypatch.setenv(VARIABLE[provider], KEY[provider])
    recorder = answering_send(provider)
    client = make_client(provider, recorder, api_key=None)
    await invoke(client.send_now, SEND[provider][0])
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {KEY[provider]}"


async def test_a_given_key_wins_over_the_variable(provider, make_client, monkeypatch):
    monkeypatch.setenv(VARIABLE[provider], KEY[provider] + "-from-env")
    recorder = answering_send(provider)
    client = make_client(provider, recorder, api_key=KEY[provider])
    await invoke(client.send_now, SEND[provider][0])
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {KEY[provider]}"


@pytest.mark.parametrize(("value", "state"), [(None, "is not set"), ("", "is empty")])
def test_no_key_and_no_variable_names_the_variable(provider, flavor, monkeypatch, value, state):
    if value is not None:
        monkeypatch.setenv(VARIABLE[provider], value)
    with pytest.raises(ValueError, match=f"api_key was not given and {VARIABLE[provider]} {state}"):
        client_class(provider, flavor)()


@pytest.mark.parametrize("bad", ["  sk_padded  ", "sk_a b", "sk_abc\r\nX-Evil: 1", "sk_é"])
def test_a_bad_key_in_the_variable_gets_the_same_checks(provider, flavor, monkeypatch, bad):
    monkeypatch.setenv(VARIABLE[provider], bad)
    with pytest.raises(ValueError, match=f"api_key .*\\(read from {VARIABLE[provider]}\\)") as info:
        client_class(provider, flavor)()
    assert bad.strip() not in str(info.value)


def test_a_public_mailglyph_key_in_the_variable_is_refused(flavor, monkeypatch):
    monkeypatch.setenv(VARIABLE["mailglyph"], "pk_live_abcdef123456")
    with pytest.raises(ValueError, match=r"secret key \(sk_\.\.\.\)") as info:
        client_class("mailglyph", flavor)()
    assert "pk_live_abcdef123456" not in str(info.value)


def test_the_other_providers_variable_is_not_used(provider, flavor, monkeypatch):
    other = "sendgrid" if provider == "mailglyph" else "mailglyph"
    monkeypatch.setenv(VARIABLE[other], KEY[other])
    with pytest.raises(ValueError, match=VARIABLE[provider]):
        client_class(provider, flavor)()
