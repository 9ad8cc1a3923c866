"""Accessibility checks in the browser with axe-core.

axe-core comes from the `axe-playwright-python` wheel (its bundled axe.min.js, read from disk and
injected into the page): nothing is fetched from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")


def axe_violations(page: Any, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (WCAG 2.1 A and AA rules plus best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS)
    context = {"exclude": [[selector] for selector in exclude or []]} if exclude else None
    result = page.evaluate(
        """async (context) => {
            const options = {resultTypes: ["violations"], runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}};
            const r = await axe.run(context || document, options);
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200))}));
        }""",
        context,
    )
    return list(result)


def assert_accessible(page: Any, *, exclude: list[str] | None = None) -> None:
    """No serious or critical axe violation (labels on every control, contrast, names, roles...)."""
    blocking = [v for v in axe_violations(page, exclude=exclude) if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in blocking)
