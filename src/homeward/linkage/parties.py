"""Which organisations are working with a person now: an open case or referral of their own on the record.

For the case view under an agreement naming *linked parties*: a party learns that another party is working
with the person (so that they can coordinate), never what that work is or what the record says. Reads
other apps' models only (their public `models` and `codes`), and returns organisation ids only."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from homeward.adaptations.models import OPEN_STATUSES as ADAPTATIONS_OPEN
from homeward.adaptations.models import AdaptationCase
from homeward.discharge.codes import CaseStatus as DischargeStatus
from homeward.discharge.models import DischargeCase
from homeward.referrals.codes import ReferralStatus
from homeward.referrals.models import Referral
from homeward.support.codes import CaseStatus as SupportStatus
from homeward.support.models import SupportCase

#: Hospital to Home is open from referral to the end of follow-up.
DISCHARGE_OPEN = (
    DischargeStatus.REFERRED,
    DischargeStatus.SCREENING,
    DischargeStatus.ACTIVE,
    DischargeStatus.READY,
    DischargeStatus.DISCHARGED,
    DischargeStatus.FOLLOW_UP,
)
#: A referral sent and not yet finished (a draft was never sent).
REFERRAL_OPEN = (
    ReferralStatus.REQUESTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.ON_HOLD,
)
SUPPORT_OPEN = (SupportStatus.WAITING, SupportStatus.ACTIVE)


def working_with(person_ids: Iterable[int]) -> set[int]:
    """Ids of the organisations with open work on any of these records: the case's holder (and, for
    Hospital to Home, its housing organisation; for a referral, the service it went to)."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    found: set[int] = set()
    for holder, housing in DischargeCase.objects.filter(
        person_id__in=ids, status__in=DISCHARGE_OPEN
    ).values_list("organisation_id", "housing_organisation_id"):
        found.update((holder, housing))
    for sender, receiver in Referral.objects.filter(person_id__in=ids, status__in=REFERRAL_OPEN).values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        found.update((sender, receiver))
    found.update(
        AdaptationCase.objects.filter(person_id__in=ids, status__in=ADAPTATIONS_OPEN).values_list(
            "organisation_id", flat=True
        )
    )
    found.update(
        SupportCase.objects.filter(Q(person_id__in=ids), status__in=SUPPORT_OPEN).values_list(
            "organisation_id", flat=True
        )
    )
    return found
