"""Which rows point at a person, and how a merge moves them: the registry other apps add to.

Every foreign key to `Person` in every installed app is found by introspection (`person_references`), so a
model added later is moved by a merge without anyone remembering to list it. By default each row's key
moves from the merged record to the survivor; an app whose rows need more (an ordered pair, a unique
constraint) registers a mover with `register_mover`, and work to redo afterwards (identities rebuilt from
links) with `register_after`. Movers return `RowMove`s; the service applies and records them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet

from homeward.core.models import Person


@dataclass(frozen=True)
class RowMove:
    """One row: the fields to change as {field: (old, new)}, or no changes and the reason it stays."""

    pk: int
    changes: dict[str, tuple[int, int]] = field(default_factory=dict)
    reason: str = ""


#: mover(rows pointing at the merged record through `field`, field, merged id, survivor id)
Mover = Callable[[QuerySet[Any], str, int, int], Iterable[RowMove]]
#: after(merge, "merge" | "split"), in the merge's transaction, once every row has moved
After = Callable[[Any, str], None]

_MOVERS: dict[tuple[str, str], Mover] = {}
_AFTER: list[After] = []


def register_mover(label: str, field_name: str, mover: Mover) -> None:
    """Use `mover` for the rows of model `label` ("app.Model") whose `field_name` points at a person."""
    _MOVERS[(label, field_name)] = mover


def register_after(hook: After) -> None:
    if hook not in _AFTER:
        _AFTER.append(hook)


def person_references() -> list[tuple[type[Model], str]]:
    """(model, field) for every foreign key to Person in the installed apps, merges themselves excepted."""
    found: list[tuple[type[Model], str]] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            model = relation.related_model
            if (
                not (isinstance(model, type) and issubclass(model, Model))
                or model._meta.label == "people.PersonMerge"
            ):
                continue
            found.append((model, relation.field.name))  # type: ignore[union-attr]
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1]))


def _move_every_row(rows: QuerySet[Any], field_name: str, merged_id: int, survivor_id: int) -> list[RowMove]:
    return [RowMove(pk, {field_name: (merged_id, survivor_id)}) for pk in rows.values_list("pk", flat=True)]


def moves_for(model: type[Model], field_name: str, merged_id: int, survivor_id: int) -> list[RowMove]:
    rows = model._default_manager.filter(**{field_name: merged_id}).order_by("pk")
    mover = _MOVERS.get((model._meta.label, field_name), _move_every_row)
    return list(mover(rows, field_name, merged_id, survivor_id))


def run_after(merge: Any, step: str) -> None:
    for hook in _AFTER:
        hook(merge, step)
