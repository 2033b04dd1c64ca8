"""The read before a launch: where the provider keeps no guard of its own (a Single
Send; a MailGlyph schedule of a campaign that is already `SCHEDULED`, with `since=`),
the client reads the campaign first and acts only on a draft.

What the read found decides, as the settlement rules (`_settlement.py`) judge it for
an attempt that began at `since`: a send or schedule this launch already made is
returned as the call's result, nothing sent again; a state the call must not act on is
a `CampaignStateError` (`AlreadySentError` when sent) with nothing sent. The clients
supply the read and the call; this module owns the errors and their settlements.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs

from ._calls import Call
from ._constants import LOGGER_NAME
from ._settlement import Attempt, Settlement
from .errors import AlreadySentError, CampaignClientError, CampaignStateError

logger = logging.getLogger(LOGGER_NAME)

UNREAD = Settlement(
    "not_applied", "the read before it failed; no request was made", can_repeat=True
)
"""What a launch whose read failed settles as: the call that could act was never made."""


def attempt(call: Call[Any], began: float) -> Attempt:
    """The attempt of a launch's send or schedule (which can always be settled)."""
    made = call.attempt(began)
    assert made is not None, f"{call.operation.name} cannot be settled"
    return made


def unread(error: CampaignClientError, call: Call[Any], began: float) -> CampaignClientError:
    """The read before `call` failed: its error, marked as nothing sent."""
    error._nothing_sent(call.attempt(began), UNREAD)
    return error


def refused(
    call: Call[Any],
    began: float,
    message: str,
    settlement: Settlement,
    *,
    sent: bool,
) -> CampaignStateError:
    """The error of a launch the read before it stopped (nothing sent by this call).

    `sent`: the campaign was already sent (an `AlreadySentError`). With `since=`, a read
    whose state cannot tell whether an earlier try of the launch acted leaves the
    outcome unknown: `outcome_unknown` is then True, and `settle()` reads again."""
    kind = AlreadySentError if sent else CampaignStateError
    error = kind(
        message,
        status=settlement.status,
        state=dict(settlement.state),
        provider=call.operation.provider,
        operation=call.operation.name,
    )
    verdict = attrs.evolve(settlement, can_repeat=False)
    error._nothing_sent(call.attempt(began), verdict)
    if call.since is not None and settlement.outcome == "unknown":
        error._settled(verdict, outcome_unknown=True)
    return error


def already(call: Call[Any], settlement: Settlement) -> None:
    """Log that the read found this launch's send or schedule made: nothing is sent again."""
    logger.warning(
        "%s %s: already applied since the launch began (%s); not sent again",
        call.operation.provider,
        call.operation.name,
        settlement.reason,
    )
