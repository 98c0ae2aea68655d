"""Merges of duplicate person records inside one organisation, kept so that a split can undo them exactly."""

from __future__ import annotations

from django.db import models

from homeward.core.models import Organisation, Person, User


class PersonMerge(models.Model):
    """Two records of one organisation found to be the same person: `merged`'s rows moved to `survivor`.

    Nothing is deleted: the merged record stays, hidden from searches while the merge stands, and `moves`
    lists every row the merge changed ({"app.Model": [{"pk": 1, "changes": {"person": [old, new]}}]}), so
    that a split puts exactly those rows back. `kept` lists rows left on the merged record, with why."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=500)
    moves = models.JSONField(default=dict)
    kept = models.JSONField(default=dict)
    merged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    split_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    split_at = models.DateTimeField(null=True, blank=True)
    split_reason = models.TextField(max_length=500, blank=True)
    # Rows the split could not put back (changed again since the merge), with why: {"app.Model": [...]}.
    split_left = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["merged"], condition=models.Q(split_at__isnull=True), name="people_one_standing_merge"
            ),
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("merged")), name="people_merge_two_records"
            ),
        ]

    def __str__(self) -> str:
        return f"Record {self.merged_id} merged into {self.survivor_id}"

    @property
    def is_standing(self) -> bool:
        return self.split_at is None

    @property
    def moved_count(self) -> int:
        return sum(len(rows) for rows in self.moves.values())
