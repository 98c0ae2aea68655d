import pytest

from tests.jobs.helpers import run_jobs_at_once


@pytest.fixture(autouse=True)
def _shipped_unit_costs(request):
    """Transactional tests elsewhere empty every table, seeded reference data included; put it back."""
    if request.node.get_closest_marker("django_db"):
        from homeward.outcomes.unitcosts import ensure_seeded

        request.getfixturevalue("db")
        ensure_seeded()


@pytest.fixture(autouse=True)
def _jobs_at_once(settings, monkeypatch):
    """The What if? form queues a background job; here it has run by the time the page answers."""
    run_jobs_at_once(settings, monkeypatch)
