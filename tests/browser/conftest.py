"""Real browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Without /usr/bin/chromium they are skipped with a loud message, except in CI (HOMEWARD_REQUIRE_BROWSER=1),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "src/homeward/web/static/vendor/axe/axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MISSING = (
    "BROWSER TESTS SKIPPED: Debian chromium is not installed. Install it with "
    "`apt-get install -y chromium` (CI installs it in .ci/run)."
)


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("HOMEWARD_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(MISSING.replace("SKIPPED", "REQUIRED"))
    warnings.warn(MISSING, stacklevel=1)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (shipped via npm, not fetched) on the current page; return serious/critical violations.

    Loaded from Homeward's own static files, as the Content-Security-Policy refuses an inline script."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.add_script_tag(url=f"{origin}/static/vendor/axe/{AXE.name}")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    # A full-page capture of a tall page (Swagger UI) can take longer than the default wait on a busy machine;
    # the picture is evidence, not the thing under test.
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=60000)
