"""Working days in England and Wales: re-exported from the pure calendar in `homeward.engines.workdays`.

The calendar lives with the engines so that engines (the DFG and Awaab's Law clocks) can use it without
importing casework; casework code keeps importing it from here.
"""

from homeward.engines.workdays import (
    EXTRA,
    MOVED,
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_between,
)

__all__ = [
    "EXTRA",
    "MOVED",
    "add_working_days",
    "bank_holidays",
    "easter_sunday",
    "is_working_day",
    "working_days_between",
]
