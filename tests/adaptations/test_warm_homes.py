"""The warm-homes check on a visit: recorded with what `engines.healthyhomes` makes of it (likely fuel poor
by LILEE; eligible for the local grant scheme in force, whose rules are data), shown on the visit with a
warm-homes referral through the referral model, and a bad answer re-shown (400) naming the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from homeward.adaptations import visits, warmth
from homeward.adaptations.healthy_models import WarmHomesCheck
from homeward.core.errors import NotFound, ValidationFailed
from homeward.engines.healthyhomes import LILEE_SOURCE

pytestmark = pytest.mark.django_db
EXAMPLE = Path(warmth.__file__).parents[1] / "engines/healthyhomes/data/example_scheme.yaml"
#: The shipped example runs from 1 Apr 2025 to 31 Mar 2026; a visit inside it.
VISITED = dt.date(2026, 1, 12)


@pytest.fixture
def visit(world):
    return visits.open_visit(
        actor=world.officer, person_id=world.applicant.pk, kind="home_safety", visited_on=VISITED
    )


def test_low_income_and_band_e_is_likely_fuel_poor_and_no_scheme_means_eligibility_not_checked(
    world, visit, settings
):
    settings.HOMEWARD_WARM_HOMES_SCHEME = ""
    check = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=visit.pk, epc_band="E", income_band="below_poverty_line"
    )
    assert check.likely_fuel_poor is True and check.scheme_eligible is None
    assert "EPC band E is in D–G: low energy efficiency." in check.fuel_poverty_reasons
    assert warmth.outcome(check) == (
        "Likely fuel poor (LILEE); no local grant scheme is loaded, so eligibility was not checked"
    )
    assert warmth.calls_for_referral(check)
    assert visit.events.filter(title="Warm-homes check recorded").exists()


def test_band_c_is_not_fuel_poor_and_not_enough_to_say_stays_unknown(world, visit, settings):
    settings.HOMEWARD_WARM_HOMES_SCHEME = ""
    band_c = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=visit.pk, epc_band="C", income_band="below_poverty_line"
    )
    unknown = warmth.record_warm_homes_check(actor=world.officer, visit_id=visit.pk, epc_band="F")
    benefit = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=visit.pk, epc_band="F", receives_means_tested_benefit=True
    )
    assert (band_c.likely_fuel_poor, unknown.likely_fuel_poor, benefit.likely_fuel_poor) == (
        False,
        None,
        True,
    )
    assert not warmth.calls_for_referral(band_c) and not warmth.calls_for_referral(unknown)
    assert "a proxy, not the residual-income test" in benefit.fuel_poverty_reasons


def test_eligibility_for_the_scheme_in_force_rule_by_rule_marked_as_an_example(world, visit, settings):
    settings.HOMEWARD_WARM_HOMES_SCHEME = str(EXAMPLE)
    eligible = warmth.record_warm_homes_check(
        actor=world.officer,
        visit_id=visit.pk,
        epc_band="D",
        tenure="owner_occupier",
        receives_means_tested_benefit=True,
    )
    assert eligible.scheme_eligible is True and eligible.scheme_illustrative
    assert "marked illustrative" in eligible.scheme_reasons
    assert "Met: epc_band is one of D, E, F, G (recorded: D)." in eligible.scheme_reasons
    assert warmth.outcome(eligible).endswith("(an example scheme, not a real one)")
    social = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=visit.pk, epc_band="D", tenure="social_tenant"
    )
    assert social.scheme_eligible is False
    missing = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=visit.pk, epc_band="D", tenure="private_tenant"
    )
    assert missing.scheme_eligible is None and "not recorded" in missing.scheme_reasons


def test_a_scheme_no_longer_in_force_is_not_eligible(world, settings):
    settings.HOMEWARD_WARM_HOMES_SCHEME = str(EXAMPLE)
    later = visits.open_visit(
        actor=world.officer, person_id=world.applicant.pk, kind="home_safety", visited_on=dt.date(2026, 4, 1)
    )
    check = warmth.record_warm_homes_check(
        actor=world.officer, visit_id=later.pk, epc_band="D", tenure="owner_occupier"
    )
    assert check.scheme_eligible is False and "Not in force on 1 Apr 2026" in check.scheme_reasons


def test_a_bad_answer_or_a_bad_scheme_file_is_named_and_nothing_is_written(world, visit, settings, tmp_path):
    settings.HOMEWARD_WARM_HOMES_SCHEME = ""
    with pytest.raises(ValidationFailed) as caught:
        warmth.record_warm_homes_check(actor=world.officer, visit_id=visit.pk, epc_band="H")
    assert "epc_band" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        warmth.record_warm_homes_check(actor=world.officer, visit_id=visit.pk, income_band="rich")
    assert "income_band" in caught.value.errors
    bad = tmp_path / "scheme.yaml"
    bad.write_text("format: homeward-grant-scheme/1\nname: X\n", encoding="utf-8")
    settings.HOMEWARD_WARM_HOMES_SCHEME = str(bad)
    with pytest.raises(ValidationFailed) as caught:
        warmth.record_warm_homes_check(actor=world.officer, visit_id=visit.pk, epc_band="D")
    assert "cannot be used" in caught.value.errors["scheme"] and "source" in caught.value.errors["scheme"]
    assert not WarmHomesCheck.objects.exists()


def test_an_organisation_without_an_agreement_cannot_record_a_check(world, visit):
    with pytest.raises(NotFound):
        warmth.record_warm_homes_check(actor=world.stranger, visit_id=visit.pk, epc_band="D")


def test_the_page_records_a_check_and_offers_a_warm_homes_referral(client, world, visit, settings):
    settings.HOMEWARD_WARM_HOMES_SCHEME = ""
    client.force_login(world.officer.user)
    url = f"/adaptations/visits/{visit.pk}/warm-homes/"
    assert f'href="{url}"' in client.get(f"/adaptations/visits/{visit.pk}/").content.decode()
    refused = client.post(url, {"epc_band": "Z", "income_band": "below_poverty_line"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "nhsuk-error-summary" in body and 'href="#id_epc_band"' in body
    assert 'value="below_poverty_line" selected' in body
    response = client.post(
        url, {"epc_band": "E", "income_band": "below_poverty_line", "receives_means_tested_benefit": ""}
    )
    assert response.status_code == 302
    page = client.get(f"/adaptations/visits/{visit.pk}/").content.decode()
    assert "Likely fuel poor (LILEE)" in page and LILEE_SOURCE[:40] in page
    assert (
        f"/referrals/new/{world.applicant.pk}/?source_type=adaptations.visit&amp;source_id={visit.pk}" in page
    )
    assert "Make a warm-homes referral" in page
