"""Care-home discharge: trusted assessments, care-side blockers, discharge to assess; overdue emails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from homeward.core.errors import NotAllowed, ValidationFailed
from homeward.core.models import OrganisationKind
from homeward.core.roles import Role
from homeward.discharge import care, services
from homeward.discharge.models import Blocker, TrustedAssessment
from homeward.discharge.selectors import visible_cases
from homeward.governance.models import Participation
from tests.factories import AgreementFactory, MembershipFactory, OrganisationFactory, make_actor

pytestmark = pytest.mark.django_db

DOMAINS = {
    "mobility": "Walks with a frame and one carer",
    "personal_care": "Help of one to wash and dress",
    "medication": "Blister pack; warfarin",
    "continence": "Constipated since admission",
}


@pytest.fixture
def home(world):
    provider = OrganisationFactory(name="Oakwood Care Home", kind=OrganisationKind.CARE_PROVIDER)
    AgreementFactory(parties=[world.trust, provider])
    return provider


def _assess(world, home, case, **overrides):
    fields = {
        "case_id": case.pk,
        "care_provider_id": home.pk,
        "assessed_on": timezone.localdate(),
        "domains": DOMAINS,
    } | overrides
    return care.submit_trusted_assessment(actor=world.clinician, **fields)


def test_the_care_provider_sees_the_case_accepts_the_assessment_and_raises_its_own_blocker(world, home):
    case = world.refer(pathway="3")
    manager = make_actor(Role.CASEWORKER, home)
    assert case not in visible_cases(manager)
    assessment = _assess(world, home, case)
    assert case in visible_cases(manager)
    care.decide_assessment(actor=manager, assessment_id=assessment.pk, accept=True)
    assessment.refresh_from_db()
    assert assessment.status == "accepted" and assessment.decided_by == manager.user
    blocker = services.raise_blocker(
        actor=manager,
        case_id=case.pk,
        category="bowel_plan",
        description="Constipation management plan before we admit",
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert blocker.owner_organisation == home and blocker.raised_by_organisation == home
    titles = list(case.events.values_list("title", flat=True))
    assert "Oakwood Care Home accepted the trusted assessment: no re-assessment needed" in titles


def test_a_care_provider_cannot_move_the_case_or_answer_someone_elses_assessment(world, home):
    case = world.refer()
    assessment = _assess(world, home, case)
    manager = make_actor(Role.CASEWORKER, home)
    with pytest.raises(NotAllowed):
        services.transition_case(actor=manager, case_id=case.pk, to_status="screening")
    with pytest.raises(NotAllowed):
        care.decide_assessment(actor=world.officer, assessment_id=assessment.pk, accept=True)
    with pytest.raises(ValidationFailed) as caught:
        care.decide_assessment(actor=manager, assessment_id=assessment.pk, accept=False, note="")
    assert "decision_note" in caught.value.errors
    assert TrustedAssessment.objects.get().status == "submitted"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"domains": {"mobility": "Frame"}}, "domains.personal_care"),
        ({"domains": DOMAINS | {"astrology": "Leo"}}, "domains.astrology"),
        ({"assessed_on": timezone.localdate() + dt.timedelta(days=1)}, "assessed_on"),
        ({"assessed_on": timezone.localdate() - dt.timedelta(days=60)}, "assessed_on"),
    ],
)
def test_bad_assessments_are_refused_and_nothing_is_shared(world, home, overrides, field):
    case = world.refer()
    with pytest.raises(ValidationFailed) as caught:
        _assess(world, home, case, **overrides)
    assert field in caught.value.errors
    assert not TrustedAssessment.objects.exists()
    assert not Participation.objects.filter(organisation=home).exists()


def test_only_a_care_provider_with_an_agreement_can_be_sent_an_assessment(world, home):
    case = world.refer()
    with pytest.raises(ValidationFailed) as caught:
        _assess(world, home, case, care_provider_id=world.housing.pk)
    assert "is not a care provider" in caught.value.errors["care_provider_id"]
    stranger = OrganisationFactory(name="Faraway Care", kind=OrganisationKind.CARE_PROVIDER)
    with pytest.raises(ValidationFailed) as caught:
        _assess(world, home, case, care_provider_id=stranger.pk)
    assert "no data-sharing agreement" in caught.value.errors["care_provider_id"]


def test_the_case_page_sends_an_assessment_and_the_provider_answers_it(client, world, home):
    case = world.refer(pathway="3")
    client.force_login(world.clinician.user)
    form = {
        "care_provider": home.pk,
        "assessed_on": timezone.localdate().strftime("%d/%m/%Y"),
        "domain_mobility": "Frame",
        "domain_personal_care": "Help of one",
        "domain_medication": "Blister pack",
    }
    assert "Oakwood Care Home" in client.get(f"/discharge/cases/{case.pk}/").content.decode()
    client.post(f"/discharge/cases/{case.pk}/assessments/", form)
    assessment = TrustedAssessment.objects.get()
    client.post(f"/discharge/cases/{case.pk}/discharge-to-assess/", {"discharge_to_assess": "on"})
    case.refresh_from_db()
    assert case.discharge_to_assess

    manager = make_actor(Role.CASEWORKER, home)
    client.force_login(manager.user)
    page = client.get(f"/discharge/cases/{case.pk}/").content.decode()
    assert "Accept assessment" in page and "Walks" not in page and "Frame" in page
    assert "Move the case on" not in page  # only the trust and the housing team move it
    response = client.post(
        f"/discharge/cases/{case.pk}/assessments/{assessment.pk}/decide/",
        {"decision": "decline"},
        follow=True,
    )
    assert "Say why the assessment is declined" in response.content.decode()
    client.post(
        f"/discharge/cases/{case.pk}/assessments/{assessment.pk}/decide/",
        {"decision": "decline", "decision_note": "Needs nursing care at night"},
    )
    assessment.refresh_from_db()
    assert assessment.status == "declined" and assessment.decision_note == "Needs nursing care at night"


def test_overdue_blockers_email_the_owner_and_the_officer_once_without_patient_details(
    world, django_capture_on_commit_callbacks
):
    case = world.refer()
    lead = MembershipFactory(organisation=world.housing, role=Role.TEAM_LEAD)
    lead.user.email = "lead@example.org"
    lead.user.save()
    world.officer.user.email = "officer@example.org"
    world.officer.user.save()
    services.assign_case(actor=world.officer, case_id=case.pk, user_id=world.officer.user.pk)
    Blocker.objects.create(
        case=case,
        category="care_package",
        description="Carers from Monday",
        owner_organisation=world.housing,
        raised_on=timezone.localdate() - dt.timedelta(days=5),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        escalated = services.escalate_overdue_blockers()
    assert len(escalated) == 1
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["lead@example.org", "officer@example.org"]
    body = mail.outbox[0].body
    assert case.reference in body and f"/discharge/cases/{case.pk}/" in body
    assert world.patient.family_name not in body and world.patient.nhs_number not in body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue_blockers() == []
    assert len(mail.outbox) == 2  # not again


def test_the_case_page_assigns_an_officer_and_refuses_an_outsider(client, world):
    case = world.refer()
    client.force_login(world.officer.user)
    client.post(f"/discharge/cases/{case.pk}/assign/", {"user_id": world.officer.user.pk})
    case.refresh_from_db()
    assert case.assigned_to == world.officer.user
    assert "Assigned to" in "".join(case.events.values_list("title", flat=True))
    response = client.post(f"/discharge/cases/{case.pk}/assign/", {"user_id": world.clinician.user.pk})
    assert response.status_code == 400  # the trust's clinician is not offered: the housing team's staff are
    assert "Assign to: Choose someone from the list" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == world.officer.user


def test_a_refused_assessment_keeps_every_domain_as_typed_and_shows_the_error_summary(client, world, home):
    case = world.refer(pathway="3")
    client.force_login(world.clinician.user)
    form = {
        "care_provider": home.pk,
        "assessed_on": (case.admitted_on - dt.timedelta(days=3)).strftime("%Y-%m-%d"),  # before admission
        "domain_mobility": "Walks with a frame & one carer",
        "domain_personal_care": "Help of one to wash and dress",
        "domain_medication": "",  # required: missing
        "domain_continence": "Constipated since admission",
        "risks": "Falls at night; bed rails agreed with her daughter",
    }
    response = client.post(f"/discharge/cases/{case.pk}/assessments/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert TrustedAssessment.objects.count() == 0
    assert "There is a problem" in page  # the NHS.UK error summary
    assert "Walks with a frame &amp; one carer" in page
    assert "Falls at night; bed rails agreed with her daughter" in page
    assert "Constipated since admission" in page
    assert 'id="send-assessment" open' in page
    # A service's refusal (the date before admission) is shown at its field too, with what was typed kept.
    form["domain_medication"] = "Blister pack; warfarin"
    response = client.post(f"/discharge/cases/{case.pk}/assessments/", form)
    page = response.content.decode()
    assert response.status_code == 400 and TrustedAssessment.objects.count() == 0
    assert "Assessment date cannot be before the admission date" in page
    assert '<a href="#id_assessed_on">' in page
    assert "Blister pack; warfarin" in page


def test_free_text_the_case_page_posts_without_a_form_is_refused_with_a_control_character(world, home):
    """A follow-up's outcome, a declined assessment's note and a correction's reason reach their services
    straight from the POST; the services refuse control characters themselves, naming the field."""
    from tests.discharge.test_cases import _walk_to

    assessment = _assess(world, home, world.refer(pathway="3"))
    manager = make_actor(Role.CASEWORKER, home)
    with pytest.raises(ValidationFailed) as refused:
        care.decide_assessment(
            actor=manager, assessment_id=assessment.pk, accept=False, note="Night\x07 care"
        )
    assert refused.value.errors["decision_note"].startswith("Note must not contain control characters")
    assessment.refresh_from_db()
    assert assessment.decided_at is None

    again = "A different admission"
    case = _walk_to(world, world.refer(second_case_reason=again), "discharged")
    task = case.follow_ups.get(kind="welfare_call_7")
    with pytest.raises(ValidationFailed) as refused:
        services.complete_follow_up(actor=world.officer, task_id=task.pk, outcome="Settled\x00 at home")
    assert refused.value.errors["outcome"].startswith("Outcome must not contain control characters")
    task.refresh_from_db()
    assert task.done_on is None

    ended = world.refer(second_case_reason=again)
    services.transition_case(actor=world.officer, case_id=ended.pk, to_status="cancelled", note="Duplicate")
    lead = make_actor(Role.TEAM_LEAD, world.housing)
    with pytest.raises(ValidationFailed) as refused:
        services.correct_ending(actor=lead, case_id=ended.pk, reason="Wrong\x1b patient")
    assert refused.value.errors["reason"].startswith("Reason must not contain control characters")
