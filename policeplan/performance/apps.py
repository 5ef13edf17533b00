from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_crosswalk(sender: AppConfig, **kwargs: Any) -> None:
    """Bring in the crosswalk files' concepts and mappings the database lacks (idempotent)."""
    from django.db import connections

    from policeplan.performance.concepts import crosswalk_seed
    from policeplan.performance.models import CategoryMapping

    connection = connections[kwargs.get("using", "default")]
    if CategoryMapping._meta.db_table not in connection.introspection.table_names():
        return  # migrated to a state before the crosswalk
    crosswalk_seed()


class PerformanceConfig(AppConfig):
    name = "policeplan.performance"
    label = "performance"
    verbose_name = "Performance data"

    def ready(self) -> None:
        post_migrate.connect(_seed_crosswalk, sender=self, dispatch_uid="performance-crosswalk")
