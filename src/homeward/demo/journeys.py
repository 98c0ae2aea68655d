"""Demo journeys that cross apps: a Northgate patient discharged to Brightwater Nursing Home continues as
one journey, from Hospital to Home into the care home.

Winifred Ashby had a respite stay at Brightwater Nursing Home (so Brightwater holds her record) and is
admitted to Northgate General after a fall. Brightwater shares her record with the trust; the ward opens a
Hospital to Home case (pathway 3), the ward's trusted assessor assesses her for Brightwater, and she moves
in on the day she is discharged. The resident record names the case it came from (`Resident.
discharge_case_id`, as a supported-housing placement or a reablement referral names theirs), and the
assessment is accepted under the nursing home's trusted assessor protocol, without re-assessment.
Everything goes through the apps' own services; records are picked by name, never by id."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from homeward.carehomes import clinical
from homeward.carehomes import services as carehomes
from homeward.carehomes.models import CareHome, Resident
from homeward.core.models import Hospital, Organisation, Person
from homeward.core.validators import nhs_number_problem
from homeward.discharge import care
from homeward.discharge import services as discharge
from homeward.discharge.codes import CaseStatus, Destination, Pathway
from homeward.governance.access import Actor
from homeward.governance.services import add_participant
from homeward.people.services import register_person

NURSING_HOME = "Brightwater Nursing Home"
HOSPITAL = "Northgate General Hospital"
#: The demo's share type for bringing another organisation into a patient's discharge (demo/__init__.py).
SHARE_TYPE = "demo.hospital_to_home"


def _free_nhs_number(rng: random.Random) -> str:
    used = set(Person.objects.values_list("nhs_number", flat=True))
    while True:
        number = "999" + "".join(str(rng.randrange(10)) for _ in range(7))
        if number not in used and nhs_number_problem(number) is None:
            return number


def seed_discharge_to_nursing_home(
    *,
    trust: Organisation,
    housing: Organisation,
    practice: Organisation,
    clinician: Actor,
    officer: Actor,
    carehome: Actor,
    rng: random.Random,
) -> Resident:
    """Run the journey (after the care homes are seeded, so the nursing home's protocol is in force)."""
    today = timezone.localdate()
    home = CareHome.objects.get(organisation_id=carehome.organisation_id, name=NURSING_HOME)
    hospital = Hospital.objects.get(organisation=trust, name=HOSPITAL)
    person = register_person(
        actor=carehome,
        nhs_number=_free_nhs_number(rng),
        given_name="Winifred",
        family_name="Ashby",
        date_of_birth=dt.date(today.year - 88, 5, 14),
        postcode="NG1 1AA",
    )
    add_participant(
        actor=carehome,
        person_id=person.pk,
        organisation_id=trust.pk,
        case_type=SHARE_TYPE,
        reason="Brightwater's respite resident, admitted to Northgate after a fall",
    )
    case = discharge.refer_patient(
        actor=clinician,
        person_id=person.pk,
        housing_organisation_id=housing.pk,
        hospital_id=hospital.pk,
        admitted_on=today - dt.timedelta(days=9),
        referral_reason=(
            "Fall at home, fractured wrist; no longer safe living alone. Wants a nursing home bed near her "
            "daughter: Brightwater, where she had respite."
        ),
        pathway=Pathway.P3,
    )
    discharge.screen_case(actor=officer, case_id=case.pk, items=[], notes="Lives alone; no housing needs")
    discharge.transition_case(actor=clinician, case_id=case.pk, to_status=CaseStatus.ACTIVE)
    care.submit_trusted_assessment(
        actor=clinician,
        case_id=case.pk,
        care_provider_id=carehome.organisation_id,
        assessed_on=today - dt.timedelta(days=2),
        domains={
            "mobility": "Walks with a frame and one carer; hoist not needed",
            "personal_care": "Help of one to wash and dress while the wrist heals",
            "medication": "Blister pack; paracetamol four times a day",
            "cognition": "Has capacity for this decision",
        },
        risks="Falls risk: sensor mat at night",
    )
    discharge.transition_case(
        actor=clinician,
        case_id=case.pk,
        to_status=CaseStatus.READY,
        discharge_ready_on=today - dt.timedelta(days=2),
    )
    # She moves in from the case: the trusted assessment is accepted under the home's protocol.
    room = home.rooms.get(name="7")
    resident = carehomes.admit_resident(
        actor=carehome,
        home_id=home.pk,
        person_id=person.pk,
        admitted_on=today,
        funding="fnc",
        room_id=room.pk,
        gp_practice_id=practice.pk,
        next_of_kin="Carol Ashby (daughter)",
        next_of_kin_contact="07700 900412",
        contact_preferences="Phone Carol first, any time",
        capacity_notes="Has capacity for day-to-day decisions",
        discharge_case_id=case.pk,
    )
    discharge.transition_case(
        actor=clinician,
        case_id=case.pk,
        to_status=CaseStatus.DISCHARGED,
        discharged_on=today,
        destination=Destination.CARE_HOME,
        note=f"To {NURSING_HOME}",
    )
    clinical.record_observations(
        actor=carehome,
        resident_id=resident.pk,
        taken_at=timezone.now(),
        temperature=Decimal("36.7"),
        pulse=78,
        respiratory_rate=16,
        systolic=132,
        diastolic=74,
        oxygen_saturation=96,
        consciousness="alert",
        note="On arrival from Northgate General",
    )
    return resident
