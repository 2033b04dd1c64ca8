"""Contract tests: spec/ vs the provider docs vs generated/ (see conftest.py)."""
