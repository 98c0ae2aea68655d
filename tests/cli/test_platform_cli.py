"""`homeward seed`, `demo`, `audit verify`, `sar export`, `person add`, run in-process (CliRunner)."""

from __future__ import annotations

import json

import nhs_number
import pytest
import typer
from django.db import connection, transaction
from typer.testing import CliRunner

from homeward.cli import platform
from homeward.core.models import Membership, Organisation, OrganisationKind, Person, Property, User
from homeward.core.roles import Role
from homeward.core.validators import validate_postcode
from homeward.demo import DEMO_PASSWORD, GP, HOUSING, LINKS, TRUST, seed_demo
from homeward.governance.access import Actor, visible_people
from homeward.governance.models import AgreementStatus, AuditEvent, DataSharingAgreement, Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    platform.register(app)
    return app


def run(app: typer.Typer, *args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def demo(app):
    result = run(app, "seed", "--demo", "--people", 50)
    assert result.exit_code == 0, result.output
    return result


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("core", "governance")
    }


def _audit_writable():
    """On PostgreSQL a trigger refuses UPDATE/DELETE; a tamperer with table rights can disable it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE governance_auditevent DISABLE TRIGGER USER")


def _audit_protected():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE governance_auditevent ENABLE TRIGGER USER")


def _actor(username: str) -> Actor:
    membership = (
        Membership.objects.select_related("user", "organisation").filter(user__username=username).first()
    )
    return Actor(user=membership.user, membership=membership)


def test_seed_demo_creates_the_organisations_a_user_for_every_role_and_people_with_test_nhs_numbers(demo):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrganisationKind.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD), user.username
    assert User.objects.get(username="admin-super").is_superuser
    assert Membership.objects.filter(user__username="teamlead").count() == 2  # the organisation switcher

    people = list(Person.objects.all())
    # 50 across the trust, the housing provider and the council; 12 GP patients, 4 who referred
    # themselves to the link workers, the 12 residents of the care provider's two homes, and the patient
    # discharged from the trust to the nursing home (demo/journeys.py, held by the care provider).
    assert len(people) == 50 + 12 + 4 + 12 + 1
    assert Person.objects.filter(organisation__name=GP).count() == 12
    assert all(p.nhs_number.startswith("999") and nhs_number.is_valid(p.nhs_number) for p in people)
    assert len({p.nhs_number for p in people}) == len(people)
    for p in people:
        validate_postcode(p.postcode)
    assert all(len(p.uprn) == 12 for p in Property.objects.all())

    agreements = DataSharingAgreement.objects.filter(status=AgreementStatus.ACTIVE)
    pairs = {frozenset(a.parties.values_list("name", flat=True)) for a in agreements}
    # Hospital to Home, two onward-referral partnerships, care-home discharge, commissioning (counts),
    # and social prescribing with the GP practice and the link workers' two onward partners.
    assert frozenset({TRUST, HOUSING}) in pairs and frozenset({GP, LINKS}) in pairs
    # And the council with the home improvement agency (adaptations), and the care provider with its
    # residents' GP practice (advance care plans).
    assert len(pairs) == 10 and all(len(pair) == 2 for pair in pairs)


def test_every_seeded_record_passes_model_validation(demo):
    for person in Person.objects.all():
        person.full_clean()
    for home in Property.objects.all():
        home.full_clean()


def _seed_then_roll_back(seed: int) -> list[tuple]:
    with transaction.atomic():
        seed_demo(people=30, seed=seed)
        people = list(
            Person.objects.order_by("nhs_number").values_list(
                "nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "organisation__name"
            )
        )
        transaction.set_rollback(True)
    return people


def test_the_same_seed_gives_the_same_people_and_another_seed_does_not():
    first, again, other = _seed_then_roll_back(1), _seed_then_roll_back(1), _seed_then_roll_back(2)
    # + GP patients, walk-ins and the care homes' residents
    assert len(first) == 30 + 12 + 4 + 12 + 1 and first == again and first != other


def test_seeding_refuses_a_database_that_holds_other_organisations(app):
    Organisation.objects.create(name="A real council", kind=OrganisationKind.LOCAL_AUTHORITY)
    result = run(app, "seed", "--demo", "--people", 10)
    assert result.exit_code == 2 and "not demo data" in result.output
    assert not Person.objects.exists() and not User.objects.exists()


def test_housing_officer_sees_trust_patients_shared_with_the_housing_provider(demo):
    caseworker = _actor("caseworker")
    shared = Participation.objects.filter(case_type="demo.hospital_to_home", ended_at__isnull=True)
    assert shared.exists()
    visible = set(visible_people(caseworker).values_list("pk", flat=True))
    assert set(shared.values_list("person_id", flat=True)) <= visible
    held_by_trust_not_shared = Person.objects.filter(organisation__name=TRUST).exclude(
        participations__isnull=False
    )
    assert not visible & set(held_by_trust_not_shared.values_list("pk", flat=True))


def test_seeding_twice_changes_nothing(app, demo):
    before = _counts()
    again = run(app, "seed", "--demo", "--people", 50, "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["created"] is False
    assert _counts() == before


def test_seed_needs_to_be_told_what_to_seed(app):
    result = run(app, "seed")
    assert result.exit_code == 2 and "--demo" in result.output


def test_audit_verify_passes_on_a_fresh_demo(app, demo):
    result = run(app, "audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["intact"] is True and report["checked"] == AuditEvent.objects.count() > 0
    assert "intact" in run(app, "audit", "verify").output


def test_editing_an_audit_row_makes_verify_fail_and_name_that_row(app, demo):
    event = AuditEvent.objects.order_by("sequence")[3]
    _audit_writable()
    try:
        AuditEvent.objects.filter(pk=event.pk).update(purpose="Nothing to see here")
    finally:
        _audit_protected()
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"row {event.pk} (sequence {event.sequence})" in result.output
    assert "edited" in result.output
    report = json.loads(run(app, "audit", "verify", "--json").stdout)
    assert report["problem"]["event_id"] == event.pk


def test_deleting_a_middle_audit_row_makes_verify_fail_and_name_the_gap(app, demo):
    events = list(AuditEvent.objects.order_by("sequence"))
    gone, after = events[4], events[5]
    _audit_writable()
    try:
        AuditEvent.objects.filter(pk=gone.pk).delete()
    finally:
        _audit_protected()
    result = run(app, "audit", "verify", "--json")
    assert result.exit_code == 1
    problem = json.loads(result.stdout)["problem"]
    assert problem["event_id"] == after.pk and "deleted" in problem["message"]


def test_sar_export_writes_the_persons_record_and_access_log_and_is_audited(app, demo, tmp_path):
    person = Person.objects.filter(organisation__name=TRUST, participations__isnull=False).first()
    out = tmp_path / "sar.json"
    result = run(app, "sar", "export", person.pk, "--as", "igofficer", "--out", out)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["person"]["id"] == person.pk and document["person"]["nhs_number"] == person.nhs_number
    assert document["generated_by"] == "igofficer"
    assert isinstance(document["access_log"], list) and document["access_log"]
    assert document["shared_with"][0]["organisation"] == HOUSING
    export = AuditEvent.objects.get(action="export")
    assert (export.person_id, export.actor_username, export.role) == (person.pk, "igofficer", Role.IG_OFFICER)
    assert run(app, "audit", "verify").exit_code == 0


def test_sar_export_to_stdout(app, demo):
    person = Person.objects.filter(organisation__name=TRUST).first()
    result = run(app, "sar", "export", person.pk, "--as", "igofficer")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["person"]["id"] == person.pk


def test_sar_export_is_refused_for_a_user_who_is_not_an_ig_officer(app, demo):
    person = Person.objects.filter(organisation__name=HOUSING).first()
    result = run(app, "sar", "export", person.pk, "--as", "caseworker")
    assert result.exit_code == 2
    assert "information governance officer" in result.output
    assert not AuditEvent.objects.filter(action="export").exists()


def test_sar_export_of_an_unknown_or_unseen_person_is_a_clear_error(app, demo):
    result = run(app, "sar", "export", 999999, "--as", "igofficer")
    assert result.exit_code == 2 and "no person with id 999999" in result.output
    council_person = Person.objects.filter(organisation__kind=OrganisationKind.LOCAL_AUTHORITY).first()
    result = run(app, "sar", "export", council_person.pk, "--as", "igofficer")
    assert result.exit_code == 2 and f"no person with id {council_person.pk}" in result.output
    assert run(app, "sar", "export", 1, "--as", "nobody").exit_code == 2
    assert not AuditEvent.objects.filter(action="export").exists()


def test_person_add_registers_and_audits(app, demo):
    result = run(
        app, "person", "add", "--as", "caseworker", "--given-name", "Ada", "--family-name", "Lovelace",
        "--dob", "1950-03-31", "--nhs-number", "943 476 5919", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    person = Person.objects.get(pk=json.loads(result.stdout)["id"])
    assert (person.nhs_number, person.organisation.name) == ("9434765919", HOUSING)
    assert AuditEvent.objects.filter(action="create", person_id=person.pk).exists()


@pytest.mark.parametrize("bad", ["9434765918", "12345", "999 000 000X"])
def test_person_add_with_a_bad_nhs_number_exits_2_naming_the_field_and_writes_nothing(app, demo, bad):
    before = _counts()
    result = run(
        app, "person", "add", "--as", "caseworker", "--given-name", "Ada", "--family-name", "Lovelace",
        "--dob", "1950-03-31", "--nhs-number", bad,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "nhs_number" in result.output and "NHS number" in result.output
    assert _counts() == before


@pytest.mark.parametrize("dob", ["31/03/1950", "1950-02-30", "2999-01-01"])
def test_person_add_with_a_bad_date_of_birth_exits_2_naming_the_field(app, demo, dob):
    before = _counts()
    result = run(
        app, "person", "add", "--as", "caseworker", "--given-name", "A", "--family-name", "B", "--dob", dob
    )
    assert result.exit_code == 2
    assert "date_of_birth" in result.output
    assert _counts() == before


def test_person_add_is_refused_for_a_role_that_cannot_register_people(app, demo):
    result = run(
        app,
        "person",
        "add",
        "--as",
        "analyst",
        "--given-name",
        "A",
        "--family-name",
        "B",
        "--dob",
        "1950-01-01",
    )
    assert result.exit_code == 2 and "analyst" in result.output


@pytest.mark.django_db(transaction=True)
def test_demo_without_serving_migrates_seeds_and_prints_every_login(app):
    result = run(app, "demo", "--no-serve", "--people", 20)
    assert result.exit_code == 0, result.output
    for username in ("clinician", "caseworker", "teamlead", "partner", "analyst", "igofficer", "orgadmin"):
        assert username in result.output
    assert DEMO_PASSWORD in result.output
    # + GP patients, link-worker walk-ins, care residents and the hospital-to-nursing-home journey's patient
    assert Person.objects.count() == 20 + 12 + 4 + 12 + 1


def test_person_add_with_a_control_character_exits_2_naming_the_field_and_writes_nothing(app, demo):
    before = _counts()
    result = run(
        app, "person", "add", "--as", "caseworker", "--given-name", "Ada\x07", "--family-name", "Lovelace",
        "--dob", "1950-03-31",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "given_name" in result.output and "control characters" in result.output
    assert _counts() == before
