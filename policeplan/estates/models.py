"""The police estate: buildings, their public opening hours over time, the pledges made about
public access, where residents live (for distance coverage), and disposals.

Opening hours are kept as dated schedules, never overwritten: a schedule holds from its
`starts_on` until the next one starts, so "what was open on 1 March 2019" is answerable, and a
closure is a schedule whose hours are "closed" (planned when its date is still to come).
"""

from __future__ import annotations

from django.db import models

from policeplan.core.models import BaseModel
from policeplan.core.uploads import stored_name
from policeplan.performance.models import Area


class BuildingKind(models.TextChoices):
    POLICE_STATION = "police_station", "Police station"
    FRONT_COUNTER = "front_counter", "Front counter"
    CONTACT_POINT = "contact_point", "Contact point"
    CUSTODY = "custody", "Custody suite"
    OFFICE = "office", "Office"
    OTHER = "other", "Other"


class BuildingStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PLANNED_DISPOSAL = "planned_disposal", "Planned for disposal"
    DISPOSED = "disposed", "Disposed of"


class Building(BaseModel):
    reference = models.CharField(
        max_length=60, unique=True, help_text="The office's own reference for the building."
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    borough = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="buildings")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=BuildingKind.choices)
    status = models.CharField(max_length=20, choices=BuildingStatus.choices)
    step_free = models.BooleanField(
        null=True, blank=True, help_text="Step-free access to the public parts (None: not known)."
    )
    services = models.JSONField(default=list, blank=True, help_text="Services offered.")
    source = models.CharField(max_length=200, blank=True, help_text="Where the record came from.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class HoursSchedule(models.Model):
    """The public opening hours of a building from a date until the next schedule starts.
    `hours` is the canonical text `estates.hours.parse` reads ("Mo-Fr 08:00-20:00", "24/7",
    "closed")."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="schedules")
    starts_on = models.DateField()
    hours = models.CharField(max_length=500)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["building_id", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "starts_on"], name="estates_one_schedule_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} from {self.starts_on:%Y-%m-%d}"


class PledgeRule(models.TextChoices):
    ROUND_THE_CLOCK = (
        "round_the_clock",
        "Front counters open 24 hours, 7 days a week, in each borough",
    )
    ANY_COUNTER = "any_counter", "Front counters open to the public in each borough"


class Pledge(BaseModel):
    title = models.CharField(max_length=200)
    rule = models.CharField(max_length=20, choices=PledgeRule.choices)
    at_least = models.PositiveSmallIntegerField(default=1)
    made_on = models.DateField(help_text="When the pledge was made: it is checked from then.")
    made_by = models.CharField(max_length=200, blank=True, help_text="Who made it, and where.")

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PointMethod(models.TextChoices):
    ONS_CENTROID = "ons_centroid", "ONS population-weighted centroids of LSOAs"
    EVEN_SPREAD = "even_spread", "Borough population spread evenly over the borough (demo only)"


class ResidentPoint(models.Model):
    """Where a borough's residents live, as points with a population each, for measuring
    the straight-line distance to a front counter."""

    borough = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="resident_points")
    code = models.CharField(max_length=20)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField()
    population_year = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=20, choices=PointMethod.choices)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["borough_id", "code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="estates_point_code_once")]

    def __str__(self) -> str:
        return self.code


class Disposal(BaseModel):
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="disposals")
    decision_reference = models.CharField(max_length=40, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    estimated_receipt = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    actual_receipt = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    sold_on = models.DateField(null=True, blank=True)
    running_cost_saving = models.DecimalField(
        max_digits=12, decimal_places=0, null=True, blank=True, help_text="A year, in pounds."
    )
    exempt = models.BooleanField(
        default=False,
        help_text="The figures are commercially sensitive (exempt information): withheld.",
    )
    exempt_reason = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "pk"]


def strategy_path(instance: StrategyDocument, filename: str) -> str:
    """A name the server makes; the sender's is kept only as data (`original_name`)."""
    return f"estates/strategy/{stored_name(filename)}"


class StrategyDocument(BaseModel):
    """The estates strategy (and its updates), as published."""

    title = models.CharField(max_length=200)
    published_on = models.DateField()
    summary = models.TextField(blank=True)
    file = models.FileField(upload_to=strategy_path, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-published_on"]


class Partnership(BaseModel):
    """A borough's community safety partnership (ONS code and name from the ONS lookup of
    local authorities to CSPs; members and contacts kept by staff)."""

    borough = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="partnership")
    code = models.CharField(max_length=9, blank=True, help_text="ONS code, like E22000187.")
    name = models.CharField(max_length=200)
    members = models.TextField(blank=True, help_text="One member organisation a line.")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    meetings_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["borough__name"]

    def __str__(self) -> str:
        return self.name

    @property
    def member_list(self) -> list[str]:
        return [m.strip() for m in self.members.splitlines() if m.strip()]
