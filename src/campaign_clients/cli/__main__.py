"""`python -m campaign_clients.cli`, the same as the `campaign-clients` command."""

from . import main

raise SystemExit(main())
