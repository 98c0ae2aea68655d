"""Analytics by the identity's pseudonymised key (readmissions of tenants), and the case view (which other
parties are working with a linked person now). Identities are made directly, as a run would leave them."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io

import pytest
from django.conf import settings
from django.utils import timezone

from homeward.core.errors import NotFound
from homeward.core.models import Hospital, OrganisationKind, Property, Tenancy
from homeward.core.roles import Role
from homeward.discharge.models import DischargeCase
from homeward.governance.audit import AuditEvent
from homeward.linkage import analytics
from homeward.linkage.models import PersonIdentity
from homeward.linkage.selectors import analytics_keys, known_elsewhere
from homeward.people.timeline import KnownElsewhere
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor

pytestmark = pytest.mark.django_db
HELPED, NOT_HELPED = 6, 2  # identities in each group: the second is small, so hidden


def _case(patient, trust, landlord, hospital, user, *, housing, admitted, previous=None, status="closed"):
    return DischargeCase.objects.create(
        person=patient,
        organisation=trust,
        housing_organisation=housing,
        referred_by=user,
        hospital=hospital,
        referral_reason="Home",
        admitted_on=admitted,
        referred_at=timezone.now(),
        status=status,
        previous_case=previous,
    )


@pytest.fixture
def world(db):
    trust = OrganisationFactory(name="Outcome Trust", kind=OrganisationKind.NHS_TRUST)
    landlord = OrganisationFactory(name="Outcome Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    other_landlord = OrganisationFactory(name="Elsewhere Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    agreement = AgreementFactory(
        parties=[trust, landlord],
        purposes=["linkage", "analytics", "linked_parties"],
        linkage_fields=["given_name", "family_name", "date_of_birth"],
    )
    clinician = make_actor(Role.CLINICIAN, organisation=trust)
    hospital = Hospital.objects.create(organisation=trust, name="Outcome General")
    today = timezone.localdate()
    pairs = []
    for n in range(HELPED + NOT_HELPED):
        patient = PersonFactory(organisation=trust, family_name=f"Outcome{n}")
        tenant = PersonFactory(organisation=landlord, family_name=f"Outcome{n}", nhs_number="")
        prop = Property.objects.create(
            organisation=landlord,
            reference=f"O{n}",
            address_line_1=f"{n} Road",
            town="Town",
            postcode="M1 1AA",
            property_type="flat",
        )
        Tenancy.objects.create(
            person=tenant, property=prop, reference=f"T{n}", start_date=today, tenure="secure"
        )
        for person in (patient, tenant):
            PersonIdentity.objects.create(agreement=agreement, person=person, identity=f"P-{n:04d}")
        helped = n < HELPED
        first = _case(
            patient,
            trust,
            landlord,
            hospital,
            clinician.user,
            housing=landlord if helped else other_landlord,
            admitted=today - dt.timedelta(days=60),
        )
        if n % 2 == 0:  # half come back
            _case(
                patient,
                trust,
                landlord,
                hospital,
                clinician.user,
                housing=landlord if helped else other_landlord,
                admitted=today - dt.timedelta(days=40),
                previous=first,
            )
        pairs.append((patient, tenant))
    return {
        "trust": trust,
        "landlord": landlord,
        "agreement": agreement,
        "pairs": pairs,
        "analyst": make_actor(Role.ANALYST, organisation=landlord),
        "officer": make_actor(Role.CASEWORKER, organisation=landlord),
        "hospital": hospital,
        "clinician": clinician,
        "other_landlord": other_landlord,
    }


def test_each_linked_identity_has_one_keyed_pseudonym_for_both_parties_records(world):
    keys = analytics_keys(world["analyst"], world["agreement"])
    patient, tenant = world["pairs"][0]
    assert keys[patient.pk] == keys[tenant.pk]
    expected = hmac.new(
        settings.PSEUDONYM_KEY.encode(), b"linkage-identity:P-0000", hashlib.sha256
    ).hexdigest()
    assert keys[tenant.pk] == expected[:32]
    assert len(set(keys.values())) == HELPED + NOT_HELPED
    assert all(tenant.family_name.lower() not in k and patient.nhs_number not in k for k in keys.values())
    assert AuditEvent.objects.filter(purpose="Pseudonymised identity keys for analytics").count() == 1


def test_analytics_keys_need_an_agreement_naming_analytics_and_a_party_and_a_role_that_sees_pseudonyms(world):
    outsider = make_actor(Role.ANALYST, organisation=OrganisationFactory())
    with pytest.raises(NotFound):
        analytics_keys(outsider, world["agreement"])
    with pytest.raises(NotFound):  # a caseworker sees records, not analytics
        analytics_keys(world["officer"], world["agreement"])
    world["agreement"].purposes = ["linkage", "linked_parties"]
    world["agreement"].save()
    with pytest.raises(NotFound):
        analytics_keys(world["analyst"], world["agreement"])


def test_readmissions_are_counted_per_identity_key_and_small_groups_are_hidden(world):
    outcomes = analytics.tenant_readmissions(world["analyst"], world["agreement"])
    helped = [o for o in outcomes if o.group == analytics.HELPED]
    assert len(helped) == HELPED and sum(o.readmissions for o in helped) == HELPED // 2
    assert all(o.stays == (2 if o.readmissions else 1) for o in outcomes)
    groups = {g.group: g for g in analytics.summarise(outcomes)}
    assert groups[analytics.HELPED].identities == HELPED and groups[analytics.HELPED].readmitted is None  # 3
    assert groups[analytics.NOT_HELPED].identities is None  # 2 people: hidden
    assert {o.group for o in analytics.exportable_rows(outcomes)} == {analytics.HELPED}


def test_the_analyst_page_and_csv_show_keys_and_counts_never_names(world, client):
    client.force_login(world["analyst"].user)
    page = client.get("/linkage/analytics/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="readmissions"' in body
    assert world["pairs"][0][1].family_name not in body
    export = client.get(f"/linkage/analytics/{world['agreement'].pk}/readmissions.csv")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    summary = {r["group"]: r for r in rows if r["section"] == "summary"}
    assert summary["helped"]["identities"] == str(HELPED) and summary["not_helped"]["identities"] == "*"
    keyed = [r for r in rows if r["section"] == "identity"]
    assert len(keyed) == HELPED and all(len(r["identity_key"]) == 32 for r in keyed)
    text = export.content.decode()
    for patient, tenant in world["pairs"]:
        assert patient.family_name not in text and patient.nhs_number not in text


def test_the_analyst_page_refuses_another_organisation_and_names_a_bad_agreement(world, client):
    outsider = make_actor(Role.ANALYST, organisation=OrganisationFactory())
    client.force_login(outsider.user)
    assert client.get(f"/linkage/analytics/?agreement={world['agreement'].pk}").status_code == 404
    assert client.get(f"/linkage/analytics/{world['agreement'].pk}/readmissions.csv").status_code == 404
    client.force_login(world["analyst"].user)
    bad = client.get("/linkage/analytics/?agreement=abc")
    assert bad.status_code == 400 and "Choose one of the agreements" in bad.content.decode()
    client.force_login(world["officer"].user)
    assert client.get("/linkage/analytics/").status_code == 404


def test_the_case_view_shows_which_other_party_is_working_with_the_person_now(world, client):
    patient, tenant = world["pairs"][0]  # closed cases only: known, not working with them now
    officer = world["officer"]
    assert known_elsewhere(officer, tenant.pk) == [KnownElsewhere("Outcome Trust", False)]
    client.force_login(officer.user)
    page = client.get(f"/people/{tenant.pk}/").content.decode()
    assert "Also known to Outcome Trust" in page and 'id="working-now"' not in page
    _case(
        patient,
        world["trust"],
        world["landlord"],
        world["hospital"],
        world["clinician"].user,
        housing=world["other_landlord"],
        admitted=timezone.localdate(),
        status="active",
    )
    assert known_elsewhere(officer, tenant.pk) == [KnownElsewhere("Outcome Trust", True)]
    page = client.get(f"/people/{tenant.pk}/").content.decode()
    assert 'id="working-now"' in page and "Outcome General" not in page  # who, never what or where
    # Without the linked-parties purpose, nothing.
    world["agreement"].purposes = ["linkage", "analytics"]
    world["agreement"].save()
    assert known_elsewhere(officer, tenant.pk) == []
    assert "Also known to" not in client.get(f"/people/{tenant.pk}/").content.decode()
