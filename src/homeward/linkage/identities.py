"""Stable person identities under an agreement: the engine's pure `update_identities`, kept in the database.

Run after every linkage run and every reviewer's decision (or its undoing), so an identity's id stays
the same as records arrive and the model is re-run; merges and splits are kept as events."""

from __future__ import annotations

from django.utils import timezone

from homeward.engines.linkage import IdentityState, update_identities
from homeward.governance.models import DataSharingAgreement
from homeward.linkage.codes import LINKING
from homeward.linkage.models import IdentityEvent, IdentityLedger, LinkPair, PersonIdentity


def _key(person_id: int) -> tuple[str, str]:
    return ("person", str(person_id))


def rebuild(agreement: DataSharingAgreement) -> list[IdentityEvent]:
    """Bring the agreement's identities up to date with its linking pairs; returns the events stored."""
    ledger = IdentityLedger.objects.select_for_update().filter(agreement=agreement).first()
    previous = IdentityState.from_dict(ledger.state) if ledger and ledger.state else IdentityState()
    links = list(
        LinkPair.objects.filter(agreement=agreement, status__in=LINKING).values_list("left_id", "right_id")
    )
    # Only linked records have an identity: a record whose last link is undone leaves its identity (the
    # engine closes an identity left with no records), and if it is linked again the identity's id, derived
    # from its first record, comes back.
    records = {_key(a) for pair in links for a in pair}
    update = update_identities(
        previous, records=sorted(records), links=[(_key(a), _key(b)) for a, b in links]
    )
    now = timezone.now()
    if ledger is None:
        ledger = IdentityLedger(agreement=agreement)
    ledger.state = update.state.as_dict()
    ledger.updated_at = now
    ledger.save()
    # Every assigned record came in through a link, so every identity here joins two or more records.
    wanted = {int(record_id): identity for (_, record_id), identity in update.state.assignments.items()}
    current = dict(PersonIdentity.objects.filter(agreement=agreement).values_list("person_id", "identity"))
    stale = [pid for pid, identity in current.items() if wanted.get(pid) != identity]
    PersonIdentity.objects.filter(agreement=agreement, person_id__in=stale).delete()
    PersonIdentity.objects.bulk_create(
        [
            PersonIdentity(agreement=agreement, person_id=pid, identity=identity)
            for pid, identity in wanted.items()
            if current.get(pid) != identity
        ],
        batch_size=2000,
    )
    events = [
        IdentityEvent(
            agreement=agreement,
            kind=event.kind,
            identity=event.identity,
            other=event.other or "",
            people=[int(r) for _, r in event.records],
            occurred_at=now,
        )
        for event in update.events
    ]
    return IdentityEvent.objects.bulk_create(events, batch_size=2000)
