"""Browser tests: the real ASGI server (uvicorn, subprocess, free loopback port, throwaway database)
driven by the system's Chromium through Playwright.

Without Chromium they skip locally; with CI=true a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e._live import CHROMIUM, CHROMIUM_ARGS, LiveServer, login, running_e2e_server

__all__ = ["login"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI=true: a missing browser is a failure)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(scope="session")
def e2e_server(chromium_path) -> Iterator[LiveServer]:
    with running_e2e_server() as server:
        yield server


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread while it
# is open, and later asyncio tests (tests/realtime) cannot start theirs beside it.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # A browser test that fails in CI leaves no server behind to look at: its log's tail goes into the
    # failure report (the server logs no personal data, see backend/core/log_redaction.py).
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("e2e_server") if report.failed else None
    if server is not None and server.log_path is not None and server.log_path.exists():
        tail = server.log_path.read_text(errors="replace").splitlines()[-60:]
        report.sections.append(("e2e server log (last 60 lines)", "\n".join(tail)))
