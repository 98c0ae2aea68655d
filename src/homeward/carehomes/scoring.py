"""Early-warning scores as versioned data: a scheme's bands turn a set of observations into points, and the
total at or above its trigger score is a deterioration. Homeward ships no points (the terms of the Royal
College of Physicians' NEWS2 chart were not checked and its points are not in the repository's standards
folder): it ships NEWS2's structure only (data/early_warning/, which parameters it scores and where it is
published), which cannot be turned on; an organisation loads the bands of a scheme whose terms allow it,
with its source, and its administrator turns it on.

A score is never computed from partial data: a parameter the scheme scores that was not taken gives no
score at all (None), and so does a value no band covers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from homeward.carehomes.codes import Consciousness, ScoredParameter
from homeward.carehomes.models import EarlyWarningBand, EarlyWarningScheme, SchemeInUse
from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.core.validators import check_date
from homeward.governance.access import Actor
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction

#: Parameters scored by category rather than by a numeric range, and the categories each may name.
CATEGORIES: dict[str, set[str]] = {
    ScoredParameter.CONSCIOUSNESS: set(Consciousness.values),
    ScoredParameter.ON_OXYGEN: {"yes", "no"},
}
MAX_POINTS = 10
MAX_BANDS = 100
#: Published schemes whose structure Homeward ships (no bands, no points), loaded by migration 0006.
SHIPPED = Path(__file__).parent / "data" / "early_warning"


def _category(parameter: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    if parameter == ScoredParameter.ON_OXYGEN:
        return "yes" if value else "no"
    return str(value)


def score(bands: Iterable[EarlyWarningBand], values: Mapping[str, Any]) -> int | None:
    """The total points for `values` (parameter -> measurement) under the scheme's `bands`, or None when a
    parameter the scheme scores is missing or no band covers its value."""
    by_parameter: dict[str, list[EarlyWarningBand]] = defaultdict(list)
    for band in bands:
        by_parameter[band.parameter].append(band)
    if not by_parameter:
        return None
    total = 0
    for parameter, its_bands in by_parameter.items():
        if parameter in CATEGORIES:
            category = _category(parameter, values.get(parameter))
            if category is None:
                return None
            match = [b for b in its_bands if b.value == category]
        else:
            raw = values.get(parameter)
            if raw is None:
                return None
            value = Decimal(str(raw))
            match = [
                b
                for b in its_bands
                if (b.low is None or b.low <= value) and (b.high is None or value <= b.high)
            ]
        if not match:
            return None
        total += match[0].points
    return total


def scheme_for(organisation_id: int) -> EarlyWarningScheme | None:
    """The scheme the organisation turned on, if any."""
    in_use = SchemeInUse.objects.filter(organisation_id=organisation_id).select_related("scheme").first()
    return in_use.scheme if in_use else None


def _decimal(errors: dict[str, str], field: str, raw: Any) -> Decimal | None:
    """A band edge: blank is open-ended; otherwise a number below 10,000 with at most one decimal place
    (the bands table keeps one, as observations do)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        errors[field] = "Must be a number"
        return None
    if not value.is_finite() or abs(value) >= 10000:
        errors[field] = "Must be a number below 10,000"
        return None
    if value != value.quantize(Decimal("0.1")):
        errors[field] = "At most one decimal place"
        return None
    return value


def _check_bands(bands: list[dict[str, Any]], errors: dict[str, str]) -> list[EarlyWarningBand]:
    """The bands as rows to store; each problem is keyed `bands[i].<column>` (i counts from 0), and a
    clash between two bands (an overlap, a category twice) is under `bands`, naming both rows (from 1)."""
    out: list[tuple[int, EarlyWarningBand]] = []
    if not bands:
        errors["bands"] = "A scheme needs at least one band"
    if len(bands) > MAX_BANDS:
        errors["bands"] = f"At most {MAX_BANDS} bands"
        return []
    for i, row in enumerate(bands):
        field = f"bands[{i}]"
        parameter = str(row.get("parameter") or "").strip()
        points = row.get("points")
        if parameter not in ScoredParameter.values:
            errors[f"{field}.parameter"] = (
                f"Unknown parameter {parameter!r}: use one of {', '.join(ScoredParameter.values)}"
                if parameter
                else "Give the parameter"
            )
            continue
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_POINTS:
            errors[f"{field}.points"] = f"Points must be a whole number from 0 to {MAX_POINTS}"
            continue
        value, low, high = str(row.get("value") or "").strip(), None, None
        if parameter in CATEGORIES:
            if value not in CATEGORIES[parameter]:
                errors[f"{field}.value"] = f"Choose one of {', '.join(sorted(CATEGORIES[parameter]))}"
            for edge in ("low", "high"):
                if str(row.get(edge) or "").strip():
                    errors[f"{field}.{edge}"] = f"Leave blank: {parameter} is scored by its value"
        else:
            if value:
                errors[f"{field}.value"] = f"Leave blank: {parameter} is scored by low and high"
            low, high = (
                _decimal(errors, f"{field}.low", row.get("low")),
                _decimal(errors, f"{field}.high", row.get("high")),
            )
            if low is not None and high is not None and high < low:
                errors[f"{field}.high"] = "The top of a band cannot be below its bottom"
        band = EarlyWarningBand(parameter=parameter, low=low, high=high, value=value, points=points)
        out.append((i, band))
    # Bands of one parameter must not overlap, or a value would score twice.
    ranges: dict[str, list[tuple[int, EarlyWarningBand]]] = defaultdict(list)
    for i, band in out:
        ranges[band.parameter].append((i, band))
    for parameter, its in ranges.items():
        if parameter in CATEGORIES:
            seen: dict[str, int] = {}
            for i, band in its:
                if band.value in seen:
                    errors.setdefault(
                        "bands",
                        f"Rows {seen[band.value] + 1} and {i + 1} both score {parameter} {band.value}",
                    )
                seen.setdefault(band.value, i)
            continue
        its.sort(key=lambda pair: (pair[1].low is not None, pair[1].low or 0))
        for (i, before), (j, after) in zip(its, its[1:], strict=False):
            if before.high is None or (after.low is not None and after.low <= before.high):
                first, second = sorted((i + 1, j + 1))
                errors.setdefault("bands", f"Bands of {parameter} overlap: rows {first} and {second}")
    return [band for _, band in out]


def _check_structure(name: str, checked: list[EarlyWarningBand], errors: dict[str, str]) -> None:
    """A new version of a scheme whose structure is shipped (NEWS2) must band every parameter it scores:
    a scheme missing one would score from partial data."""
    structures = EarlyWarningScheme.objects.filter(name=name.strip(), bands__isnull=True)
    wanted = {p for s in structures for p in s.parameters}
    missing = sorted(wanted - {band.parameter for band in checked})
    if checked and missing:
        them = "it" if len(missing) == 1 else "them"
        errors.setdefault(
            "bands", f"{name.strip()} also scores {', '.join(missing)}: there are no bands for {them}"
        )


@transaction.atomic
def load_scheme(
    *,
    name: str,
    version: str,
    source: str,
    licence: str,
    in_force_from: dt.date,
    trigger_score: int,
    bands: list[dict[str, Any]],
) -> EarlyWarningScheme:
    """Store a scheme's bands as a new version (a code list, so not tied to one organisation). The source
    and the terms that allow its use are required: an uncitable scheme is refused."""
    errors: dict[str, str] = {}
    for field, value, limit in (("name", name, 100), ("version", version, 40)):
        if not value.strip():
            errors[field] = f"Give the scheme's {field}"
        elif len(value) > limit:
            errors[field] = f"Must be {limit} characters or fewer"
    for field, value, what in (
        ("source", source, "where it is published"),
        ("licence", licence, "its terms"),
    ):
        if not value.strip():
            errors[field] = f"Say {what}: Homeward does not use an uncited scheme"
        elif len(value) > 500:
            errors[field] = "Must be 500 characters or fewer"
    if not 0 < trigger_score <= MAX_POINTS * len(ScoredParameter.values):
        errors["trigger_score"] = "The trigger score must be a positive total the bands can reach"
    check_date(errors, "in_force_from", in_force_from, label="Date in force")
    checked = _check_bands(bands, errors)
    _check_structure(name, checked, errors)
    if EarlyWarningScheme.objects.filter(name=name.strip(), version=version.strip()).exists():
        errors.setdefault("version", "That version of the scheme is already loaded")
    if errors:
        raise ValidationFailed(errors)
    scheme = EarlyWarningScheme.objects.create(
        name=name.strip(),
        version=version.strip(),
        source=source.strip(),
        licence=licence.strip(),
        in_force_from=in_force_from,
        trigger_score=trigger_score,
        parameters=sorted({band.parameter for band in checked}),
    )
    for band in checked:
        band.scheme = scheme
    EarlyWarningBand.objects.bulk_create(checked)
    return scheme


def read_structure(path: Path) -> dict[str, Any]:
    """A shipped scheme's structure (name, version, source, terms, date in force, parameters it scores),
    checked: a structure without a source is refused, and it carries no bands or points."""
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = [key for key in ("name", "version", "source", "licence", "in_force_from") if not data.get(key)]
    unknown = [p for p in data.get("parameters", []) if p not in ScoredParameter.values]
    if problems or unknown or "bands" in data or "trigger_score" in data:
        raise ValueError(f"{path.name}: missing {problems}, unknown parameters {unknown}, or points shipped")
    data["in_force_from"] = dt.date.fromisoformat(data["in_force_from"])
    return data


def load_structures(scheme_model: Any = EarlyWarningScheme, directory: Path = SHIPPED) -> int:
    """Store every shipped structure not stored yet (the data migration passes its historical model)."""
    added = 0
    for path in sorted(directory.glob("*.json")):
        data = read_structure(path)
        if not scheme_model.objects.filter(name=data["name"], version=data["version"]).exists():
            scheme_model.objects.create(**data)
            added += 1
    return added


def has_rules(scheme: EarlyWarningScheme) -> bool:
    """Whether the scheme has bands and a trigger score loaded (a shipped structure has neither)."""
    count = getattr(scheme, "band_count", None)
    has_bands = count > 0 if count is not None else scheme.bands.exists()
    return has_bands and scheme.trigger_score is not None


def schemes_to_choose() -> QuerySet[EarlyWarningScheme]:
    """Every loaded scheme version, with how many bands it has (0: no rules loaded)."""
    return EarlyWarningScheme.objects.annotate(band_count=Count("bands")).order_by("name", "-in_force_from")


@transaction.atomic
def turn_on_scheme(*, actor: Actor, scheme_id: int | None) -> SchemeInUse | None:
    """An organisation's administrator turns a scheme on for its homes (or off, with None). Observations
    recorded from then on are scored; earlier ones keep what they had. A scheme with no rules loaded (a
    shipped structure) is refused: Homeward never scores without citable points."""
    actor.require(Permission.MANAGE_ORGANISATION)
    in_use, scheme = None, None
    if scheme_id is not None:
        scheme = EarlyWarningScheme.objects.filter(pk=scheme_id).first()
        if scheme is None:
            raise NotFound("No scheme with that id")
        if scheme.in_force_from > timezone.localdate():
            raise ValidationFailed.single(
                "scheme_id", f"{scheme} comes into force on {scheme.in_force_from:%-d %b %Y}"
            )
        if not has_rules(scheme):
            raise ValidationFailed.single(
                "scheme_id",
                f"{scheme} has no rules loaded (no bands or points), so it cannot be turned on; "
                "load its bands with their source first",
            )
    SchemeInUse.objects.filter(organisation_id=actor.organisation_id).delete()
    if scheme_id is not None:
        assert scheme is not None
        in_use = SchemeInUse.objects.create(
            organisation_id=actor.organisation_id, scheme=scheme, turned_on_by=actor.user
        )
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        purpose="Turn an early-warning scheme on or off",
        detail={"scheme_id": scheme_id},
    )
    return in_use
