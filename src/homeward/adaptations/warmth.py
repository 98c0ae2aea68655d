"""The warm-homes check on a visit: the app records what the household and the home are like and asks
`engines.healthyhomes` whether the household is likely fuel poor (Low Income Low Energy Efficiency, LILEE)
and whether it is eligible for the local grant scheme in force, whose rules are data with their source and
dates (`HOMEWARD_WARM_HOMES_SCHEME`, a `homeward-grant-scheme/1` file). The app decides nothing itself.

A check that says "likely fuel poor" or "eligible" is followed by a warm-homes referral, made from the visit
page through the referral model (`referrals`, source `adaptations.visit`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from pydantic import ValidationError

from homeward.adaptations.healthy_models import WarmHomesCheck
from homeward.adaptations.visits import _audit, locked_visit, visit_event
from homeward.core.errors import ValidationFailed, check_choice
from homeward.engines.healthyhomes import (
    EpcBand,
    GrantScheme,
    HealthyHomesInputError,
    HouseholdTenure,
    MainHeating,
    assess_fuel_poverty,
    check_eligibility,
    load_scheme,
)
from homeward.engines.healthyhomes import WarmHomesCheck as EngineCheck
from homeward.engines.issues import issues_from
from homeward.governance.access import Actor

MAX_CHECKS = 20


class IncomeBand(models.TextChoices):
    """The household's income band as the check records it, against the poverty line (LILEE's low-income
    test: residual income after housing costs and required energy costs below the official poverty line)."""

    BELOW = "below_poverty_line", "Below the poverty line after housing and energy costs"
    NOT_BELOW = "not_below_poverty_line", "Not below the poverty line after housing and energy costs"
    NOT_KNOWN = "not_known", "Not known"


EPC_CHOICES = [(band.value, f"Band {band.value}") for band in EpcBand]
HEATING_CHOICES = [(h.value, h.value.replace("_", " ").capitalize()) for h in MainHeating]
TENURE_CHOICES = [(t.value, t.value.replace("_", " ").capitalize()) for t in HouseholdTenure]
BAND_TO_ENGINE = {IncomeBand.BELOW: True, IncomeBand.NOT_BELOW: False, IncomeBand.NOT_KNOWN: None}


def current_scheme() -> GrantScheme | None:
    """The local grant scheme the organisation runs, from its file; None when none is set. A file that
    cannot be read or is not a valid scheme is a configuration error, named with its path."""
    path = str(getattr(settings, "HOMEWARD_WARM_HOMES_SCHEME", "") or "")
    if not path:
        return None
    try:
        return load_scheme(Path(path))
    except HealthyHomesInputError as exc:
        problems = "; ".join(f"{i.path or 'file'}: {i.message}" for i in exc.issues)
        raise ValidationFailed.single(
            "scheme", f"The local grant scheme file {path} cannot be used: {problems}"
        ) from None


def _age(born, day) -> int:  # type: ignore[no-untyped-def]
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def record_warm_homes_check(
    *,
    actor: Actor,
    visit_id: int,
    epc_band: str = "",
    main_heating: str = "",
    tenure: str = "",
    income_band: str = IncomeBand.NOT_KNOWN,
    annual_household_income: Decimal | None = None,
    receives_means_tested_benefit: bool | None = None,
    health_condition_worsened_by_cold: bool | None = None,
) -> WarmHomesCheck:
    """Record a warm-homes check on a visit with the engine's outcome: likely fuel poor (True, False or not
    enough to say) and eligibility for the local grant scheme in force, each with its reasons."""
    visit = locked_visit(actor, visit_id)
    errors: dict[str, str] = {}
    for field, value, choices in (
        ("epc_band", epc_band, EpcBand),
        ("main_heating", main_heating, MainHeating),
        ("tenure", tenure, HouseholdTenure),
    ):
        known = [member.value for member in choices]
        if value and value not in known:
            errors[field] = f"'{value}' is not one of: {', '.join(known)}"
    check_choice(errors, "income_band", income_band, IncomeBand)
    if visit.warm_homes_checks.count() >= MAX_CHECKS:
        errors["epc_band"] = f"A visit has at most {MAX_CHECKS} warm-homes checks"
    if errors:
        raise ValidationFailed(errors)
    day = visit.visited_on
    born = visit.person.date_of_birth
    try:
        check = EngineCheck(
            check_date=day,
            epc_band=EpcBand(epc_band) if epc_band else None,
            main_heating=MainHeating(main_heating) if main_heating else None,
            tenure=HouseholdTenure(tenure) if tenure else None,
            residual_income_below_poverty_line=BAND_TO_ENGINE[IncomeBand(income_band)],
            annual_household_income=annual_household_income,
            receives_means_tested_benefit=receives_means_tested_benefit,
            oldest_occupant_age=min(_age(born, day), 130) if born else None,
            health_condition_worsened_by_cold=health_condition_worsened_by_cold,
        )
    except ValidationError as exc:
        raise ValidationFailed({i.path or "epc_band": i.message for i in issues_from(exc)}) from None
    fuel = assess_fuel_poverty(check)
    scheme = current_scheme()
    eligibility = check_eligibility(scheme, check) if scheme else None
    saved = WarmHomesCheck.objects.create(
        visit=visit,
        checked_on=day,
        epc_band=epc_band,
        main_heating=main_heating,
        tenure=tenure,
        income_band=income_band,
        annual_household_income=annual_household_income,
        receives_means_tested_benefit=receives_means_tested_benefit,
        health_condition_worsened_by_cold=health_condition_worsened_by_cold,
        likely_fuel_poor=fuel.likely_fuel_poor,
        fuel_poverty_reasons="\n".join(fuel.reasons)[:2000],
        scheme_name=eligibility.scheme if eligibility else "",
        scheme_source=eligibility.source[:1000] if eligibility else "",
        scheme_illustrative=eligibility.illustrative if eligibility else False,
        scheme_eligible=eligibility.eligible if eligibility else None,
        scheme_reasons="\n".join(eligibility.reasons)[:4000] if eligibility else "",
        recorded_by=actor.user,
        recorded_at=timezone.now(),
    )
    visit_event(visit, actor, "Warm-homes check recorded", outcome(saved))
    _audit(actor, visit, "Record a warm-homes check", saved)
    return saved


def outcome(check: WarmHomesCheck) -> str:
    """The check's outcome in words, as the visit page and the timeline say it."""
    fuel = {True: "Likely fuel poor", False: "Not likely fuel poor", None: "Not enough to say if fuel poor"}
    words = fuel[check.likely_fuel_poor] + " (LILEE)"
    if not check.scheme_name:
        return words + "; no local grant scheme is loaded, so eligibility was not checked"
    elig = {True: "eligible for", False: "not eligible for", None: "not enough to say if eligible for"}
    example = " (an example scheme, not a real one)" if check.scheme_illustrative else ""
    return f"{words}; {elig[check.scheme_eligible]} {check.scheme_name}{example}"


def calls_for_referral(check: WarmHomesCheck) -> bool:
    """A warm-homes referral follows a household likely fuel poor or eligible for the scheme."""
    return bool(check.likely_fuel_poor or check.scheme_eligible)
