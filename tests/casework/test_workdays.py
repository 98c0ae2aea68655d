"""England and Wales bank holidays and working days, against the GOV.UK published lists."""

from __future__ import annotations

import datetime as dt

from homeward.casework.workdays import add_working_days, bank_holidays, easter_sunday, is_working_day

D = dt.date


def test_2026_bank_holidays_match_gov_uk():
    assert sorted(bank_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 8, 31),
        D(2026, 12, 25),
        D(2026, 12, 28),  # Boxing Day is a Saturday: substitute Monday
    ]


def test_proclaimed_changes_and_weekend_substitutes():
    assert {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)} <= bank_holidays(2022)
    assert D(2022, 5, 30) not in bank_holidays(2022)
    assert D(2023, 5, 8) in bank_holidays(2023)
    assert {D(2022, 12, 26), D(2022, 12, 27)} <= bank_holidays(2022)  # Christmas on a Sunday
    assert D(2023, 1, 2) in bank_holidays(2023)  # New Year's Day on a Sunday
    assert easter_sunday(2027) == D(2027, 3, 28)


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(D(2026, 12, 28))
    assert add_working_days(D(2026, 11, 27), 2) == D(2026, 12, 1)  # Friday + 2 → Tuesday
    assert add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)  # over Christmas and the substitute day
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)  # Thursday before Easter → Tuesday after
