"""Housing options for older people: the "stay or move?" conversation, a decision to adapt that opens an
adaptations case through its service, referrals to stay well at home through the referral model, and bad
input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from homeward.adaptations.models import AdaptationCase
from homeward.core.errors import NotFound, ValidationFailed
from homeward.housing import options, selectors, selfservice
from homeward.housing.codes import HomeTopic
from homeward.housing.kpis import housing_kpis
from homeward.housing.models import OptionsConversation, OptionsSelfServiceLink
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
        "ranking": ["warmth", "getting_around"],
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
    bad = client.post(f"/housing/options/new/{world.resident.pk}/", form | {"rank_1": "", "rank_2": "space"})
    assert bad.status_code == 400 and not OptionsConversation.objects.exists()
    page = bad.content.decode()
    assert 'href="#id_rank_1"' in page and "Choose the topic that matters most to the person" in page
    assert '<option value="space" selected>' in page and "Staying near family" in page
    response = client.post(f"/housing/options/new/{world.resident.pk}/", form | {"rank_1": "warmth"})
    talk = OptionsConversation.objects.get()
    assert talk.ranking == ["warmth"]
    assert response.status_code == 302
    page = client.get(f"/housing/options/{talk.pk}/").content.decode()
    assert "Getting around the home" in page and "4: A real problem" in page
    assert "Warmth and running costs: hard (ranked 1 by the person)" in page
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


def test_the_ranking_is_validated_field_by_field_and_nothing_is_written(world):
    cases = [
        ([], {"rank_1": "Choose the topic that matters most to the person"}),
        (["warmth", "warmth"], {"rank_2": "Warmth and running costs is already ranked 1"}),
        (["warmth", "", "care"], {"rank_2": "Choose this topic before the ones ranked after it"}),
        (["gardening"], {"rank_1": "Choose one of the topics"}),
        (["a", "b", "c", "d"], {"rank_1": "Rank at most 3 topics"}),
    ]
    for ranking, errors in cases:
        with pytest.raises(ValidationFailed) as caught:
            _talk(world, ranking=ranking)
        assert caught.value.errors == errors, ranking
    unscored = {k: v for k, v in SCORES.items() if k != "care"}
    with pytest.raises(ValidationFailed) as caught:
        _talk(world, scores=unscored, ranking=["care"])
    assert caught.value.errors["rank_1"] == "Score care and support before ranking it"
    assert not OptionsConversation.objects.exists()


def test_the_ranking_is_stored_and_orders_the_proposed_options_reasons(world):
    scores = {t.value: 0 for t in HomeTopic} | {"getting_around": 4, "warmth": 2, "company": 3}
    talk = _talk(world, scores=scores, ranking=["warmth", "company", "space"])
    assert OptionsConversation.objects.get(pk=talk.pk).ranking == ["warmth", "company", "space"]
    proposed = options.proposals(talk)
    # Warmth (ranked first) comes before company (ranked second) before getting around (hardest, unranked);
    # between options with the same best reason, the one with more reasons first.
    assert [code for code, _, _ in proposed] == [
        "stay_with_support",
        "rightsize",
        "extra_care",
        "sheltered",
        "adapt",
    ]
    reasons = dict((code, why) for code, _, why in proposed)
    assert reasons["stay_with_support"] == [
        "Warmth and running costs: some difficulty (ranked 1 by the person)",
        "Company and loneliness: hard (ranked 2 by the person)",
    ]
    assert reasons["rightsize"] == [
        "Warmth and running costs: some difficulty (ranked 1 by the person)",
        "Getting around the home (stairs, steps, bathroom): a real problem",
    ]


def _decided(world, decision, held, outcome="", on=None):
    talk = _talk(world, held_on=held, options=[decision])
    extra = {"tenure": "council_tenant", "needs": "Rails"} if decision == "adapt" else {}
    options.decide(actor=world.worker, conversation_id=talk.pk, decision=decision, on=held, **extra)
    if outcome:
        options.record_outcome(actor=world.worker, conversation_id=talk.pk, outcome=outcome, on=on)
    return talk


def test_the_six_month_follow_up_is_recorded_once_after_the_decision(world, client):
    talk = _talk(world, held_on=TODAY - dt.timedelta(days=200))
    with pytest.raises(ValidationFailed) as caught:
        options.record_outcome(actor=world.worker, conversation_id=talk.pk, outcome="moved", on=TODAY)
    assert caught.value.errors == {"outcome": "Record the decision before the follow-up"}
    decided_on = TODAY - dt.timedelta(days=190)
    options.decide(actor=world.worker, conversation_id=talk.pk, decision="extra_care", on=decided_on)
    with pytest.raises(ValidationFailed) as caught:
        options.record_outcome(
            actor=world.worker, conversation_id=talk.pk, outcome="gone", on=decided_on - dt.timedelta(days=1)
        )
    assert set(caught.value.errors) == {"outcome", "on"}
    client.force_login(world.worker.user)
    bad = client.post(f"/housing/options/{talk.pk}/follow-up/", {"outcome": "moved", "on": ""})
    assert bad.status_code == 400 and 'href="#id_on"' in bad.content.decode()
    assert '<option value="moved" selected>' in bad.content.decode()
    response = client.post(
        f"/housing/options/{talk.pk}/follow-up/", {"outcome": "moved", "on": TODAY.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    stored = OptionsConversation.objects.get(pk=talk.pk)
    assert (stored.outcome, stored.outcome_on) == ("moved", TODAY)
    page = client.get(f"/housing/options/{talk.pk}/").content.decode()
    assert "Moved (found at the follow-up on" in page and "Record the follow-up" not in page
    with pytest.raises(ValidationFailed) as caught:
        options.record_outcome(actor=world.worker, conversation_id=talk.pk, outcome="no_change", on=TODAY)
    assert "was recorded on" in caught.value.errors["outcome"]


def test_kpi_move_or_adaptation_uses_the_follow_up_and_leaves_out_people_lost(world):
    jan, feb, mar = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    later = dt.date(2026, 8, 10)
    # January decisions:
    _decided(world, "adapt", jan)  # 1 Jan, no follow-up yet: the decision counts (adapt) -> yes
    _decided(world, "extra_care", dt.date(2026, 1, 15), "no_change", later)  # follow-up says no -> no
    _decided(world, "stay_with_support", dt.date(2026, 1, 20), "adapted", later)  # follow-up says yes -> yes
    _decided(world, "sheltered", dt.date(2026, 1, 31), "lost", later)  # lost: out of the share, counted apart
    _decided(world, "no_change", dt.date(2026, 1, 31))  # no follow-up, no move -> no
    # February: one lost, one moved.
    _decided(world, "rightsize", feb, "moved", later)
    _decided(world, "adapt", dt.date(2026, 2, 28), "lost", later)
    # 1 March is outside the two months.
    _decided(world, "adapt", mar)
    kpis = {k.key: k for k in housing_kpis(world.worker, [(jan, feb), (feb, mar)])}
    share = kpis["housing_options_move_or_adapt"].points
    assert (share[0].value, share[0].n) == (2 / 4, 4)
    assert (share[1].value, share[1].n) == (1.0, 1)
    lost = kpis["housing_options_lost"].points
    assert (lost[0].value, lost[1].value) == (1.0, 1.0)
    assert kpis["housing_options_move_or_adapt"].baseline.n == 5


def test_a_self_service_link_works_once_shows_only_the_questions_and_is_audited(world, client):
    from homeward.governance.models import AuditEvent

    talk = _talk(world)
    client.force_login(world.worker.user)
    assert client.get(f"/housing/options/{talk.pk}/link/").status_code == 200
    page = client.post(f"/housing/options/{talk.pk}/link/").content.decode()
    url = re.search(r'value="(http[^"]+/housing/options/self/[^"]+/)"', page).group(1)
    path = url.split("testserver", 1)[1]
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not OptionsSelfServiceLink.objects.filter(token_hash=token).exists()  # only its hash is kept
    client.logout()
    # Anonymous, without the link: nothing (the conversation page sends to the sign-in page).
    assert client.get(f"/housing/options/{talk.pk}/").status_code == 302
    assert client.get("/housing/options/self/not-a-real-token/").status_code == 404
    form = client.get(path).content.decode()
    person = world.resident
    assert f"Hello {person.given_name}" in form and "Getting around the home" in form
    assert person.family_name not in form and person.family_name.upper() not in form
    assert "Staying near my daughter" not in form and (person.nhs_number or "none") not in form
    answers = {t.value: "2" for t in HomeTopic} | {"care": "4", "rank_1": "care", "rank_2": "care"}
    bad = client.post(path, answers)
    assert bad.status_code == 400 and 'href="#id_rank_2"' in bad.content.decode()
    assert not OptionsConversation.objects.get(pk=talk.pk).self_completed_at
    done = client.post(path, answers | {"rank_2": "company", "home_notes": "Stairs are hard"})
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    stored = OptionsConversation.objects.get(pk=talk.pk)
    assert stored.scores["care"] == 4 and stored.ranking == ["care", "company"]
    assert stored.self_completed_at is not None and stored.home_notes == "Stairs are hard"
    event = AuditEvent.objects.filter(purpose__startswith="The person answered").get()
    assert event.actor_username == "self-service link" and event.detail["self_completed"] is True
    assert event.detail["replaced"]["scores"]["getting_around"] == 4
    # Used: it says so, and a second answer writes nothing.
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert client.post(path, answers | {"rank_2": ""}).status_code == 410
    assert OptionsConversation.objects.get(pk=talk.pk).ranking == ["care", "company"]


def test_a_self_service_link_expires_and_a_new_one_replaces_it(world, client):
    talk = _talk(world)
    first, token = selfservice.issue_link(actor=world.worker, conversation_id=talk.pk)
    assert first.expires_at - first.created_at == dt.timedelta(days=14)
    OptionsSelfServiceLink.objects.filter(pk=first.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(f"/housing/options/self/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    _, second = selfservice.issue_link(actor=world.worker, conversation_id=talk.pk)
    _, third = selfservice.issue_link(actor=world.worker, conversation_id=talk.pk)
    assert client.get(f"/housing/options/self/{second}/").status_code == 410  # stopped by the newer one
    assert client.get(f"/housing/options/self/{third}/").status_code == 200
    with pytest.raises(NotFound):
        selfservice.issue_link(actor=world.officer, conversation_id=talk.pk)  # another organisation's


def test_the_api_lists_and_reads_conversations_audited_and_only_its_own(world, client):
    from homeward.governance.models import AuditEvent
    from tests.housing.test_api_records import _token

    talk = _talk(world)
    headers = _token(client, world.worker)
    listed = client.get(f"/api/v1/housing/options?person_id={world.resident.pk}", **headers)
    assert listed.status_code == 200
    assert [(c["reference"], c["ranking"]) for c in listed.json()] == [
        (talk.reference, ["warmth", "getting_around"])
    ]
    assert AuditEvent.objects.filter(purpose="Housing options conversations (API)").count() == 1
    one = client.get(f"/api/v1/housing/options/{talk.pk}", **headers).json()
    assert (one["scores"]["getting_around"], one["self_completed"], one["outcome"]) == (4, False, "")
    other = _token(client, world.officer)
    assert client.get(f"/api/v1/housing/options/{talk.pk}", **other).status_code == 404
    assert client.get("/api/v1/housing/options", **other).json() == []


def test_the_person_can_answer_first_through_a_link_and_the_adviser_records_the_talk_into_it(world, client):
    """The adviser sends the questions before talking: the person answers on their phone, then the adviser
    records the conversation from their answers; until then it cannot be decided and counts in no KPI."""
    client.force_login(world.worker.user)
    start = f"/housing/options/start/{world.resident.pk}/"
    assert start in client.get(f"/housing/options/new/{world.resident.pk}/").content.decode()
    assert client.get(start).status_code == 200
    page = client.post(start).content.decode()
    talk = OptionsConversation.objects.get()
    assert (talk.scores, talk.what_matters, talk.options) == ({}, "", [])
    path = re.search(r'value="http://testserver(/housing/options/self/[^"]+/)"', page).group(1)
    waiting = client.get(f"/housing/options/{talk.pk}/").content.decode()
    assert "They have not answered yet" in waiting and "Not answered yet" in waiting
    assert f"/housing/options/{talk.pk}/decide/" not in waiting
    with pytest.raises(ValidationFailed):  # nothing was talked through yet: no decision
        options.decide(actor=world.worker, conversation_id=talk.pk, decision="adapt", on=TODAY)
    # A second start while the first waits sends a new link for the same conversation.
    client.post(start)
    assert OptionsConversation.objects.count() == 1 and talk.links.count() == 2
    path = re.search(
        r'value="http://testserver(/housing/options/self/[^"]+/)"', client.post(start).content.decode()
    )
    path = path.group(1)

    client.logout()
    answers = {t.value: "1" for t in HomeTopic} | {"getting_around": "4", "rank_1": "getting_around"}
    assert client.post(path, answers).status_code == 200
    client.force_login(world.worker.user)
    record = f"/housing/options/{talk.pk}/record/"
    form = client.get(record).content.decode()
    assert "answered the topics themselves" in form
    assert re.search(r'<option value="4" selected>4:', form)  # their answer is there to start from
    bad = client.post(record, answers | {"held_on": TODAY.strftime("%d/%m/%Y"), "what_matters": "Stairs"})
    assert bad.status_code == 400 and 'href="#id_options"' in bad.content.decode()
    assert OptionsConversation.objects.get().what_matters == ""  # nothing written
    done = client.post(
        record,
        answers
        | {
            "held_on": TODAY.strftime("%d/%m/%Y"),
            "what_matters": "The stairs",
            "options": ["adapt", "no_change"],
        },
    )
    assert done.status_code == 302
    talk.refresh_from_db()
    assert (talk.what_matters, talk.options, talk.scores["getting_around"]) == (
        "The stairs",
        ["adapt", "no_change"],
        4,
    )
    assert talk.self_completed_at is not None and OptionsConversation.objects.count() == 1
    assert (
        f"/housing/options/{talk.pk}/decide/" in client.get(f"/housing/options/{talk.pk}/").content.decode()
    )
    # Another organisation can neither start one for the person nor record into this one.
    client.force_login(world.officer.user)
    assert client.post(record, answers).status_code == 404
