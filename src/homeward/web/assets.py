"""Make the NHS.UK frontend stylesheet load nothing from outside Homeward (run by `make assets`).

The npm package's CSS asks for the Frutiger web fonts at https://assets.nhs.uk/fonts/ and for its icons at
the site root (/assets/images/...). A ward PC behind a strict proxy, or an offline machine, waits seconds for
fonts that never come. This rewrites the copied stylesheet so that:

- each font comes from Homeward's static files when the package ships the font file (copied next to the
  CSS), and otherwise its @font-face rule is dropped, so the page uses the stack's system fonts (Arial,
  sans-serif) at once;
- icons are read relative to the stylesheet, from the package's assets copied beside it.

Standard library only: `python3 src/homeward/web/assets.py <vendor/nhsuk dir> <node_modules/nhsuk-frontend>`.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

EXTERNAL = re.compile(r"url\((['\"]?)(https?:)?//[^)]*\)")
FONT_FACE = re.compile(r"@font-face\s*{[^}]*}")
FONT_URL = re.compile(r"url\((['\"]?)https?://[^)]*/fonts/([^)'\"/]+)\1\)")


def localise(css: str, fonts_found: dict[str, Path]) -> str:
    """The stylesheet with no external URL: local fonts where found, else no @font-face; icons relative."""

    def font_face(match: re.Match[str]) -> str:
        rule = match.group(0)
        names = [m.group(2) for m in FONT_URL.finditer(rule)]
        if names and all(name in fonts_found for name in names):
            return FONT_URL.sub(lambda m: f"url(fonts/{m.group(2)})", rule)
        return "" if EXTERNAL.search(rule) else rule

    css = FONT_FACE.sub(font_face, css)
    css = css.replace("url(/assets/", "url(assets/")
    leftover = EXTERNAL.search(css)
    if leftover:
        raise SystemExit(f"An external URL is still in the stylesheet: {leftover.group(0)}")
    return css


def main(vendor: Path, package: Path) -> None:
    sheet = vendor / "nhsuk-frontend.min.css"
    fonts = {path.name: path for path in package.rglob("*.woff*")}
    if fonts:
        (vendor / "fonts").mkdir(exist_ok=True)
        for name, path in fonts.items():
            shutil.copy(path, vendor / "fonts" / name)
    sheet.write_text(localise(sheet.read_text(encoding="utf-8"), fonts), encoding="utf-8")
    print(f"{sheet}: {len(fonts)} font file(s) served locally; no external URLs")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
