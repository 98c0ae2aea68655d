"""Merging two records of one person inside one organisation, and splitting them again: every row that
points at the merged record moves to the survivor and back, nothing is deleted, other organisations get 404,
bad input names the field and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase, AwaabReport, HomeVisit
from homeward.carehomes.models import CareHome, Resident
from homeward.core.errors import NotAllowed, NotFound, ValidationFailed
from homeward.core.models import Hospital, OrganisationKind, Property, Tenancy
from homeward.core.roles import Role
from homeward.discharge.models import Attendance, DischargeCase
from homeward.governance.audit import AuditEvent
from homeward.governance.models import ConsentRecord, PersonCorrection
from homeward.governance.subject_access import export_subject_access
from homeward.housing.models import OptionsConversation, PeoplePlaceCase, Placement, Scheme
from homeward.linkage.models import LinkageRun, LinkPair, PersonIdentity, TenantInHospitalAlert
from homeward.people import merges, selectors
from homeward.people.merging import person_references
from homeward.people.models import PersonMerge
from homeward.prevention.models import Concern, RiskAlert, RiskRun
from homeward.reablement.models import Referral as ReablementReferral
from homeward.reablement.models import Unit as ReablementUnit
from homeward.referrals.models import Referral
from homeward.support.models import SupportCase
from tests.factories import AgreementFactory, OrganisationFactory, PersonFactory, make_actor, share_case

pytestmark = pytest.mark.django_db

#: Every foreign key to Person. A new one fails this test: check that a merge moves its rows correctly (or
#: register a mover in people.merging), then add it here and to `_rows_for` below.
EXPECTED_REFERENCES = {
    "adaptations.AdaptationCase.person",
    "adaptations.AwaabReport.person",
    "adaptations.HomeVisit.person",
    "carehomes.Resident.person",
    "core.Tenancy.person",
    "discharge.Attendance.person",
    "discharge.DischargeCase.person",
    "governance.ConsentRecord.person",
    "governance.Participation.person",
    "governance.PersonCorrection.person",
    "housing.OptionsConversation.person",
    "housing.PeoplePlaceCase.person",
    "housing.Placement.person",
    "linkage.LinkPair.left",
    "linkage.LinkPair.right",
    "linkage.PersonIdentity.person",
    "linkage.TenantInHospitalAlert.patient",
    "linkage.TenantInHospitalAlert.tenant",
    "prevention.Concern.person",
    "prevention.RiskAlert.person",
    "reablement.Referral.person",
    "referrals.Referral.person",
    "support.SupportCase.person",
}


def test_every_foreign_key_to_a_person_is_known_to_the_merge():
    found = {f"{model._meta.label}.{field}" for model, field in person_references()}
    assert found == EXPECTED_REFERENCES


def _rows_for(person, *, actor, partner, agreement, partner_record):
    """One row of every kind pointing at `person` (a partner's correction only when asked)."""
    org, user, today, now = person.organisation, actor.user, timezone.localdate(), timezone.now()
    hospital = Hospital.objects.create(organisation=org, name=f"General {person.pk}")
    case = DischargeCase.objects.create(
        person=person,
        organisation=org,
        housing_organisation=org,
        referred_by=user,
        hospital=hospital,
        referral_reason="Stairs",
        admitted_on=today - dt.timedelta(days=3),
        referred_at=now,
        status="active",
    )
    prop = Property.objects.create(
        organisation=org,
        reference=f"P{person.pk}",
        address_line_1="1 Road",
        town="Town",
        postcode="M1 1AA",
        property_type="flat",
    )
    run = LinkageRun.objects.create(agreement=agreement, organisation=org, started_at=now)
    left, right = sorted((person.pk, partner_record.pk))
    rows = [
        case,
        Attendance.objects.create(
            person=person,
            organisation=org,
            hospital=hospital,
            arrived_at=now,
            complaint="Fall",
            needs=["housing"],
            recorded_by=user,
        ),
        Tenancy.objects.create(
            person=person, property=prop, reference=f"T{person.pk}", start_date=today, tenure="secure"
        ),
        ConsentRecord.objects.create(
            person=person,
            organisation=org,
            purpose="share_with_housing",
            status="given",
            lawful_basis="6.1.a",
            recorded_at=now,
            recorded_by=user,
        ),
        share_case(person, partner, case_type="discharge.case", case_id=case.pk),
        PersonCorrection.objects.create(
            person=person,
            organisation=partner,
            proposed_by=user,
            proposed_at=now,
            changes={"preferred_name": "Q"},
            status="rejected",
        ),
        Referral.objects.create(
            person=person,
            from_organisation=org,
            referred_by=user,
            to_organisation=partner,
            service_kind="money_advice",
            reason="Debt",
            requested_at=now,
        ),
        AdaptationCase.objects.create(
            person=person,
            organisation=org,
            opened_by=user,
            opened_at=now,
            source="ot",
            tenure="owner_occupier",
            needs="Shower",
            address="1 Road",
            enquiry_received_on=today,
        ),
        HomeVisit.objects.create(
            person=person,
            organisation=org,
            address="1 Road",
            visited_on=today,
            visited_by=user,
            recorded_at=now,
        ),
        AwaabReport.objects.create(
            person=person,
            organisation=org,
            hazard="emergency",
            address="1 Road",
            description="Leak",
            aware_at=now - dt.timedelta(hours=2),
            opened_by=user,
            opened_at=now,
        ),
        SupportCase.objects.create(
            person=person, organisation=org, route="gp", referred_on=today, opened_at=now, worker=user
        ),
        PeoplePlaceCase.objects.create(
            person=person, organisation=org, opened_by=user, opened_on=today, help=["gp_visit"]
        ),
        Concern.objects.create(
            person=person, organisation=org, raised_by=user, raised_at=now, category="cold_home", seen="Cold"
        ),
        RiskAlert.objects.create(
            organisation=org,
            run=RiskRun.objects.create(
                organisation=org,
                ran_at=now,
                as_of=today,
                mode="rules",
                threshold=40,
                tenancies=1,
                alerts_raised=1,
            ),
            tenancy_ref=f"T{person.pk}",
            person=person,
            raised_on=today,
            score=50,
            reasons=["x"],
        ),
        LinkPair.objects.create(
            agreement=agreement,
            run=run,
            left_id=left,
            right_id=right,
            match_weight=12,
            match_probability=0.9999,
            status="linked",
            created_at=now,
        ),
        _identity_after_rebuild(agreement, person),
        TenantInHospitalAlert.objects.create(
            agreement=agreement,
            organisation=org,
            tenant=person,
            patient=partner_record,
            hospital_name="Partner General",
            admitted_on=today,
            source=f"discharge.case:{case.pk}",
            raised_at=now,
        ),
    ]
    rows += _rows_of_the_stay_apps(person, org, user, today, now)
    return {(type(row)._meta.label, row.pk) for row in rows}


def _rows_of_the_stay_apps(person, org, user, today, now) -> list:
    """A care-home residency, a supported-housing placement and options conversation, and a reablement
    referral: made directly, as the access matrix's world makes them."""
    home = CareHome.objects.create(organisation=org, name=f"Home {person.pk}", kind="nursing")
    scheme = Scheme.objects.create(
        organisation=org, name=f"House {person.pk}", scheme_type="hostel", staffing="24_7", contracted_units=1
    )
    unit = ReablementUnit.objects.create(
        organisation=org,
        name=f"Court {person.pk}",
        address="Ward 9",
        commissioned_beds=2,
        staffing_model="care_24_7",
    )
    return [
        Resident.objects.create(
            person=person, home=home, admitted_on=today, funding="self_funded", created_by=user
        ),
        Placement.objects.create(
            person=person,
            organisation=org,
            scheme=scheme,
            source="homelessness_team",
            needs="Sleeping rough",
            referred_on=today,
            opened_by=user,
            opened_at=now,
        ),
        OptionsConversation.objects.create(
            person=person,
            organisation=org,
            adviser=user,
            held_on=today,
            scores={"space": 1},
            what_matters="Family nearby",
            options=["no_change"],
        ),
        ReablementReferral.objects.create(
            person=person,
            organisation=org,
            unit=unit,
            referred_by=user,
            referred_at=now,
            source="acute_ward",
            status="referred",
            reason="Fall",
            goals="Stairs",
            lawful_basis="6.1.a",
            consent_status="given",
        ),
    ]


def _identity_after_rebuild(agreement, person):
    from homeward.linkage import identities

    identities.rebuild(agreement)  # the confirmed pair becomes an identity, as after a run
    return PersonIdentity.objects.get(agreement=agreement, person=person)


def _pointing_at(person):
    found = set()
    for model, field in person_references():
        for pk in model._default_manager.filter(**{field: person.pk}).values_list("pk", flat=True):
            found.add((model._meta.label, pk))
    return found


@pytest.fixture
def two_records(db):
    landlord = OrganisationFactory(name="Merge Homes", kind=OrganisationKind.HOUSING_PROVIDER)
    trust = OrganisationFactory(name="Merge Trust", kind=OrganisationKind.NHS_TRUST)
    agreement = AgreementFactory(
        parties=[landlord, trust],
        purposes=["direct_care", "linkage", "linked_parties"],
        linkage_fields=["given_name", "family_name", "date_of_birth"],
    )
    lead = make_actor(Role.TEAM_LEAD, organisation=landlord)
    born = dt.date(1950, 3, 2)
    survivor = PersonFactory(organisation=landlord, given_name="June", family_name="Ali", date_of_birth=born)
    merged = PersonFactory(
        organisation=landlord, given_name="June", family_name="Ali", date_of_birth=born, nhs_number=""
    )
    patient = PersonFactory(organisation=trust, given_name="June", family_name="Ali", date_of_birth=born)
    return {
        "lead": lead,
        "survivor": survivor,
        "merged": merged,
        "patient": patient,
        "agreement": agreement,
        "landlord": landlord,
        "trust": trust,
    }


def test_a_merge_then_split_restores_both_records_with_their_cases(two_records):
    w = two_records
    lead, survivor, merged = w["lead"], w["survivor"], w["merged"]
    # The survivor has its own case; the merged record one row of every kind (its pair with the patient).
    own = DischargeCase.objects.create(
        person=survivor,
        organisation=w["landlord"],
        housing_organisation=w["landlord"],
        referred_by=lead.user,
        hospital=Hospital.objects.create(organisation=w["landlord"], name="Own"),
        referral_reason="Own",
        admitted_on=timezone.localdate(),
        referred_at=timezone.now(),
    )
    merged_rows = _rows_for(
        merged, actor=lead, partner=w["trust"], agreement=w["agreement"], partner_record=w["patient"]
    )
    assert {label for label, _ in merged_rows} == {r.rsplit(".", 1)[0] for r in EXPECTED_REFERENCES}
    survivor_rows = _pointing_at(survivor)
    before = _pointing_at(merged)

    merge = merges.merge_people(
        actor=lead, survivor_id=survivor.pk, merged_id=merged.pk, reason="Registered twice"
    )

    assert _pointing_at(merged) == set()  # every row moved: none forgotten
    assert _pointing_at(survivor) == survivor_rows | before
    assert {(label, row["pk"]) for label, rows in merge.moves.items() for row in rows} == before
    assert merge.kept == {}
    merged.refresh_from_db()  # nothing deleted: the record is kept, marked merged
    assert merges.standing_merge_of(merged.pk) == merge
    assert merged.pk not in [p.pk for p in selectors.search_people(actor=lead, query="Ali")]
    assert survivor.pk in [p.pk for p in selectors.search_people(actor=lead, query="Ali")]
    # The linkage pair is now the survivor's, in order, and the identity followed it.
    pair = LinkPair.objects.get(agreement=w["agreement"])
    assert {pair.left_id, pair.right_id} == {survivor.pk, w["patient"].pk} and pair.left_id < pair.right_id
    identity = PersonIdentity.objects.get(agreement=w["agreement"], person=w["patient"]).identity
    assert PersonIdentity.objects.get(agreement=w["agreement"], person=survivor).identity == identity
    assert not PersonIdentity.objects.filter(agreement=w["agreement"], person=merged).exists()

    merges.split_merge(actor=lead, merge_id=merge.pk, reason="Twins, not one person")

    assert _pointing_at(merged) == before
    assert _pointing_at(survivor) == survivor_rows
    # The identity keeps its id through the merge and the split.
    assert PersonIdentity.objects.get(agreement=w["agreement"], person=merged).identity == identity
    assert DischargeCase.objects.get(pk=own.pk).person_id == survivor.pk
    assert merges.standing_merge_of(merged.pk) is None
    assert merged.pk in [p.pk for p in selectors.search_people(actor=lead, query="Ali")]
    events = AuditEvent.objects.filter(object_type="people.personmerge")
    assert sorted(events.values_list("person_id", flat=True)) == sorted([survivor.pk, merged.pk] * 2)


def test_a_row_added_to_the_survivor_after_the_merge_stays_with_it_on_split(two_records):
    w = two_records
    merge = merges.merge_people(
        actor=w["lead"], survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="Twice"
    )
    later = share_case(w["survivor"], w["trust"])
    merges.split_merge(actor=w["lead"], merge_id=merge.pk, reason="Not the same")
    later.refresh_from_db()
    assert later.person_id == w["survivor"].pk


def test_another_organisation_cannot_merge_or_split_and_gets_not_found(two_records):
    w = two_records
    outsider = make_actor(Role.TEAM_LEAD, organisation=w["trust"])
    with pytest.raises(NotFound):
        merges.merge_people(
            actor=outsider, survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="x"
        )
    with pytest.raises(NotFound):  # a record of another organisation, even with the actor's own
        merges.merge_people(
            actor=w["lead"], survivor_id=w["survivor"].pk, merged_id=w["patient"].pk, reason="x"
        )
    merge = merges.merge_people(
        actor=w["lead"], survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="x"
    )
    with pytest.raises(NotFound):
        merges.split_merge(actor=outsider, merge_id=merge.pk, reason="x")


def test_a_caseworker_may_not_merge(two_records):
    w = two_records
    caseworker = make_actor(Role.CASEWORKER, organisation=w["landlord"])
    with pytest.raises(NotAllowed):
        merges.merge_people(
            actor=caseworker, survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="x"
        )


@pytest.mark.parametrize(
    "problem, field",
    [
        ("no_reason", "reason"),
        ("long_reason", "reason"),
        ("same", "merged"),
        ("pending_correction", "merged"),
        ("different_nhs", "merged"),
        ("already_merged", "merged"),
    ],
)
def test_a_refused_merge_names_the_field_and_writes_nothing(two_records, problem, field):
    w = two_records
    survivor, merged, reason = w["survivor"], w["merged"], "Registered twice"
    if problem == "no_reason":
        reason = "  "
    if problem == "long_reason":
        reason = "x" * 501
    if problem == "same":
        merged = survivor
    if problem == "pending_correction":
        PersonCorrection.objects.create(
            person=merged,
            organisation=w["trust"],
            proposed_by=w["lead"].user,
            proposed_at=timezone.now(),
            changes={"preferred_name": "J"},
        )
    if problem == "different_nhs":
        merged.nhs_number = "9990000026"
        merged.save()
    if problem == "already_merged":
        third = PersonFactory(organisation=w["landlord"])
        merges.merge_people(actor=w["lead"], survivor_id=third.pk, merged_id=merged.pk, reason="Earlier")
    case = share_case(merged, w["trust"])
    count = PersonMerge.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        merges.merge_people(actor=w["lead"], survivor_id=survivor.pk, merged_id=merged.pk, reason=reason)
    assert field in refused.value.errors
    assert PersonMerge.objects.count() == count
    case.refresh_from_db()
    assert case.person_id == merged.pk


def test_a_split_twice_is_refused(two_records):
    w = two_records
    merge = merges.merge_people(
        actor=w["lead"], survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="x"
    )
    merges.split_merge(actor=w["lead"], merge_id=merge.pk, reason="Not one person")
    with pytest.raises(ValidationFailed) as refused:
        merges.split_merge(actor=w["lead"], merge_id=merge.pk, reason="Again")
    assert "merge" in refused.value.errors


def test_the_merge_is_on_both_timelines_and_in_the_subject_access_export(two_records, client):
    w = two_records
    merge = merges.merge_people(
        actor=w["lead"], survivor_id=w["survivor"].pk, merged_id=w["merged"].pk, reason="Twice"
    )
    ig = make_actor(Role.IG_OFFICER, organisation=w["landlord"])
    for person in (w["survivor"], w["merged"]):
        document = export_subject_access(actor=ig, person_id=person.pk)
        assert document["merges"][0]["survivor"] == w["survivor"].pk
        assert document["merges"][0]["moved"] == {k: [r["pk"] for r in v] for k, v in merge.moves.items()}
    client.force_login(w["lead"].user)
    page = client.get(f"/people/{w['survivor'].pk}/").content.decode()
    assert f"Record {w['merged'].pk} merged into this record" in page
    assert f'action="/people/{w["survivor"].pk}/merges/{merge.pk}/split/"' in page


def test_the_merge_pages_compare_confirm_and_split(two_records, client):
    w = two_records
    survivor, merged = w["survivor"], w["merged"]
    client.force_login(w["lead"].user)
    choose = client.get(f"/people/{survivor.pk}/merge/")
    assert choose.status_code == 200 and f"?other={merged.pk}" in choose.content.decode()
    compare = client.get(f"/people/{survivor.pk}/merge/?other={merged.pk}")
    page = compare.content.decode()
    assert compare.status_code == 200 and f"Record {merged.pk}" in page and "Which record stays?" in page
    refused = client.post(
        f"/people/{survivor.pk}/merge/", {"other": merged.pk, "survivor": survivor.pk, "reason": ""}
    )
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()
    assert not PersonMerge.objects.exists()
    done = client.post(
        f"/people/{survivor.pk}/merge/", {"other": merged.pk, "survivor": merged.pk, "reason": "Same person"}
    )
    assert done.status_code == 302 and done["Location"] == f"/people/{merged.pk}/"  # the chosen survivor
    merge = PersonMerge.objects.get()
    assert merge.survivor_id == merged.pk and merge.merged_id == survivor.pk
    old = client.get(f"/people/{survivor.pk}/")  # the merged record's old address sends you on
    assert old.status_code == 302 and old["Location"] == f"/people/{merged.pk}/"
    split = client.post(f"/people/{merged.pk}/merges/{merge.pk}/split/", {"reason": "Two people"})
    assert split.status_code == 302
    merge.refresh_from_db()
    assert merge.split_at is not None
    assert client.get(f"/people/{survivor.pk}/").status_code == 200


def test_a_bad_other_record_number_is_named_and_another_organisations_record_is_not_found(
    two_records, client
):
    w = two_records
    client.force_login(w["lead"].user)
    bad = client.get(f"/people/{w['survivor'].pk}/merge/?other=abc")
    assert bad.status_code == 400 and "Enter the record number" in bad.content.decode()
    assert client.get(f"/people/{w['survivor'].pk}/merge/?other={w['patient'].pk}").status_code == 404
    outsider = make_actor(Role.TEAM_LEAD, organisation=w["trust"])
    client.force_login(outsider.user)
    assert client.get(f"/people/{w['survivor'].pk}/merge/").status_code == 404
