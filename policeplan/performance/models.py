"""Geography, population and the catalogue of imported data.

Raw records live in the warehouse (Parquet); the database keeps what pages and people need
to find them: the areas, their populations, and what was imported, when, by whom, with what
result.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from policeplan.core.models import BaseModel


class AreaLevel(models.TextChoices):
    FORCE = "force", "Force area"
    BCU = "bcu", "Basic command unit"
    BOROUGH = "borough", "Borough"
    WARD = "ward", "Ward"
    LSOA = "lsoa", "Lower layer super output area"


class Area(models.Model):
    level = models.CharField(max_length=10, choices=AreaLevel.choices, db_index=True)
    code = models.CharField(max_length=20, help_text="ONS code, or the force's or BCU's own code.")
    name = models.CharField(max_length=120)
    vintage = models.CharField(
        max_length=4, blank=True, help_text="Boundary year for LSOAs (2011, 2021) and wards (2024)."
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    tile_x = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Tile-grid map column."
    )
    tile_y = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Tile-grid map row.")
    tile_label = models.CharField(max_length=8, blank=True, help_text="Short name on the tile map.")
    successor_code = models.CharField(
        max_length=20,
        blank=True,
        help_text="For a 2011 LSOA: the 2021 LSOA it became (for its ward).",
    )

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "vintage"], name="area_level_code_vintage_unique"
            )
        ]
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return self.name


class AreaBoundary(models.Model):
    """An area's boundary for maps: simplified GeoJSON geometry in longitude and latitude."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=255, help_text="The file it came from.")

    def __str__(self) -> str:
        return f"Boundary of {self.area}"


class Population(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    source = models.CharField(max_length=200, help_text="Which estimate, and its vintage.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "source"], name="population_area_year_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.value:,}"


class ImportKind(models.TextChoices):
    POLICE_UK = "police-uk", "data.police.uk street-level, outcomes and stop and search"
    MPS_CRIME = "mps-crime", "MPS recorded crime (borough, ward or LSOA)"
    PAS = "pas", "MOPAC Public Attitude Survey"
    ONS_LOOKUP = "ons-lookup", "ONS LSOA, ward and local authority lookup"
    POPULATION = "population", "ONS population estimates"
    TILE_GRID = "tile-grid", "Tile-grid map layout of the boroughs"
    BOUNDARIES = "boundaries", "Borough boundaries for maps (GeoJSON)"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Failed: nothing was changed"


class DataImport(models.Model):
    """One import: one or more files brought in together, all or nothing."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    source = models.CharField(max_length=500, help_text="Where the files came from.")
    upload_dir = models.CharField(
        max_length=500, blank=True, help_text="Uploaded files awaiting import."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(
        blank=True, help_text="Why the import failed, naming file, line and field."
    )
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}


class ImportedFile(models.Model):
    """One file of an import, with its fingerprint and what became of its rows."""

    data_import = models.ForeignKey(DataImport, on_delete=models.CASCADE, related_name="files")
    dataset = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_no_location = models.PositiveIntegerField(default=0)
    months = models.JSONField(default=list, blank=True)
    forces = models.JSONField(default=list, blank=True)
    vintage = models.CharField(max_length=40, blank=True)
    problems = models.JSONField(default=list, blank=True)
    skipped_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["data_import", "file_name"]

    def __str__(self) -> str:
        return self.file_name


class MeasureGap(models.Model):
    """A period inside a measure's span for which an area has no figure, and why: no records
    of the measure's concepts that month, no category for it in use, or no population to make
    the rate from. Computed on every import and recompute with the figures, so pages, CSV and
    API say "Not available" with the reason instead of leaving a hole or showing 0. (Withheld
    small counts are figures, kept in MeasureValue: withheld is not the same as not available.)"""

    measure_lineage = models.UUIDField(db_index=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="measure_gaps")
    period_kind = models.CharField(max_length=20)
    period_key = models.CharField(max_length=20)
    period_label = models.CharField(max_length=60)
    period_start = models.CharField(max_length=7)
    period_end = models.CharField(max_length=7)
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["measure_lineage", "period_kind", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_lineage", "area", "period_kind", "period_key"],
                name="measure_gap_unique",
            )
        ]
        indexes = [models.Index(fields=["measure_lineage", "area", "period_kind"])]

    def __str__(self) -> str:
        return f"{self.area} {self.period_label}: not available ({self.reason})"


class DatasetCoverage(models.Model):
    """What the warehouse holds for one dataset and force: months, counts and anomalies.
    Refreshed after every import so the catalogue page never scans raw records."""

    dataset = models.CharField(max_length=20)
    scope = models.CharField(max_length=80, help_text="Force, or level and scheme.")
    months = models.JSONField(default=list)
    month_counts = models.JSONField(default=dict)
    anomalies = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "scope"], name="coverage_dataset_scope_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.scope})"


class MeasureValue(models.Model):
    """One figure of a plan's measure for one area and period, computed from the warehouse with
    its numerator, base and 95% interval. Keyed by the measure's lineage, so every version of
    the plan that carries the measure shares its figures."""

    measure_lineage = models.UUIDField(db_index=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="measure_values")
    period_kind = models.CharField(max_length=20)
    period_key = models.CharField(max_length=20)
    period_label = models.CharField(max_length=60)
    period_start = models.CharField(max_length=7)
    period_end = models.CharField(max_length=7)
    value = models.FloatField()
    lower = models.FloatField()
    upper = models.FloatField()
    numerator = models.FloatField()
    denominator = models.FloatField(
        null=True, blank=True, help_text="Survey base, records or population."
    )
    computed_at = models.DateTimeField(auto_now=True)
    population_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a rate: the year of the population estimate used."
    )
    population_carried = models.BooleanField(
        default=False,
        help_text="For a rate: the population is another year's, as there is no estimate for "
        "the year the period starts in.",
    )

    class Meta:
        ordering = ["measure_lineage", "period_kind", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_lineage", "area", "period_kind", "period_key"],
                name="measure_value_unique",
            )
        ]
        indexes = [
            models.Index(fields=["measure_lineage", "period_kind", "period_end"]),
            # The time a measure's figures were last computed, read on every measure page.
            models.Index(fields=["measure_lineage", "computed_at"], name="measure_value_computed"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.period_label}: {self.value}"


class ReportedFigures(models.Model):
    """Where the figures of a measure reported elsewhere came from: the last file imported,
    and whether they were made up (the demonstration's figures for measures with no public
    data), which every page, download and API response showing them then says."""

    measure_lineage = models.UUIDField(unique=True)
    file_name = models.CharField(max_length=255)
    made_up = models.BooleanField(
        default=False, help_text="Made up for the demonstration, not police statistics."
    )
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.file_name}{' (made up)' if self.made_up else ''}"


class Caveat(models.Model):
    """A dated note about a dataset, such as a series break, that every chart, table and
    download of the measures computed from it must show."""

    dataset = models.CharField(
        max_length=20, help_text="street, outcomes, stop_search, mps_crime or pas"
    )
    effective_from = models.CharField(
        max_length=7, help_text="The first month it applies to, YYYY-MM."
    )
    title = models.CharField(
        max_length=120, help_text="Short, for the chart: 'New recording system'."
    )
    text = models.TextField()
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Only measures counting these categories; empty means all.",
    )
    is_series_break = models.BooleanField(
        "series break", default=True, help_text="Figures before and after are not comparable."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "effective_from"]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from})"

    def applies_to(self, dataset: str, categories: list[str]) -> bool:
        if dataset != self.dataset:
            return False
        if not self.categories or not categories:
            return True
        wanted = {c.lower() for c in self.categories}
        return any(c.lower() in wanted for c in categories)


class Concept(models.Model):
    """A stable thing a measure counts ("residential burglary"), whatever each source calls it
    and however the names changed over time (see CategoryMapping)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CategoryMapping(models.Model):
    """One line of the crosswalk: a source's category name, in one of its schemes, stands for a
    concept over the months it was in use. Seeded from performance/crosswalk/crosswalk.csv;
    analysts edit it on the crosswalk page, and every change is an audit event (the history)."""

    source = models.CharField(
        max_length=20, help_text="mps_crime, street, outcomes, stop_search or pas"
    )
    scheme = models.CharField(
        max_length=20, blank=True, help_text="The source's category scheme (MPS: current or old)."
    )
    source_name = models.CharField(max_length=120)
    concept = models.ForeignKey(Concept, on_delete=models.PROTECT, related_name="mappings")
    in_use_from = models.CharField(max_length=7, help_text="First month in use, YYYY-MM.")
    in_use_to = models.CharField(
        max_length=7, blank=True, help_text="Last month in use, YYYY-MM; blank if still in use."
    )
    reference = models.CharField(max_length=300, blank=True, help_text="Where the dates come from.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "scheme", "source_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "scheme", "source_name"], name="category_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.concept}"


class MeasureCoverage(models.Model):
    """Which months a measure's source could have recorded it (any of its concepts' names in
    use, and data held), with the reason for the months it could not: computed on every import
    and recompute, so pages say "Not available" instead of showing a 0."""

    measure_lineage = models.UUIDField(unique=True)
    first_month = models.CharField(max_length=7, blank=True)
    last_month = models.CharField(max_length=7, blank=True)
    missing = models.JSONField(
        default=list,
        blank=True,
        help_text="[[first month, last month, reason], …] inside the span.",
    )
    before_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Coverage of {self.measure_lineage}: {self.first_month} to {self.last_month}"


class CommentaryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Commentary(BaseModel):
    """What the office says about a measure's figures for one period (for the force area),
    in Markdown. An analyst or policy officer drafts it; another policy officer approves it.
    Only approved commentary is public, and changing approved text makes it a draft again.
    Keyed by the measure's lineage and the period as MeasureValue keys them."""

    measure_lineage = models.UUIDField(db_index=True)
    period_kind = models.CharField(max_length=20)
    period_key = models.CharField(max_length=20)
    text = models.TextField(max_length=10_000)
    state = models.CharField(
        max_length=10, choices=CommentaryState.choices, default=CommentaryState.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["measure_lineage", "period_kind", "period_key"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(
                fields=["measure_lineage", "period_kind", "period_key"],
                name="commentary_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Commentary on {self.measure_lineage} for {self.period_kind} {self.period_key}"
