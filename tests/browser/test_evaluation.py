"""In a real browser: an analyst designs an evaluation of Hospital to Home on A&E attendances, a mistake
is named on its field and kept, the corrected design runs as a job, and the result page shows the
effect, the balance table and the event-study chart. Every page checked with axe, on desktop and phone."""

from __future__ import annotations

import pytest

from homeward.evaluation.models import Evaluation
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.evaluation.conftest import make_history
from tests.jobs.helpers import run_jobs_at_once

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_measures_the_impact_of_hospital_to_home(browser, live_server, settings, monkeypatch):
    history = make_history()
    run_jobs_at_once(settings, monkeypatch)
    username = history["analyst"].user.username

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(60000)
    _sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/evaluation/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Design an evaluation").click()
    page.get_by_label("Outcome (a measure in the data)").fill("ae")
    page.get_by_label("Why this comparison is fair").fill("Same trust, same age bands, not referred.")
    page.get_by_role("button", name="Check and run").click()
    page.get_by_text("unknown outcome").first.wait_for()
    assert page.get_by_label("Why this comparison is fair").input_value().startswith("Same trust")
    assert axe_violations(page) == []
    screenshot(page, "evaluation-design-error")
    page.get_by_label("Outcome (a measure in the data)").fill("ae_attendances")
    page.get_by_label("Categories matched exactly (comma-separated columns)").fill("")
    page.get_by_label("Caliper (standard deviations; blank for none)").fill("")
    page.get_by_label("A comparison may stand in for more than one person").check()
    page.get_by_label("Run the robustness checks (placebo, calipers, pools, capped)").uncheck()
    page.get_by_role("button", name="Check and run").click()
    page.get_by_role("link", name="See the result").click()
    page.get_by_role("heading", name="Balance").wait_for()
    page.locator("#chart-event-study canvas, #chart-event-study svg").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "evaluation-result")
    evaluation = Evaluation.objects.get()
    body = page.content()
    for person in history["people"][:10]:
        assert person.nhs_number not in body and person.family_name not in body
    page.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    small = phone.new_page()
    small.set_default_timeout(60000)
    _sign_in(small, live_server, username)
    small.goto(f"{live_server.url}/evaluation/{evaluation.pk}/")
    small.get_by_role("heading", name="Balance").wait_for()
    assert axe_violations(small) == []
    screenshot(small, "evaluation-result-phone")
    phone.close()
