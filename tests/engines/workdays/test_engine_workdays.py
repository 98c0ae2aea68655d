"""The pure working-day calendar (`homeward.engines.workdays`): counting working days, proclaimed changes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from homeward.casework import workdays as casework_workdays
from homeward.engines.workdays import add_working_days, bank_holidays, is_working_day, working_days_between

D = dt.date


def test_casework_re_exports_the_engine_calendar():
    assert casework_workdays.add_working_days is add_working_days
    assert casework_workdays.bank_holidays is bank_holidays


def test_moved_and_extra_bank_holidays_are_not_working_days():
    # 2022: spring bank holiday moved to Thu 2 June, extra Platinum Jubilee Fri 3 June, state funeral 19 Sept.
    assert add_working_days(D(2022, 6, 1), 1) == D(2022, 6, 6)
    assert is_working_day(D(2022, 5, 30))
    assert working_days_between(D(2022, 9, 16), D(2022, 9, 20)) == 1  # Fri → Tue, the funeral Monday skipped
    # 2023: coronation Mon 8 May, after the early May bank holiday Mon 1 May.
    assert working_days_between(D(2023, 4, 28), D(2023, 5, 9)) == 5
    # 2020: the early May bank holiday moved to Fri 8 May (VE Day 75); Mon 4 May was a working day.
    assert is_working_day(D(2020, 5, 4)) and not is_working_day(D(2020, 5, 8))


def test_working_days_between_counts_after_start_up_to_and_including_end():
    assert working_days_between(D(2026, 11, 27), D(2026, 12, 1)) == 2  # Fri → Tue
    assert working_days_between(D(2026, 12, 1), D(2026, 11, 27)) == -2
    assert working_days_between(D(2026, 12, 24), D(2026, 12, 29)) == 1  # Christmas, substitute Boxing Day
    assert working_days_between(D(2026, 3, 7), D(2026, 3, 7)) == 0


@given(start=st.dates(D(2019, 1, 1), D(2030, 12, 31)), days=st.integers(0, 40))
def test_counting_undoes_adding(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or is_working_day(end)
