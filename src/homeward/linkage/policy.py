"""Which agreements linkage may run under, who may run and review it, and its thresholds."""

from __future__ import annotations

from django.utils import timezone

from homeward.core.errors import NotFound, ValidationFailed
from homeward.core.roles import Permission
from homeward.engines.linkage import Thresholds
from homeward.governance.access import Actor
from homeward.governance.models import DataSharingAgreement, SharingPurpose
from homeward.linkage.models import LinkageSettings


class ChosenThresholds:
    """An agreement's thresholds, stored or the engine's defaults."""

    def __init__(self, upper: float, lower: float) -> None:
        self.upper, self.lower = upper, lower

    def thresholds(self) -> Thresholds:
        return Thresholds(upper=self.upper, lower=self.lower)


def linkage_agreement(agreement_id: int, actor: Actor | None) -> DataSharingAgreement:
    """The agreement, if linkage may run under it now (and the actor's organisation is a party)."""
    agreement = DataSharingAgreement.objects.filter(pk=agreement_id).prefetch_related("parties").first()
    if agreement is None or (
        actor is not None and actor.organisation_id not in {p.pk for p in agreement.parties.all()}
    ):
        raise NotFound("No agreement with that id")
    if not agreement.allows(SharingPurpose.LINKAGE):
        raise ValidationFailed.single("agreement", "This agreement does not name person linkage as a purpose")
    if not agreement.is_in_force(timezone.localdate()):
        raise ValidationFailed.single("agreement", "This agreement is not in force, so linkage cannot run")
    return agreement


def check_can_run(actor: Actor) -> None:
    actor.require(Permission.RUN_LINKAGE)


def settings_of(agreement: DataSharingAgreement) -> ChosenThresholds:
    stored = LinkageSettings.objects.filter(agreement=agreement).first()
    if stored is None:
        default = Thresholds()
        return ChosenThresholds(default.upper, default.lower)
    return ChosenThresholds(stored.upper, stored.lower)
