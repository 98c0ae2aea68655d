"""The shared service directory, shaped like Open Referral UK (HSDS 3 UK profile).

Ids are the standard's UUIDs, so a directory exported and imported elsewhere keeps its identity. Fields that
search, referral and the pages use are columns; the rest of each standard object (languages, funding,
service areas, accessibility, identifiers…) is kept as it came in `extra`, so export → import loses nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from homeward.core.models import Organisation
from homeward.referrals.geo import lat_band


class DirectoryOrganisation(models.Model):
    """A provider in the directory; `organisation` is the Homeward organisation that takes its referrals."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    email = models.CharField(max_length=254, blank=True)
    website = models.CharField(max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="directory_entries"
    )
    extra = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    DEFUNCT = "defunct", "Defunct"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(
        DirectoryOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    # Homeward's own settings for closed-loop referrals (exported under "x_homeward").
    accepts_referrals = models.BooleanField(default=False)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="New referrals the service can take each week; blank if not limited"
    )
    acknowledge_within_days = models.PositiveSmallIntegerField(
        default=2, help_text="Working days (England and Wales) to accept or reject a referral"
    )
    search_text = models.TextField(blank=True, help_text="Name, description and terms, lower-cased")
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"], name="service_status_name_idx")]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    lat_band = models.IntegerField(
        null=True, blank=True, editable=False, help_text="geo.lat_band(latitude), set on save"
    )
    address_1 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        # The spatial prefilter of directory search (see referrals.geo and directory._near).
        indexes = [models.Index(fields=["lat_band", "longitude"], name="location_band_lon_idx")]

    def __str__(self) -> str:
        return self.name or self.postcode

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.lat_band = lat_band(self.latitude)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "latitude" in update_fields:
            kwargs["update_fields"] = {*update_fields, "lat_band"}
        super().save(*args, **kwargs)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")
    description = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phones = models.JSONField(default=list, blank=True, help_text="Open Referral phone objects")
    extra = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.option or str(self.amount)


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.CharField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A need or eligibility term ("Debt advice", "Carers"); `taxonomy_name` is the standard's free text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=100, blank=True, help_text="The standard's `term`")
    description = models.TextField(blank=True)
    parent_id = models.UUIDField(null=True, blank=True)
    taxonomy_name = models.CharField(max_length=200, blank=True)
    term_uri = models.CharField(max_length=500, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceTerm(models.Model):
    """The standard's `attribute`: links a service to a taxonomy term (what need it meets, who can use it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="service_links")
    link_type = models.CharField(max_length=100, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["term", "service"], name="service_term_idx")]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.term_id}"


class Schedule(models.Model):
    """When a service is open: iCal-style weekly days and hours (the fields "open now" needs are columns)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, blank=True)
    byday = models.CharField(max_length=60, blank=True, help_text="e.g. MO,TU,WE")
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}"

    @property
    def days_label(self) -> str:
        """Short day names ("Mon, Wed, Fri") from iCal "MO,WE,FR"; other forms are shown as given."""
        names = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
        days = [d.strip() for d in self.byday.split(",") if d.strip()]
        return ", ".join(names.get(d, d) for d in days)


class ServicePlace(models.Model):
    """Directory search's spatial index (derived; never edited): one row for each location of a service
    and each of its terms, plus one with no term. Indexed by (term, lat_band, longitude), so a search for
    a need near a point reads only that need's services in the box. Kept up to date by
    referrals.places (signals on locations, service-at-locations and terms)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="places")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, null=True, related_name="+")
    lat_band = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        # latitude and service close the key so the search reads the index alone (no table rows).
        indexes = [
            models.Index(
                fields=["term", "lat_band", "longitude", "latitude", "service"], name="service_place_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.term_id} ({self.latitude}, {self.longitude})"
