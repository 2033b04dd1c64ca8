"""The package's facts in one leaf module: its version, its defaults, where each
provider lives, and what the key holders are called. Every other module imports
them from here; this module imports nothing of the package.

Hatch reads the version from this file (see pyproject.toml), so it is written once.
"""

from __future__ import annotations

VERSION = "0.4.0"

# -- defaults of every client (constructor options) -----------------------------------------
DEFAULT_TIMEOUT = 30.0
"""Seconds per phase of a request (connect, write, each read, pool)."""
DEFAULT_MAX_RETRIES = 2
"""Retries of a call that is safe to repeat; 0 disables them."""
DEFAULT_MAX_RETRY_WAIT = 60.0
"""The longest wait slept through before a retry; a longer one raises at once."""
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
"""The largest response body read (after decompression); a larger one ends the attempt.
Both APIs answer with a few KiB at most."""

# -- bounds on what an attempt reads ---------------------------------------------------------
KEPT_BODY_BYTES = 4 * 1024
"""The most of a response body an error keeps (`error.body`), in bytes of the body's
charset; its full length is noted."""
MAX_RESPONSE_HEAD_BYTES = 100 * 1024
"""The longest response head (status line, headers, blank line) read on the clients' own
connections; a longer one ends the attempt."""
MAX_MESSAGES = 20
"""The most provider messages an error keeps (each cut to KEPT_BODY_BYTES bytes of UTF-8)."""
ACCEPT_ENCODING = "gzip, deflate"
"""The encodings the clients ask for: the ones they decompress themselves, within the bound."""

# -- retry backoff ---------------------------------------------------------------------------
INITIAL_BACKOFF = 0.5
"""Seconds before the first retry when the provider says nothing (doubled each time)."""
MAX_BACKOFF = 8.0
"""The longest backoff between two retries."""

# -- settling an outcome that is not known --------------------------------------------------
DEFAULT_SETTLE_DELAY = 1.0
"""Seconds to wait before reading a campaign whose send had an unknown outcome."""
SETTLE_CLOCK_SKEW = 60.0
"""Seconds by which the provider's clock may differ from ours when a send time is compared
with the instant an attempt began."""

# -- connection pool -------------------------------------------------------------------------
MAX_CONNECTIONS = 64
"""Requests in flight per client; keep-alive connections are reused up to this many."""
KEEPALIVE_EXPIRY = 30.0
"""Seconds an idle keep-alive connection is kept."""

# -- providers -------------------------------------------------------------------------------
MAILGLYPH = "MailGlyph"
SENDGRID = "SendGrid"
SPEC_NAMES = {MAILGLYPH: "mailglyph", SENDGRID: "sendgrid"}
"""Each provider's spec file (spec/<name>.yaml), the name its exported facts go by."""
MAILGLYPH_BASE_URL = "https://api.mailglyph.com"
SENDGRID_REGIONS = {"global": "https://api.sendgrid.com", "eu": "https://api.eu.sendgrid.com"}
"""SendGrid's hosts by `region=`; "global" is the default."""
DEFAULT_SENDGRID_REGION = "global"
KEY_ENV = {MAILGLYPH: "MAILGLYPH_API_KEY", SENDGRID: "SENDGRID_API_KEY"}
"""The environment variable that holds each provider's key (the CLI reads only these)."""

LOGGER_NAME = "campaign_clients"
REDACTED = "***"
"""What stands in a log, a record or an output where a secret was."""
