"""axe-core in a Playwright page: the accessibility findings of what the page shows now.

axe-core is installed from the npm registry at the version pinned in package.json (`make
assets`); its script is put into the page under test, which loads nothing of it by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
"""A finding of these impacts fails a test, whatever its rule."""

ALWAYS_BLOCKING = frozenset({"page-has-heading-one"})
"""Rules that fail a test whatever their impact (axe rates a missing <h1> moderate)."""

RUN = """async (exclude) => {
  const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
  const result = await window.axe.run(context, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact ?? "",
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html.slice(0, 200),
      summary: (n.failureSummary ?? "").replace(/\\s+/g, " ").trim(),
    })),
  }));
}"""


@dataclass(frozen=True)
class Violation:
    """One rule axe found broken, with the elements that break it."""

    rule: str
    impact: str
    help: str
    nodes: tuple[dict[str, str], ...]

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING_IMPACTS or self.rule in ALWAYS_BLOCKING

    def __str__(self) -> str:
        lines = [f"{self.rule} ({self.impact}): {self.help}"]
        lines += [f"  {n['target']}: {n['summary']}\n    {n['html']}" for n in self.nodes[:5]]
        if len(self.nodes) > 5:
            lines.append(f"  … and {len(self.nodes) - 5} more")
        return "\n".join(lines)


class Axe:
    """Runs axe-core in a page. `check(page, state)` is the bar of the page's tests: no finding
    of impact serious or critical, and none of `page-has-heading-one`."""

    def __init__(self, script: Path = AXE_SCRIPT) -> None:
        if not script.exists():
            raise FileNotFoundError(f"{script} is missing: `make assets` installs axe-core")
        self.source = script.read_text(encoding="utf-8")

    def violations(self, page: Page, *, exclude: tuple[str, ...] = ()) -> list[Violation]:
        """Every rule broken in the page now (elements matching `exclude` left out)."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)  # evaluated, not a <script>: the page's CSP allows none
        found: list[dict[str, Any]] = page.evaluate(RUN, list(exclude))
        return [Violation(v["rule"], v["impact"], v["help"], tuple(v["nodes"])) for v in found]

    def check(self, page: Page, state: str) -> list[Violation]:
        """Fails with every blocking finding of the page in `state` (a name for the message);
        returns the findings that do not block, for a test to look at."""
        found = self.violations(page)
        blocking = [v for v in found if v.blocking]
        assert not blocking, f"axe in the state '{state}':\n" + "\n".join(map(str, blocking))
        return found
