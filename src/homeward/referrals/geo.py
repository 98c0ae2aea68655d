"""Where a postcode is, without a network call: full postcodes or districts from a shipped CSV.

The shipped file covers only the demo patch, with synthetic centroids. A real deployment points
HOMEWARD_POSTCODE_FILE at a CSV (postcode, latitude, longitude) cut from the ONS Postcode Directory.
"""

from __future__ import annotations

import csv
import math
import os
from functools import cache
from importlib import resources
from pathlib import Path

from homeward.core.validators import normalise_postcode

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32
# Locations are filed in bands of latitude this tall (about 5.6 km), indexed with their longitude, so a
# bounding box is read as a few (band, longitude range) index scans: both dimensions narrow the index.
LAT_BAND_DEGREES = 0.05


@cache
def centroids() -> dict[str, tuple[float, float]]:
    configured = os.environ.get("HOMEWARD_POSTCODE_FILE")
    if configured:
        text = Path(configured).read_text(encoding="utf-8")
    else:
        text = resources.files("homeward.referrals").joinpath("data/postcode_districts.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {
        normalise_postcode(row["postcode"]).replace(" ", ""): (
            float(row["latitude"]),
            float(row["longitude"]),
        )
        for row in rows
    }


def locate(postcode: str) -> tuple[float, float] | None:
    """The centroid of the full postcode if known, else of its district (outward code); None if neither."""
    compact = normalise_postcode(postcode).replace(" ", "")
    table = centroids()
    if compact in table:
        return table[compact]
    outward = compact[:-3] if len(compact) > 4 else compact
    return table.get(outward)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def bounding_box(point: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) of a square around the point, for an index range scan."""
    lat, lon = point
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def lat_band(latitude: float | None) -> int | None:
    """The latitude band a location is filed in (Location.lat_band)."""
    return None if latitude is None else math.floor(latitude / LAT_BAND_DEGREES)


def lat_bands(min_lat: float, max_lat: float) -> list[int]:
    """Every band a latitude range touches (floor is monotonic, so no location in range is missed)."""
    low, high = lat_band(min_lat), lat_band(max_lat)
    assert low is not None and high is not None
    return list(range(low, high + 1))
