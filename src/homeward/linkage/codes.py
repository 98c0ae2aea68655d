"""Codes of the linkage app, defined once."""

from __future__ import annotations

from django.db import models


class PairStatus(models.TextChoices):
    """Where a scored pair stands. The model decides `linked` or `review`; people decide the rest."""

    LINKED = "linked", "Linked by the model"
    REVIEW = "review", "Waiting for review"
    CONFIRMED = "confirmed", "Confirmed: the same person"
    REJECTED = "rejected", "Not the same person"
    UNSURE = "unsure", "Unsure: needs another look"
    RETIRED = "retired", "No longer found by the model"


#: Statuses that make two records one person.
LINKING = (PairStatus.LINKED, PairStatus.CONFIRMED)
#: Statuses that wait on a reviewer.
WAITING = (PairStatus.REVIEW, PairStatus.UNSURE)


class ReviewDecision(models.TextChoices):
    LINK = "link", "The same person: link them"
    NOT_SAME = "not_same", "Not the same person"
    UNSURE = "unsure", "Unsure: leave for another reviewer"


DECISION_STATUS = {
    ReviewDecision.LINK: PairStatus.CONFIRMED,
    ReviewDecision.NOT_SAME: PairStatus.REJECTED,
    ReviewDecision.UNSURE: PairStatus.UNSURE,
}


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class AlertStatus(models.TextChoices):
    OPEN = "open", "New"
    SEEN = "seen", "Seen"
    CLOSED = "closed", "Closed"
