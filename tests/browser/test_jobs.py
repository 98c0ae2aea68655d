"""In a real browser on a phone: the Jobs page lists jobs, polls a running one, and shows a failed job's
error and a cancel button, at 390 px wide with no sideways scrolling. Checked with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeward.core.roles import Role
from homeward.jobs.models import Job, JobStatus
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_hospital_to_home import _sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_jobs_page_on_a_phone_shows_progress_errors_and_cancel(browser, live_server):
    homes = OrganisationFactory(name="Riverside Homes")
    lead = MembershipFactory(organisation=homes, role=Role.TEAM_LEAD, user=UserFactory(username="lead"))
    now = timezone.now()
    failed = Job.objects.create(
        organisation=homes,
        created_by=lead.user,
        membership=lead,
        kind="prevention.import_events",
        label="Import housing events from september-extracts",
        status=JobStatus.FAILED,
        error="tenancies.csv, row 12, column start_date: not a date",
        message="Failed; nothing was saved",
        created_at=now,
        finished_at=now,
    )
    running = Job.objects.create(
        organisation=homes,
        created_by=lead.user,
        membership=lead,
        kind="outcomes.simulation",
        label="Simulation: Our service, December 2026",
        status=JobStatus.RUNNING,
        progress_done=40,
        progress_total=200,
        message="40 of 200 replications run",
        created_at=now,
        started_at=now,
    )
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    page = phone.new_page()
    page.set_default_timeout(15000)
    try:
        _sign_in(page, live_server, "lead")
        assert page.locator('a[href="/jobs/"]').count() >= 1  # "Jobs" is in the navigation
        page.goto(f"{live_server.url}/jobs/")
        page.get_by_text("tenancies.csv, row 12, column start_date: not a date").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/jobs/{running.pk}/")
        page.get_by_text("40 of 200 replications run").wait_for()
        # The page polls: progress written elsewhere appears without a reload.
        Job.objects.filter(pk=running.pk).update(progress_done=120, message="120 of 200 replications run")
        page.get_by_text("120 of 200 replications run").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(page) == []
        page.get_by_role("button", name="Cancel this job").click()
        page.get_by_text("will stop at its next step").wait_for()
        assert Job.objects.get(pk=running.pk).cancel_requested
        page.goto(f"{live_server.url}/jobs/{failed.pk}/")
        page.get_by_role("heading", name="This job failed").wait_for()
        assert axe_violations(page) == []
        screenshot(page, "jobs-failed-phone")
    finally:
        phone.close()
