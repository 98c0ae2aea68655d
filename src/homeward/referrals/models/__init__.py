"""Referrals app models: the service directory, closed-loop referrals, social prescribing and payments."""

from homeward.referrals.models.directory import (
    Contact,
    CostOption,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServicePlace,
    ServiceStatus,
    ServiceTerm,
    Taxonomy,
    TaxonomyTerm,
)
from homeward.referrals.models.referral import Referral, ReferralEvent, ReferralMessage

__all__ = [
    "Contact",
    "CostOption",
    "DirectoryOrganisation",
    "Location",
    "Referral",
    "ReferralEvent",
    "ReferralMessage",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "ServicePlace",
    "ServiceStatus",
    "ServiceTerm",
    "Taxonomy",
    "TaxonomyTerm",
]
