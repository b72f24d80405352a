"""The browser the end-to-end tests drive: Debian's Chromium, headless, through Playwright (conftest.py
loads these fixtures for every test module)."""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Reports each Content-Security-Policy violation of the page to the console. One kind is left out: Unpoly
# parses every response into a detached document (DOMParser), which inherits the page's policy, and
# Chromium reports its stylesheets there as style-src-elem violations of the document itself, although
# that document is never shown and the page's own stylesheets load; axe-core, which the tests load, does the
# same with the admin's pages. An inline <style> or style="" on the page, or a callback run through eval
# (script-src), is still reported.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  const parsedDetached = event.violatedDirective === 'style-src-elem' && event.target instanceof Document
    && (event.sourceFile.includes('/unpoly/') || event.sourceFile.includes('/axe-core/'))
  if (parsedDetached) return
  const target = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 200) : String(event.target)
  console.error(`CSP violation: ${event.violatedDirective} by ${target} (${event.sourceFile}:${event.lineNumber})`)
}, true)
"""


@pytest.fixture(scope="module")
def browser(need):
    chromium = need("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, tmp_path):
    """A page that fails its test on any Content-Security-Policy violation (the project sends a strict one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: violations.append(f"{page.url}: {message.text}") if "CSP violation" in message.text else None,
    )
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        screenshot = tmp_path / "failure.png"
        page.screenshot(path=screenshot, full_page=True)
        print(f"\nScreenshot of the failing page: {screenshot}")
    context.close()
    assert not violations, "the page broke its Content-Security-Policy:\n" + "\n".join(violations)
