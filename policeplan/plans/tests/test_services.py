import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from policeplan.core.models import AuditEvent
from policeplan.plans import services
from policeplan.plans.kinds import KINDS
from policeplan.plans.models import Chapter, Measure, PlanVersion, Priority, VersionState
from policeplan.plans.tests.factories import (
    ChapterFactory,
    MeasureFactory,
    PriorityFactory,
    complete_version,
)

pytestmark = pytest.mark.django_db


def test_creating_a_plan_makes_an_empty_draft_and_an_audit_event(officer):
    version = services.plan_create(
        user=officer,
        title="Police and Crime Plan 2025–29",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2029, 3, 31),
    )
    assert version.number == 1 and version.state == VersionState.DRAFT
    assert version.plan.slug == "police-and-crime-plan-2025-29"
    event = AuditEvent.objects.get(action="plan.create")
    assert event.actor == officer and event.object_id == str(version.plan.pk)


@pytest.mark.parametrize("role", ["analyst", "committee_member"])
def test_services_refuse_roles_that_may_not_edit_even_without_a_view(users, role):
    version = complete_version()
    with pytest.raises(PermissionDenied):
        services.plan_item_create(
            user=users[role],
            kind=KINDS["chapters"],
            parent=version,
            data={"title": "X", "body": "Y"},
        )
    with pytest.raises(PermissionDenied):
        services.plan_version_publish(user=users[role], version=version, state="final")
    assert version.chapters.count() == 1


def test_publishing_an_incomplete_final_plan_names_every_gap_and_changes_nothing(officer):
    version = complete_version()
    version.reporting.all().delete()
    Measure.objects.filter(outcome__priority__version=version).delete()
    with pytest.raises(services.PublishRefused) as refusal:
        services.plan_version_publish(user=officer, version=version, state=VersionState.FINAL)
    assert refusal.value.problems == [
        "Add at least one reporting arrangement",
        f"Add a measure to the outcome ‘{version.priorities.get().outcomes.get().title}’",
    ]
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and version.published_at is None
    assert not AuditEvent.objects.filter(action="plan_version.publish").exists()


def test_a_consultation_draft_may_be_incomplete_but_a_final_plan_may_not(officer):
    version = complete_version()
    version.grants.all().delete()
    published = services.plan_version_publish(
        user=officer, version=version, state=VersionState.CONSULTATION
    )
    assert published.state == VersionState.CONSULTATION and published.published_by == officer


def test_a_published_version_never_changes(officer):
    version = complete_version()
    services.plan_version_publish(user=officer, version=version, state=VersionState.FINAL)
    chapter = version.chapters.get()
    with pytest.raises(services.VersionLocked):
        services.plan_item_update(user=officer, item=chapter, data={"body": "Rewritten"})
    with pytest.raises(services.VersionLocked):
        services.plan_item_archive(user=officer, item=chapter)
    with pytest.raises(services.VersionLocked):
        services.plan_version_update(user=officer, version=version, data={"summary": "New"})
    chapter.refresh_from_db()
    assert chapter.body == "Some text about policing." and chapter.archived_at is None


def test_a_new_version_copies_everything_and_keeps_lineage(officer):
    version = complete_version()
    priority = version.priorities.get()
    services.plan_item_create(
        user=officer,
        kind=KINDS["commitments"],
        parent=version,
        data={
            "text": "Do the thing",
            "owner": "MOPAC",
            "priority": priority,
            "status": "not_started",
        },
    )
    services.plan_version_publish(user=officer, version=version, state=VersionState.FINAL)
    new = services.plan_version_new_draft(user=officer, plan=version.plan)
    assert new.number == 2 and new.state == VersionState.DRAFT and new.based_on == version
    assert new.chapters.get().lineage == version.chapters.get().lineage
    new_priority = new.priorities.get()
    assert new_priority.lineage == priority.lineage and new_priority.pk != priority.pk
    assert new.commitments.get().priority == new_priority
    assert Measure.objects.filter(outcome__priority__version=new).count() == 1
    with pytest.raises(ValidationError):
        services.plan_version_new_draft(user=officer, plan=version.plan)


def test_slugs_are_unique_within_a_version(officer):
    version = complete_version()
    first = services.plan_item_create(
        user=officer, kind=KINDS["priorities"], parent=version, data={"title": "Victims"}
    )
    second = services.plan_item_create(
        user=officer, kind=KINDS["priorities"], parent=version, data={"title": "Victims"}
    )
    assert (first.slug, second.slug) == ("victims", "victims-2")


def test_invalid_data_saves_nothing(officer):
    version = complete_version()
    with pytest.raises(ValidationError):
        services.plan_item_create(
            user=officer, kind=KINDS["chapters"], parent=version, data={"title": "", "body": ""}
        )
    assert version.chapters.count() == 1
    assert not AuditEvent.objects.filter(action="chapters.create").exists()


def test_removing_a_priority_archives_its_outcomes_and_measures(officer):
    measure = MeasureFactory()
    priority = measure.outcome.priority
    services.plan_item_archive(user=officer, item=priority)
    assert not Priority.objects.filter(pk=priority.pk).exists()
    assert Priority.all_objects.get(pk=priority.pk).archived_at is not None
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert AuditEvent.objects.filter(
        action="priorities.remove", object_id=str(priority.pk)
    ).exists()


def test_moving_swaps_neighbours(officer):
    version = PriorityFactory().version
    a = ChapterFactory(version=version, order=0)
    b = ChapterFactory(version=version, order=1)
    services.plan_item_move(user=officer, item=b, direction="up")
    assert list(Chapter.objects.filter(version=version).order_by("order")) == [b, a]
    services.plan_item_move(user=officer, item=b, direction="up")  # already first: no change
    assert list(Chapter.objects.filter(version=version).order_by("order")) == [b, a]


def test_only_one_draft_per_plan_is_allowed_by_the_database(officer):
    version = complete_version()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(plan=version.plan, number=2)


def test_a_later_final_version_is_a_variation_and_replaces_the_earlier_one(officer, client):
    from policeplan.plans.selectors import plan_version_replaced_by

    version = complete_version()
    first = services.plan_version_publish(user=officer, version=version, state=VersionState.FINAL)
    assert first.label == ""
    second = services.plan_version_new_draft(user=officer, plan=version.plan)
    second = services.plan_version_publish(user=officer, version=second, state=VersionState.FINAL)
    assert second.label.startswith("Variation, ")
    assert plan_version_replaced_by(version=first) == second
    assert plan_version_replaced_by(version=second) is None
    html = client.get(f"/plans/{version.plan.slug}/v1/").text
    assert "This version has been replaced" in html and f"v{second.number}/" in html
