"""Headless Chromium for page tests: Debian's browser driven by Playwright (never ``playwright
install``). One browser serves the whole test session; each test gets a fresh page that records
console messages, page errors, dialogs and every request, so a test can prove the page is offline
and quiet.

Use: ``from tests.support.browser import browser, open_page  # noqa: F401`` in a test module.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import ARTIFACTS  # noqa: F401  (the tests import it from here)

CHROMIUM = os.environ.get("RKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_shared: dict[str, Any] = {}


def _launch(config: pytest.Config) -> Any:
    if "browser" not in _shared:
        if not Path(CHROMIUM).exists():
            pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium", False)
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _shared["pw"] = pw
        _shared["browser"] = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        def close() -> None:
            _shared.pop("browser").close()
            _shared.pop("pw").stop()

        config.add_cleanup(close)
    return _shared["browser"]


@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config) -> Any:
    """The session's one headless Chromium (shared even when several modules import this)."""
    return _launch(pytestconfig)


@dataclass
class PageLog:
    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self, own: Path) -> list[str]:
        """Requests for anything but the page file itself (data: URLs stay inside the page)."""
        own_url = own.resolve().as_uri()
        return [u for u in self.requests if u != own_url and not u.startswith("data:")]


def open_page(browser: Any, path: Path, *, wait_stable: bool = True) -> PageLog:
    """Open ``path`` via file:// in a fresh context, recording everything that could go wrong."""
    context = browser.new_context(viewport={"width": 1280, "height": 820})
    page = context.new_page()
    log = PageLog(page)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("request", lambda r: log.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.resolve().as_uri())
    if wait_stable:
        wait_for(page, "window.rkg !== undefined && window.rkg.stabilized === true")
    return log


def wait_for(page: Any, expression: str, timeout_s: float = 60.0) -> None:
    """Poll ``expression`` until true. (``page.wait_for_function`` evaluates its predicate with
    ``new Function``, which our pages' Content-Security-Policy forbids, as it should.)"""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"page never satisfied: {expression}")
        page.wait_for_timeout(100)
