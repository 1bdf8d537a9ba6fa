"""Reads for the wizard. Every look-up names the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg

from onestop.cases.models import Case
from onestop.organisations.models import Organisation


def case_get_by_submission_key(*, organisation: Organisation, submission_key: str) -> Case | None:
    """The request filed with this wizard key in `organisation`, if any (a repeated submit)."""
    if not submission_key:
        return None
    return Case.objects.filter(organisation=organisation, submission_key=submission_key).first()


@dataclass(frozen=True)
class MapView:
    """Where the place step's map opens: a centre and a Leaflet zoom level."""

    latitude: Decimal
    longitude: Decimal
    zoom: int
    source: str  # "organisation", "district", "requests" or "country" (for tests and logs)


# The last resort: all of Thailand (its middle, not Bangkok), for an organisation that has no
# location, no neighbour in its district with one, and no pinned request yet.
THAILAND = MapView(Decimal("13.0"), Decimal("101.0"), 5, "country")
PINS_AVERAGED = 50


def map_start(*, organisation: Organisation) -> MapView:
    """Where the citizen's map opens for `organisation`, from the nearest thing known (at most
    three small queries): 1. its own location; 2. the middle of the other active organisations
    of its district that have one (the address data set has no coordinates); 3. the middle of
    its last pinned requests; 4. Thailand as a whole."""
    if organisation.latitude is not None and organisation.longitude is not None:
        return MapView(organisation.latitude, organisation.longitude, 14, "organisation")
    if organisation.district_code:
        near = Organisation.objects.filter(
            district_code=organisation.district_code, is_active=True,
            latitude__isnull=False, longitude__isnull=False,
        ).aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))  # fmt: skip
        if near["latitude"] is not None:
            return MapView(_six(near["latitude"]), _six(near["longitude"]), 13, "district")
    pins = Case.objects.filter(
        organisation=organisation, latitude__isnull=False, longitude__isnull=False
    ).order_by("-pk")[:PINS_AVERAGED]
    pinned = Case.objects.filter(pk__in=pins.values("pk")).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if pinned["latitude"] is not None:
        return MapView(_six(pinned["latitude"]), _six(pinned["longitude"]), 13, "requests")
    return THAILAND


def _six(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))
