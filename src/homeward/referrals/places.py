"""Keeps ServicePlace (directory search's spatial index) in step with the directory.

Signals rebuild a service's rows when one of its locations, service-at-locations or terms is saved or
deleted; bulk inserts (the demo and benchmark loaders) call `rebuild_places` themselves.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from homeward.referrals.geo import lat_band
from homeward.referrals.models import Location, ServiceAtLocation, ServicePlace, ServiceTerm

BATCH = 2000


def rebuild_places(service_ids: Iterable[uuid.UUID]) -> int:
    """Replace these services' ServicePlace rows (each located place × each term, and no term)."""
    ids = list(service_ids)
    made = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        terms: dict[uuid.UUID, list[uuid.UUID | None]] = defaultdict(lambda: [None])
        for service_id, term_id in ServiceTerm.objects.filter(service_id__in=chunk).values_list(
            "service_id", "term_id"
        ):
            terms[service_id].append(term_id)
        rows = []
        located = ServiceAtLocation.objects.filter(
            service_id__in=chunk, location__latitude__isnull=False, location__longitude__isnull=False
        ).values_list("service_id", "location__latitude", "location__longitude")
        for service_id, latitude, longitude in located:
            band = lat_band(latitude)
            assert band is not None and latitude is not None and longitude is not None
            for place_term in terms[service_id]:
                rows.append(
                    ServicePlace(
                        service_id=service_id,
                        term_id=place_term,
                        lat_band=band,
                        latitude=latitude,
                        longitude=longitude,
                    )
                )
        ServicePlace.objects.filter(service_id__in=chunk).delete()
        ServicePlace.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    return made


def _link_saved(sender: Any, instance: ServiceAtLocation | ServiceTerm, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        rebuild_places([instance.service_id])


def _link_deleted(sender: Any, instance: ServiceAtLocation | ServiceTerm, **kwargs: Any) -> None:
    """After the deleting transaction commits: inside it, the link may be going with its whole service
    (a cascade), and rows written then would point at a service about to go."""
    service_id = instance.service_id
    transaction.on_commit(lambda: rebuild_places([service_id]))


def _location_changed(sender: Any, instance: Location, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    rebuild_places(
        ServiceAtLocation.objects.filter(location_id=instance.pk).values_list("service_id", flat=True)
    )


def connect() -> None:
    for model in (ServiceAtLocation, ServiceTerm):
        post_save.connect(_link_saved, sender=model, dispatch_uid=f"places-save-{model.__name__}")
        post_delete.connect(_link_deleted, sender=model, dispatch_uid=f"places-delete-{model.__name__}")
    post_save.connect(_location_changed, sender=Location, dispatch_uid="places-save-location")
