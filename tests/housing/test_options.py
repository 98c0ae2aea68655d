"""Housing options for older people: the "stay or move?" conversation, a decision to adapt that opens an
adaptations case through its service, referrals to stay well at home through the referral model, and bad
input refused with nothing written."""

from __future__ import annotations

import pytest

from homeward.adaptations.models import AdaptationCase
from homeward.core.errors import NotFound, ValidationFailed
from homeward.housing import options, selectors
from homeward.housing.codes import HomeTopic
from homeward.housing.models import OptionsConversation
from homeward.referrals.models import Referral
from tests.housing.conftest import TODAY

SCORES = {t.value: 1 for t in HomeTopic} | {"getting_around": 4, "warmth": 3}


def _talk(world, **overrides):
    fields = {
        "person_id": world.resident.pk,
        "held_on": TODAY,
        "scores": SCORES,
        "what_matters": "Staying near my daughter and the church",
        "options": ["adapt", "extra_care", "stay_with_support"],
    } | overrides
    return options.record_conversation(actor=world.worker, **fields)


def test_every_topic_is_answered_and_bad_input_writes_nothing(world):
    with pytest.raises(ValidationFailed) as caught:
        _talk(world, scores={"space": 9}, options=["teleport"], what_matters="")
    errors = caught.value.errors
    assert errors["space"] == "Choose from 0 (works well) to 4 (a real problem)"
    assert "warmth" in errors and "options" in errors and "what_matters" in errors
    assert not OptionsConversation.objects.exists()


def test_deciding_to_adapt_opens_an_adaptations_case(world):
    talk = _talk(world)
    with pytest.raises(ValidationFailed) as caught:
        options.decide(actor=world.worker, conversation_id=talk.pk, decision="adapt", on=TODAY)
    assert set(caught.value.errors) == {"needs", "tenure"}
    assert not AdaptationCase.objects.exists()
    done = options.decide(
        actor=world.worker,
        conversation_id=talk.pk,
        decision="adapt",
        on=TODAY,
        tenure="council_tenant",
        needs="Stair-lift to the only bathroom",
        actions=["gp_visit"],
    )
    case = AdaptationCase.objects.get(pk=done.adaptation_case_id)
    assert (case.person, case.source, case.needs) == (
        world.resident,
        "housing_officer",
        "Stair-lift to the only bathroom",
    )
    assert done.follow_up_on.month == (TODAY.month + 5) % 12 + 1


def test_a_decision_must_be_one_of_the_options_talked_through(world):
    talk = _talk(world, options=["no_change"])
    with pytest.raises(ValidationFailed) as caught:
        options.decide(actor=world.worker, conversation_id=talk.pk, decision="sheltered", on=TODAY)
    assert caught.value.errors == {"decision": "Choose one of the options you talked through"}


def test_support_to_stay_goes_out_as_a_referral_from_the_conversation(world):
    talk = _talk(world)
    referral = options.refer_on(
        actor=world.worker,
        conversation_id=talk.pk,
        to_organisation_id=world.council.pk,
        service_kind="money_advice",
        reason="Heating bills; benefits check",
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.source_type, stored.source_id, stored.service_kind) == (
        "housing.options",
        talk.pk,
        "money_advice",
    )


def test_another_organisation_cannot_see_the_conversation(world):
    talk = _talk(world)
    with pytest.raises(NotFound):
        selectors.get_conversation(actor=world.officer, conversation_id=talk.pk)


def test_the_conversation_page_works_at_phone_width_and_adapting_opens_the_case(world, client):
    client.force_login(world.worker.user)
    form = {
        "held_on": TODAY.strftime("%d/%m/%Y"),
        "what_matters": "Staying near family",
        "options": ["adapt"],
    }
    form |= {k: str(v) for k, v in SCORES.items()}
    response = client.post(f"/housing/options/new/{world.resident.pk}/", form)
    talk = OptionsConversation.objects.get()
    assert response.status_code == 302
    page = client.get(f"/housing/options/{talk.pk}/").content.decode()
    assert "Getting around the home" in page and "4: A real problem" in page
    response = client.post(
        f"/housing/options/{talk.pk}/decide/",
        {
            "decision": "adapt",
            "on": TODAY.strftime("%d/%m/%Y"),
            "tenure": "owner_occupier",
            "needs": "Grab rails",
        },
    )
    case = AdaptationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/adaptations/cases/{case.pk}/"
