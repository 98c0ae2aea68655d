"""In a real browser, the main pages work under Homeward's strict Content-Security-Policy (self only, no
inline script or style, no eval): NHS.UK frontend scripts run, htmx loads, Vega charts draw, Swagger UI and
ReDoc render from the vendored packages, and the console shows no CSP violation."""

from __future__ import annotations

import pytest

from homeward.demo import DEMO_PASSWORD, seed_demo
from homeward.discharge.models import DischargeCase
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation, reported by the page itself (the init script runs outside the page's CSP).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched(page):
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if message.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    page.add_init_script(LISTEN)
    return page, console


def _check(page, console, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    csp_console = [m for m in console if "Content Security Policy" in m or "page error" in m]
    assert violations == [] and csp_console == [], f"{url}: {violations} {csp_console}"
    console.clear()
    return page


def test_main_pages_work_under_the_csp_with_no_violation(watched, live_server):
    page, console = watched
    seed_demo(people=60)
    page.goto(f"{live_server.url}/account/sign-in/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Homeward").wait_for()
    base = live_server.url

    _check(page, console, f"{base}/")
    # The NHS.UK frontend's script ran from its static file: the body is marked and components started.
    assert "js-enabled" in page.evaluate("document.body.className")
    assert page.evaluate("typeof htmx") == "object"

    page = _check(page, console, f"{base}/discharge/")
    case = DischargeCase.objects.filter(organisation__name__icontains="trust").order_by("pk").first()
    case = case or DischargeCase.objects.order_by("pk").first()
    _check(page, console, f"{base}/discharge/cases/{case.pk}/")
    _check(page, console, f"{base}/people/{case.person_id}/")

    _check(page, console, f"{base}/discharge/dashboard/")
    # Vega-Lite drew every chart on canvas, with the expression interpreter instead of eval.
    for name in ("referrals", "bed_days", "destinations"):
        canvas = page.locator(f"#chart-{name} canvas")
        canvas.wait_for()
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 80, name
    screenshot(page, "csp-dashboard")
    _check(page, console, f"{base}/outcomes/kpis/")

    _check(page, console, f"{base}/api/v1/docs")
    page.locator(".swagger-ui .info .title").get_by_text("Homeward API").wait_for()
    page.locator(".opblock").first.wait_for()
    screenshot(page, "csp-swagger")
    _check(page, console, f"{base}/api/v1/redoc")
    page.get_by_role("heading", name="Homeward API").first.wait_for()
    screenshot(page, "csp-redoc")
    for docs in ("/fhir/R4/docs", "/openreferral/docs"):
        _check(page, console, f"{base}{docs}")
        page.locator(".opblock").first.wait_for()
