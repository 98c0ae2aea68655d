"""Working days in England and Wales: weekends and bank holidays, for service-level agreements and
statutory clocks (pure Python, no Django; `homeward.casework.workdays` re-exports it).

Bank holidays follow the rules of the Banking and Financial Dealings Act 1971 and the annual royal
proclamations: New Year's Day, Good Friday, Easter Monday, the early May bank holiday (first Monday in May),
the spring bank holiday (last Monday in May), the summer bank holiday (last Monday in August), Christmas Day
and Boxing Day, each moved to the next weekday when it falls at a weekend. One-off changes announced by
proclamation are listed in `MOVED` and `EXTRA` (source: GOV.UK, "UK bank holidays", England and Wales).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

# Proclaimed changes: a rule-based date moved to another day that year.
MOVED: dict[dt.date, dt.date] = {
    dt.date(2020, 5, 4): dt.date(2020, 5, 8),  # early May bank holiday moved for VE Day 75
    dt.date(2022, 5, 30): dt.date(2022, 6, 2),  # spring bank holiday moved for the Platinum Jubilee
}
# Proclaimed extra bank holidays.
EXTRA: frozenset[dt.date] = frozenset(
    {
        dt.date(2022, 6, 3),  # Platinum Jubilee
        dt.date(2022, 9, 19),  # State funeral of Queen Elizabeth II
        dt.date(2023, 5, 8),  # Coronation of King Charles III
    }
)


def easter_sunday(year: int) -> dt.date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    day = (dt.date(year, month, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays of England and Wales in `year` (rules plus proclaimed changes)."""
    easter = easter_sunday(year)
    days = {
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    new_year = dt.date(year, 1, 1)
    days.add(new_year + dt.timedelta(days=(7 - new_year.weekday()) % 7 if new_year.weekday() >= 5 else 0))
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Christmas moves to Monday, Boxing Day to Tuesday
        days |= {christmas + dt.timedelta(days=2), boxing + dt.timedelta(days=2)}
    elif christmas.weekday() == 6:  # Sunday: Christmas moves to Tuesday; Boxing Day is Monday
        days |= {christmas + dt.timedelta(days=2), boxing}
    elif boxing.weekday() == 5:  # Friday Christmas: Boxing Day moves to Monday
        days |= {christmas, boxing + dt.timedelta(days=2)}
    else:
        days |= {christmas, boxing}
    days = {MOVED.get(day, day) for day in days}
    return frozenset(days | {day for day in EXTRA if day.year == year})


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (a Friday referral with 2 days' SLA is due on Tuesday)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`).

    The inverse of `add_working_days` on working days: working_days_between(d, add_working_days(d, n)) == n.
    """
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
