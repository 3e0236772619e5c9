"""axe-core checks for browser tests: ``assert_accessible(page)`` fails on serious or critical violations.

The vendored ``tests/vendor/axe.min.js`` is evaluated in the page through the DevTools protocol
(``page.evaluate``), which the page's Content-Security-Policy (``script-src 'self'``) does not govern, so pages are
checked with their real CSP on. Add a page to the suite by loading it and calling::

    from tests.e2e.a11y import assert_accessible

    page.goto(f"{live_server.url}/stations/")
    assert_accessible(page)
"""

from pathlib import Path

AXE_SOURCE_PATH = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.0/2.1 A and AA, plus axe's best practices (landmarks, one h1, heading order).
DEFAULT_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_axe_source = None


def _axe():
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_SOURCE_PATH.read_text(encoding="utf-8")
    return _axe_source


def axe_results(page, *, tags=None, exclude=None):
    """Run axe-core on the loaded page and return its raw results (``violations``, ``passes``, …)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe() + "\n;undefined")
    context = {"exclude": exclude} if exclude else None
    return page.evaluate(
        """async ([context, tags]) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            return await window.axe.run(context || document, options);
        }""",
        [context, tags or DEFAULT_TAGS],
    )


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)


def assert_accessible(page, *, tags=None, exclude=None, impacts=FAILING_IMPACTS):
    """Fail with a readable list when axe finds violations of the given impacts on the current page."""
    results = axe_results(page, tags=tags, exclude=exclude)
    bad = [v for v in results["violations"] if v["impact"] in impacts]
    assert not bad, f"axe-core found {len(bad)} violation(s) on {page.url}:\n{format_violations(bad)}"
    return results
