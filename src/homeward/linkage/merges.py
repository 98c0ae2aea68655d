"""What a merge of two person records (people.merges) does to linkage: the merged record's pairs, identity
and alerts move to the survivor where no row of the survivor's already says the same, and every agreement
touched rebuilds its identities from its links, so the survivor stands for the person in every later run
(merged records are left out of runs: `records.party_frames`). A split moves them back the same way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from homeward.governance.models import DataSharingAgreement
from homeward.linkage import identities
from homeward.linkage.models import IdentityLedger, LinkPair, PersonIdentity, TenantInHospitalAlert
from homeward.people.merging import RowMove, register_after, register_mover


def move_pairs(rows: QuerySet[Any], field: str, merged_id: int, survivor_id: int) -> Iterable[RowMove]:
    """A pair is kept in (left < right) order; if the survivor already has a pair with the same record
    under the agreement, the merged record's pair stays where it is (the survivor's one counts)."""
    for pair in rows:
        other = pair.right_id if field == "left" else pair.left_id
        if other == survivor_id:
            yield RowMove(pair.pk, reason="a pair of the two merged records")
            continue
        left, right = sorted((survivor_id, other))
        if LinkPair.objects.filter(agreement_id=pair.agreement_id, left_id=left, right_id=right).exists():
            yield RowMove(pair.pk, reason="the survivor already has a pair with this record")
            continue
        yield RowMove(pair.pk, {"left": (pair.left_id, left), "right": (pair.right_id, right)})


def move_identity(rows: QuerySet[Any], field: str, merged_id: int, survivor_id: int) -> Iterable[RowMove]:
    for row in rows:
        if PersonIdentity.objects.filter(agreement_id=row.agreement_id, person_id=survivor_id).exists():
            yield RowMove(
                row.pk, reason="the survivor has its own identity; identities are rebuilt from links"
            )
        else:
            yield RowMove(row.pk, {"person": (merged_id, survivor_id)})


def move_alert(rows: QuerySet[Any], field: str, merged_id: int, survivor_id: int) -> Iterable[RowMove]:
    for alert in rows:
        tenant = survivor_id if field == "tenant" else alert.tenant_id
        taken = TenantInHospitalAlert.objects.filter(
            organisation_id=alert.organisation_id, tenant_id=tenant, source=alert.source
        ).exclude(pk=alert.pk)
        if taken.exists():
            yield RowMove(alert.pk, reason="the survivor already has this alert")
        else:
            yield RowMove(alert.pk, {field: (merged_id, survivor_id)})


def _rename_in_ledger(agreement_id: int, old: int, new: int) -> None:
    """The identity state keys records as ("person", id): the moved identity now belongs to `new`."""
    ledger = IdentityLedger.objects.select_for_update().filter(agreement_id=agreement_id).first()
    if ledger is None or not ledger.state:
        return
    assignments = ledger.state.get("assignments", [])
    held = {r for _, r, _ in assignments}
    if str(new) in held:
        return
    ledger.state = ledger.state | {
        "assignments": sorted([s, str(new) if r == str(old) else r, i] for s, r, i in assignments)
    }
    ledger.save(update_fields=["state"])


def after_merge(merge: Any, step: str) -> None:
    """Rebuild the identities of every agreement whose pairs or identities the merge moved."""
    old, new = (
        (merge.merged_id, merge.survivor_id) if step == "merge" else (merge.survivor_id, merge.merged_id)
    )
    agreements: set[int] = set()
    identity_rows = [row["pk"] for row in merge.moves.get("linkage.PersonIdentity", [])]
    for agreement_id in PersonIdentity.objects.filter(pk__in=identity_rows).values_list(
        "agreement_id", flat=True
    ):
        _rename_in_ledger(agreement_id, old, new)
        agreements.add(agreement_id)
    pair_rows = [row["pk"] for row in merge.moves.get("linkage.LinkPair", [])]
    agreements.update(LinkPair.objects.filter(pk__in=pair_rows).values_list("agreement_id", flat=True))
    for agreement in DataSharingAgreement.objects.filter(pk__in=agreements).order_by("pk"):
        identities.rebuild(agreement)


def register() -> None:
    register_mover("linkage.LinkPair", "left", move_pairs)
    register_mover("linkage.LinkPair", "right", move_pairs)
    register_mover("linkage.PersonIdentity", "person", move_identity)
    register_mover("linkage.TenantInHospitalAlert", "tenant", move_alert)
    register_mover("linkage.TenantInHospitalAlert", "patient", move_alert)
    register_after(after_merge)
