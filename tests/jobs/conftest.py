import pytest


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Jobs run in the test's own process unless a test starts a real worker."""
    settings.HOMEWARD_JOB_ISOLATION = "inline"
