"""In a real browser: a team lead proposes a business case from casework, changes an assumption with a
reason, adds a scenario, compares, and reads the report with its charts drawn. Every page checked with axe."""

from __future__ import annotations

import pytest

from homeward.outcomes.models import BusinessCase
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.outcomes.test_business_cases import _history
from tests.outcomes.test_simulator import service  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_build_adjust_compare_and_report_a_business_case(page, live_server, service):  # noqa: F811
    _history(service)
    _sign_in(page, live_server, service["lead"].user.username)
    page.get_by_role("link", name="Business cases").first.click()
    page.get_by_label("Name").fill("Ward housing officers")
    # Care homes' proposer is listed too (and sorts first).
    page.get_by_label("Service", exact=True).select_option("hospital_to_home")
    page.get_by_label("Evidence from").fill("2026-04-01")
    page.get_by_label("Evidence to").fill("2026-09-30")
    page.get_by_label("Cost of the service each year (£)").fill("80000")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Propose from casework").click()
    page.get_by_role("heading", name="Ward housing officers").wait_for()
    page.get_by_text("For every £1 that").first.wait_for()
    assert axe_violations(page) == []

    page.get_by_label("Assumption").select_option("outcomes[1].deadweight")
    page.get_by_label("New value").fill("1.5")
    page.get_by_label("Why are you changing it?").fill("Typo on purpose")
    page.get_by_role("button", name="Change and re-appraise").click()
    page.get_by_text("must be between 0 and 1 (got 1.5)").first.wait_for()
    page.get_by_label("New value").fill("0.3")
    page.get_by_label("Why are you changing it?").fill("Audit: 30% would not have been readmitted anyway")
    page.get_by_role("button", name="Change and re-appraise").click()
    page.get_by_text("Audit: 30% would not have been readmitted anyway").first.wait_for()

    page.get_by_label("Scenario name").fill("Two more officers")
    page.get_by_role("button", name="Add a scenario").click()
    page.get_by_text("Scenario of Ward housing officers").wait_for()
    page.get_by_role("link", name="Compare the scenarios side by side").click()
    page.get_by_role("heading", name="Scenarios side by side").wait_for()
    assert axe_violations(page) == []

    base = BusinessCase.objects.get(parent=None)
    page.goto(f"{live_server.url}/outcomes/business-cases/{base.pk}/report/")
    for name in (
        "Benefits by agency",
        "Cumulative cash flow and payback",
        "Distribution of net present value",
    ):
        chart = page.get_by_role("img", name=name)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100, name
    assert page.locator("svg[aria-label] .mark-rect path, svg[aria-label] .mark-line path").count() > 5
    screenshot(page, "business-case-report")
    assert axe_violations(page) == []
