"""Person linkage in the workspace: runs only under an agreement naming it, reviewers see only the
agreement's fields, identities keep their ids, and landlords hear when a tenant is in hospital."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Role
from homeward.governance import services as governance
from homeward.governance.models import AgreementStatus, AuditEvent
from homeward.linkage import services
from homeward.linkage.codes import PairStatus
from homeward.linkage.models import LinkPair, PersonIdentity, TenantInHospitalAlert
from homeward.linkage.runs import link_agreement
from homeward.linkage.selectors import linked_organisations, open_alerts
from tests.factories import PASSWORD, AgreementFactory, OrganisationFactory, PersonFactory
from tests.linkage.conftest import actor


def _identities(agreement) -> dict[int, str]:
    return dict(PersonIdentity.objects.filter(agreement=agreement).values_list("person_id", "identity"))


def test_an_agreement_names_linkage_and_the_fields_it_may_compare(db):
    ig = actor(OrganisationFactory(), Role.IG_OFFICER)
    other = OrganisationFactory()
    base = {
        "actor": ig,
        "title": "Linkage",
        "party_ids": [ig.organisation_id, other.pk],
        "purpose": "Match records",
        "lawful_basis": "6.1.e",
        "data_categories": ["identifiers"],
        "start_date": timezone.localdate(),
    }
    cases = [
        ({"purposes": ["direct_care"], "linkage_fields": ["family_name"]}, "linkage_fields"),
        ({"purposes": ["tenant_in_hospital"]}, "purposes"),
        ({"purposes": ["linkage"], "linkage_fields": ["family_name", "postcode"]}, "linkage_fields"),
        ({"purposes": ["linkage"], "linkage_fields": ["family_name", "favourite_colour"]}, "linkage_fields"),
        ({"purposes": []}, "purposes"),
    ]
    for n, (extra, field) in enumerate(cases):
        with pytest.raises(ValidationFailed) as refused:
            governance.create_agreement(reference=f"L-{n}", **base, **extra)
        assert field in refused.value.errors, (extra, refused.value.errors)
    made = governance.create_agreement(
        reference="L-ok", **base, purposes=["linkage"], linkage_fields=["family_name", "date_of_birth"]
    )
    assert made.allows("linkage") and made.linkage_fields == ["family_name", "date_of_birth"]


def test_linkage_runs_only_under_an_agreement_in_force_that_names_it(linked_world):
    trust, landlord = linked_world["trust"], linked_world["landlord"]
    care_only = AgreementFactory(parties=[trust, landlord])  # direct care only
    with pytest.raises(ValidationFailed) as refused:
        link_agreement(agreement_id=care_only.pk, actor=linked_world["trust_lead"])
    assert "does not name person linkage" in refused.value.errors["agreement"]
    with pytest.raises(NotFound):  # an organisation that is not a party cannot even learn it exists
        link_agreement(agreement_id=linked_world["agreement"].pk, actor=actor(OrganisationFactory()))
    ended = linked_world["agreement"]
    ended.status = AgreementStatus.ENDED
    ended.save()
    with pytest.raises(ValidationFailed):
        link_agreement(agreement_id=ended.pk, actor=linked_world["trust_lead"])
    assert not LinkPair.objects.exists()


def test_a_run_links_most_sends_the_unsure_to_review_and_keeps_identities_stable(linked_world):
    agreement = linked_world["agreement"]
    run = link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    print(f"\nlinkage run: {run.pairs_scored} pairs, {run.linked} linked, {run.review} review")
    assert run.fields == [
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
        "address_line",
        "nhs_number",
    ]
    assert run.records_by_organisation == {
        str(linked_world["trust"].pk): 160,
        str(linked_world["landlord"].pk): 120,
    }
    assert run.linked >= 75 and run.review >= 5
    # Every linked pair joins a patient to the landlord's copy of the same patient (the copies were made
    # in order): the model's links here are right.
    patients = {p.pk: n for n, p in enumerate(linked_world["patients"])}
    copies = {c.pk: n for n, c in enumerate(linked_world["copies"])}
    for left, right in LinkPair.objects.filter(status=PairStatus.LINKED).values_list("left_id", "right_id"):
        assert patients[left] == copies[right]
    # The audit row names the organisations, counts and fields, never names.
    event = AuditEvent.objects.filter(object_type="linkage.linkagerun").get()
    assert event.detail["fields"] == run.fields and "pairs" in event.detail

    before = _identities(agreement)
    assert len(before) == 2 * run.linked
    again = link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    assert again.model_version == run.model_version + 1
    assert _identities(agreement) == before
    # 10% more records arrive on both sides (new people): every identity keeps its id.
    for _ in range(16):
        PersonFactory(organisation=linked_world["trust"], postcode="M9 9ZZ")
    for _ in range(12):
        PersonFactory(organisation=linked_world["landlord"], postcode="M8 8ZZ", nhs_number="")
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    after = _identities(agreement)
    assert {pid: after.get(pid) for pid in before} == before


def test_a_reviewer_decides_and_can_undo_and_identities_follow(linked_world):
    agreement = linked_world["agreement"]
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    reviewer = linked_world["landlord_lead"]
    pair = LinkPair.objects.filter(status=PairStatus.REVIEW).first()
    assert pair is not None
    before = _identities(agreement)
    assert before.get(pair.left_id) is None or before.get(pair.left_id) != before.get(pair.right_id)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_pair(actor=reviewer, pair_id=pair.pk, decision="unsure", note="  ")
    assert "note" in refused.value.errors
    services.decide_pair(actor=reviewer, pair_id=pair.pk, decision="link", note="Same phone on file")
    ids = _identities(agreement)
    assert ids[pair.left_id] == ids[pair.right_id]
    identity = ids[pair.left_id]
    services.undo_decision(actor=reviewer, pair_id=pair.pk)
    pair.refresh_from_db()
    assert pair.status == PairStatus.REVIEW and pair.decided_by is None
    assert _identities(agreement) == before  # the two records are apart again, as before
    services.decide_pair(actor=reviewer, pair_id=pair.pk, decision="link")
    assert _identities(agreement)[pair.left_id] == identity  # the same id comes back
    # A re-run keeps the reviewer's decision.
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    pair.refresh_from_db()
    assert pair.status == PairStatus.CONFIRMED
    # A caseworker may not review, and another organisation cannot reach the pair.
    for outsider in (linked_world["landlord_officer"], actor(OrganisationFactory())):
        with pytest.raises(NotFound):
            services.decide_pair(actor=outsider, pair_id=pair.pk, decision="not_same")


def test_the_pair_page_shows_only_the_agreements_fields_of_the_other_record(linked_world):
    agreement = linked_world["agreement"]
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    pair = LinkPair.objects.filter(status=PairStatus.REVIEW).select_related("left", "right").first()
    lead = linked_world["landlord_lead"]
    theirs = pair.left if pair.left.organisation_id != lead.organisation_id else pair.right
    client = Client()
    client.force_login(lead.user)
    page = client.get(f"/linkage/pairs/{pair.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert theirs.family_name in body and theirs.date_of_birth.strftime("%B %Y") in body
    assert theirs.phone and theirs.phone not in body  # phone is not one of the agreement's fields
    assert "Why the model scored it so" in body and "Date of birth:" in body
    assert "None" not in body.replace("nhsuk-", "")
    # Bad input keeps the page with the error named.
    refused = client.post(f"/linkage/pairs/{pair.pk}/", {"decision": "unsure", "note": ""})
    assert refused.status_code == 400 and "Say what you are unsure about" in refused.content.decode()
    # The API says the same, and refuses an unknown decision naming the field.
    token = _token(lead)
    api = client.get(f"/api/v1/linkage/pairs/{pair.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    shown = {row["field"] for row in api.json()["other_record"]}
    assert shown == {"Given name", "Family name", "Date of birth", "Postcode", "Address", "NHS number"}
    bad = client.post(
        f"/api/v1/linkage/pairs/{pair.pk}/decision",
        json.dumps({"decision": "maybe"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad.status_code == 422 and "decision" in bad.content.decode()
    # Someone outside the agreement gets 404 on the page and the API.
    stranger = actor(OrganisationFactory())
    client.force_login(stranger.user)
    assert client.get(f"/linkage/pairs/{pair.pk}/").status_code == 404
    other = client.get(f"/api/v1/linkage/pairs/{pair.pk}", HTTP_AUTHORIZATION=f"Bearer {_token(stranger)}")
    assert other.status_code == 404


def test_a_landlord_hears_when_a_linked_tenant_is_in_hospital_until_the_agreement_ends(linked_world):
    agreement = linked_world["agreement"]
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    officer = linked_world["landlord_officer"]
    alerts = list(open_alerts(officer))
    tenants_in_hospital = {c.pk for c in linked_world["copies"][:3]}
    assert {a.tenant_id for a in alerts} <= tenants_in_hospital and alerts
    assert all(a.hospital_name == "Linkage General" for a in alerts)
    # Raised once per stay: a re-run adds none.
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    assert TenantInHospitalAlert.objects.count() == len(alerts)
    client = Client()
    client.force_login(officer.user)
    page = client.get("/linkage/alerts/").content.decode()
    assert alerts[0].tenant.family_name.upper() in page
    # Linked parties: the landlord sees that the trust holds a record of its tenant (not the record).
    assert linked_organisations(officer, alerts[0].tenant_id) == [linked_world["trust"].name]
    person_page = client.get(f"/people/{alerts[0].tenant_id}/").content.decode()
    assert f"Also known to {linked_world['trust'].name}" in person_page
    # The subject access export lists the links and the alert, naming the other party, not its record.
    from homeward.governance.subject_access import export_subject_access

    ig = actor(linked_world["landlord"], Role.IG_OFFICER)
    exported = export_subject_access(actor=ig, person_id=alerts[0].tenant_id)
    linkage = json.dumps(exported["linkage"], default=str)
    assert "tenant-in-hospital alert" in linkage and linked_world["trust"].name in linkage
    assert not any(
        {"family_name", "date_of_birth", "nhs_number"} & set(entry) for entry in exported["linkage"]
    )
    agreement.end_date = timezone.localdate() - timezone.timedelta(days=1)
    agreement.start_date = agreement.end_date - timezone.timedelta(days=30)
    agreement.save()
    assert not open_alerts(officer).exists()
    assert linked_organisations(officer, alerts[0].tenant_id) == []
    assert alerts[0].tenant.family_name.upper() not in client.get("/linkage/alerts/").content.decode()
    assert "Also known to" not in client.get(f"/people/{alerts[0].tenant_id}/").content.decode()


def _token(who) -> str:
    response = Client().post(
        "/api/v1/auth/token",
        json.dumps(
            {"username": who.user.username, "password": PASSWORD, "organisation_id": who.organisation_id}
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.mark.slow
def test_the_demo_links_most_tenants_and_leaves_a_review_queue(db):
    """The demo's first run (the model's counts vary a little with the CPU, so ranges, not numbers)."""
    from homeward.demo import seed_demo

    seed_demo()
    statuses = list(LinkPair.objects.values_list("status", flat=True))
    linked, review = statuses.count(PairStatus.LINKED), statuses.count(PairStatus.REVIEW)
    alerts = TenantInHospitalAlert.objects.count()
    print(f"\ndemo linkage: {linked} linked, {review} for review, {alerts} alerts")
    assert linked >= 100 and 20 <= review <= 40
    assert alerts >= 10


def test_a_new_hospital_referral_is_linked_at_once_to_the_landlords_tenant(
    linked_world, django_capture_on_commit_callbacks
):
    """Incremental linking: no batch re-run. A patient without an NHS number, admitted after the last run,
    is scored against the landlord's records; the tenant's landlord hears about it."""
    import datetime as dt

    from homeward.core.models import Hospital, Property, Tenancy
    from homeward.discharge.models import DischargeCase
    from homeward.jobs.models import Job
    from homeward.linkage.incremental import INCREMENTAL_KIND, link_changes

    agreement = linked_world["agreement"]
    link_agreement(agreement_id=agreement.pk, actor=linked_world["trust_lead"])
    landlord, trust = linked_world["landlord"], linked_world["trust"]
    with django_capture_on_commit_callbacks(execute=True):
        tenant = PersonFactory(
            organisation=landlord,
            nhs_number="",
            given_name="Winifred",
            family_name="Oyelaran",
            date_of_birth=dt.date(1941, 3, 9),
            address_line_1="3 Quarry Bank",
            postcode="M20 4QT",
        )
        home = Property.objects.create(
            organisation=landlord, reference="P9", town="Northgate", postcode="M20 4QT", property_type="flat"
        )
        Tenancy.objects.create(
            property=home, person=tenant, reference="T9", tenure="assured", start_date=dt.date(2015, 5, 1)
        )
        patient = PersonFactory(
            organisation=trust,
            nhs_number="",
            given_name="Winnie",
            family_name="Oyelaran",
            date_of_birth=dt.date(1941, 3, 9),
            address_line_1="3 Quarry Bank",
            postcode="M20 4QT",
        )
        DischargeCase.objects.create(
            person=patient,
            organisation=trust,
            housing_organisation=landlord,
            referred_by=linked_world["trust_lead"].user,
            hospital=Hospital.objects.get(organisation=trust),
            referral_reason="Fall at home",
            admitted_on=timezone.localdate(),
            referred_at=timezone.now(),
            status="referred",
        )
    # Each change queued incremental linking, but never two jobs waiting for one agreement.
    assert Job.objects.filter(kind=INCREMENTAL_KIND).count() == 1
    officer = linked_world["landlord_officer"].user
    officer.email = "officer@example.org"
    officer.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        figures = link_changes(agreement.pk)
    assert figures["records"] == 2 and figures["linked"] >= 1
    pair = LinkPair.objects.get(left=min(tenant.pk, patient.pk), right=max(tenant.pk, patient.pk))
    assert pair.status == PairStatus.LINKED
    alert = TenantInHospitalAlert.objects.get(tenant=tenant)
    assert alert.patient_id == patient.pk and alert.organisation_id == landlord.pk
    # The landlord's staff get one email: a link to the alerts, no name, no hospital, no date of birth.
    [email] = [m for m in mail.outbox if "in hospital" in m.subject]
    assert email.to == ["officer@example.org"] and "/linkage/alerts/" in email.body
    assert "Oyelaran" not in email.body + email.subject and "1941" not in email.body
    # Nothing changed since: a second pass scores nothing and raises nothing.
    assert link_changes(agreement.pk) == {"records": 0, "linked": 0, "review": 0, "alerts": 0}


def test_linkage_kpis_count_tenants_found_and_days_to_the_alert(linked_world):
    from homeward.casework.kpis import months_back
    from homeward.linkage.kpis import linkage_kpis

    link_agreement(agreement_id=linked_world["agreement"].pk, actor=linked_world["trust_lead"])
    found = TenantInHospitalAlert.objects.count()
    kpis = {k.key: k for k in linkage_kpis(linked_world["landlord_lead"], months_back(timezone.localdate()))}
    assert sum(p.n for p in kpis["tenants_in_hospital"].points) == found > 0
    # The demo world's patients were admitted two days before the run.
    latest = [p for p in kpis["days_admission_to_alert"].points if p.n]
    assert latest and all(p.value == 2.0 for p in latest)
    # Another organisation sees none of them.
    other = linkage_kpis(actor(OrganisationFactory()), months_back(timezone.localdate()))
    assert all(p.n == 0 for k in other for p in k.points)


def test_the_cli_runs_linkage_under_an_agreement_and_names_a_bad_one(linked_world):
    import typer
    from typer.testing import CliRunner

    from homeward.cli.linkage import register

    app = typer.Typer()
    register(app)
    ok = CliRunner().invoke(
        app, ["linkage", "run", "--agreement", str(linked_world["agreement"].pk), "--json"]
    )
    assert ok.exit_code == 0, ok.output
    summary = json.loads(ok.stdout.strip().splitlines()[-1])
    assert summary["linked"] == LinkPair.objects.filter(status=PairStatus.LINKED).count() > 0
    care_only = AgreementFactory(parties=[linked_world["trust"], linked_world["landlord"]])
    refused = CliRunner().invoke(app, ["linkage", "run", "--agreement", str(care_only.pk)])
    assert refused.exit_code == 2 and "does not name person linkage" in refused.output
    missing = CliRunner().invoke(app, ["linkage", "run", "--agreement", "999999"])
    assert missing.exit_code == 2 and "no agreement with id 999999" in missing.output
