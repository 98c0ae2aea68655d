"""`{{ value|gbp }}`: pounds with thousands separators and the minus sign before the £ (−£70,252)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def gbp(value: Any, places: int = 0) -> str:
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"£{abs(number):,.{int(places)}f}"
    return f"−{text}" if round(number, int(places)) < 0 else text


@register.filter
def percent(value: Any, places: int = 1) -> str:
    """A fraction as a percentage to `places` decimals, trailing zeros dropped: 0.035 -> "3.5%", 0.1 -> "10%"
    (Django's `widthratio` rounds to whole numbers, which turned a 3.5% discount rate into "4%")."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value) * 100
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:.{int(places)}f}".rstrip("0").rstrip(".") if int(places) > 0 else f"{number:.0f}"
    return f"{'0' if text in ('-0', '') else text}%"


@register.filter
def quantity(value: Any) -> str:
    """A number for people to read: thousands separators, decimals by size (0.035, 12.5, 476.9 – never
    "476.9043"), no exponent (a value too large to be plausible shows as "out of range")."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{k} {quantity(v)}" for k, v in value.items() if k != "dist")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number or abs(number) >= 1e15:
        return "out of range"
    places = 4 if abs(number) < 1 else 2 if abs(number) < 100 else 1
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def points(value: Any) -> str:
    """A difference of two shares in percentage points: -0.332 -> "−33.2 points"."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value) * 100
    except (TypeError, ValueError):
        return str(value)
    return f"{'−' if number < -0.05 else '+' if number > 0.05 else ''}{abs(number):.1f} points"
