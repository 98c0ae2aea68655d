import pytest


@pytest.fixture(autouse=True)
def _shipped_unit_costs(request):
    """Transactional tests elsewhere empty every table, seeded reference data included; put it back."""
    if request.node.get_closest_marker("django_db"):
        from homeward.outcomes.unitcosts import ensure_seeded

        request.getfixturevalue("db")
        ensure_seeded()
