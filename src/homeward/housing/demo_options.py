"""Demo "stay or move?" conversations with older people living at home, held by the housing options
adviser over the past months: some decided to move to extra care or sheltered housing (and are on its
waiting list), one to adapt the home (which opens an adaptations case), some to stay with support from the
people and place team (who open a case for them: one closed after going with the person to the GP, one
still open with a money-advice referral sent), some to change nothing yet, and one conversation still waits
for a decision. Choices come from each person's place in the list, never
from an id or the demo's shared random generator. Every person and figure is synthetic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.utils import timezone

from homeward.core.models import Organisation, Person
from homeward.governance.access import Actor
from homeward.housing import options, services
from homeward.housing.codes import HomeTopic
from homeward.housing.models import Scheme

#: (what matters most, options talked through, decision or "" for none yet, people and place help)
CONVERSATIONS = [
    ("Being safe at night and help on hand", ["extra_care", "adapt", "no_change"], "extra_care", []),
    ("Company: since my husband died I see nobody", ["sheltered", "stay_with_support"], "sheltered", []),
    (
        "Staying in the street I have lived in for 50 years",
        ["stay_with_support", "adapt"],
        "stay_with_support",
        ["gp_visit"],
    ),
    ("Nothing needs to change yet; I will ask when it does", ["no_change", "sheltered"], "no_change", []),
    ("A smaller flat that is cheaper to heat", ["rightsize", "stay_with_support"], "rightsize", []),
    (
        "Keeping up with the rent and the bills",
        ["stay_with_support", "rightsize"],
        "stay_with_support",
        ["tenancy_sustainment"],
    ),
    ("My daughter worries about the stairs", ["sheltered", "extra_care", "adapt"], "", []),
    ("Getting up the stairs to the bathroom", ["adapt", "sheltered", "no_change"], "adapt", []),
]
#: What the person who chose to adapt the home needs (the adaptations case's needs).
ADAPT_NEEDS = "A stair-lift, or a level-access shower downstairs: cannot manage the stairs to the bathroom"
HOME_NOTES = "Lives alone in a two-bedroom house; bathroom upstairs; last fall in the spring"


def seed_options(
    actor: Actor,
    people: Sequence[Person],
    schemes: Mapping[str, Scheme],
    advice: Organisation | None = None,
) -> int:
    """One conversation per person (up to eight); a move to extra care or sheltered housing is referred
    to the provider's scheme; help from the people and place team opens its case (money advice referred
    to `advice`, a partner under an agreement). Returns the number of placements (referrals) made."""
    today = timezone.localdate()
    referred = 0
    topics = list(HomeTopic)
    for i, (person, (matters, talked, decision, actions)) in enumerate(
        zip(people, CONVERSATIONS, strict=False)
    ):
        held = today - dt.timedelta(days=20 + 25 * i)
        scores = {t.value: (i + 2 * j) % 5 for j, t in enumerate(topics)}
        conversation = options.record_conversation(
            actor=actor,
            person_id=person.pk,
            held_on=held,
            scores=scores,
            # The person ranks the three hardest topics (ties in the topics' order) as mattering most.
            ranking=sorted(scores, key=lambda t: -scores[t])[:3],
            what_matters=matters,
            options=talked,
            home_notes=HOME_NOTES,
        )
        if not decision:
            continue
        decided = held + dt.timedelta(days=7)
        adapt = {"tenure": "owner_occupier", "needs": ADAPT_NEEDS} if decision == "adapt" else {}
        options.decide(
            actor=actor,
            conversation_id=conversation.pk,
            decision=decision,
            on=decided,
            actions=actions,
            **adapt,
        )
        if actions:
            _people_place(actor, person, decided, actions, advice)
        if decision in schemes:
            services.refer(
                actor=actor,
                person_id=person.pk,
                scheme_id=schemes[decision].pk,
                source="self",
                needs=f"Chose to move after a housing options conversation: {matters.lower()}",
                referred_on=decided,
            )
            referred += 1
    return referred


def _people_place(
    actor: Actor, person: Person, opened: dt.date, actions: list[str], advice: Organisation | None
) -> None:
    """A going-to-the-GP case is closed ten days later as helped; a tenancy sustainment case, opened when
    the rent arrears began, stays open with a money-advice referral sent through the referral model."""
    from homeward.referrals.services import send_referral

    today = timezone.localdate()
    if "gp_visit" in actions:
        case = services.open_people_place_case(
            actor=actor,
            person_id=person.pk,
            help=["gp_visit"],
            note="Worried about dizzy spells; asked for someone to go with her to the GP",
            on=opened,
        )
        services.close_people_place_case(
            actor=actor,
            case_id=case.pk,
            outcome="helped",
            on=min(today, opened + dt.timedelta(days=10)),
            note="Went with her to the GP; her tablets were changed and she has had no dizzy spells since",
        )
        return
    case = services.open_people_place_case(  # when the arrears began, months after the conversation
        actor=actor,
        person_id=person.pk,
        help=["tenancy_sustainment", "money_advice"],
        note="Behind with the rent since the heating bills went up",
        on=max(opened, today - dt.timedelta(days=12)),
    )
    if advice is not None:
        send_referral(
            actor=actor,
            person_id=person.pk,
            to_organisation_id=advice.pk,
            service_kind="money_advice",
            reason="Rent arrears of about six weeks since the winter bills; wants a benefits check",
            source_type="housing.people_place",
            source_id=case.pk,
        )
