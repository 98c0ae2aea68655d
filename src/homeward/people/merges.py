"""Merging two records of one person held by one organisation, and splitting them again.

The merged record is never deleted: it stays, marked merged into the survivor (a standing `PersonMerge`),
hidden from searches, and its page sends the reader to the survivor. Every row that pointed at it (cases,
referrals, consent, sharing, linkage pairs and identities: every foreign key to Person, found by
`merging.person_references`) moves to the survivor and is listed in the merge, so that a split puts exactly
those rows back. Team leads and IG officers merge (Permission.MERGE_PEOPLE)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.core.validators import check_text
from homeward.governance.access import Actor, visible_people
from homeward.governance.audit import record_event
from homeward.governance.models import AuditAction, CorrectionStatus, PersonCorrection
from homeward.people import merging
from homeward.people.models import PersonMerge

REASON_MAX = 500


def standing_merge_of(person_id: int) -> PersonMerge | None:
    """The merge that folded this record into another, while it stands."""
    return (
        PersonMerge.objects.filter(merged_id=person_id, split_at__isnull=True)
        .select_related("survivor", "merged_by")
        .first()
    )


def merged_ids() -> Any:
    """Ids of the records folded into another by a standing merge (a subquery, for hiding them)."""
    return PersonMerge.objects.filter(split_at__isnull=True).values("merged_id")


def merges_of(person: Person) -> list[PersonMerge]:
    """Every merge this record took part in, either side, newest first (the person already came through
    the access layer)."""
    from django.db.models import Q

    return list(
        PersonMerge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related(
            "survivor", "merged", "merged_by", "split_by"
        )[:50]
    )


def _own_person(actor: Actor, person_id: int, field: str) -> Person:
    person = (
        visible_people(actor)
        .filter(pk=person_id, organisation_id=actor.organisation_id)
        .select_related("organisation")
        .first()
    )
    if person is None:
        raise NotFound(f"No person with that id held by your organisation ({field})")
    return person


@dataclass(frozen=True)
class Holding:
    """What points at one record: (label of the kind of row, how many)."""

    label: str
    count: int


def holdings_of(person: Person) -> list[Holding]:
    """How many rows of each kind point at this record: what a merge of it would move."""
    out: list[Holding] = []
    for model, field in merging.person_references():
        count = model._default_manager.filter(**{field: person.pk}).count()
        if count:
            name = str(model._meta.verbose_name_plural)
            out.append(Holding(name if field == "person" else f"{name} ({field})", count))
    return out


def conflicts(actor: Actor, survivor: Person, merged: Person) -> dict[str, str]:
    """Why these two records cannot be merged now, by the form field to blame (empty: they can)."""
    errors: dict[str, str] = {}
    if survivor.pk == merged.pk:
        errors["merged"] = "Choose two different records"
        return errors
    for field, person in (("survivor", survivor), ("merged", merged)):
        earlier = standing_merge_of(person.pk)
        if earlier is not None:
            errors[field] = (
                f"Record {person.pk} was already merged into record {earlier.survivor_id}; "
                "work on that record instead"
            )
        pending = (
            PersonCorrection.objects.filter(person=person, status=CorrectionStatus.PENDING)
            .select_related("organisation")
            .first()
        )
        if pending is not None and field not in errors:
            errors[field] = (
                f"A correction proposed by {pending.organisation} to record {person.pk} is waiting for a "
                "decision: accept or reject it before merging"
            )
    if "merged" not in errors and PersonMerge.objects.filter(survivor=merged, split_at__isnull=True).exists():
        errors["merged"] = (
            f"Other records were merged into record {merged.pk}: keep it as the survivor and merge the "
            "other record into it"
        )
    if survivor.nhs_number and merged.nhs_number and survivor.nhs_number != merged.nhs_number:
        errors["merged"] = "The two records have different NHS numbers, so they are not the same person"
    return errors


def _check_reason(errors: dict[str, str], field: str, reason: str) -> str:
    reason = (reason or "").strip()
    check_text(errors, field, reason, multiline=True)
    if not reason:
        errors[field] = "Say why these records are the same person (or, to split, why they are not)"
    elif len(reason) > REASON_MAX:
        errors[field] = f"Reason must be {REASON_MAX} characters or fewer"
    return reason


def _apply(label: str, moves: Iterable[merging.RowMove], backwards: bool = False) -> list[dict[str, Any]]:
    from django.apps import apps

    model = apps.get_model(label)
    done: list[dict[str, Any]] = []
    for move in moves:
        if not move.changes:
            continue
        values = {field: (old if backwards else new) for field, (old, new) in move.changes.items()}
        model._default_manager.filter(pk=move.pk).update(**values)
        done.append({"pk": move.pk, "changes": {f: [old, new] for f, (old, new) in move.changes.items()}})
    return done


@transaction.atomic
def merge_people(*, actor: Actor, survivor_id: int, merged_id: int, reason: str) -> PersonMerge:
    """Fold `merged_id` into `survivor_id` (both held by the actor's organisation); audited on both."""
    actor.require(Permission.MERGE_PEOPLE)
    survivor = _own_person(actor, survivor_id, "survivor")
    merged = _own_person(actor, merged_id, "merged")
    # Lock both in id order, so that two merges of the same pair cannot interleave.
    list(Person.objects.select_for_update().filter(pk__in=sorted({survivor.pk, merged.pk})).order_by("pk"))
    errors = conflicts(actor, survivor, merged)
    reason = _check_reason(errors, "reason", reason)
    if errors:
        raise ValidationFailed(errors)
    moves: dict[str, list[dict[str, Any]]] = {}
    kept: dict[str, list[dict[str, Any]]] = {}
    for model, field in merging.person_references():
        label = model._meta.label
        planned = merging.moves_for(model, field, merged.pk, survivor.pk)
        done = _apply(label, planned)
        if done:
            moves.setdefault(label, []).extend(done)
        left = [{"pk": m.pk, "field": field, "reason": m.reason} for m in planned if not m.changes]
        if left:
            kept.setdefault(label, []).extend(left)
    merge = PersonMerge.objects.create(
        organisation_id=actor.organisation_id,
        survivor=survivor,
        merged=merged,
        reason=reason,
        moves=moves,
        kept=kept,
        merged_by=actor.user,
        merged_at=timezone.now(),
    )
    merging.run_after(merge, "merge")
    counts = {label: len(rows) for label, rows in moves.items()}
    for person, role in ((survivor, "survivor"), (merged, "merged")):
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Merge two records of the same person",
            obj=merge,
            person_id=person.pk,
            detail={
                "as": role,
                "survivor": survivor.pk,
                "merged": merged.pk,
                "moved": counts,
                "kept": {k: len(v) for k, v in kept.items()},
            },
        )
    return merge


@transaction.atomic
def split_merge(*, actor: Actor, merge_id: int, reason: str, person_id: int | None = None) -> PersonMerge:
    """Undo a standing merge: every row it moved goes back to the merged record, unless the row has been
    changed again since (then it stays, and the split lists it). Rows added to the survivor after the merge
    stay with the survivor."""
    actor.require(Permission.MERGE_PEOPLE)
    merge = (
        PersonMerge.objects.select_for_update()
        .filter(pk=merge_id, organisation_id=actor.organisation_id)
        .first()
    )
    if (
        merge is None
        or (person_id is not None and person_id not in (merge.survivor_id, merge.merged_id))
        or not visible_people(actor).filter(pk=merge.survivor_id).exists()
    ):
        raise NotFound("No merge with that id made by your organisation")
    errors: dict[str, str] = {}
    if not merge.is_standing:
        errors["merge"] = f"This merge was already split on {timezone.localtime(merge.split_at):%d %B %Y}"
    reason = _check_reason(errors, "reason", reason)
    if errors:
        raise ValidationFailed(errors)
    from django.apps import apps

    left: dict[str, list[dict[str, Any]]] = {}
    restored: dict[str, int] = {}
    for label, rows in merge.moves.items():
        model = apps.get_model(label)
        for row in rows:
            fields = row["changes"]
            current = model._default_manager.filter(pk=row["pk"]).values(*fields).first()
            if current is None or any(current[f] != new for f, (_, new) in fields.items()):
                why = "no longer exists" if current is None else "changed again since the merge"
                left.setdefault(label, []).append({"pk": row["pk"], "reason": why})
                continue
            model._default_manager.filter(pk=row["pk"]).update(**{f: old for f, (old, _) in fields.items()})
            restored[label] = restored.get(label, 0) + 1
    merge.split_by, merge.split_at, merge.split_reason, merge.split_left = (
        actor.user,
        timezone.now(),
        reason,
        left,
    )
    merge.save()
    merging.run_after(merge, "split")
    for person_id, role in ((merge.survivor_id, "survivor"), (merge.merged_id, "merged")):
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            purpose="Split a merge of two person records",
            obj=merge,
            person_id=person_id,
            detail={"as": role, "restored": restored, "left": {k: len(v) for k, v in left.items()}},
        )
    return merge


@transaction.atomic  # the read and its audit rows commit together, or neither
def merge_preview(*, actor: Actor, survivor_id: int, merged_id: int) -> dict[str, Any]:
    """Both records side by side, what each holds, and why they cannot be merged (if so). Audited."""
    actor.require(Permission.MERGE_PEOPLE)
    survivor = _own_person(actor, survivor_id, "survivor")
    merged = _own_person(actor, merged_id, "merged")
    for person in (survivor, merged):
        record_event(
            actor=actor,
            action=AuditAction.VIEW,
            purpose="Compare two records before merging them",
            obj=person,
            person_id=person.pk,
        )
    return {
        "survivor": survivor,
        "merged": merged,
        "survivor_holds": holdings_of(survivor),
        "merged_holds": holdings_of(merged),
        "problems": conflicts(actor, survivor, merged),
    }


def merge_candidates(*, actor: Actor, person: Person, limit: int = 10) -> list[Person]:
    """Other records the actor's organisation holds with this person's date of birth and family or given
    name, not already merged: the likely duplicates to offer. Audited as a search."""
    from django.db.models import Q

    found = list(
        Person.objects.filter(organisation_id=actor.organisation_id, date_of_birth=person.date_of_birth)
        .filter(Q(family_name__iexact=person.family_name) | Q(given_name__iexact=person.given_name))
        .exclude(pk=person.pk)
        .exclude(pk__in=merged_ids())
        .order_by("pk")[:limit]
    )
    record_event(
        actor=actor,
        action=AuditAction.SEARCH,
        purpose="Find likely duplicates to merge",
        person_id=person.pk,
        detail={"results": [p.pk for p in found]},
    )
    return found


def timeline_entries(actor: Actor, person: Person) -> Iterable[Any]:
    """Merges and splits on both records' timelines (the holding organisation's own records only)."""
    from homeward.people.timeline import TimelineEntry

    if person.organisation_id != actor.organisation_id:
        return
    for merge in merges_of(person):
        other = merge.merged_id if merge.survivor_id == person.pk else merge.survivor_id
        title = (
            f"Record {other} merged into this record"
            if merge.survivor_id == person.pk
            else f"Merged into record {other}"
        )
        yield TimelineEntry(merge.merged_at, title, merge.reason, "record")
        if merge.split_at:
            yield TimelineEntry(merge.split_at, f"Split from record {other}", merge.split_reason, "record")


def subject_access_section(person: Person) -> list[dict[str, Any]]:
    """Every merge of this record, for the subject access export: when, why, what moved, any split."""
    return [
        {
            "survivor": merge.survivor_id,
            "merged": merge.merged_id,
            "this_record_is": "survivor" if merge.survivor_id == person.pk else "merged",
            "reason": merge.reason,
            "merged_at": merge.merged_at,
            "moved": {label: [row["pk"] for row in rows] for label, rows in merge.moves.items()},
            "split_at": merge.split_at,
            "split_reason": merge.split_reason,
        }
        for merge in merges_of(person)
    ]
