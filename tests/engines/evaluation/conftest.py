from __future__ import annotations

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """These fits are small: BLAS threads on a shared machine cost more than they save."""
    with threadpool_limits(1):
        yield
