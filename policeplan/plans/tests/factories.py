from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from policeplan.plans import models as m


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Plan

    title = factory.Sequence(lambda n: f"Police and Crime Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    starts_on = datetime.date(2025, 4, 1)
    ends_on = datetime.date(2029, 3, 31)


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlanVersion

    plan = factory.SubFactory(PlanFactory)
    number = 1
    state = m.VersionState.DRAFT


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Chapter

    version = factory.SubFactory(VersionFactory)
    title = factory.Sequence(lambda n: f"Chapter {n}")
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    body = "Some text about policing."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Priority

    version = factory.SubFactory(VersionFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    slug = factory.Sequence(lambda n: f"priority-{n}")


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Outcome

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Outcome {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Measure

    outcome = factory.SubFactory(OutcomeFactory)
    title = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    data_source_kind = m.DataSourceKind.RECORDED_CRIME
    unit = m.Unit.COUNT
    direction = m.Direction.LOWER
    geography_levels = ["force", "borough"]
    frequency = m.Frequency.MONTHLY


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ResourceLine

    version = factory.SubFactory(VersionFactory)
    heading = "Police grant"
    financial_year = "2025-26"
    amount = Decimal("1000000")


class ReportingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ReportingArrangement

    version = factory.SubFactory(VersionFactory)
    title = "Quarterly report"
    description = "The chief officer reports every quarter."
    frequency = "Quarterly"


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Grant

    version = factory.SubFactory(VersionFactory)
    recipient = "Community safety partnership"
    purpose = "Crime prevention"
    amount = Decimal("50000")
    financial_year = "2025-26"


def complete_version(**kwargs) -> m.PlanVersion:
    """A draft that satisfies every s.7 requirement."""
    version = VersionFactory(**kwargs)
    ChapterFactory(version=version, statutory_element="policing", title="Policing", slug="policing")
    measure = MeasureFactory(outcome__priority__version=version)
    measure.outcome.priority.title = "Reducing violence"
    measure.outcome.priority.save()
    ResourceFactory(version=version)
    ReportingFactory(version=version)
    GrantFactory(version=version)
    return version
