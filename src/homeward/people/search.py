"""Parse one search box into name, date of birth and NHS number terms.

Staff type what they have: "smith", "jo smith", "j s", "12/03/1950", "943 476 5919", "smith 1950-03-12",
"M1 1AA", "smith m11aa".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from homeward.core.errors import ValidationFailed

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_NHS_RE = re.compile(r"^\d{3}[\s-]?\d{3}[\s-]?\d{4}$")
# A full UK postcode, with or without its space: outward code (A9, A99, A9A, AA9, AA99, AA9A) then inward.
_POSTCODE_RE = re.compile(r"(?<![\w])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(\d[A-Za-z]{2})(?![\w])")
MAX_QUERY = 100


@dataclass
class SearchTerms:
    names: list[str] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    nhs_number: str | None = None
    postcode: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.names or self.date_of_birth or self.nhs_number or self.postcode)

    def describe(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.names:
            out["name"] = " ".join(self.names)
        if self.date_of_birth:
            out["date_of_birth"] = self.date_of_birth.isoformat()
        if self.nhs_number:
            out["nhs_number"] = self.nhs_number
        if self.postcode:
            out["postcode"] = self.postcode
        return out


def parse_query(query: str) -> SearchTerms:
    text = (query or "").strip()
    if len(text) > MAX_QUERY:
        raise ValidationFailed.single("q", f"Search must be {MAX_QUERY} characters or fewer")
    terms = SearchTerms()
    compact = re.sub(r"[\s-]", "", text)
    if _NHS_RE.match(text) or (compact.isdigit() and len(compact) == 10):
        terms.nhs_number = compact
        return terms
    postcode = _POSTCODE_RE.search(text)
    if postcode:
        terms.postcode = f"{postcode.group(1)} {postcode.group(2)}".upper()
        text = (text[: postcode.start()] + " " + text[postcode.end() :]).strip()
    for token in text.split():
        parsed = _parse_date(token)
        if parsed is not None:
            if terms.date_of_birth is not None:
                raise ValidationFailed.single("q", "Enter only one date of birth")
            terms.date_of_birth = parsed
        elif re.fullmatch(r"[^\W\d_][\w'’.-]*", token):
            terms.names.append(token.lower())
        elif any(ch.isdigit() for ch in token):
            raise ValidationFailed.single(
                "q",
                f"'{token}' is not a date of birth (use 31/12/1950), a postcode (M1 1AA) "
                "or a 10-digit NHS number",
            )
        else:
            raise ValidationFailed.single("q", f"'{token}' is not a name, date of birth or NHS number")
    if len(terms.names) > 3:
        raise ValidationFailed.single("q", "Enter at most a first name and a last name")
    return terms


def _parse_date(token: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(token, fmt).date()
        except ValueError:
            continue
    return None
