"""Stable person identities under an agreement: the engine's pure `update_identities`, kept in the database.

Run after every linkage run and every reviewer's decision (or its undoing), so an identity's id stays
the same as records arrive and the model is re-run; merges and splits are kept as events."""

from __future__ import annotations

from django.db.models import Q
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
    # An identity of one record is no link at all: only identities joining two or more records are kept
    # queryable (the ledger remembers the rest, so their ids come back if they are linked again).
    sizes: dict[str, int] = {}
    for identity in update.state.assignments.values():
        sizes[identity] = sizes.get(identity, 0) + 1
    wanted = {
        int(record_id): identity
        for (_, record_id), identity in update.state.assignments.items()
        if sizes[identity] > 1
    }
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


def identity_of(agreement_id: int, person_id: int) -> str | None:
    row = PersonIdentity.objects.filter(agreement_id=agreement_id, person_id=person_id).first()
    return row.identity if row else None


def linked_records(agreement_id: int, person_id: int) -> list[int]:
    """The other records in the person's identity under the agreement (ids)."""
    identity = identity_of(agreement_id, person_id)
    if identity is None:
        return []
    return list(
        PersonIdentity.objects.filter(Q(agreement_id=agreement_id) & Q(identity=identity))
        .exclude(person_id=person_id)
        .values_list("person_id", flat=True)
    )
