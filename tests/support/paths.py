"""Where the test suite finds the checkout, its fixtures and its artefacts, wherever a test sits."""

from __future__ import annotations

from pathlib import Path

#: The checkout's root (the folder holding ``pyproject.toml``).
REPO = Path(__file__).resolve().parents[2]
#: Small graphs and files the tests read (``tests/fixtures``).
FIXTURES = REPO / "tests" / "fixtures"
#: Screenshots and pages a failing browser test leaves for a human to look at.
ARTIFACTS = REPO / "test-artifacts"
