import pytest

from tests.jobs.helpers import run_jobs_at_once


@pytest.fixture(autouse=True)
def _jobs_at_once(settings, monkeypatch):
    """ "Score now" queues a background job; here it has run by the time the page answers."""
    run_jobs_at_once(settings, monkeypatch)
