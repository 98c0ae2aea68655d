"""Nothing from outside at run time: the NHS.UK stylesheet Homeward serves names no external host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from homeward.web.assets import localise

SHEET = Path(__file__).resolve().parents[2] / "src/homeward/web/static/vendor/nhsuk/nhsuk-frontend.min.css"
UPSTREAM = (
    "@font-face{font-family:Frutiger W01;src:url(https://assets.nhs.uk/fonts/FrutigerLTW01-55Roman.woff2) "
    'format("woff2")}body{font-family:Frutiger W01,Arial,sans-serif}'
    ".x{background:url(/assets/images/nhsuk-icon-cross.svg)}"
)


def test_without_the_font_files_the_font_face_goes_and_the_system_fonts_are_used():
    css = localise(UPSTREAM, {})
    assert "assets.nhs.uk" not in css and "@font-face" not in css
    assert "Arial,sans-serif" in css and "url(assets/images/nhsuk-icon-cross.svg)" in css


def test_with_the_font_files_they_are_served_by_homeward():
    css = localise(UPSTREAM, {"FrutigerLTW01-55Roman.woff2": Path("x")})
    assert "url(fonts/FrutigerLTW01-55Roman.woff2)" in css and "https:" not in css


@pytest.mark.skipif(not SHEET.exists(), reason="run `make assets` first")
def test_the_built_stylesheet_names_no_external_host():
    assert not re.search(r"url\(['\"]?(https?:)?//", SHEET.read_text(encoding="utf-8"))
