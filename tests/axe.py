"""axe-core in the browser tests: inject it into a Playwright page and fail on any serious
or critical violation, printed so a person can fix it.

axe-core is vendored under tests/vendor/axe-core/ (version and source in its README).
Use: `check_page(page)` after the page has loaded; `violations(page)` to look yourself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")

RUN = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                              summary: n.failureSummary}))
  }));
}"""


def inject(page: Any) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))


def violations(page: Any, *, impacts: tuple[str, ...] = FAILING) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2 A/AA rules and best practices with these impacts."""
    inject(page)
    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
        },
        "resultTypes": ["violations"],
    }
    found = page.evaluate(RUN, options)
    return [v for v in found if v["impact"] in impacts]


def describe(found: list[dict[str, Any]], where: str) -> str:
    lines = [f"axe-core found {len(found)} serious or critical problem(s) on {where}:"]
    for v in found:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']}\n    {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"  - at {node['target']}\n    {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"  … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def check_page(page: Any, where: str = "") -> None:
    """Fail with a readable list when the page has serious or critical violations."""
    found = violations(page)
    assert not found, describe(found, where or page.url)
