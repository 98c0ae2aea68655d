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
