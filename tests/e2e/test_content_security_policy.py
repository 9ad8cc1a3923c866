"""The staff pages work under their Content-Security-Policy in a real browser: nothing is blocked."""

from __future__ import annotations

import pytest

from tests.e2e._live import login

pytestmark = pytest.mark.e2e


def _violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda msg: messages.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    return messages


@pytest.mark.parametrize(("username", "path"), [("ops-e2e", "/dashboard/"), ("huewaco-e2e", "/agency/")])
def test_staff_pages_load_live_with_no_policy_violation(browser, e2e_server, username, path):
    # the login page, the live page (its websocket is up) and the API docs, under the policy
    context, page = login(browser, e2e_server, username, path)
    blocked = _violations(page)
    page.reload()
    page.wait_for_selector("#conn.conn-live", timeout=15_000)
    page.goto(f"{e2e_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert blocked == []
    context.close()


def test_the_login_page_language_toggle_runs(browser, e2e_server):
    context = browser.new_context()
    page = context.new_page()
    blocked = _violations(page)
    page.goto(f"{e2e_server.url}/dashboard/login/")
    page.click("#lang-toggle")
    assert page.locator("button[type=submit]").inner_text() == "Sign in"
    assert blocked == []
    context.close()
