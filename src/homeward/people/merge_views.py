"""Pages to merge two records of the same person held by one organisation, and to split them again."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.models import Person
from homeward.core.roles import Permission
from homeward.core.validators import MAX_ID
from homeward.governance.routes import personal_data
from homeward.people import merges, selectors
from homeward.people.forms import MergeForm, SplitForm
from homeward.web.views import ActorRequest, actor_required, add_errors, form_errors, need, run_action


def _own_or_404(request: ActorRequest, person_id: int, purpose: str) -> Person:
    try:
        person = selectors.get_person(actor=request.actor, person_id=person_id, purpose=purpose)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if person.organisation_id != request.actor.organisation_id:
        raise Http404("No person with that id held by your organisation")
    return person


def _record_number(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_ID else None


@actor_required
# Only the organisation holding both records merges them; a partner sees nothing here (404).
@personal_data("person_id", Permission.MERGE_PEOPLE, reach="own")
def person_merge(request: ActorRequest, person_id: int) -> HttpResponse:
    """Step 1: choose the other record (likely duplicates are offered). Step 2 (`?other=N`): both records
    side by side, what each holds, which stays and why. POST merges."""
    need(request, Permission.MERGE_PEOPLE, "Your role cannot merge records")
    person = _own_or_404(request, person_id, "Merge duplicate records")
    standing = merges.standing_merge_of(person.pk)
    if standing is not None:
        return redirect("people:person", person_id=standing.survivor_id)
    form = MergeForm(request.POST or None, initial={"survivor": person.pk})
    raw = form.data.get("other") if request.method == "POST" else request.GET.get("other")
    other_id = _record_number(raw)
    if other_id is None or other_id == person.pk:
        bad = raw is not None
        context = {
            "person": person,
            "candidates": merges.merge_candidates(actor=request.actor, person=person),
            "typed": raw or "",
            "errors": {"other": "Enter the record number of another record your organisation holds"}
            if bad
            else {},
        }
        return render(request, "people/merge_choose.html", context, status=400 if bad else 200)
    try:
        preview = merges.merge_preview(actor=request.actor, survivor_id=person.pk, merged_id=other_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if request.method == "POST" and form.is_valid():
        survivor_id = form.cleaned_data["survivor"]
        try:
            if survivor_id not in (person.pk, other_id):
                raise ValidationFailed({"survivor": "Choose one of the two records shown"})
            merge = merges.merge_people(
                actor=request.actor,
                survivor_id=survivor_id,
                merged_id=other_id if survivor_id == person.pk else person.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationFailed as exc:
            add_errors(form, exc)
        else:
            messages.info(
                request,
                f"Record {merge.merged_id} was merged into this record ({merge.moved_count} rows moved). "
                "If they are not the same person, split them below.",
            )
            return redirect("people:person", person_id=merge.survivor_id)
    context = preview | {"person": person, "form": form, "other_id": other_id}
    return render(request, "people/merge_confirm.html", context, status=400 if form.errors else 200)


@require_POST
@actor_required
@personal_data("person_id", Permission.MERGE_PEOPLE, reach="own")
def merge_split(request: ActorRequest, person_id: int, merge_id: int) -> HttpResponse:
    """Split a merge of this record: the rows it moved go back to the merged record."""
    need(request, Permission.MERGE_PEOPLE, "Your role cannot split merged records")
    person = _own_or_404(request, person_id, "Split a merge")
    form = SplitForm(request.POST)

    def split() -> str:
        if not form.is_valid():
            raise form_errors(form)
        merge = merges.split_merge(
            actor=request.actor, merge_id=merge_id, reason=form.cleaned_data["reason"], person_id=person.pk
        )
        left = sum(len(rows) for rows in merge.split_left.values())
        return f"Records {merge.survivor_id} and {merge.merged_id} are separate again" + (
            f"; {left} rows changed since the merge stayed where they are" if left else ""
        )

    run_action(request, split)
    return redirect("people:person", person_id=person.pk)
